"""Boundaries: the committed files, which areas have polygons, and point tests."""

from __future__ import annotations

import json

import pytest

from codi.areas import boundaries
from codi.areas.models import District, Province, Subdistrict
from codi.areas.selectors import point_in_thailand, subdistrict_contains

pytestmark = pytest.mark.django_db

# The 14 subdistricts created or renumbered after the 2019 boundary survey.
WITHOUT_POLYGON = [
    "100910",
    "101406",
    "102602",
    "103402",
    "103403",
    "104402",
    "104403",
    "104702",
    "104703",
    "105002",
    "105003",
    "105004",
    "105005",
    "530407",
]


def _file(level: str) -> dict:
    return json.loads((boundaries.DATA_DIR / boundaries.FILES[level]).read_text(encoding="utf-8"))


def test_every_province_and_district_has_a_polygon():
    assert set(Province.objects.values_list("code", flat=True)) == boundaries.codes_with_polygon("province")
    assert set(District.objects.values_list("code", flat=True)) == boundaries.codes_with_polygon("district")


def test_subdistricts_without_a_polygon_are_exactly_the_unmatched_ones():
    codes = set(Subdistrict.objects.values_list("code", flat=True))
    with_polygon = boundaries.codes_with_polygon("subdistrict")
    assert len(with_polygon) == len(_file("subdistrict")["features"]) == 7422
    assert with_polygon <= codes  # nothing in the file that is not a subdistrict today
    assert sorted(codes - with_polygon) == WITHOUT_POLYGON
    assert boundaries.has_polygon("400104") and not boundaries.has_polygon("104702")


@pytest.mark.parametrize(
    ("level", "budget"), [("province", 100_000), ("district", 500_000), ("subdistrict", 3_000_000)]
)
def test_the_committed_files_are_small_with_rounded_coordinates(level, budget):
    path = boundaries.DATA_DIR / boundaries.FILES[level]
    assert path.stat().st_size < budget
    data = _file(level)
    assert "OCHA / RTSD" in data["attribution"]
    feature = data["features"][0]
    assert set(feature["properties"]) == {"code", "name_th", "name_en"}
    ring = feature["geometry"]["coordinates"][0]
    point = ring[0] if feature["geometry"]["type"] == "Polygon" else ring[0][0]
    assert all(round(c, 4) == c for c in point)


def test_subdistrict_contains_true_false_and_none():
    # A point in ตำบลท่าพระ, อำเภอเมืองขอนแก่น; another in ตำบลพระบรมมหาราชวัง, Bangkok.
    assert subdistrict_contains(code="400104", lon=102.8023, lat=16.2968) is True
    assert subdistrict_contains(code="400104", lon=100.4922, lat=13.7540) is False
    assert subdistrict_contains(code="100101", lon=100.4922, lat=13.7540) is True
    assert subdistrict_contains(code="104702", lon=100.6, lat=13.67) is None  # no polygon: unknown, not false
    assert subdistrict_contains(code="40", lon=102.8023, lat=16.2968) is None  # not a subdistrict code


def test_subdistrict_contains_accepts_a_margin_for_points_near_the_border():
    # 0.005° (~530 m) west of ท่าพระ's westernmost vertex (102.7757, 16.2925).
    lon, lat = 102.7707, 16.2925
    assert subdistrict_contains(code="400104", lon=lon, lat=lat) is False
    assert subdistrict_contains(code="400104", lon=lon, lat=lat, margin_km=1.0) is True


@pytest.mark.parametrize(
    ("place", "lon", "lat", "expected"),
    [
        ("Bangkok", 100.5018, 13.7563, True),
        ("Ko Tao", 99.838, 10.095, True),
        ("Mae Sai", 99.876, 20.43, True),
        ("Hanoi", 105.85, 21.03, False),
        ("Kuala Lumpur", 101.69, 3.14, False),
        ("Phnom Penh", 104.92, 11.56, False),
        ("Gulf of Thailand, open sea", 101.0, 10.0, False),
        ("latitude and longitude swapped", 13.7563, 100.5018, False),
        ("zero, zero", 0.0, 0.0, False),
    ],
)
def test_point_in_thailand(place, lon, lat, expected):
    assert point_in_thailand(lon, lat) is expected, place
