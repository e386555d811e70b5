"""Every document API endpoint: permission matrix, problem+json refusals, and the shapes returned."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from codi.documents.models import Document, DocumentVersion
from tests.documents.conftest import digital_pdf, docx_bytes, encrypted_pdf
from tests.permissions import Matrix, signed_in_client

API = "/api/v1/documents"


def _users(matrix: Matrix):
    return {
        "allowed": matrix.user("project_officer", "province", "40"),
        "wrong_role": matrix.user("community_leader", "country"),
        "out_of_scope": matrix.user("project_officer", "province", "10"),
    }


def test_list_matrix(matrix, make_document, django_assert_max_num_queries):
    version = make_document()

    def ids(response) -> list[int]:
        return [item["id"] for item in response.json()["items"]]

    matrix.check(
        lambda c: c.get(f"{API}/documents", {"area": "40"}),
        **_users(matrix),
        refused=lambda r: r.status_code in {401, 403} or ids(r) == [],
        allowed_ok=lambda r: ids(r) == [version.document_id] and r.json()["count"] == 1,
    )
    for _ in range(5):
        make_document()
    client = signed_in_client(matrix.user("project_officer", "country"))
    with django_assert_max_num_queries(15):
        assert client.get(f"{API}/documents").json()["count"] == 6


def test_search_matrix(matrix, make_document):
    version = make_document()

    matrix.check(
        lambda c: c.get(f"{API}/search", {"q": "สะพานไม้ไผ่"}),
        **_users(matrix),
        refused=lambda r: r.status_code in {401, 403} or r.json() == {"total": 0, "hits": []},
        allowed_ok=lambda r: (
            r.json()["total"] == 1
            and r.json()["hits"][0]["document"]["id"] == version.document_id
            and r.json()["hits"][0]["highlights"] == ["สะพานไม้ไผ่"]
        ),
    )


def test_create_matrix(db, matrix):
    def create(client):
        return client.post(
            f"{API}/documents",
            {
                "title": "หนังสือราชการ",
                "classification": "internal",
                "area_code": "400104",
                "doc_type": "letter",
                "file": SimpleUploadedFile("a.pdf", digital_pdf()),
            },
        )

    matrix.check(
        create,
        **_users(matrix),
        allowed_ok=lambda r: r.status_code == 201 and r.json()["versions"][0]["status"] == "queued",
    )
    assert Document.objects.count() == 1


def test_create_refuses_an_encrypted_pdf_with_problem_json(db, matrix):
    client = signed_in_client(matrix.user("project_officer", "province", "40"))
    response = client.post(
        f"{API}/documents",
        {"title": "ลับ", "area_code": "400104", "file": SimpleUploadedFile("x.pdf", encrypted_pdf())},
    )
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["type"] == "urn:codi:documents:encrypted"
    assert "ถูกเข้ารหัส" in body["detail"] and "encrypted" in body["detail_en"]
    assert not DocumentVersion.objects.exists()


def test_detail_matrix(matrix, make_document):
    version = make_document()
    matrix.check(
        lambda c: c.get(f"{API}/documents/{version.document_id}"),
        **_users(matrix),
        allowed_ok=lambda r: (
            r.json()["versions"][0]["status"] == "indexed" and r.json()["area_code"] == "400104"
        ),
    )


def test_update_matrix(matrix, make_document):
    version = make_document()
    users = _users(matrix)
    users["wrong_role"] = matrix.user("data_protection_officer", "country")  # reads, may not change
    body = {"title": "ชื่อใหม่", "classification": "public", "area_code": "400104", "doc_type": "memo"}

    matrix.check(
        lambda c: c.put(
            f"{API}/documents/{version.document_id}", json.dumps(body), content_type="application/json"
        ),
        **users,
        allowed_ok=lambda r: r.status_code == 200 and r.json()["title"] == "ชื่อใหม่",
    )


def test_update_refuses_a_class_the_actor_could_not_open(matrix, make_document):
    officer = matrix.user("project_officer", "province", "40")
    version = make_document(actor=officer)
    body = {"title": "ชื่อเดิม", "classification": "confidential", "area_code": "400104"}

    response = signed_in_client(officer).put(
        f"{API}/documents/{version.document_id}", json.dumps(body), content_type="application/json"
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "classification"
    assert Document.objects.get(pk=version.document_id).classification == "internal"


def test_readers_matrix(matrix, make_document):
    version = make_document()
    reader = matrix.user("hr_officer", "province", "10")
    matrix.check(
        lambda c: c.put(
            f"{API}/documents/{version.document_id}/readers",
            json.dumps({"user_ids": [reader.pk]}),
            content_type="application/json",
        ),
        **_users(matrix),
        allowed_ok=lambda r: r.json()["reader_ids"] == [reader.pk],
    )


def test_version_matrix(matrix, make_document):
    version = make_document()
    matrix.check(
        lambda c: c.post(
            f"{API}/documents/{version.document_id}/versions",
            {"file": SimpleUploadedFile("v2.docx", docx_bytes(["ฉบับที่สอง"]))},
        ),
        **_users(matrix),
        allowed_ok=lambda r: r.status_code == 201 and r.json()["number"] == 2,
    )


def test_text_and_file_matrix(matrix, make_document):
    version = make_document()
    matrix.check(
        lambda c: c.get(f"{API}/documents/{version.document_id}/versions/1/text"),
        **_users(matrix),
        allowed_ok=lambda r: "สะพานไม้ไผ่" in r.json()["text"],
    )
    matrix.check(
        lambda c: c.get(f"{API}/documents/{version.document_id}/versions/1/file"),
        **_users(matrix),
        allowed_ok=lambda r: b"".join(r.streaming_content).startswith(b"%PDF"),
    )
