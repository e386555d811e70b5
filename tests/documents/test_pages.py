"""Every document page: permission matrix (anonymous, wrong role, out of scope, allowed), and what it shows."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from codi.documents.models import Document, DocumentVersion, Status
from tests.documents.conftest import digital_pdf, docx_bytes
from tests.permissions import Matrix, signed_in_client


def _users(matrix: Matrix):
    return {
        "allowed": matrix.user("project_officer", "province", "40"),
        "wrong_role": matrix.user("community_leader", "country"),
        "out_of_scope": matrix.user("project_officer", "province", "10"),
    }


def test_list_page_matrix(matrix, make_document, django_assert_max_num_queries):
    version = make_document(title="บันทึกท่าพระ")
    url = f"/documents/{version.document_id}/"

    matrix.check(
        lambda c: c.get("/documents/"),
        **_users(matrix),
        refused=lambda r: r.status_code == 403 or url not in r.content.decode(),
        allowed_ok=lambda r: r.status_code == 200 and url in r.content.decode(),
    )
    for _ in range(5):
        make_document()
    client = signed_in_client(matrix.user("project_officer", "country"))
    with django_assert_max_num_queries(20):
        assert client.get("/documents/").status_code == 200


def test_list_search_shows_highlighted_snippets(matrix, make_document):
    version = make_document(title="บันทึกท่าพระ")
    client = signed_in_client(matrix.user("project_officer", "province", "40"))

    html = client.get("/documents/", {"q": "สะพานไม้ไผ่"}).content.decode()

    assert f"/documents/{version.document_id}/" in html
    assert "<mark>สะพานไม้ไผ่</mark>" in html


def test_export_matrix(matrix, make_document):
    version = make_document(title="บันทึกท่าพระ")

    def exported_titles(response) -> list[str]:
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(response.getvalue())).active
        return [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]

    matrix.check(
        lambda c: c.get("/documents/export.xlsx"),
        **_users(matrix),
        refused=lambda r: r.status_code == 403 or exported_titles(r) == [],
        allowed_ok=lambda r: exported_titles(r) == [Document.objects.get(pk=version.document_id).title],
    )


def test_upload_page_matrix(db, matrix, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

    def upload(client):
        return client.post(
            "/documents/new/",
            {
                "title": "หนังสือขอบคุณ",
                "doc_type": "letter",
                "classification": "internal",
                "area_code": "400104",
                "retention_years": "10",
                "file": SimpleUploadedFile("a.pdf", digital_pdf()),
            },
        )

    matrix.check(
        upload,
        **_users(matrix),
        refused=lambda r: r.status_code == 403 or r.status_code == 200,  # 200: the form again, with an error
        allowed_ok=lambda r: r.status_code == 302,
    )
    assert Document.objects.count() == 1
    assert DocumentVersion.objects.get().uploaded_by.role_assignments.get().scope_code == "40"


def test_upload_page_refuses_a_fake_pdf_with_a_clear_message(db, matrix):
    client = signed_in_client(matrix.user("project_officer", "province", "40"))
    response = client.post(
        "/documents/new/",
        {
            "title": "ไฟล์ปลอม",
            "doc_type": "letter",
            "classification": "internal",
            "area_code": "400104",
            "retention_years": "10",
            "file": SimpleUploadedFile("fake.pdf", b"I am a text file"),
        },
    )
    assert response.status_code == 200
    assert "ไม่รับไฟล์ประเภทนี้" in response.content.decode()
    assert not Document.objects.exists()


def test_detail_page_matrix(matrix, make_document):
    version = make_document(title="บันทึกท่าพระ")
    matrix.check(
        lambda c: c.get(f"/documents/{version.document_id}/"),
        **_users(matrix),
        allowed_ok=lambda r: (
            r.status_code == 200
            and "งบประมาณสะพานไม้ไผ่" in r.content.decode()
            and str(Status.INDEXED.label) in r.content.decode()
        ),
    )


def test_detail_page_refreshes_while_processing(matrix, make_document):
    version = make_document(process=False)
    client = signed_in_client(matrix.user("project_officer", "province", "40"))
    html = client.get(f"/documents/{version.document_id}/").content.decode()
    assert 'http-equiv="refresh"' in html
    assert str(Status.QUEUED.label) in html


def test_edit_page_matrix(matrix, make_document):
    version = make_document()
    users = _users(matrix)
    # A reader who may not manage: the executive sees the document but may not edit it.
    users["wrong_role"] = matrix.user("executive", "country")

    def edit(client):
        return client.post(
            f"/documents/{version.document_id}/edit/",
            {
                "title": "ชื่อใหม่",
                "doc_type": "memo",
                "classification": "internal",
                "area_code": "400104",
                "retention_years": "5",
            },
        )

    matrix.check(edit, **users, allowed_ok=lambda r: r.status_code == 302)
    assert Document.objects.get(pk=version.document_id).title == "ชื่อใหม่"


def test_new_version_matrix(matrix, make_document):
    version = make_document()

    def upload(client):
        return client.post(
            f"/documents/{version.document_id}/versions/",
            {"file": SimpleUploadedFile("v2.docx", docx_bytes(["ฉบับที่สอง"]))},
        )

    matrix.check(upload, **_users(matrix), allowed_ok=lambda r: r.status_code == 302)
    assert sorted(DocumentVersion.objects.values_list("number", flat=True)) == [1, 2]


def test_readers_matrix(matrix, make_document):
    version = make_document()
    reader = matrix.user("hr_officer", "province", "10")

    matrix.check(
        lambda c: c.post(f"/documents/{version.document_id}/readers/", {"usernames": reader.username}),
        **_users(matrix),
        allowed_ok=lambda r: r.status_code == 302,
    )
    assert list(Document.objects.get(pk=version.document_id).readers.all()) == [reader]


def test_file_and_thumbnail_matrix(matrix, make_document):
    version = make_document()
    for suffix, check in (
        ("file", lambda r: r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")),
        (
            "thumbnail.png",
            lambda r: r.status_code == 200 and b"".join(r.streaming_content).startswith(b"\x89PNG"),
        ),
    ):
        matrix.check(
            lambda c, suffix=suffix: c.get(f"/documents/{version.document_id}/v1/{suffix}"),
            **_users(matrix),
            allowed_ok=check,
        )


def test_retry_matrix(matrix, make_document):
    version = make_document(process=False)
    DocumentVersion.objects.filter(pk=version.pk).update(status=Status.FAILED, status_reason="x")

    matrix.check(
        lambda c: c.post(f"/documents/{version.document_id}/v1/retry/"),
        **_users(matrix),
        allowed_ok=lambda r: r.status_code == 302,
    )
    assert DocumentVersion.objects.get(pk=version.pk).status == Status.QUEUED
