"""Dashboard totals equal the sums computed directly from the rows, for every breakdown and filter."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest

from codi.areas.models import Province
from codi.projects import reporting
from codi.projects.generator import projects_demo_load
from codi.projects.models import ExpenseLine, Installment, Project, ProjectStep, ReportIndicatorValue
from tests.factories import UserFactory
from tests.projects.factories import staff

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 29)
ZERO = Decimal("0.00")


@pytest.fixture
def demo():
    UserFactory(username="demo_finance")
    projects_demo_load(count=400, today=TODAY)


def _direct(projects):
    ids = list(projects.values_list("pk", flat=True))
    return {
        "projects": len(ids),
        "requested": sum((p.requested_amount for p in projects), ZERO),
        "approved": sum((p.approved_amount or ZERO for p in projects), ZERO),
        "disbursed": sum(
            (i.amount for i in Installment.objects.filter(project_id__in=ids, status="disbursed")), ZERO
        ),
        "reported": sum(
            (
                e.amount
                for e in ExpenseLine.objects.filter(report__project_id__in=ids, report__status="accepted")
            ),
            ZERO,
        ),
        "overdue": len(
            {
                s.project_id
                for s in ProjectStep.objects.filter(project_id__in=ids, completed_at__isnull=True)
                if s.due_date and s.due_date < TODAY
            }
        ),
        "by_status": dict(Counter(p.status for p in projects)),
    }


def test_dashboard_totals_equal_the_rows(demo):
    executive = staff("executive", "country")
    board = reporting.dashboard(actor=executive, today=TODAY)
    assert board.total.as_dict() == _direct(Project.objects.all())
    for table in (board.by_region, board.by_province, board.by_program):
        summed = reporting.Figures()
        for row in table:
            summed.add(row.figures)
        assert summed.as_dict() == board.total.as_dict()
    assert sum(n for _s, _l, n in board.by_status) == 400


def test_filtered_and_scoped_totals_equal_the_rows(demo):
    northeast = list(Province.objects.filter(region_id="northeast").values_list("code", flat=True))
    director = staff("regional_director", "region", "northeast")
    board = reporting.dashboard(actor=director, fiscal_year=2569, today=TODAY)
    rows = Project.objects.filter(fiscal_year=2569, subdistrict__district__province__in=northeast)
    assert board.total.projects > 0
    assert board.total.as_dict() == _direct(rows)
    province = reporting.dashboard(actor=director, province="40", today=TODAY)
    assert province.total.as_dict() == _direct(Project.objects.filter(subdistrict__district__province="40"))
    assert [r.link for r in province.by_province] == ["/areas/40/"]


def test_indicator_rollup_by_code(demo):
    board = reporting.dashboard(actor=staff("executive", "country"), today=TODAY)
    for row in board.indicators:
        values = ReportIndicatorValue.objects.filter(indicator__code=row["code"], report__status="accepted")
        assert row["actual"] == sum((v.value for v in values), ZERO)
    assert {r["code"] for r in board.indicators} == {
        "HOUSING_UNITS",
        "WELFARE_MEMBERS",
        "COUNCIL_PLANS",
        "FARM_RAI",
        "HOUSEHOLDS_RELIEVED",
        "ENTERPRISES",
    }


def test_dashboard_export_matches_the_totals(demo):
    from codi.projects.exporting import dashboard_rows

    board = reporting.dashboard(actor=staff("executive", "country"), today=TODAY)
    last = list(dashboard_rows(board).rows)[-1]
    assert last == [
        "รวม",
        "",
        "",
        400,
        board.total.requested,
        board.total.approved,
        board.total.disbursed,
        board.total.reported,
        board.total.overdue,
    ]
