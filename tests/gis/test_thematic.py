"""Thematic maps: classing (Fisher–Jenks, quantiles), no data, graduated symbols, scope, the page."""

from __future__ import annotations

import itertools
import math

import pytest
from django.test import Client

from codi.gis import thematic
from codi.gis.selectors import area_names
from tests.factories import UserFactory
from tests.permissions import signed_in_client

PAGE = "/gis/thematic/"
DATA = "/gis/thematic/data.json"


def _sdcm(run: list[float]) -> float:
    mean = sum(run) / len(run)
    return sum((v - mean) ** 2 for v in run)


def _brute_force_breaks(values: list[float], classes: int) -> list[float]:
    """The definition of natural breaks: try every split of the sorted values into ``classes``
    runs and keep the one with the least total within-class squared deviation."""
    ordered = sorted(values)
    best: tuple[float, list[float]] | None = None
    for cuts in itertools.combinations(range(1, len(ordered)), classes - 1):
        edges = [0, *cuts, len(ordered)]
        runs = [ordered[a:b] for a, b in itertools.pairwise(edges)]
        cost = sum(_sdcm(r) for r in runs)
        if best is None or cost < best[0] - 1e-9:
            best = (cost, [r[-1] for r in runs])
    assert best is not None
    return best[1]


def test_jenks_two_classes_worked_by_hand() -> None:
    # {1,2,4,5,7,9,10 | 20}: SDCM 69.71 + 0 = 69.71; the next best, {1,2,4,5,7 | 9,10,20}: 22.8 + 74 = 96.8.
    assert thematic.jenks_breaks([20, 1, 9, 2, 10, 4, 7, 5], 2) == [10, 20]


def test_jenks_three_clusters() -> None:
    assert thematic.jenks_breaks([1, 2, 3, 10, 11, 12, 20, 21, 22], 3) == [3, 12, 22]


@pytest.mark.parametrize("classes", [2, 3, 4])
def test_jenks_matches_the_definition(classes: int) -> None:
    values = [3.0, 7.0, 8.0, 15.0, 16.0, 17.0, 30.0, 41.0, 42.0, 60.0]
    assert thematic.jenks_breaks(values, classes) == _brute_force_breaks(values, classes)


def test_jenks_fewer_distinct_values_than_classes() -> None:
    assert thematic.jenks_breaks([4, 4, 9, 9], 5) == [4, 9]
    assert thematic.jenks_breaks([], 5) == []


def test_quantiles() -> None:
    assert thematic.quantile_breaks(range(1, 11), 5) == [2, 4, 6, 8, 10]
    # Ties collapse: the 2nd and 4th of five values are both 1.
    assert thematic.quantile_breaks([1, 1, 1, 1, 5], 2) == [1, 5]
    assert [thematic.class_of(v, [2, 4, 6]) for v in (1, 2, 3, 6)] == [0, 0, 1, 2]


def test_symbol_radius_grows_with_the_square_root() -> None:
    peak = 400.0
    assert thematic.radius(peak, peak) == thematic.MAX_RADIUS_PX
    # A quarter of the value gives half the radius, so the circle's area is a quarter.
    assert thematic.radius(100.0, peak) == pytest.approx(thematic.MAX_RADIUS_PX / 2, abs=0.05)
    assert thematic.radius(25.0, peak) == pytest.approx(thematic.MAX_RADIUS_PX / 4, abs=0.05)
    assert thematic.radius(0.0, peak) == 0.0


def test_no_data_is_out_of_scope_and_zero_is_in_scope(world) -> None:
    themap = thematic.thematic_map(user=world["kk_officer"], key="gis.projects", level="province")
    assert themap is not None
    codes = {row.code for row in themap.rows}
    assert codes == {"40"}  # Khon Kaen's three projects; Bangkok's is outside this officer's scope
    assert themap.rows[0].value == 3.0
    assert "10" not in themap.features()
    assert themap.no_data == len(area_names("province")) - 1
    assert sum(c.areas for c in themap.legend) == 1

    # A district of Khon Kaen without a project is a true 0 for its officer, not "no data".
    districts = thematic.thematic_map(user=world["kk_officer"], key="gis.projects", level="district")
    assert districts is not None
    kk_districts = {code for code in area_names("district") if code.startswith("40")}
    values = {row.code: row.value for row in districts.rows}
    assert set(values) == kk_districts and values["4001"] == 3.0
    assert {v for code, v in values.items() if code != "4001"} == {0.0}
    assert districts.no_data == len(area_names("district")) - len(kk_districts)

    other = thematic.thematic_map(user=world["bkk_officer"], key="gis.projects", level="district")
    assert other is not None
    assert {row.code[:2] for row in other.rows} == {"10"}
    # Someone with no project right has no area in scope: everything is no data, nothing is 0.
    none = thematic.thematic_map(user=world["hr"], key="gis.projects", level="province")
    assert none is not None and none.rows == [] and none.no_data == len(area_names("province"))


def test_classes_and_legend_from_values(world) -> None:
    themap = thematic.thematic_map(user=world["national"], key="gis.projects", level="province", classes=3)
    assert themap is not None
    values = {row.code: row.value for row in themap.rows}
    # Country-wide scope: every province has a value, 0 where there is no project.
    assert {c: v for c, v in values.items() if v} == {"40": 3.0, "10": 1.0}
    assert set(values) == set(area_names("province")) and themap.no_data == 0
    zeros = len(values) - 2
    # Three distinct values: three classes, each range the values it holds, colours from the palette.
    legend = [(c.lower, c.upper, c.areas) for c in themap.legend]
    assert legend == [(0.0, 0.0, zeros), (1.0, 1.0, 1), (3.0, 3.0, 1)]
    assert all(c.color in thematic.PALETTES[3] for c in themap.legend)
    assert thematic.NO_DATA_COLOR not in {c.color for c in themap.legend}
    peak_row = themap.rows[0]
    assert peak_row.code == "40" and peak_row.radius == thematic.MAX_RADIUS_PX
    # Symbol legend: the peak (3) alone; a quarter (0.75 → 0.5) and a sixteenth fall below the
    # smallest value drawn (1: a 0 draws no circle).
    assert themap.symbols == [(3.0, thematic.MAX_RADIUS_PX)]
    assert math.isclose(themap.rows[1].radius, thematic.MAX_RADIUS_PX * math.sqrt(1 / 3), abs_tol=0.05)
    assert themap.rows[-1].radius == 0.0


def test_unknown_source_or_level() -> None:
    assert thematic.thematic_map(user=None, key="no.such", level="province") is None
    assert thematic.thematic_map(user=None, key="gis.projects", level="village") is None  # type: ignore[arg-type]


def test_page_in_scope_with_thai_legend(world) -> None:
    client = signed_in_client(world["kk_officer"])
    response = client.get(PAGE, {"source": "gis.projects", "level": "district"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "ไม่มีข้อมูล" in page  # the no-data class of the legend
    assert all(label in page for label in ("จังหวัด", "อำเภอ", "ตำบล"))  # the level picker
    features = response.context["config"]["features"]
    assert "4001" in features and all(code.startswith("40") for code in features)  # nothing of Bangkok
    klass, value = features["4001"][:2]
    assert value == 3.0 and response.context["config"]["colors"][klass] in thematic.PALETTES[3]

    assert {code for code, f in features.items() if f[1] == 0} == set(features) - {"4001"}  # in scope: 0

    data = client.get(DATA, {"source": "gis.projects", "level": "subdistrict", "province": "40"}).json()
    assert {code for code, f in data["features"].items() if f[1]} == {"400101"}
    assert set(data["features"]) == {code for code in area_names("subdistrict") if code.startswith("40")}
    assert data["no_data"]["areas"] == 0

    sheet = client.get(PAGE, {"source": "gis.projects", "level": "province", "format": "xlsx"})
    assert sheet.status_code == 200 and sheet["Content-Type"].startswith("application/vnd.openxmlformats")


def test_out_of_scope_and_unauthorised_users(world) -> None:
    # Bangkok's officer asks for Khon Kaen: every area there is no data, no value leaks.
    bkk = signed_in_client(world["bkk_officer"])
    data = bkk.get(DATA, {"source": "gis.projects", "level": "subdistrict", "province": "40"}).json()
    assert data["features"] == {} and data["legend"] == []
    page = bkk.get(PAGE, {"source": "gis.projects", "level": "province"})
    assert page.status_code == 200 and set(page.context["config"]["features"]) == {"10"}

    assert Client().get(PAGE).status_code == 302  # to the sign-in page
    assert Client().get(DATA).status_code == 302
    nobody = signed_in_client(UserFactory())  # type: ignore[arg-type]  # signed in, no role: no right to area maps
    assert nobody.get(PAGE).status_code == 403
    assert nobody.get(DATA).status_code == 403
