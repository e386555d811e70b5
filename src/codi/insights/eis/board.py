"""The executive board: every registered KPI for one person's scope, one fiscal year (B.E.) and one
area, against its target, with a status in words; and one KPI's breakdown by the area's children
(country → CODI regions → provinces → districts → subdistricts → the records), its trend over the
fiscal years, and which source each figure came from (the analytics store or the operational
database) with the marts' freshness."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from codi.insights.eis import scope as eis_scope
from codi.insights.eis.registry import Fact, Kpi, NoDataError, Record, kpi_list
from codi.insights.eis.scope import Scope
from codi.insights.marts import store

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


SOURCES = {
    "marts": _("Analytics store (marts)"),
    "operational": _("Operational database"),
    "fallback": _("Operational database (the marts have not been built yet)"),
}


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
    child_level: str  # region, province, district, subdistrict or "" (no further drill-down)
    source: str = "operational"  # marts, operational, fallback (marts wanted but never built)
    records: list[Record] = field(default_factory=list)

    @property
    def source_label(self) -> str:
        return str(SOURCES[self.source])


CHILD_LEVEL = {"country": "region", "region": "province", "province": "district", "district": "subdistrict"}
CODE_LENGTH = {"province": 2, "district": 4, "subdistrict": 6}


def _is_region(key: str) -> bool:
    return bool(key) and not key[:1].isdigit()


def _full_regions(scope: Scope, regions: dict[str, str]) -> set[str] | None:
    """The regions wholly inside the person's scope (``None``: every region)."""
    if scope.provinces is None:
        return None
    provinces_of: dict[str, set[str]] = defaultdict(set)
    for province, region in regions.items():
        provinces_of[region].add(province)
    return {r for r, ps in provinces_of.items() if r and ps <= scope.provinces}


def _facts_in(scope: Scope, area: str, facts: dict[str, Fact], regions: dict[str, str]) -> dict[str, Fact]:
    """The facts inside both the person's scope and the area. A fact keyed by a region counts only
    at the country and that region's level (and for a person whose scope covers the whole region);
    one keyed by a province or finer counts down to its own level."""
    level = eis_scope.level_of(area)
    full_regions = _full_regions(scope, regions)
    kept: dict[str, Fact] = {}
    for key, fact in facts.items():
        if not key:
            if scope.country_wide and level == "country":
                kept[key] = fact
            continue
        if _is_region(key):
            if full_regions is not None and key not in full_regions:
                continue
            if level == "country" or (level == "region" and key == area):
                kept[key] = fact
            continue
        if not scope.allows_province(key[:2]):
            continue
        if level == "region" and regions.get(key[:2]) != area:
            continue
        if level in CODE_LENGTH and not (len(key) >= len(area) and key.startswith(area)):
            continue
        kept[key] = fact
    return kept


def _line(kpi: Kpi, key: str, label: str, fact: Fact, fiscal_year: int) -> Line:
    value = kpi.value(fact)
    target = kpi.target(fiscal_year)
    return Line(key, label, value, target, status_of(kpi, value, target), fact)


def marts_ready(kpi: Kpi) -> bool:
    """Whether every mart the KPI reads has been built at least once."""
    return bool(kpi.marts) and all(store.manifest(name) is not None for name in kpi.marts)


def source_of(kpi: Kpi, prefer: str = "auto") -> str:
    """Which source the KPI is read from: the marts when it has a mart query and they are built."""
    if kpi.mart_source is None or prefer == "operational":
        return "operational"
    return "marts" if marts_ready(kpi) else "fallback"


def _read(kpi: Kpi, scope: Scope, fiscal_year: int, source: str) -> dict[str, Fact]:
    if source == "marts":
        assert kpi.mart_source is not None
        return kpi.mart_source(scope.provinces, fiscal_year)
    return kpi.source(scope.user, fiscal_year)


def _child_code(key: str, child_level: str, regions: dict[str, str]) -> str:
    if child_level == "region":
        return key if _is_region(key) else regions.get(key[:2], "")
    if _is_region(key):
        return ""
    size = CODE_LENGTH[child_level]
    return key[:size] if len(key) >= size else ""


def kpi_view(
    kpi: Kpi, *, scope: Scope, fiscal_year: int, area: str, children: bool = True, prefer: str = "auto"
) -> KpiView:
    label = str(kpi.name)
    regions = eis_scope.province_regions()
    source = source_of(kpi, prefer)
    try:
        facts = _facts_in(scope, area, _read(kpi, scope, fiscal_year, source), regions)
    except NoDataError as exc:
        reason = str(exc.args[0]) if exc.args else ""
        line = Line(kpi.key, label, None, kpi.target(fiscal_year), "no_data", reason=reason)
        return KpiView(kpi, line, [], "", source)
    total = Fact()
    for fact in facts.values():
        total.add(fact)
    line = _line(kpi, kpi.key, label, total, fiscal_year)
    if not facts:
        line.reason = str(_("No figures in this area."))
    level = eis_scope.level_of(area)
    child_level = CHILD_LEVEL.get(level, "")
    rows: list[Line] = []
    records: list[Record] = []
    if children and child_level:
        grouped: dict[str, Fact] = defaultdict(Fact)
        for key, fact in facts.items():
            code = _child_code(key, child_level, regions)
            if code:
                grouped[code].add(fact)
        names = eis_scope.child_names(area, set(grouped))
        rows = [
            _line(kpi, code, names.get(code, code), fact, fiscal_year)
            for code, fact in sorted(grouped.items(), key=lambda kv: names.get(kv[0], kv[0]))
        ]
        if not rows:
            child_level = ""
    ready = children and level == "subdistrict" and source == "marts" and kpi.records is not None
    if ready and scope.allows_province(area[:2]):
        assert kpi.records is not None
        records = kpi.records(scope.provinces, fiscal_year, area)
    return KpiView(kpi, line, rows, child_level, source, records)


def board(*, scope: Scope, fiscal_year: int, area: str, prefer: str = "auto") -> list[KpiView]:
    """Every registered KPI for the area, without the breakdown."""
    return [
        kpi_view(k, scope=scope, fiscal_year=fiscal_year, area=area, children=False, prefer=prefer)
        for k in kpi_list()
    ]


def trend(kpi: Kpi, *, scope: Scope, years: list[int], area: str) -> list[Line]:
    """The KPI's total in the area for each fiscal year (oldest first), each against its own target;
    each line's label is the year."""
    lines = []
    for year in sorted(years):
        view = kpi_view(kpi, scope=scope, fiscal_year=year, area=area, children=False)
        view.line.label = str(year)
        view.line.key = str(year)
        lines.append(view.line)
    return lines


def freshness_of(views: list[KpiView]) -> tuple[datetime | None, list[str]]:
    """The oldest refresh among the marts the views read (what the page shows as "data as of"), and
    those marts' names."""
    names = sorted({name for v in views if v.source == "marts" for name in v.kpi.marts})
    times = [m.refreshed for m in (store.manifest(n) for n in names) if m is not None and m.refreshed]
    return (min(times) if times else None), names


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
