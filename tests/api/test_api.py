"""The API: permission matrix per endpoint, API keys, problem+json errors, the committed schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client

from codi.api.main import api
from codi.communities.models import Organization
from codi.identity import services
from codi.identity.models import ApiKey
from tests.factories import OrganizationFactory, UserFactory
from tests.permissions import Matrix, signed_in_client

pytestmark = pytest.mark.django_db
SCHEMA_FILE = Path(__file__).resolve().parents[2] / "src" / "codi" / "api" / "openapi.json"


def _ids(response) -> set[int]:
    return {item["id"] for item in response.json()["items"]} if response.status_code == 200 else set()


# --- permission matrix: one test per endpoint -------------------------------------------


def test_me_matrix(matrix: Matrix):
    matrix.check(
        lambda c: c.get("/api/v1/identity/me"),
        allowed=matrix.user("project_officer", "province", "40"),
        wrong_role=None,  # every signed-in user may ask who they are
        out_of_scope=None,
    )


@pytest.mark.parametrize(
    "path", ["/api/v1/areas/regions", "/api/v1/areas/provinces", "/api/v1/areas/subdistricts?district=4001"]
)
def test_area_reference_data_matrix(matrix: Matrix, path):
    # Areas are public reference data: any signed-in user reads them; anonymous is refused.
    matrix.check(
        lambda c: c.get(path),
        allowed=matrix.user("community_leader", "subdistrict", "400104"),
        wrong_role=None,
        out_of_scope=None,
    )


def test_organization_list_matrix(matrix: Matrix):
    org = OrganizationFactory(subdistrict_id="400104")
    matrix.check(
        lambda c: c.get("/api/v1/communities/organizations"),
        allowed=matrix.user("project_officer", "province", "40"),
        wrong_role=matrix.user("hr_officer", "country"),
        out_of_scope=matrix.user("project_officer", "province", "10"),
        allowed_ok=lambda r: org.pk in _ids(r),
        refused=lambda r: org.pk not in _ids(r),
    )


def test_organization_detail_matrix(matrix: Matrix):
    org = OrganizationFactory(subdistrict_id="400104")
    matrix.check(
        lambda c: c.get(f"/api/v1/communities/organizations/{org.pk}"),
        allowed=matrix.user("community_leader", "subdistrict", "400104"),
        wrong_role=matrix.user("knowledge_officer", "country"),
        out_of_scope=matrix.user("community_leader", "subdistrict", "400101"),
    )


def test_organization_create_matrix(matrix: Matrix):
    body = {"name_th": "กลุ่มออมทรัพย์บ้านเป็ด", "org_type": "savings_group", "subdistrict_code": "400104"}
    matrix.check(
        lambda c: c.post("/api/v1/communities/organizations", body, content_type="application/json"),
        allowed=matrix.user("project_officer", "district", "4001"),
        wrong_role=matrix.user("executive", "country"),
        out_of_scope=matrix.user("project_officer", "province", "50"),
    )
    assert Organization.objects.filter(name_th="กลุ่มออมทรัพย์บ้านเป็ด").count() == 1


# --- behaviour ------------------------------------------------------------------------------


def test_organization_list_is_paginated_and_filtered():
    OrganizationFactory.create_batch(3, subdistrict_id="400104")
    OrganizationFactory.create_batch(2, subdistrict_id="100101")
    client = signed_in_client(Matrix().user("executive", "country"))
    page = client.get("/api/v1/communities/organizations?page_size=2&page=1").json()
    assert (page["count"], page["page"], page["page_size"], len(page["items"])) == (5, 1, 2, 2)
    assert client.get("/api/v1/communities/organizations?province=10").json()["count"] == 2
    assert client.get("/api/v1/communities/organizations?subdistrict=400104").json()["count"] == 3


def test_organization_list_query_count_does_not_grow_with_rows(django_assert_max_num_queries):
    OrganizationFactory.create_batch(40, subdistrict_id="400104")
    client = signed_in_client(Matrix().user("project_officer", "region", "northeast"))
    client.get("/api/v1/communities/organizations")  # warm the session
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/communities/organizations?page_size=40")
    assert len(response.json()["items"]) == 40


def test_create_validates_with_field_errors_in_problem_json():
    client = signed_in_client(Matrix().user("project_officer", "country"))
    response = client.post(
        "/api/v1/communities/organizations",
        {"name_th": "", "org_type": "spaceship", "subdistrict_code": "12"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["title"] == "ข้อมูลไม่ผ่านการตรวจสอบ" and body["title_en"] == "Validation failed"
    fields = {e["field"] for e in body["errors"]}
    assert {"body.payload.name_th", "body.payload.org_type", "body.payload.subdistrict_code"} <= fields


def test_unknown_subdistrict_is_a_validation_error_not_a_crash():
    client = signed_in_client(Matrix().user("project_officer", "country"))
    response = client.post(
        "/api/v1/communities/organizations",
        {"name_th": "กลุ่ม", "org_type": "other", "subdistrict_code": "999999"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "subdistrict_code"


def test_malformed_json_is_400_problem_json():
    client = signed_in_client(Matrix().user("project_officer", "country"))
    response = client.post("/api/v1/communities/organizations", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_oversized_request_is_413(settings):
    settings.MAX_REQUEST_BYTES = 1024
    client = signed_in_client(Matrix().user("project_officer", "country"))
    response = client.post(
        "/api/v1/communities/organizations", {"name_th": "ก" * 2000}, content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json()["title_en"] == "Request too large"


def test_unknown_object_is_404_problem_json():
    client = signed_in_client(Matrix().user("project_officer", "country"))
    response = client.get("/api/v1/communities/organizations/987654")
    assert response.status_code == 404
    assert response.json()["title"] == "ไม่พบข้อมูล"


def test_anonymous_gets_401_problem_json_with_thai_and_english():
    response = Client(HTTP_HOST="127.0.0.1").get("/api/v1/identity/me")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert (body["status"], body["title"], body["title_en"]) == (
        401,
        "กรุณาเข้าสู่ระบบ",
        "Authentication required",
    )


def test_session_writes_need_the_csrf_token():
    user = Matrix().user("project_officer", "country")
    client = signed_in_client(user, enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/communities/organizations",
        {"name_th": "กลุ่ม", "org_type": "other", "subdistrict_code": "400104"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


# --- API keys ---------------------------------------------------------------------------------


def _partner_key(**kwargs) -> tuple[ApiKey, str]:
    partner = Matrix().user("partner_agency", "province", "40")
    return services.api_key_create(actor=None, user=partner, name="อบจ.ขอนแก่น", **kwargs)


def test_api_key_is_stored_hashed_and_works_in_its_scope():
    key, raw = _partner_key()
    inside = OrganizationFactory(subdistrict_id="400104")
    outside = OrganizationFactory(subdistrict_id="100101")
    assert raw not in key.key_hash and len(key.key_hash) == 64
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_API_KEY=raw)
    ids = _ids(client.get("/api/v1/communities/organizations"))
    assert inside.pk in ids and outside.pk not in ids
    assert client.get(f"/api/v1/communities/organizations/{outside.pk}").status_code == 404


def test_partner_key_cannot_write():
    _, raw = _partner_key()
    response = Client(HTTP_HOST="127.0.0.1", HTTP_X_API_KEY=raw).post(
        "/api/v1/communities/organizations",
        {"name_th": "กลุ่ม", "org_type": "other", "subdistrict_code": "400104"},
        content_type="application/json",
    )
    assert response.status_code == 403


@pytest.mark.parametrize("raw", ["codi_deadbeef_nottherealkey", "garbage", ""])
def test_wrong_api_keys_get_401(raw):
    response = Client(HTTP_HOST="127.0.0.1", HTTP_X_API_KEY=raw).get("/api/v1/identity/me")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_revoked_api_key_gets_401():
    key, raw = _partner_key()
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_API_KEY=raw)
    assert client.get("/api/v1/identity/me").status_code == 200
    services.api_key_revoke(actor=None, key=key)
    assert client.get("/api/v1/identity/me").status_code == 401


def test_api_key_rate_limit_gives_429_with_retry_after():
    cache.clear()
    _, raw = _partner_key(rate_limit_per_minute=3)
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_API_KEY=raw)
    statuses = [client.get("/api/v1/identity/me").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/identity/me")
    assert 0 < int(response["Retry-After"]) <= 60
    assert response.json()["title_en"] == "Too many requests"


# --- the committed OpenAPI schema ----------------------------------------------------------


def test_openapi_schema_matches_the_committed_file():
    current = api.get_openapi_schema()
    committed = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert json.loads(json.dumps(current, sort_keys=True)) == committed, (
        "The API changed: run `make openapi` and commit src/codi/api/openapi.json"
    )


def test_openapi_and_docs_are_served():
    client = Client(HTTP_HOST="127.0.0.1")
    assert client.get("/api/openapi.json").json()["info"]["title"] == "CODI Digital Platform API"
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert "cdn" not in docs.content.decode().lower()


def test_users_are_not_leaked_through_unrelated_accounts():
    other = UserFactory()
    me = signed_in_client(Matrix().user("project_officer", "country")).get("/api/v1/identity/me").json()
    assert me["username"] != other.username


def test_schema_names_are_unique_across_modules():
    # The OpenAPI document keys schemas by class name: two modules with an "IndicatorOut" each
    # silently share one definition, and one module's responses are then documented wrongly.
    import importlib
    import inspect
    import pkgutil

    from ninja import Schema

    import codi

    owners: dict[str, list[str]] = {}
    for module_info in pkgutil.iter_modules(codi.__path__):
        try:
            module = importlib.import_module(f"codi.{module_info.name}.api")
        except ModuleNotFoundError:
            continue
        for name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, Schema) and value.__module__ == module.__name__:
                owners.setdefault(name, []).append(module.__name__)
    assert {name: mods for name, mods in owners.items() if len(mods) > 1} == {}
