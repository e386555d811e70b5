"""The executive board: the registry, the figures against the owning app's own, status in words,
scope (a regional executive sees their region only; others are refused), no data with its reason."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation
from scripts.th.eis import TH as TH_EIS
from scripts.th.eis2 import TH as TH_EIS2
from scripts.th.eis3 import TH as TH_EIS3

from codi.areas.models import Province
from codi.insights.eis import board as eis_board
from codi.insights.eis.registry import Fact, Kpi, kpi_get, kpi_list, kpi_register
from codi.insights.eis.scope import scope_for
from codi.projects import reporting
from codi.projects.models import Project
from tests.permissions import signed_in_client

pytestmark = pytest.mark.django_db
TH = {**TH_EIS, **TH_EIS2, **TH_EIS3}


def _year_and_region() -> tuple[int, str]:
    """The fiscal year with the most demo projects and the region with the most of them."""
    year = max({2568, 2569, 2570}, key=lambda y: Project.objects.filter(fiscal_year=y).count())
    regions = dict(Province.objects.values_list("code", "region_id"))
    counts: dict[str, int] = {}
    for code in Project.objects.filter(fiscal_year=year).values_list("subdistrict_id", flat=True):
        counts[regions[code[:2]]] = counts.get(regions[code[:2]], 0) + 1
    return year, max(counts, key=lambda r: counts[r])


def test_every_kpi_has_a_thai_name_a_unit_and_plan_targets() -> None:
    keys = {k.key for k in kpi_list()}
    assert {"budget_disbursement", "npl_ratio", "feedback_sla", "satisfaction", "systems_on_time", "staff_digital",
            "leaders_trained", "orgs_digital", "open_datasets"} <= keys  # fmt: skip
    for kpi in kpi_list():
        with translation.override("en"):  # the English message id, whatever language a test left on
            name = str(kpi.name)
        assert name in TH and kpi.unit in ("percent", "count")
        with translation.override("en"):
            assert not kpi.definition or str(kpi.definition) in TH
            assert not kpi.area_note or str(kpi.area_note) in TH
        assert kpi.target(2570) is not None and kpi.target(2567) is None
    with pytest.raises(ValueError):
        kpi_register(Kpi("bad", "Bad", "furlongs", lambda viewer, year: {}))


def test_status_is_in_words_and_follows_the_direction() -> None:
    up, down = kpi_get("budget_disbursement"), kpi_get("npl_ratio")
    assert up is not None and down is not None
    assert eis_board.status_of(up, Decimal("95"), Decimal("90")) == "met"
    assert eis_board.status_of(up, Decimal("85"), Decimal("90")) == "near"
    assert eis_board.status_of(up, Decimal("50"), Decimal("90")) == "behind"
    assert eis_board.status_of(down, Decimal("4"), Decimal("5")) == "met"
    assert eis_board.status_of(down, Decimal("12"), Decimal("5")) == "behind"
    assert eis_board.status_of(up, None, Decimal("90")) == "no_data"


def test_board_equals_the_owning_apps_figures_and_scope_applies(demo_projects, matrix) -> None:
    year, region = _year_and_region()
    executive = matrix.user("executive", "country")
    regional = matrix.user("executive", "region", region)
    pms = reporting.dashboard(actor=executive, fiscal_year=year)
    views = {v.kpi.key: v for v in eis_board.board(scope=scope_for(executive), fiscal_year=year, area="")}
    line = views["budget_disbursement"].line
    assert line.fact == Fact(pms.total.disbursed, pms.total.approved)
    assert line.value == (pms.total.disbursed * 100 / pms.total.approved).quantize(Decimal("0.01"))
    # No loans, tickets or answers in this database: "no data" with the reason, never a zero.
    for key in ("npl_ratio", "feedback_sla", "satisfaction"):
        assert (
            views[key].line.status == "no_data" and views[key].line.value is None and views[key].line.reason
        )

    # The regional executive's board opens on their region and holds only its provinces.
    page = signed_in_client(regional).get(f"/insights/eis/?year={year}")
    assert page.status_code == 200 and page.context["area"].code == region
    mine = reporting.dashboard(actor=executive, fiscal_year=year, region=region).total
    regional_line = {v.kpi.key: v for v in page.context["views"]}["budget_disbursement"].line
    assert regional_line.fact == Fact(mine.disbursed, mine.approved)
    body = page.content.decode()
    assert str(regional_line.status_label) in body and "eis-board" in body

    other = next(
        r for r in Province.objects.values_list("region_id", flat=True).distinct() if r and r != region
    )
    client = signed_in_client(regional)
    assert client.get(f"/insights/eis/?year={year}&area={other}").status_code == 403
    assert client.get(f"/insights/eis/?year={year}&area=").status_code == 403
    assert client.get(f"/insights/eis/kpi/budget_disbursement/?area={other}").status_code == 403


def test_refused_without_the_right(matrix) -> None:
    matrix.check(
        lambda client: client.get("/insights/eis/"),
        allowed=matrix.user("executive", "country"),
        wrong_role=matrix.user("finance_officer", "country"),
        out_of_scope=None,
    )
    regional = matrix.user("executive", "region", "north")
    assert signed_in_client(regional).get("/insights/eis/?area=northeast").status_code == 403
    assert signed_in_client(regional).get("/insights/eis/?area=zz").status_code == 404
