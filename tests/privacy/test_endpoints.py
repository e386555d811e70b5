"""Permission matrix for every page and API endpoint of the PDPA module; the public notice pages."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.utils import timezone

from codi.privacy import services
from codi.privacy.models import Breach, DataSubjectRequest
from codi.web.templatetags.codi_labels import retention_rule_name
from tests.permissions import Matrix, signed_in_client
from tests.privacy.conftest import NATIONAL_ID

pytestmark = pytest.mark.django_db
API = "/api/v1/privacy"


@pytest.fixture
def users(matrix: Matrix):
    return {
        "allowed": matrix.user("data_protection_officer", "country"),
        "wrong_role": matrix.user("project_officer", "country"),
        "out_of_scope": matrix.user("data_protection_officer", "province", "40"),
    }


@pytest.fixture
def objects(seeded, dpo):
    request = services.dsr_create(
        actor=dpo, kind="access", national_id=NATIONAL_ID, requester_name="ผู้ขอ", channel="web"
    )
    breach = services.breach_record(actor=dpo, title="t", description="d", discovered_at=timezone.now())
    services.notice_publish(
        actor=dpo, purpose="newsletter", title_th="ข่าวสาร", title_en="News", body_th="ไทย", body_en="English"
    )
    return {"request": request, "breach": breach}


PAGES = [
    ("get", "/privacy/", {}),
    ("get", "/privacy/notices/manage/", {}),
    ("get", "/privacy/consents/?national_id=" + NATIONAL_ID, {}),
    ("get", "/privacy/requests/", {}),
    ("get", "/privacy/requests/{request}/", {}),
    ("post", "/privacy/requests/{request}/action/", {"action": "extend", "days": "1", "reason": "r"}),
    ("get", "/privacy/breaches/", {}),
    ("get", "/privacy/breaches/{breach}/", {}),
    (
        "post",
        "/privacy/breaches/{breach}/action/",
        {"action": "assess", "risk_level": "risk", "assessment": "a"},
    ),
    ("get", "/privacy/register/", {}),
    ("get", "/privacy/register.xlsx", {}),
    ("get", "/privacy/retention/", {}),
    ("post", "/privacy/retention/", {"action": "dry_run"}),
]


@pytest.mark.parametrize(("method", "path", "data"), PAGES, ids=[f"{m} {p}" for m, p, _ in PAGES])
def test_page_permission_matrix(matrix: Matrix, users, objects, method, path, data):
    url = path.format(request=objects["request"].pk, breach=objects["breach"].pk)
    matrix.check(
        lambda client: getattr(client, method)(url, data),
        allowed=users["allowed"],
        wrong_role=users["wrong_role"],
        out_of_scope=users["out_of_scope"],
        allowed_ok=lambda r: r.status_code in (200, 302),
    )


def _json(client, method, url, body=None):
    if method == "get":
        return client.get(url)
    return client.post(url, json.dumps(body or {}), content_type="application/json")


APIS = [
    ("get", "/dashboard", None),
    ("get", "/requests", None),
    (
        "post",
        "/requests",
        {"kind": "erasure", "national_id": NATIONAL_ID, "requester_name": "x", "channel": "web"},
    ),
    ("get", "/requests/{request}", None),
    ("post", "/requests/{request}/extend", {"days": 2, "reason": "r"}),
    ("get", "/consents?national_id=" + NATIONAL_ID, None),
    ("get", "/breaches", None),
    (
        "post",
        "/breaches",
        {
            "title": "t",
            "description": "d",
            "discovered_at": "2026-11-29T08:00:00+07:00",
            "affected_records": 3,
        },
    ),
]


@pytest.mark.parametrize(("method", "path", "body"), APIS, ids=[f"{m} {p}" for m, p, _ in APIS])
def test_api_permission_matrix(matrix: Matrix, users, objects, method, path, body):
    url = API + path.format(request=objects["request"].pk, breach=objects["breach"].pk)
    matrix.check(
        lambda client: _json(client, method, url, body),
        allowed=users["allowed"],
        wrong_role=users["wrong_role"],
        out_of_scope=users["out_of_scope"],
    )


def test_api_verify_then_access_and_consent_flow(matrix: Matrix, users, objects):
    # permission matrix for the endpoints that change a request's state (each kind of user once)
    url = f"{API}/requests/{objects['request'].pk}"
    for user in (users["wrong_role"], users["out_of_scope"]):
        client = signed_in_client(user)
        assert _json(client, "post", url + "/verify", {"method": "m"}).status_code == 403
        assert _json(client, "post", url + "/access").status_code == 403
        assert (
            _json(
                client,
                "post",
                f"{API}/consents/withdraw",
                {"national_id": NATIONAL_ID, "purpose": "newsletter", "channel": "web"},
            ).status_code
            == 403
        )
    assert _json(Client(), "post", url + "/access").status_code == 401
    dpo = signed_in_client(users["allowed"])
    early = _json(dpo, "post", url + "/access")
    assert early.status_code == 422
    assert "identity must be verified" in json.dumps(early.json()["errors"], ensure_ascii=False)
    assert _json(dpo, "post", url + "/verify", {"method": "บัตรประชาชน"}).json()["status"] == "verified"
    export = _json(dpo, "post", url + "/access").json()
    assert export["counts"]["communities.Person"] == 1
    give = {"national_id": NATIONAL_ID, "purpose": "newsletter", "channel": "web", "evidence_text": "ฟอร์ม 1"}
    assert _json(dpo, "post", f"{API}/consents", give).status_code == 201
    withdraw = {"national_id": NATIONAL_ID, "purpose": "newsletter", "channel": "web"}
    assert _json(dpo, "post", f"{API}/consents/withdraw", withdraw).status_code == 200
    again = _json(dpo, "post", f"{API}/consents/withdraw", withdraw)
    assert again.status_code == 422
    assert again["content-type"].startswith("application/problem+json")


def test_api_unknown_person_is_a_clear_refusal(users, objects):
    dpo = signed_in_client(users["allowed"])
    before = DataSubjectRequest.objects.count()
    body = {"kind": "access", "national_id": "1101700207366", "requester_name": "x", "channel": "web"}
    response = _json(dpo, "post", f"{API}/requests", body)
    assert response.status_code == 422
    assert "No person with this national ID" in json.dumps(response.json(), ensure_ascii=False)
    assert DataSubjectRequest.objects.count() == before


def test_public_notice_pages_and_api_need_no_sign_in(objects):
    client = Client()
    assert "ข่าวสาร" in client.get("/privacy/notices/").content.decode()
    page = client.get("/privacy/notices/newsletter/").content.decode()
    assert "English" in page and "ไทย" in page
    assert client.get("/privacy/notices/nosuch/").status_code == 404
    assert [n["version"] for n in client.get(f"{API}/notices").json()] == [1]


def test_lists_keep_a_fixed_number_of_queries(users, objects, django_assert_max_num_queries, dpo):
    for _ in range(5):
        services.breach_record(actor=dpo, title="t", description="d", discovered_at=timezone.now())
    client = signed_in_client(users["allowed"])
    with django_assert_max_num_queries(15):
        assert client.get("/privacy/breaches/").status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get("/privacy/requests/?status=").status_code == 200
    assert Breach.objects.count() == 6


def test_pages_take_an_erasure_from_preview_to_done_and_an_access_to_pdf(users, seeded, dpo):
    client = signed_in_client(users["allowed"])
    client.post(
        "/privacy/requests/",
        {"kind": "erasure", "national_id": NATIONAL_ID, "requester_name": "x", "channel": "web"},
    )
    erasure = DataSubjectRequest.objects.get(kind="erasure")
    action = f"/privacy/requests/{erasure.pk}/action/"
    client.post(action, {"action": "verify", "method": "ตรวจบัตรตัวจริง"})
    preview = client.post(action, {"action": "erase_preview"}).content.decode()
    # the rule is shown by its Thai name ("audit_log" → บันทึกการตรวจสอบ)
    assert (
        f"communities.Person #{seeded.person.pk}" in preview and retention_rule_name("audit_log") in preview
    )
    assert client.post(action, {"action": "erase"}).status_code == 302
    erasure.refresh_from_db()
    assert erasure.status == "completed" and "audit_log" in erasure.result["rules"]


def test_access_answered_as_pdf_and_json_from_the_page(users, seeded, dpo):
    request = services.dsr_create(
        actor=dpo, kind="access", national_id=NATIONAL_ID, requester_name="y", channel="web"
    )
    services.dsr_verify_identity(actor=dpo, request=request, method="ThaID")
    client = signed_in_client(users["allowed"])
    action = f"/privacy/requests/{request.pk}/action/"
    pdf = client.post(action, {"action": "access_pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
    data = json.loads(client.post(action, {"action": "access_json"}).content)
    assert (
        data["sources"]["communities"]["communities.Person"][0]["first_name_th"]
        == seeded.person.first_name_th
    )
