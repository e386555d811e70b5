"""Dashboard aggregations of community projects: by fiscal year, program, region and province.

Every figure is a grouped SQL aggregate over the projects the actor may see, grouped by
the main subdistrict's province (the first two digits of its code, no join to the areas)
and program; provinces are folded into CODI regions in Python (77 rows). Installments,
reports and steps join their project and carry the same scope and filter condition
(``selectors.project_condition``) rather than a list of project ids. Community leaders
get no dashboard (their view is the portal). The rows of one query give every breakdown, so the totals of each table
are, by construction, the same numbers (a test checks them against sums of the rows).

- approved: ``Project.approved_amount``; disbursed: the disbursed installments' amounts;
- reported: the expense lines of accepted progress reports;
- overdue: open steps past their due date.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from codi.areas.models import Province, Region
from codi.identity.selectors import AnyUser
from codi.projects import selectors
from codi.projects.models import (
    ExpenseLine,
    IndicatorPeriod,
    Installment,
    Program,
    Project,
    ProjectStatus,
    ProjectStep,
    ReportIndicatorValue,
)

ZERO = Decimal("0.00")


@dataclass
class Figures:
    projects: int = 0
    requested: Decimal = ZERO
    approved: Decimal = ZERO
    disbursed: Decimal = ZERO
    reported: Decimal = ZERO
    overdue: int = 0
    by_status: dict[str, int] = field(default_factory=dict)

    def add(self, other: Figures) -> None:
        self.projects += other.projects
        self.requested += other.requested
        self.approved += other.approved
        self.disbursed += other.disbursed
        self.reported += other.reported
        self.overdue += other.overdue
        for status, n in other.by_status.items():
            self.by_status[status] = self.by_status.get(status, 0) + n

    def as_dict(self) -> dict[str, Any]:
        return {
            "projects": self.projects,
            "requested": self.requested,
            "approved": self.approved,
            "disbursed": self.disbursed,
            "reported": self.reported,
            "overdue": self.overdue,
            "by_status": dict(self.by_status),
        }


@dataclass
class Row:
    key: str
    label: str
    figures: Figures
    link: str = ""


@dataclass
class Dashboard:
    total: Figures
    by_region: list[Row]
    by_province: list[Row]
    by_program: list[Row]
    by_status: list[tuple[str, str, int]]
    indicators: list[dict[str, Any]]


def _cell(cells: dict[tuple[str, int], Figures], province: str | None, program: int) -> Figures:
    return cells.setdefault((province or "", program), Figures())


def _where(actor: AnyUser, filters: selectors.ProjectFilters, prefix: str) -> Q:
    condition = selectors.project_condition(actor=actor, filters=filters, prefix=prefix)
    return Q(pk__in=[]) if condition is None else condition


def _figures_by_province_program(
    actor: AnyUser, filters: selectors.ProjectFilters, today: date
) -> dict[tuple[str, int], Figures]:
    """One Figures per (province code, program id): four grouped queries, each joining the project."""
    cells: dict[tuple[str, int], Figures] = {}
    grouped = (
        Project.objects.filter(_where(actor, filters, ""))
        .order_by()
        .annotate(province=Substr("subdistrict_id", 1, 2))
        .values("province", "program_id", "status")
        .annotate(n=Count("pk"), requested=Sum("requested_amount"), approved=Sum("approved_amount"))
    )
    for row in grouped:
        cell = _cell(cells, row["province"], row["program_id"])
        cell.projects += row["n"]
        cell.requested += row["requested"] or ZERO
        cell.approved += row["approved"] or ZERO
        cell.by_status[row["status"]] = cell.by_status.get(row["status"], 0) + row["n"]
    disbursed = (
        Installment.objects.filter(_where(actor, filters, "project__"), status="disbursed")
        .order_by()
        .annotate(province=Substr("project__subdistrict_id", 1, 2))
        .values("province", "project__program_id")
        .annotate(total=Sum("amount"))
    )
    for paid in disbursed:
        _cell(cells, paid["province"], paid["project__program_id"]).disbursed += paid["total"] or ZERO
    reported = (
        ExpenseLine.objects.filter(_where(actor, filters, "report__project__"), report__status="accepted")
        .order_by()
        .annotate(province=Substr("report__project__subdistrict_id", 1, 2))
        .values("province", "report__project__program_id")
        .annotate(total=Sum("amount"))
    )
    for spent in reported:
        _cell(cells, spent["province"], spent["report__project__program_id"]).reported += (
            spent["total"] or ZERO
        )
    overdue = (
        ProjectStep.objects.filter(
            _where(actor, filters, "project__"), completed_at__isnull=True, due_date__lt=today
        )
        .order_by()
        .annotate(province=Substr("project__subdistrict_id", 1, 2))
        .values("province", "project__program_id")
        .annotate(n=Count("project_id", distinct=True))
    )
    for late in overdue:
        _cell(cells, late["province"], late["project__program_id"]).overdue += late["n"]
    return cells


def indicator_rollup(actor: AnyUser, filters: selectors.ProjectFilters) -> list[dict[str, Any]]:
    """Targets and accepted reported values summed by indicator code (indicators without a code skipped)."""
    targets = (
        IndicatorPeriod.objects.filter(_where(actor, filters, "indicator__result__project__"))
        .exclude(indicator__code="")
        .order_by()
        .values("indicator__code", "indicator__unit")
        .annotate(target=Sum("target"), projects=Count("indicator__result__project_id", distinct=True))
    )
    values = (
        ReportIndicatorValue.objects.filter(
            _where(actor, filters, "report__project__"), report__status="accepted"
        )
        .exclude(indicator__code="")
        .order_by()
        .values("indicator__code")
        .annotate(actual=Sum("value"))
    )
    actual = {row["indicator__code"]: row["actual"] or ZERO for row in values}
    rows = [
        {
            "code": row["indicator__code"],
            "unit": row["indicator__unit"],
            "projects": row["projects"],
            "target": row["target"] or ZERO,
            "actual": actual.get(row["indicator__code"], ZERO),
        }
        for row in targets
    ]
    return sorted(rows, key=lambda r: (r["code"], r["unit"]))


def dashboard(
    *,
    actor: AnyUser,
    fiscal_year: int | None = None,
    program: int | None = None,
    region: str = "",
    province: str = "",
    today: date | None = None,
) -> Dashboard:
    """The dashboard over the projects the actor may see, filtered."""
    today = today or timezone.localdate()
    filters = selectors.ProjectFilters(
        fiscal_year=fiscal_year, program=program, region=region, province=province
    )
    cells = _figures_by_province_program(actor, filters, today)
    provinces = {p.code: p for p in Province.objects.all()}
    regions = {r.code: r for r in Region.objects.all()}
    programs = {p.pk: p for p in Program.objects.all()}

    total = Figures()
    by_region: dict[str, Figures] = defaultdict(Figures)
    by_province: dict[str, Figures] = defaultdict(Figures)
    by_program: dict[int, Figures] = defaultdict(Figures)
    for (prov, prog), figures in cells.items():
        total.add(figures)
        region_code = (provinces[prov].region_id if prov in provinces else None) or ""
        by_region[region_code].add(figures)
        by_province[prov].add(figures)
        by_program[prog].add(figures)

    region_rows = [
        Row(code, regions[code].name_th if code in regions else "—", figures)
        for code, figures in sorted(
            by_region.items(), key=lambda kv: regions[kv[0]].sort_order if kv[0] in regions else 999
        )
    ]
    province_rows = [
        Row(code, provinces[code].name_th if code in provinces else code, figures, link=f"/areas/{code}/")
        for code, figures in sorted(by_province.items())
    ]
    program_rows = [
        Row(programs[pk].code if pk in programs else str(pk), str(programs.get(pk, pk)), figures)
        for pk, figures in sorted(
            by_program.items(), key=lambda kv: programs[kv[0]].code if kv[0] in programs else ""
        )
    ]
    labels = dict(ProjectStatus.choices)
    by_status = [(s, str(labels[s]), total.by_status.get(s, 0)) for s in ProjectStatus.values]
    return Dashboard(
        total=total,
        by_region=region_rows,
        by_province=province_rows,
        by_program=program_rows,
        by_status=by_status,
        indicators=indicator_rollup(actor, filters),
    )


def bar_chart(rows: list[tuple[str, Decimal | int]], *, width: int = 320, bar: int = 18) -> dict[str, Any]:
    """Geometry for a horizontal bar chart drawn as inline SVG by the template (no JS, no CDN)."""
    peak = max((float(v) for _, v in rows), default=0.0) or 1.0
    label_w = 120
    usable = width - label_w - 70
    bars = [
        {
            "label": label,
            "value": value,
            "y": i * (bar + 6),
            "w": round(usable * float(value) / peak, 1),
            "text_x": label_w + round(usable * float(value) / peak, 1) + 4,
        }
        for i, (label, value) in enumerate(rows)
    ]
    return {
        "bars": bars,
        "width": width,
        "height": max(1, len(rows)) * (bar + 6),
        "bar": bar,
        "label_w": label_w,
    }
