"""The executive board: every registered KPI for one person's scope, one fiscal year (B.E.) and one
area, against its target, with a status in words; and one KPI's breakdown by the area's children
(country → CODI regions → provinces)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from codi.insights.eis import scope as eis_scope
from codi.insights.eis.registry import Fact, Kpi, NoDataError, kpi_list
from codi.insights.eis.scope import Scope

NEAR = Decimal("0.9")  # within 10 % of the target: "close to target"
STATUS_LABELS = {
    "met": _("Target met"),
    "near": _("Close to target"),
    "behind": _("Behind target"),
    "no_target": _("No target set"),
    "no_data": _("No data"),
}


def status_of(kpi: Kpi, value: Decimal | None, target: Decimal | None) -> str:
    if value is None:
        return "no_data"
    if target is None:
        return "no_target"
    if kpi.higher_is_better:
        if value >= target:
            return "met"
        return "near" if value >= target * NEAR else "behind"
    if value <= target:
        return "met"
    return "near" if value * NEAR <= target else "behind"


@dataclass
class Line:
    """One KPI (or one child area of a KPI) against its target."""

    key: str
    label: str
    value: Decimal | None
    target: Decimal | None
    status: str
    fact: Fact = field(default_factory=Fact)
    reason: str = ""

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass
class KpiView:
    kpi: Kpi
    line: Line
    children: list[Line]
    child_level: str  # region, province or "" (no further drill-down)


def _facts_in(scope: Scope, area: str, facts: dict[str, Fact], regions: dict[str, str]) -> dict[str, Fact]:
    """The facts of the provinces inside both the person's scope and the area."""
    level = eis_scope.level_of(area)
    kept: dict[str, Fact] = {}
    for province, fact in facts.items():
        if not province:
            if scope.country_wide and level == "country":
                kept[province] = fact
            continue
        if not scope.allows_province(province):
            continue
        if level == "region" and regions.get(province) != area:
            continue
        if level in ("province", "subdistrict") and province != area[:2]:
            continue
        kept[province] = fact
    return kept


def _line(kpi: Kpi, key: str, label: str, fact: Fact, fiscal_year: int) -> Line:
    value = kpi.value(fact)
    target = kpi.target(fiscal_year)
    return Line(key, label, value, target, status_of(kpi, value, target), fact)


def kpi_view(kpi: Kpi, *, scope: Scope, fiscal_year: int, area: str, children: bool = True) -> KpiView:
    label = str(kpi.name)
    regions = eis_scope.province_regions()
    try:
        facts = _facts_in(scope, area, kpi.source(scope.user, fiscal_year), regions)
    except NoDataError as exc:
        reason = str(exc.args[0]) if exc.args else ""
        return KpiView(
            kpi, Line(kpi.key, label, None, kpi.target(fiscal_year), "no_data", reason=reason), [], ""
        )
    total = Fact()
    for fact in facts.values():
        total.add(fact)
    line = _line(kpi, kpi.key, label, total, fiscal_year)
    if not facts:
        line.reason = str(_("No figures in this area."))
    level = eis_scope.level_of(area)
    child_level = {"country": "region", "region": "province"}.get(level, "")
    rows: list[Line] = []
    if children and child_level:
        grouped: dict[str, Fact] = defaultdict(Fact)
        for province, fact in facts.items():
            code = province if child_level == "province" else regions.get(province, "")
            if code:
                grouped[code].add(fact)
        names = eis_scope.child_names(area, set(grouped))
        rows = [
            _line(kpi, code, names.get(code, code), fact, fiscal_year)
            for code, fact in sorted(grouped.items(), key=lambda kv: names.get(kv[0], kv[0]))
        ]
    return KpiView(kpi, line, rows, child_level)


def board(*, scope: Scope, fiscal_year: int, area: str) -> list[KpiView]:
    """Every registered KPI for the area, without the breakdown."""
    return [kpi_view(k, scope=scope, fiscal_year=fiscal_year, area=area, children=False) for k in kpi_list()]


def bar_chart(lines: list[Line], *, width: int = 360, bar: int = 18) -> dict[str, object]:
    """Geometry of a horizontal bar chart of the lines' values (inline SVG drawn by the template, no
    script), with the target as a dashed line — the approach of the PMS dashboard's charts."""
    values = [float(line.value) for line in lines if line.value is not None]
    targets = [float(line.target) for line in lines if line.target is not None]
    peak = max(values + targets, default=0.0) or 1.0
    label_w, usable = 130, width - 130 - 60
    bars = [
        {
            "label": line.label,
            "value": line.value,
            "status": line.status,
            "y": i * (bar + 6),
            "w": round(usable * float(line.value or 0) / peak, 1),
            "text_x": label_w + round(usable * float(line.value or 0) / peak, 1) + 4,
        }
        for i, line in enumerate(lines)
    ]
    target_x = label_w + round(usable * targets[0] / peak, 1) if targets else None
    return {
        "bars": bars,
        "width": width,
        "height": max(1, len(lines)) * (bar + 6),
        "bar": bar,
        "label_w": label_w,
        "target_x": target_x,
    }
