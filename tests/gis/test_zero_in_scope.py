"""An area in the user's scope with no project is a true 0 on the project layers; an area out of
scope is absent (no data), whatever its count."""

from __future__ import annotations

from codi.gis import selectors
from codi.gis.layers import area_boxes
from codi.identity.roles import Perm
from tests.permissions import signed_in_client

ITEMS = "/gis/ogc/collections/projects-by-subdistrict/items"


def _counts(client, **params) -> dict[str, int]:
    body = client.get(ITEMS, {"limit": 1000, **params}).json()
    assert body["numberMatched"] == body["numberReturned"], body["numberMatched"]
    return {f["id"]: f["properties"]["projects"] for f in body["features"]}


def test_subdistricts_in_scope_without_projects_are_zero_and_others_absent(world):
    khon_kaen = {code for code in area_boxes("subdistrict") if code.startswith("40")}
    counts = _counts(signed_in_client(world["kk_officer"]))
    assert set(counts) == khon_kaen  # nothing of Bangkok, not even as 0
    assert counts["400101"] == 3  # the draft counts for staff
    assert {v for code, v in counts.items() if code != "400101"} == {0}

    bangkok = _counts(signed_in_client(world["bkk_officer"]), area="40")
    assert bangkok == {}  # Khon Kaen is out of this officer's scope: no data, not 0

    filtered = _counts(signed_in_client(world["kk_officer"]), fiscal_year="2568")
    assert filtered["400101"] == 1 and set(filtered) == khon_kaen  # a filter leaves zeros, not gaps


def test_areas_in_scope_follows_the_grants(world):
    provinces = selectors.area_names("province")
    assert selectors.areas_in_scope(actor=None, perm=Perm.PROJECTS_VIEW, level="province") == set(provinces)
    national = selectors.areas_in_scope(actor=world["national"], perm=Perm.PROJECTS_VIEW, level="province")
    assert national == set(provinces)
    assert selectors.areas_in_scope(actor=world["kk_officer"], perm=Perm.PROJECTS_VIEW, level="province") == {
        "40"
    }
    assert selectors.areas_in_scope(actor=world["hr"], perm=Perm.PROJECTS_VIEW, level="province") == set()
    assert signed_in_client(world["hr"]).get(ITEMS).status_code == 404  # no project right: no layer
