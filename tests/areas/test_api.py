"""The areas API: a permission-matrix test per endpoint, then behaviour (filters, ETag, gzip, resolve)."""

from __future__ import annotations

import gzip
import json

import pytest
from django.test import Client

from codi.areas.models import Province
from codi.areas.selectors import area_geojson_cache_clear
from codi.core.models import AuditEntry
from tests.permissions import Matrix, signed_in_client

pytestmark = pytest.mark.django_db

READ_PATHS = [
    "/api/v1/areas/regions",
    "/api/v1/areas/provinces?region=northeast",
    "/api/v1/areas/districts?province=40",
    "/api/v1/areas/subdistricts?postal_code=40260",
    "/api/v1/areas/400104",
    "/api/v1/areas/resolve/104701",
    "/api/v1/areas/search?q=%E0%B8%9A%E0%B8%B2%E0%B8%87%E0%B8%81",  # บางก
    "/api/v1/areas/geojson/province",
    "/api/v1/areas/geojson/subdistrict?province=40",
    "/api/v1/areas/indicators",
    "/api/v1/areas/point-layers",
]


def _leader(matrix: Matrix):
    return matrix.user("community_leader", "subdistrict", "400104")


# --- permission matrix: areas are reference data for every signed-in user ----------------------


@pytest.mark.parametrize("path", READ_PATHS)
def test_area_reads_matrix(matrix: Matrix, path):
    matrix.check(lambda c: c.get(path), allowed=_leader(matrix), wrong_role=None, out_of_scope=None)


def test_indicator_values_matrix(matrix: Matrix, test_indicator):
    # Any signed-in user may ask; the indicator scopes its own values (a user without roles gets none).
    matrix.check(
        lambda c: c.get("/api/v1/areas/indicators/test_orgs?level=province"),
        allowed=matrix.user("executive", "country"),
        wrong_role=None,
        out_of_scope=None,
    )


def test_point_layer_matrix(matrix: Matrix, test_point_layer):
    matrix.check(
        lambda c: c.get("/api/v1/areas/points/test_points?bbox=102,16,103,17"),
        allowed=_leader(matrix),
        wrong_role=None,
        out_of_scope=None,
    )


def test_province_move_matrix(matrix: Matrix):
    matrix.check(
        lambda c: c.post(
            "/api/v1/areas/provinces/40/region", {"region": "north"}, content_type="application/json"
        ),
        allowed=matrix.user("system_admin", "country"),
        wrong_role=matrix.user("executive", "country"),
        # A system administrator whose grant covers one region does not edit the country's regions.
        out_of_scope=matrix.user("system_admin", "region", "northeast"),
    )
    assert Province.objects.get(code="40").region_id == "north"


# --- behaviour ------------------------------------------------------------------------------


@pytest.fixture
def client() -> Client:
    return signed_in_client(Matrix().user("community_leader", "subdistrict", "400104"))


def test_province_move_is_audited_and_validated(client):
    admin = signed_in_client(Matrix().user("system_admin", "country"))
    url = "/api/v1/areas/provinces/40/region"
    response = admin.post(url, {"region": "north"}, content_type="application/json")
    assert (response.status_code, response.json()["region_id"]) == (200, "north")
    entry = AuditEntry.objects.filter(action="areas.province_set_region").latest("id")
    assert (entry.object_type, entry.object_id, entry.changes) == (
        "areas.province",
        "40",
        {"region": ["northeast", "north"]},
    )
    bad = admin.post(url, {"region": "atlantis"}, content_type="application/json")
    assert bad.status_code == 422
    assert bad.json()["errors"] == [{"field": "region", "message": "ไม่พบภาคนี้ / Unknown region"}]
    assert (
        admin.post(
            "/api/v1/areas/provinces/99/region", {"region": "north"}, content_type="application/json"
        ).status_code
        == 404
    )


def test_area_detail_has_the_parent_chain(client):
    body = client.get("/api/v1/areas/400104").json()
    assert (body["level"], body["name_th"], body["region"]["code"], body["has_polygon"]) == (
        "subdistrict",
        "ท่าพระ",
        "northeast",
        True,
    )
    assert [p["code"] for p in body["parents"]] == ["40", "4001"]
    assert client.get("/api/v1/areas/104702").json()["has_polygon"] is False
    assert len(client.get("/api/v1/areas/4001").json()["children"]) == 18
    assert client.get("/api/v1/areas/999999").status_code == 404


def test_lists_filter_by_parent_and_postal_code(client):
    assert client.get("/api/v1/areas/districts?province=40&page_size=200").json()["count"] == 26
    assert client.get("/api/v1/areas/subdistricts?district=4001").json()["count"] == 18
    assert client.get("/api/v1/areas/subdistricts?province=40").json()["count"] == 199
    by_postal = client.get("/api/v1/areas/subdistricts?postal_code=10240").json()
    assert [s["code"] for s in by_postal["items"]] == [
        "100601",
        "100608",
        "102701",
        "102704",
        "102705",
        "104401",
        "104402",
    ]
    assert client.get("/api/v1/areas/provinces?region=bangkok").json()[0]["code"] == "10"
    assert len(client.get("/api/v1/areas/provinces?region=bangkok").json()) == 6
    assert client.get("/api/v1/areas/subdistricts?postal_code=1024").status_code == 422
    assert client.get("/api/v1/areas/districts?province=4").status_code == 422


def test_resolve_gives_the_successors_of_an_abolished_code(client):
    body = client.get("/api/v1/areas/resolve/105001").json()
    assert (body["is_current"], body["abolished"]["name_th"], body["abolished"]["abolished_on"]) == (
        False,
        "บางบอน",
        "2022-04-22",
    )
    assert [a["code"] for a in body["current"]] == ["105002", "105003", "105004", "105005"]
    assert client.get("/api/v1/areas/resolve/999999").status_code == 404


def test_search_endpoint(client):
    body = client.get("/api/v1/areas/search", {"q": "บางกะปิ"}).json()
    assert [(r["level"], r["code"]) for r in body] == [("district", "1006"), ("subdistrict", "101702")]
    assert client.get("/api/v1/areas/search", {"q": ""}).status_code == 422
    assert len(client.get("/api/v1/areas/search", {"q": "บาง", "limit": 5}).json()) == 5


def test_geojson_every_subdistrict_with_polygon_flags(client):
    response = client.get("/api/v1/areas/geojson/subdistrict")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert len(response.content) < 3_000_000
    body = json.loads(response.content)
    features = body["features"]
    assert len(features) == 7436
    without = [f["properties"]["code"] for f in features if not f["properties"]["has_polygon"]]
    assert len(without) == 14 and "104702" in without
    assert all(f["geometry"] is None for f in features if not f["properties"]["has_polygon"])
    assert features[0]["properties"] == {
        "code": "100101",
        "name_th": "พระบรมมหาราชวัง",
        "name_en": "Phra Borom Maha Ratchawang",
        "has_polygon": True,
    }
    assert "OCHA / RTSD" in body["attribution"]


def test_geojson_levels_and_province_filter(client):
    assert len(client.get("/api/v1/areas/geojson/province").json()["features"]) == 77
    assert len(client.get("/api/v1/areas/geojson/district").json()["features"]) == 928
    assert len(client.get("/api/v1/areas/geojson/district?province=40").json()["features"]) == 26
    khon_kaen = client.get("/api/v1/areas/geojson/subdistrict?province=40").json()["features"]
    assert len(khon_kaen) == 199 and all(f["properties"]["code"].startswith("40") for f in khon_kaen)
    assert client.get("/api/v1/areas/geojson/subdistrict?province=99").status_code == 404
    assert client.get("/api/v1/areas/geojson/country").status_code == 422


def test_geojson_etag_gives_304_and_cache_headers(client):
    area_geojson_cache_clear()
    first = client.get("/api/v1/areas/geojson/district")
    etag = first["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")  # strong validator
    assert first["Cache-Control"] == "private, max-age=3600"
    again = client.get("/api/v1/areas/geojson/district", HTTP_IF_NONE_MATCH=etag)
    assert (again.status_code, again.content, again["ETag"]) == (304, b"", etag)
    other = client.get("/api/v1/areas/geojson/district", HTTP_IF_NONE_MATCH='"stale"')
    assert other.status_code == 200
    assert client.get("/api/v1/areas/geojson/province")["ETag"] != etag


def test_geojson_is_gzipped_for_clients_that_accept_it(client):
    plain = client.get("/api/v1/areas/geojson/subdistrict")
    packed = client.get("/api/v1/areas/geojson/subdistrict", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < 600_000
    assert packed["ETag"] != plain["ETag"]
    assert "Accept-Encoding" in packed["Vary"]
    not_modified = client.get(
        "/api/v1/areas/geojson/subdistrict", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=packed["ETag"]
    )
    assert not_modified.status_code == 304


def test_indicator_values_are_filtered_by_level_and_province_with_breaks(client, test_indicator):
    assert client.get("/api/v1/areas/indicators").json() == [
        {"key": "test_orgs", "title": "องค์กรทดสอบ", "unit": "แห่ง"}
    ]
    body = client.get("/api/v1/areas/indicators/test_orgs?level=province").json()
    assert (body["values"], body["breaks"], body["unit"]) == (
        {"40": 5.0, "10": 1.0, "50": 3.0},
        [1.0, 3.0, 5.0],
        "แห่ง",
    )
    district = client.get("/api/v1/areas/indicators/test_orgs?level=district&province=40").json()
    assert (district["values"], district["breaks"]) == ({"4001": 2.5}, [2.5])
    assert client.get("/api/v1/areas/indicators/nope").status_code == 404


def test_indicator_of_a_user_without_roles_is_empty(test_indicator):
    from tests.factories import UserFactory

    lonely = signed_in_client(UserFactory())
    body = lonely.get("/api/v1/areas/indicators/test_orgs?level=province").json()
    assert (body["values"], body["breaks"]) == ({}, [])


def test_points_inside_a_bounding_box(client, test_point_layer):
    khon_kaen = client.get("/api/v1/areas/points/test_points?bbox=102,16,103,17").json()
    assert [p["label"] for p in khon_kaen["points"]] == ["กลุ่มขอนแก่น"]
    assert khon_kaen["is_truncated"] is False
    assert len(client.get("/api/v1/areas/points/test_points").json()["points"]) == 2
    assert client.get("/api/v1/areas/points/test_points?bbox=1,2,3").status_code == 422
    assert client.get("/api/v1/areas/points/nope").status_code == 404
