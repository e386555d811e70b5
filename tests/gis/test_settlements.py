"""GIS Slum: recording, checking, editing with history and audit, scope, pages."""

from __future__ import annotations

import json

import pytest

from codi.core.models import AuditEntry
from codi.gis import services
from codi.gis.demo import gis_demo_load
from codi.gis.models import Settlement
from codi.gis.services import SettlementError
from tests.gis.conftest import BKK, KK, square
from tests.permissions import signed_in_client

DATA = {
    "name": "ชุมชนริมทางรถไฟ", "subdistrict": "400101", "households": "120", "population": "430",
    "land_owner": "railway", "tenure": "none", "eviction_risk": "high", "infrastructure": "water,electricity",
    "year_surveyed": "2568",
}  # fmt: skip


def test_create_a_polygon_settlement_with_audit(world):
    s = services.settlement_create(actor=world["kk_officer"], data=DATA, geometry=square(*KK))
    assert s.geometry_type == "Polygon" and s.households == 120
    assert s.min_lon < KK[0] < s.max_lon and s.infrastructure == ["electricity", "water"]
    assert AuditEntry.objects.filter(action="gis.settlement_create", object_id=str(s.pk)).exists()


@pytest.mark.parametrize(
    ("geometry", "fragment"),
    [
        ({"type": "Polygon", "coordinates": [[[KK[0], KK[1]], [KK[0] + 0.002, KK[1] + 0.002], [KK[0] + 0.002, KK[1]],
                                               [KK[0], KK[1] + 0.002], [KK[0], KK[1]]]]}, "invalid"),
        ({"type": "Point", "coordinates": [139.69, 35.68]}, "outside Thailand"),  # Tokyo
        ({"type": "Point", "coordinates": list(BKK)}, "not inside subdistrict 400101"),
        ({"type": "LineString", "coordinates": [list(KK), [KK[0] + 0.01, KK[1]]]}, "Point, Polygon"),
        ({"type": "Point", "coordinates": [670000, 1820000]}, "not longitude/latitude"),
        ({"type": "Polygon", "coordinates": [[[1, 2]]]}, "cannot be read"),
    ],
)  # fmt: skip
def test_bad_geometries_are_refused_and_nothing_is_written(world, geometry, fragment):
    with pytest.raises(SettlementError.__mro__[1]) as caught:
        services.settlement_create(actor=world["kk_officer"], data=DATA, geometry=geometry)
    assert fragment in caught.value.en and caught.value.th
    assert not Settlement.objects.exists()


def test_bad_attributes_and_out_of_scope_writes_are_refused(world):
    with pytest.raises(SettlementError, match="eviction_risk must be one of"):
        services.settlement_create(
            actor=world["kk_officer"], data=DATA | {"eviction_risk": "maybe"}, geometry=square(*KK)
        )
    with pytest.raises(SettlementError, match="You may not edit settlements in subdistrict 400101"):
        services.settlement_create(actor=world["bkk_officer"], data=DATA, geometry=square(*KK))
    with pytest.raises(SettlementError, match="No project P-BKK-1"):
        services.settlement_create(
            actor=world["kk_officer"], data=DATA | {"project": "P-BKK-1"}, geometry=square(*KK)
        )
    assert not Settlement.objects.exists()


def test_edit_keeps_a_revision_and_links_project_and_organization(world):
    s = services.settlement_create(actor=world["kk_officer"], data=DATA, geometry=square(*KK))
    edited = services.settlement_update(
        actor=world["kk_officer"], settlement=s, note="สำรวจใหม่",
        data={"households": "140", "project": "P-KK-1", "organization": str(world["kk_org"].pk)},
        geometry={"type": "Point", "coordinates": list(KK)},
    )  # fmt: skip
    assert edited.version == 2 and edited.households == 140 and edited.geometry_type == "Point"
    assert edited.project == world["kk_project"] and edited.organization == world["kk_org"]
    revision = edited.revisions.get()
    assert revision.version == 1 and revision.data["households"] == 120 and revision.note == "สำรวจใหม่"
    entry = AuditEntry.objects.get(action="gis.settlement_update", object_id=str(s.pk))
    assert entry.changes["households"] == [120, 140]
    with pytest.raises(SettlementError):
        services.settlement_update(actor=world["bkk_officer"], settlement=edited, data={"households": "1"})
    assert Settlement.objects.get().households == 140


def test_settlement_pages_and_layer_are_scoped(world, matrix):
    s = services.settlement_create(actor=world["kk_officer"], data=DATA, geometry=square(*KK))
    matrix.check(
        lambda c: c.get(f"/gis/settlements/{s.pk}/"),
        allowed=world["kk_officer"], wrong_role=world["hr"], out_of_scope=world["bkk_officer"],
    )  # fmt: skip
    matrix.check(
        lambda c: c.get(f"/gis/ogc/collections/settlements/items/{s.pk}"),
        allowed=world["kk_officer"], wrong_role=world["hr"], out_of_scope=world["bkk_officer"],
        anonymous_refused=lambda r: r.status_code == 404,
    )  # fmt: skip
    bkk_items = signed_in_client(world["bkk_officer"]).get("/gis/ogc/collections/settlements/items").json()
    assert bkk_items["features"] == []
    # The public aggregate counts it without naming it.
    public = signed_in_client(world["hr"]).get("/gis/ogc/collections/settlements-by-province/items").json()
    assert public["features"][0]["properties"] | {} == public["features"][0]["properties"]
    assert public["features"][0]["properties"]["settlements"] == 1
    assert "ชุมชนริมทางรถไฟ" not in json.dumps(public, ensure_ascii=False)


def test_form_creates_and_edits_with_thai_errors(world):
    client = signed_in_client(world["kk_officer"])
    assert client.get("/gis/settlements/new/").status_code == 200
    bad = client.post("/gis/settlements/new/", DATA | {"lon": "139.69", "lat": "35.68", "infrastructure": []})
    assert bad.status_code == 422 and "รูปแปลงอยู่นอกประเทศไทย" in bad.content.decode()
    assert not Settlement.objects.exists()
    ok = client.post(
        "/gis/settlements/new/", DATA | {"geometry": json.dumps(square(*KK)), "infrastructure": ["water"]}
    )
    assert ok.status_code == 302
    s = Settlement.objects.get()
    page = client.get(f"/gis/settlements/{s.pk}/edit/")
    assert page.status_code == 200
    edit = client.post(
        f"/gis/settlements/{s.pk}/edit/",
        DATA | {"geometry": json.dumps(s.geometry), "households": "99", "note": "แก้", "infrastructure": []},
    )
    assert edit.status_code == 302
    detail = client.get(f"/gis/settlements/{s.pk}/").content.decode()
    assert "แก้" in detail
    hr = signed_in_client(world["hr"])
    assert hr.get("/gis/settlements/new/").status_code == 403
    assert signed_in_client(world["bkk_officer"]).get(f"/gis/settlements/{s.pk}/edit/").status_code == 404


def test_demo_loader_records_settlements_through_the_services(world):
    officer = world["kk_officer"]
    officer.username = "demo_officer"
    officer.save()
    summary = gis_demo_load()
    assert summary.created == 1 and Settlement.objects.get().organization == world["kk_org"]
    assert gis_demo_load().already
