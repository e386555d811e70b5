"""Area pages, the map, search and the region editor: permission matrix, then what they show."""

from __future__ import annotations

import json
import re

import pytest

from codi.areas.models import Province
from codi.areas.selectors import province_region_code
from codi.core.models import AuditEntry
from tests.permissions import Matrix, signed_in_client

pytestmark = pytest.mark.django_db

PAGES = [
    "/areas/",
    "/areas/40/",
    "/areas/4001/",
    "/areas/400104/",
    "/areas/104701/",
    "/areas/map/?level=subdistrict&province=40",
    "/areas/search/?q=%E0%B8%9A%E0%B8%B2%E0%B8%87%E0%B8%81",
]


def _leader_client():
    return signed_in_client(Matrix().user("community_leader", "subdistrict", "400104"))


# --- permission matrix --------------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_area_pages_matrix(matrix: Matrix, path):
    # Reference data: every signed-in user; anonymous users are sent to the sign-in page.
    matrix.check(
        lambda c: c.get(path),
        allowed=matrix.user("community_leader", "subdistrict", "400104"),
        wrong_role=None,
        out_of_scope=None,
    )


def test_region_editor_page_matrix(matrix: Matrix):
    matrix.check(
        lambda c: c.get("/areas/regions/"),
        allowed=matrix.user("system_admin", "country"),
        wrong_role=matrix.user("executive", "country"),
        out_of_scope=matrix.user("system_admin", "region", "northeast"),
    )


def test_region_move_form_matrix(matrix: Matrix):
    matrix.check(
        lambda c: c.post("/areas/regions/", {"province": "40", "region": "north"}),
        allowed=matrix.user("system_admin", "country"),
        wrong_role=matrix.user("regional_director", "region", "northeast"),
        out_of_scope=matrix.user("system_admin", "province", "40"),
        allowed_ok=lambda r: r.status_code == 302,
    )
    assert Province.objects.get(code="40").region_id == "north"


# --- the area page ----------------------------------------------------------------------------


def test_subdistrict_page_has_breadcrumb_map_and_panels(test_panel):
    client = _leader_client()
    response = client.get("/areas/400104/")
    html = response.content.decode()
    crumbs = re.search(r'<nav class="breadcrumb".*?</nav>', html, re.S)
    assert crumbs is not None
    names = re.findall(r">([^<>]+)</(?:a|li)>", crumbs.group(0))
    # region → province → district → subdistrict, after the link to all areas
    assert names[1:] == ["ภาคตะวันออกเฉียงเหนือ", "ขอนแก่น", "เมืองขอนแก่น", "ท่าพระ"]
    assert re.findall(r'href="([^"]+)"', crumbs.group(0)) == [
        "/areas/",
        "/areas/#region-northeast",
        "/areas/40/",
        "/areas/4001/",
    ]
    assert "<h1>ท่าพระ</h1>" in html
    map_data = json.loads(re.search(r'id="area-map-data"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert [f["properties"]["code"] for f in map_data["area"]] == ["400104"]
    assert map_data["area"][0]["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    assert "/static/vendor/leaflet/leaflet.js" in html
    assert '<p data-testid="test-panel">แผงทดสอบ: 400104</p>' in html
    user, area = test_panel[0]
    assert (user.pk, area.level, area.code) == (response.wsgi_request.user.pk, "subdistrict", "400104")
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()


def test_district_page_lists_its_subdistricts_and_flags_those_without_boundary():
    html = _leader_client().get("/areas/1047/").content.decode()  # เขตบางนา
    assert 'href="/areas/104702/">บางนาเหนือ</a> <small class="help">' in html
    assert html.count("/areas/1047") >= 2
    map_data = json.loads(re.search(r'id="area-map-data"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert map_data["children"] == []  # both of its subdistricts are newer than the boundary data


def test_a_subdistrict_without_a_polygon_says_so_and_names_its_predecessor():
    html = _leader_client().get("/areas/104702/").content.decode()
    assert 'data-testid="no-boundary"' in html
    assert 'id="area-map"' not in html and "leaflet.js" not in html
    assert "บางนา (104701)" in html


def test_an_abolished_code_shows_where_its_land_went():
    response = _leader_client().get("/areas/105001/")
    html = response.content.decode()
    assert response.status_code == 200
    for code in ["105002", "105003", "105004", "105005"]:
        assert f'href="/areas/{code}/"' in html
    assert _leader_client().get("/areas/999999/").status_code == 404
    assert _leader_client().get("/areas/12345/").status_code == 404


def test_area_page_query_count_does_not_grow_with_children(django_assert_max_num_queries, test_panel):
    client = _leader_client()
    client.get("/areas/40/")  # warm the session and the boundary files
    # 8: the menu names the user's area in words (one lookup), whatever the number of children.
    with django_assert_max_num_queries(8):
        response = client.get("/areas/40/")  # 26 districts
    assert response.status_code == 200
    with django_assert_max_num_queries(8):
        client.get("/areas/4001/")  # 18 subdistricts


def test_a_failing_panel_does_not_take_the_page_down(test_templates, caplog):
    from codi.areas import registry

    def broken(user, area):
        raise RuntimeError("boom")

    registry.register_panel(registry.Panel(key="broken", title="พัง", template="x.html", context=broken))
    response = _leader_client().get("/areas/400104/")
    assert response.status_code == 200
    section = re.search(r'id="panel-broken".*?</section>', response.content.decode(), re.S)
    assert section is not None and '<p class="error">' in section.group(0)
    assert "area panel broken failed for 400104" in caplog.text


def test_english_page_uses_english_names():
    client = _leader_client()
    client.cookies["django_language"] = "en"
    html = client.get("/areas/400104/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Tha Phra</h1>" in html


# --- map, search --------------------------------------------------------------------------------


def test_map_page_configures_geojson_and_indicator(test_indicator, test_point_layer):
    html = (
        _leader_client().get("/areas/map/?level=subdistrict&province=40&indicator=test_orgs").content.decode()
    )
    config = json.loads(re.search(r'id="map-config"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert config["geojsonUrl"] == "/api/v1/areas/geojson/subdistrict?province=40"
    assert config["indicatorUrl"] == "/api/v1/areas/indicators/test_orgs?level=subdistrict&province=40"
    assert config["areaUrl"] == "/areas/CODE/"
    assert config["pointLayers"] == [
        {"key": "test_points", "title": "จุดทดสอบ", "url": "/api/v1/areas/points/test_points"}
    ]
    assert "leaflet.markercluster.js" in html


def test_map_page_without_indicator_or_with_bad_parameters():
    html = _leader_client().get("/areas/map/?level=planet&province=99&indicator=nope").content.decode()
    config = json.loads(re.search(r'id="map-config"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert (config["level"], config["geojsonUrl"], config["indicatorUrl"]) == (
        "province",
        "/api/v1/areas/geojson/province",
        "",
    )
    assert "leaflet.markercluster.js" not in html


def test_search_page_lists_results_and_jumps_to_a_single_match():
    client = _leader_client()
    html = client.get("/areas/search/", {"q": "บางกะปิ"}).content.decode()
    assert 'href="/areas/1006/"' in html and 'href="/areas/101702/"' in html
    single = client.get("/areas/search/", {"q": "บ้านเป็ดขอนแก่น"})
    assert (single.status_code, single["Location"]) == (302, "/areas/400115/")
    nothing = client.get("/areas/search/", {"q": "ฮฮฮฮ"})
    assert nothing.status_code == 200 and "search-results" not in nothing.content.decode()


# --- the region editor --------------------------------------------------------------------------


def test_moving_a_province_is_audited_and_changes_region_scopes_at_once(django_capture_on_commit_callbacks):
    admin = Matrix().user("system_admin", "country")
    client = signed_in_client(admin)
    assert province_region_code(province_code="40") == "northeast"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/areas/regions/", {"province": "40", "region": "north"})
    assert province_region_code(province_code="40") == "north"  # region-scoped grants follow
    assert (response.status_code, response["Location"]) == (302, "/areas/regions/#region-north")
    entry = AuditEntry.objects.filter(action="areas.province_set_region").latest("id")
    assert (entry.actor_id, entry.object_id, entry.changes) == (
        admin.pk,
        "40",
        {"region": ["northeast", "north"]},
    )
    page = client.get("/areas/regions/").content.decode()
    north = re.search(r'id="region-north".*?</section>', page, re.S)
    assert north is not None and 'href="/areas/40/"' in north.group(0)


def test_moving_to_the_same_region_writes_nothing():
    client = signed_in_client(Matrix().user("system_admin", "country"))
    before = AuditEntry.objects.count()
    client.post("/areas/regions/", {"province": "40", "region": "northeast"})
    assert AuditEntry.objects.count() == before


def test_a_bad_move_is_explained_on_the_page():
    client = signed_in_client(Matrix().user("system_admin", "country"))
    response = client.post("/areas/regions/", {"province": "40", "region": "atlantis"})
    assert response.status_code == 422
    assert "ไม่พบภาคนี้ / Unknown region" in response.content.decode()
    assert Province.objects.get(code="40").region_id == "northeast"


def test_the_areas_index_links_admins_to_the_region_editor():
    admin_html = signed_in_client(Matrix().user("system_admin", "country")).get("/areas/").content.decode()
    leader_html = _leader_client().get("/areas/").content.decode()
    assert 'href="/areas/regions/"' in admin_html and 'href="/areas/regions/"' not in leader_html
    assert leader_html.count('href="/areas/') == 77 + 1 + 2  # every province, the map, and the two nav links
