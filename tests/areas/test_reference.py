"""The reference areas from geothai: counts, abolished codes and their successors, reloads."""

from __future__ import annotations

import pytest

from codi.areas.models import AbolishedArea, AbolishedSuccessor, District, Province, Region, Subdistrict
from codi.areas.selectors import area_get, area_predecessors, area_resolve
from codi.areas.services import areas_load_reference
from codi.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_every_area_of_the_package_is_loaded():
    assert Province.objects.count() == 77
    assert District.objects.count() == 928
    assert Subdistrict.objects.count() == 7436
    assert Region.objects.count() == 6
    assert Province.objects.filter(region__isnull=True).count() == 0


def test_abolished_areas_are_kept_with_their_successors():
    assert AbolishedArea.objects.count() == 1583
    assert AbolishedArea.objects.filter(level="district").count() == 80
    bang_na = AbolishedArea.objects.get(code="104701")
    assert (bang_na.name_th, bang_na.level, str(bang_na.abolished_on)) == (
        "บางนา",
        "subdistrict",
        "2022-04-22",
    )
    assert list(bang_na.successors.values_list("code", flat=True)) == ["104702", "104703"]
    assert AbolishedSuccessor.objects.filter(abolished__code="105001").count() == 4


def test_reloading_adds_nothing_and_writes_no_audit_entry():
    before = AuditEntry.objects.count()
    assert areas_load_reference() == {
        "regions": 0,
        "provinces": 0,
        "districts": 0,
        "subdistricts": 0,
        "abolished": 0,
    }
    assert AuditEntry.objects.count() == before
    assert AbolishedArea.objects.count() == 1583


def test_reloading_repairs_changed_names_but_keeps_an_admins_region_moves():
    Subdistrict.objects.filter(code="400104").update(name_th="ผิด", postal_codes="")
    Province.objects.filter(code="40").update(region_id="north")
    AbolishedSuccessor.objects.filter(abolished_id="104701").delete()

    areas_load_reference()

    assert Subdistrict.objects.values_list("name_th", "postal_codes").get(code="400104") == ("ท่าพระ", "40260")
    assert Province.objects.get(code="40").region_id == "north"
    assert list(AbolishedSuccessor.objects.filter(abolished_id="104701").values_list("code", flat=True)) == [
        "104702",
        "104703",
    ]
    entry = AuditEntry.objects.filter(action="areas.load_reference").latest("id")
    assert entry.changes["updated"] == {"provinces": 0, "districts": 0, "subdistricts": 1, "abolished": 1}


def test_an_abolished_code_resolves_to_its_successors():
    resolved = area_resolve("104701")
    assert (resolved.is_known, resolved.is_current) == (True, False)
    assert [(a.level, a.code, a.name_th) for a in resolved.current] == [
        ("subdistrict", "104702", "บางนาเหนือ"),
        ("subdistrict", "104703", "บางนาใต้"),
    ]


def test_a_recoded_subdistrict_resolves_to_its_new_code():
    # ท่าแฝก moved from อำเภอท่าปลา (5303) to อำเภอน้ำปาด (5304) in 2015.
    assert [a.code for a in area_resolve("530306").current] == ["530407"]


def test_successors_are_followed_through_later_abolitions():
    # A made-up chain: 999901 → 104701 (abolished) → 104702, 104703.
    old = AbolishedArea.objects.create(code="999901", level="subdistrict", name_th="ทดสอบ")
    AbolishedSuccessor.objects.create(abolished=old, code="104701")
    assert [a.code for a in area_resolve("999901").current] == ["104702", "104703"]


def test_current_unknown_and_successorless_codes():
    current = area_resolve("400104")
    assert (current.is_current, [a.code for a in current.current]) == (True, ["400104"])
    unknown = area_resolve("999999")
    assert (unknown.is_known, unknown.current) == (False, [])
    no_successor = area_resolve("1081")  # บ้านทะวาย, abolished 2006 with no successor recorded
    assert (no_successor.is_known, no_successor.is_current, no_successor.current) == (True, False, [])


def test_an_area_knows_its_predecessors():
    assert [a.code for a in area_predecessors(code="104702")] == ["104701"]
    assert area_predecessors(code="400104") == []


def test_area_get_gives_the_parent_chain_and_children():
    area = area_get(code="400104", with_children=True)
    assert area is not None
    assert (area.level, area.name_th, area.postal_codes, area.has_polygon) == (
        "subdistrict",
        "ท่าพระ",
        ["40260"],
        True,
    )
    assert area.region is not None and area.region.code == "northeast"
    assert [(p.level, p.code) for p in area.parents] == [("province", "40"), ("district", "4001")]
    assert area.children == []
    province = area_get(code="40", with_children=True)
    assert province is not None and len(province.children) == 26 and province.parents == []
    assert area_get(code="4") is None
    assert area_get(code="999999") is None
