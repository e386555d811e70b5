"""OGC API – Features: the documents, bbox/limit/offset/filters, errors, scope and API keys."""

from __future__ import annotations

import base64
import gzip
import json

import pytest
from django.test import Client

from codi.feedback.models import Ticket
from codi.gis.layers import area_boxes, area_points
from codi.identity import services as identity_services
from tests.gis.conftest import KK
from tests.permissions import signed_in_client

OGC = "/gis/ogc"
PUBLIC = {"projects-by-province", "settlements-by-province"}


def anon() -> Client:
    return Client(HTTP_HOST="127.0.0.1")


def collection_ids(client: Client) -> set[str]:
    response = client.get(f"{OGC}/collections")
    assert response.status_code == 200
    return {c["id"] for c in response.json()["collections"]}


def test_landing_and_conformance_are_open(world):
    landing = anon().get(f"{OGC}/")
    assert landing.status_code == 200
    rels = {link["rel"] for link in landing.json()["links"]}
    assert {"self", "conformance", "data"} <= rels
    conformance = anon().get(f"{OGC}/conformance").json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson" in conformance


def test_the_landing_page_links_the_api_definition_which_names_only_what_the_caller_sees(world):
    links = {link["rel"]: link for link in anon().get(f"{OGC}/").json()["links"]}
    assert links["service-desc"]["type"] == "application/vnd.oai.openapi+json;version=3.0"
    response = anon().get(links["service-desc"]["href"])
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.oai.openapi+json"
    )
    definition = response.json()
    assert definition["openapi"].startswith("3.0")
    assert {"/", "/conformance", "/collections", "/collections/{collectionId}/items"} <= set(
        definition["paths"]
    )
    items = definition["paths"]["/collections/{collectionId}/items"]["get"]
    params = {p["name"]: p for p in items["parameters"]}
    assert {"bbox", "limit", "offset", "datetime"} <= set(params)
    # the collection ids offered are the caller's own: public layers only for a visitor
    assert set(params["collectionId"]["schema"]["enum"]) == collection_ids(anon()) == PUBLIC
    hr = signed_in_client(world["hr"])
    hr_ids = hr.get(f"{OGC}/api").json()["paths"]["/collections/{collectionId}"]["get"]["parameters"][0]
    assert set(hr_ids["schema"]["enum"]) == PUBLIC | {"training-reach"}


def test_anonymous_sees_only_public_layers_and_scoped_ones_are_absent(world):
    assert collection_ids(anon()) == PUBLIC
    assert anon().get(f"{OGC}/collections/projects/items").status_code == 404
    assert anon().get(f"{OGC}/collections/settlements").status_code == 404
    hr = signed_in_client(world["hr"])  # staff without project, organization or feedback rights
    assert collection_ids(hr) == PUBLIC | {"training-reach"}  # HR reads the training reach only
    assert hr.get(f"{OGC}/collections/projects/items").json()["code"] == "NotFound"
    officer = signed_in_client(world["kk_officer"])
    assert {
        "projects",
        "projects-by-subdistrict",
        "settlements",
        "organizations",
        "feedback-hotspots",
    } <= collection_ids(officer)


def test_public_aggregate_counts_projects_per_province_without_drafts(world):
    body = anon().get(f"{OGC}/collections/projects-by-province/items").json()
    by_code = {f["id"]: f["properties"] for f in body["features"]}
    assert by_code["40"]["projects"] == 2  # the draft is not public
    assert by_code["10"]["projects"] == 1
    # Every province is in the public aggregate's scope: one without a project is a true 0.
    assert body["numberMatched"] == len(area_boxes("province"))
    assert sum(1 for p in by_code.values() if p["projects"] == 0) == len(by_code) - 2
    assert body["features"][0]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    filtered = anon().get(f"{OGC}/collections/projects-by-province/items", {"program": "WEL"}).json()
    welfare = {
        f["id"]: f["properties"]["projects"] for f in filtered["features"] if f["properties"]["projects"]
    }
    assert welfare == {"40": 1}


def test_project_points_are_scoped_and_filtered(world):
    kk = signed_in_client(world["kk_officer"]).get(f"{OGC}/collections/projects/items").json()
    assert {f["properties"]["code"] for f in kk["features"]} == {"P-KK-1", "P-KK-2", "P-KK-3"}
    assert kk["features"][0]["geometry"]["coordinates"] == pytest.approx(list(KK), abs=1e-5)
    bkk = signed_in_client(world["bkk_officer"]).get(f"{OGC}/collections/projects/items").json()
    assert {f["properties"]["code"] for f in bkk["features"]} == {"P-BKK-1"}
    national = signed_in_client(world["national"])
    year = national.get(f"{OGC}/collections/projects/items", {"fiscal_year": "2568"}).json()
    assert [f["properties"]["code"] for f in year["features"]] == ["P-KK-2"]
    status = national.get(
        f"{OGC}/collections/projects/items", {"status": "in_progress", "program": "BMK"}
    ).json()
    assert [f["properties"]["code"] for f in status["features"]] == ["P-BKK-1"]
    # One feature by id; another province's project is not found for the Khon Kaen officer.
    kk_client = signed_in_client(world["kk_officer"])
    assert kk_client.get(f"{OGC}/collections/projects/items/{world['kk_project'].pk}").status_code == 200
    assert kk_client.get(f"{OGC}/collections/projects/items/{world['bkk_project'].pk}").status_code == 404


def test_bbox_limit_offset_and_next_links(world):
    client = signed_in_client(world["national"])
    # A box around Khon Kaen holds the three Khon Kaen projects, not Bangkok's.
    box = f"{KK[0] - 0.1},{KK[1] - 0.1},{KK[0] + 0.1},{KK[1] + 0.1}"
    first = client.get(f"{OGC}/collections/projects/items", {"bbox": box, "limit": 2}).json()
    assert first["numberMatched"] == 3 and first["numberReturned"] == 2
    next_link = next(link["href"] for link in first["links"] if link["rel"] == "next")
    assert "offset=2" in next_link and "bbox=" in next_link
    second = client.get(next_link.replace("http://127.0.0.1", "")).json()
    assert second["numberReturned"] == 1
    assert not [link for link in second["links"] if link["rel"] == "next"]
    codes = {f["properties"]["code"] for f in first["features"] + second["features"]}
    assert codes == {"P-KK-1", "P-KK-2", "P-KK-3"}


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"bbox": "103,17,102,16"}, "out of order"),
        ({"bbox": "1,2,3"}, "four numbers"),
        ({"bbox": "a,b,c,d"}, "four numbers"),
        ({"bbox": "100,95,101,96"}, "WGS84"),
        ({"limit": "1001"}, "must not exceed 1,000"),
        ({"limit": "0"}, "at least 1"),
        ({"limit": "-5"}, "non-negative"),
        ({"offset": "x"}, "non-negative"),
        ({"fiscal_year": "abc"}, "B.E. year"),
        ({"status": "nonsense"}, "Unknown status"),
        ({"colour": "red"}, "Unknown parameter"),
    ],
)
def test_bad_parameters_get_ogc_exception_json(world, params, fragment):
    response = anon().get(f"{OGC}/collections/projects-by-province/items", params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "InvalidParameterValue"
    assert fragment in body["description"]
    assert body["description_th"]


def test_api_key_reads_scoped_layers_and_a_bad_key_is_refused(world):
    _key, raw = identity_services.api_key_create(actor=None, user=world["kk_officer"], name="QGIS")
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_API_KEY=raw)
    assert "projects" in collection_ids(client)
    items = client.get(f"{OGC}/collections/projects/items").json()
    assert {f["properties"]["code"] for f in items["features"]} == {"P-KK-1", "P-KK-2", "P-KK-3"}
    bad = Client(HTTP_HOST="127.0.0.1", HTTP_X_API_KEY="codi_nope_nope")
    response = bad.get(f"{OGC}/collections")
    assert response.status_code == 401 and response.json()["code"] == "InvalidApiKey"
    # The key as the password of HTTP Basic (what QGIS 3.22's Basic authentication sends).
    basic = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=_basic("apikey", raw))
    assert "projects" in collection_ids(basic)
    for wrong in (_basic("apikey", "codi_nope_nope"), _basic("apikey", ""), "Basic %%%"):
        response = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=wrong).get(f"{OGC}/collections")
        assert response.status_code == 401 and response.json()["code"] == "InvalidApiKey"


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_pages_are_gzipped_except_for_the_browser_session(world):
    page = f"{OGC}/collections/projects-by-province/items"
    plain = anon().get(page, {"limit": 100})
    packed = anon().get(page, {"limit": 100}, HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert "Content-Encoding" not in plain and packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    unpacked, body = json.loads(gzip.decompress(packed.content)), plain.json()
    assert unpacked.pop("timeStamp") and body.pop("timeStamp") and unpacked == body
    assert len(packed.content) < len(plain.content) / 3
    # A page read with the browser's session cookie is never compressed (BREACH).
    session = signed_in_client(world["kk_officer"]).get(page, HTTP_ACCEPT_ENCODING="gzip")
    assert session.status_code == 200 and "Content-Encoding" not in session


def test_queryables_list_the_layer_filters(world):
    body = anon().get(f"{OGC}/collections/projects-by-province/queryables").json()
    assert {"fiscal_year", "program", "status", "area"} <= set(body["properties"])


def test_feedback_hot_spots_layer_finds_the_cluster_and_is_scoped(world):
    cluster = [c for c in sorted(area_points("subdistrict")) if c.startswith("4001")][:8]
    for i, code in enumerate(cluster * 6):
        Ticket.objects.create(token_hash=f"t{i:063d}", channel="web", text="ร้องเรียน", subdistrict_id=code)
    officer = signed_in_client(world["kk_officer"])
    body = officer.get(f"{OGC}/collections/feedback-hotspots/items", {"limit": 1000}).json()
    props = {f["id"]: f["properties"] for f in body["features"]}
    assert props[cluster[0]]["reports"] == 6
    assert props[cluster[0]]["hotspot"].startswith("hot")
    assert all(code.startswith("40") for code in props)
    hot = officer.get(f"{OGC}/collections/feedback-hotspots/items", {"hotspot": "hot_99"}).json()
    assert hot["numberMatched"] >= 1 and all(f["properties"]["hotspot"] == "hot_99" for f in hot["features"])
    assert officer.get(f"{OGC}/collections/feedback-hotspots/items", {"band_km": "0"}).status_code == 400
    bkk = signed_in_client(world["bkk_officer"]).get(f"{OGC}/collections/feedback-hotspots/items").json()
    assert not [f for f in bkk["features"] if f["id"].startswith("40")]
    assert signed_in_client(world["hr"]).get(f"{OGC}/collections/feedback-hotspots/items").status_code == 404
    arrears = officer.get(f"{OGC}/collections/loans-arrears/items")
    assert arrears.status_code == 200 and arrears.json()["numberMatched"] == 0


def test_datetime_selects_thai_fiscal_years(world):
    client = signed_in_client(world["national"])

    def codes(value: str) -> set[str]:
        body = client.get(f"{OGC}/collections/projects/items", {"datetime": value}).json()
        return {f["properties"]["code"] for f in body["features"]}

    assert codes("2025-11-15") == {"P-KK-1", "P-KK-3", "P-BKK-1"}  # 15 Nov 2025 is in fiscal year 2569
    assert codes("2024-10-01/2025-09-30") == {"P-KK-2"}  # fiscal year 2568
    assert codes("../2025-09-30") == {"P-KK-2"}
    assert codes("2025-10-01T00:00:00Z/..") == {"P-KK-1", "P-KK-3", "P-BKK-1"}
    for bad in ("2026-01-01/2025-01-01", "yesterday"):
        response = client.get(f"{OGC}/collections/projects/items", {"datetime": bad})
        assert response.status_code == 400 and response.json()["code"] == "InvalidParameterValue"
    untimed = client.get(f"{OGC}/collections/organizations/items", {"datetime": "2025-11-15"})
    assert untimed.status_code == 400 and "datetime" in untimed.json()["description"]
    collection = client.get(f"{OGC}/collections/projects").json()
    assert "temporal" in collection["extent"]
