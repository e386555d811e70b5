"""The CKAN Action API through the Django test client: envelope, status codes, bad input, visibility."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codi.opendata import services
from tests.factories import OrganizationFactory
from tests.opendata.conftest import record_builder

pytestmark = pytest.mark.django_db
BASE = "/opendata/api/3/action/"


@pytest.fixture
def published(register_builder):
    register_builder(record_builder("records-ok", n=60))
    return services.dataset_publish(actor=None, name="records-ok")


def _post(action: str, body: object) -> tuple[int, dict]:
    response = Client().post(BASE + action, data=json.dumps(body), content_type="application/json")
    return response.status_code, response.json()


def test_package_list_and_show_use_the_ckan_envelope(published):
    response = Client().get("/opendata/api/action/package_list")
    assert response.status_code == 200
    body = response.json()
    assert body["success"] is True
    assert body["result"] == ["records-ok"]
    assert body["help"].endswith("/opendata/api/action/help_show?name=package_list")
    status, shown = _post("package_show", {"id": "records-ok"})
    package = shown["result"]
    assert status == 200
    assert package["id"] == str(published.dataset.ckan_id)
    assert package["title"] == "ข้อมูลระเบียนทดสอบ records-ok"
    assert package["organization"]["name"] == "codi"
    assert package["license_id"] == "cc-by-4.0"
    assert package["data_type"] == "ข้อมูลระเบียน"
    assert package["update_frequency_unit"] == "ปี"
    assert package["geo_coverage"] == "ประเทศไทย"
    assert package["allow_harvest"] == "yes"
    assert package["tags"] == [{"name": "ทดสอบ", "display_name": "ทดสอบ"}]
    assert [r["id"] for r in package["resources"]] == [str(published.resource.ckan_id)]
    assert package["resources"][0]["datastore_active"] is True


def test_package_show_by_ckan_id_and_a_missing_package(published):
    status, body = _post("package_show", {"id": str(published.dataset.ckan_id)})
    assert (status, body["result"]["name"]) == (200, "records-ok")
    status, body = _post("package_show", {"id": "nothing-here"})
    assert status == 404
    assert body["success"] is False
    assert body["error"] == {"__type": "Not Found Error", "message": "Not found"}


def test_package_search_q_fq_rows_start(published):
    OrganizationFactory()
    services.dataset_publish(actor=None, name="organizations-by-subdistrict-type")
    _, everything = _post("package_search", {"rows": 1, "start": 1})
    assert everything["result"]["count"] == 2
    assert [p["name"] for p in everything["result"]["results"]] == ["records-ok"]
    _, found = _post("package_search", {"q": "องค์กรชุมชน"})
    assert [p["name"] for p in found["result"]["results"]] == ["organizations-by-subdistrict-type"]
    _, filtered = _post("package_search", {"fq": 'tags:"ทดสอบ" organization:codi'})
    assert [p["name"] for p in filtered["result"]["results"]] == ["records-ok"]
    status, bad = _post("package_search", {"fq": "secret_field:x"})
    assert status == 409
    assert bad["error"]["__type"] == "Validation Error"
    assert 'fq field "secret_field"' in bad["error"]["message"]
    status, bad = _post("package_search", {"rows": 5000})
    assert (status, bad["error"]["__type"]) == (409, "Validation Error")


def test_organization_list_and_resource_show(published):
    response = Client().get(BASE + "organization_list")
    assert response.json()["result"] == ["codi"]
    response = Client().get(BASE + "resource_show", {"id": str(published.resource.ckan_id)})
    resource = response.json()["result"]
    assert resource["package_id"] == str(published.dataset.ckan_id)
    assert resource["url"].endswith(
        f"/opendata/dataset/records-ok/resource/{published.resource.ckan_id}/download.csv"
    )
    assert Client().get(BASE + "resource_show", {"id": "not-a-uuid"}).status_code == 404


def test_datastore_search_filters_q_fields_sort_and_paging(published):
    resource_id = str(published.resource.ckan_id)
    status, body = _post(
        "datastore_search",
        {
            "resource_id": resource_id,
            "filters": {"province": "ขอนแก่น", "gender": ["ชาย", "หญิง"]},
            "q": "ข้อความ",
            "fields": ["province", "household_size"],
            "sort": "household_size desc",
            "limit": 3,
            "offset": 1,
        },
    )
    result = body["result"]
    assert status == 200
    assert result["total"] == 20
    assert [f["id"] for f in result["fields"]] == ["province", "household_size"]
    assert result["records"] == [
        {"province": "ขอนแก่น", "household_size": 6},
        {"province": "ขอนแก่น", "household_size": 6},
        {"province": "ขอนแก่น", "household_size": 5},
    ]
    assert result["_links"]["next"].startswith("/opendata/api/3/action/datastore_search?")
    assert "offset=4" in result["_links"]["next"]


def test_datastore_search_over_get_takes_filters_as_json_text(published):
    response = Client().get(
        BASE + "datastore_search",
        {
            "resource_id": str(published.resource.ckan_id),
            "filters": json.dumps({"household_size": 3}),
            "limit": "2",
        },
    )
    result = response.json()["result"]
    assert result["total"] == 9
    assert [r["_id"] for r in result["records"]] == [4, 11]
    assert result["fields"][0] == {"id": "_id", "type": "int"}


def test_datastore_search_filters_on_the_row_id(published):
    status, body = _post(
        "datastore_search", {"resource_id": str(published.resource.ckan_id), "filters": {"_id": [3, 5]}}
    )
    assert status == 200
    assert [r["_id"] for r in body["result"]["records"]] == [3, 5]


def test_datastore_q_matches_whole_thai_words_from_their_start(published):
    resource_id = str(published.resource.ckan_id)
    totals = [
        _post("datastore_search", {"resource_id": resource_id, "q": q, "limit": 0})[1]["result"]["total"]
        for q in ["ขอนแก่", "ขอนแก่น", "แก่น", "กรุงเทพ"]
    ]
    assert totals == [20, 20, 0, 20]


def test_datastore_q_matches_thai_word_prefixes(published):
    status, body = _post(
        "datastore_search", {"resource_id": str(published.resource.ckan_id), "q": "เชียง 1980"}
    )
    assert status == 200
    assert body["result"]["total"] == 20


@pytest.mark.parametrize(
    ("arguments", "field", "message"),
    [
        ({"filters": {"national_id": "1"}}, "filters", 'field "national_id" not in resource'),
        ({"fields": ["province", "secret"]}, "fields", 'field "secret" not in resource'),
        ({"fields": "province,secret"}, "fields", 'field "secret" not in resource'),
        ({"sort": "secret desc"}, "sort", 'field "secret" not in resource'),
        ({"sort": "province sideways"}, "sort", "sort term 'province sideways' is not 'field [asc|desc]'"),
        (
            {"sort": "province; DROP TABLE x"},
            "sort",
            "sort term 'province; DROP TABLE x' is not 'field [asc|desc]'",
        ),
        ({"limit": 1_000_000}, "limit", "limit must be at most 32000, not 1000000"),
        ({"limit": 10**30}, "limit", f"limit must be at most 32000, not {10**30}"),
        ({"limit": -1}, "limit", "limit must not be negative"),
        ({"limit": "lots"}, "limit", "limit must be a whole number, not 'lots'"),
        ({"offset": -5}, "offset", "offset must not be negative"),
        ({"filters": "{not json"}, "filters", "filters is not a JSON object"),
        ({"filters": ["province"]}, "filters", "filters must be a JSON object of field: value"),
        (
            {"filters": {"household_size": "many"}},
            "filters",
            "field \"household_size\" needs a whole number, not 'many'",
        ),
        (
            {"filters": {"household_size": 10**40}},
            "filters",
            f'field "household_size": {10**40} is out of range',
        ),
        ({"q": {"province": "x"}}, "q", "q must be text (searching single fields is not supported)"),
    ],
)
def test_bad_datastore_search_input_is_a_validation_error_naming_the_argument(
    published, arguments, field, message
):
    status, body = _post("datastore_search", {"resource_id": str(published.resource.ckan_id), **arguments})
    assert status == 409
    assert body["success"] is False
    assert body["error"]["__type"] == "Validation Error"
    assert body["error"][field] == [message]
    assert body["error"]["message"] == f"{field}: {message}"


def test_nul_characters_are_refused_before_the_action_runs(published):
    # core's RequestSizeLimitMiddleware refuses NUL (PostgreSQL text cannot hold it) for every endpoint
    status, body = _post("package_show", {"id": "a\x00b"})
    assert (status, body["title_en"]) == (400, "Bad request")
    status, _ = _post("datastore_search", {"resource_id": str(published.resource.ckan_id), "q": "\x00"})
    assert status == 400


def test_datastore_search_for_a_missing_resource_is_not_found():
    status, body = _post("datastore_search", {"resource_id": "7d0b7b4e-0000-0000-0000-000000000000"})
    assert (status, body["error"]["__type"]) == (404, "Not Found Error")
    status, body = _post("datastore_search", {})
    assert (status, body["error"]["resource_id"]) == (409, ["resource_id is required"])


def test_unreadable_requests_and_unknown_actions_are_bad_requests():
    response = Client().post(BASE + "package_list", data="{broken", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["success"] is False
    response = Client().get(BASE + "package_delete")
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "Bad request - Action name not known: package_delete"


def test_post_needs_no_csrf_token(published):
    client = Client(enforce_csrf_checks=True)
    response = client.post(BASE + "package_list", data="{}", content_type="application/json")
    assert response.status_code == 200


def test_help_show_documents_an_action():
    response = Client().get(BASE + "help_show", {"name": "datastore_search"})
    assert response.json()["result"].startswith("Rows of a resource: resource_id, filters")
    assert Client().get(BASE + "help_show", {"name": "package_delete"}).status_code == 404


_text = st.text(alphabet=st.characters(blacklist_characters="\x00"), max_size=20)
_json_leaf = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _text
_json = st.recursive(
    _json_leaf,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=8,
)
_field_names = st.sampled_from(
    ["province", "gender", "household_size", "_id", "secret", "", "province desc", "x;--"]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    arguments=st.fixed_dictionaries(
        {},
        optional={
            "filters": st.dictionaries(_field_names, _json, max_size=3) | _json,
            "fields": st.lists(_field_names, max_size=3) | _json,
            "sort": _field_names | _json,
            "q": _text | _json,
            "limit": st.integers() | _json,
            "offset": st.integers() | _json,
        },
    )
)
def test_any_datastore_search_input_is_answered_or_refused_never_a_crash(published, arguments):
    status, body = _post("datastore_search", {"resource_id": str(published.resource.ckan_id), **arguments})
    assert status in {200, 409}, body
    assert body["success"] is (status == 200)
    if status == 409:
        assert body["error"]["__type"] == "Validation Error"
