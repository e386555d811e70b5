"""The e-Audit situation room: by CODI region, then province, the projects and their money
(approved = the plan, disbursed, reported), open project steps past due, budget lines near
exhaustion, open exceptions and findings, overdue corrective actions, and the top risks.

Every figure of another app is read through that app's selectors (``codi.projects.reporting``,
``codi.projects.selectors``, ``codi.finance.selectors``) with the viewer as actor, so their scope
rules apply twice: the viewer's ``eaudit.view`` grant decides the provinces shown (a regional
director sees their region), and each app's own rules decide what of it the viewer may read.

An exception or finding is placed by its source record: a project by its subdistrict's province,
a payment voucher by its budget line's region (region level only); records with no area (a
requisition, an employee) are counted organization-wide, which only a country-wide viewer sees.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone

from codi.areas.models import Province, Region
from codi.areas.selectors import area_list, province_region_code
from codi.audit.models import AuditException, ExceptionStatus, Finding, FindingStatus, Risk
from codi.core.audit import audit_record
from codi.finance import selectors as finance_selectors
from codi.identity.roles import Perm
from codi.identity.selectors import scope_province_codes, user_has_perm
from codi.projects import reporting
from codi.projects import selectors as project_selectors

ZERO = Decimal("0.00")
NEAR_EXHAUSTION = Decimal("90")  # percent of a budget line committed or spent
TOP_RISKS = 10
NO_AREA = ""  # the organization-wide bucket

AnyUser = Any


def can_view(user: AnyUser) -> bool:
    """Any ``eaudit.view`` grant opens the situation room, scoped to the grant's area."""
    return user_has_perm(user, Perm.EAUDIT_VIEW)


def scope(user: AnyUser) -> set[str] | None:
    """Province codes the viewer may see; ``None``: the whole country."""
    codes = scope_province_codes(user, Perm.EAUDIT_VIEW)
    return None if codes is None else set(codes)


@dataclass
class AreaRow:
    code: str
    label: str
    projects: int = 0
    approved: Decimal = ZERO
    disbursed: Decimal = ZERO
    reported: Decimal = ZERO
    overdue_steps: int = 0
    budget_allocated: Decimal = ZERO
    budget_used: Decimal = ZERO
    lines_near_exhaustion: int = 0
    exceptions: int = 0
    findings: int = 0
    overdue_actions: int = 0

    @property
    def disbursed_percent(self) -> Decimal | None:
        if not self.approved:
            return None
        return (self.disbursed * 100 / self.approved).quantize(Decimal("0.1"))

    @property
    def unreported(self) -> Decimal:
        """Disbursed but not yet covered by an accepted report."""
        return max(self.disbursed - self.reported, ZERO)

    @property
    def budget_percent(self) -> Decimal | None:
        if not self.budget_allocated:
            return None
        return (self.budget_used * 100 / self.budget_allocated).quantize(Decimal("0.1"))

    def add(self, other: AreaRow) -> None:
        for name in ("projects", "approved", "disbursed", "reported", "overdue_steps", "budget_allocated",
                     "budget_used", "lines_near_exhaustion", "exceptions", "findings", "overdue_actions"):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code, "label": self.label, "projects": self.projects, "approved": self.approved,
            "disbursed": self.disbursed, "reported": self.reported, "unreported": self.unreported,
            "disbursed_percent": self.disbursed_percent, "overdue_steps": self.overdue_steps,
            "budget_allocated": self.budget_allocated, "budget_used": self.budget_used,
            "budget_percent": self.budget_percent, "lines_near_exhaustion": self.lines_near_exhaustion,
            "exceptions": self.exceptions, "findings": self.findings, "overdue_actions": self.overdue_actions,
        }  # fmt: skip


@dataclass(frozen=True)
class PlacedItem:
    """An open exception or finding placed in an area, for the drill-down list."""

    kind: str  # "exception" or "finding"
    pk: int
    label: str
    detail: str
    source_type: str
    source_id: str
    overdue: bool = False


@dataclass
class Situation:
    region: Region | None
    province: Province | None
    fiscal_year_be: int | None
    budget_year_be: int
    rows: list[AreaRow]
    total: AreaRow
    organization_wide: AreaRow | None
    top_risks: list[Risk]
    items: list[PlacedItem] = field(default_factory=list)

    @property
    def level(self) -> str:
        return "province" if self.province else "region" if self.region else "country"


def _fiscal_year_be(day: date | None = None) -> int:
    day = day or timezone.localdate()
    return day.year + 543 + (1 if day.month >= 10 else 0)


def _place_sources(actor: AnyUser, keys: set[tuple[str, str]]) -> dict[tuple[str, str], tuple[str, str]]:
    """(source type, id) → (region code, province code or ""), read through the owning app's scope."""
    return {k: (p.region, p.province) for k, p in _place_sources_fine(actor, keys).items()}


@dataclass(frozen=True)
class Place:
    region: str
    province: str = ""
    district: str = ""
    subdistrict: str = ""


def _place_sources_fine(actor: AnyUser, keys: set[tuple[str, str]]) -> dict[tuple[str, str], Place]:
    """(source type, id) → its place, as fine as the record keeps it: a project by its subdistrict,
    rolled up to the district and province through the areas app's selectors; a payment voucher
    by its budget line's region only."""
    by_type: dict[str, list[int]] = defaultdict(list)
    for kind, pk in keys:
        if pk.isdigit():
            by_type[kind].append(int(pk))
    placed: dict[tuple[str, str], Place] = {}
    if by_type.get("projects.Project"):
        rows = project_selectors.visible_projects(actor).filter(pk__in=by_type["projects.Project"])
        subdistricts: dict[int, str] = dict(rows.values_list("pk", "subdistrict_id"))
        parents = {
            code: (district, province)
            for code, district, province in area_list(level="subdistrict")
            .filter(code__in={c for c in subdistricts.values() if c})
            .values_list("code", "district_id", "district__province_id")
        }
        for project_pk, code in subdistricts.items():
            district, province = parents.get(code or "", ("", ""))
            if province:
                placed[("projects.Project", str(project_pk))] = Place(
                    province_region_code(province_code=province) or "", province, district, code
                )
    if by_type.get("finance.PaymentVoucher"):
        vouchers = finance_selectors.voucher_list(actor=actor).filter(
            pk__in=by_type["finance.PaymentVoucher"]
        )
        for voucher_row in vouchers.values_list("pk", "budget_line__region_id"):
            if voucher_row[1]:
                placed[("finance.PaymentVoucher", str(voucher_row[0]))] = Place(voucher_row[1])
    return placed


def _open_items(actor: AnyUser, today: date) -> list[tuple[PlacedItem, set[tuple[str, str]]]]:
    """Open exceptions and open findings, each with the source records that place it."""
    items: list[tuple[PlacedItem, set[tuple[str, str]]]] = []
    for e in AuditException.objects.filter(status=ExceptionStatus.OPEN).only(
        "pk", "rule", "record_id", "reason", "source_type", "source_id"
    )[:50000]:
        items.append(
            (PlacedItem("exception", e.pk, e.record_id, e.reason, e.source_type, e.source_id),
             {(e.source_type, e.source_id)})
        )  # fmt: skip
    findings = (
        Finding.objects.exclude(status=FindingStatus.CLOSED)
        .select_related("engagement")
        .prefetch_related("exceptions")
    )
    for f in findings[:5000]:
        sources = {(e.source_type, e.source_id) for e in f.exceptions.all() if e.source_type}
        first = min(sources) if sources else ("", "")
        overdue = f.due_date is not None and f.due_date < today
        items.append((PlacedItem("finding", f.pk, f.number, f.title, first[0], first[1], overdue), sources))
    return items


def top_risks(actor: AnyUser, provinces: set[str] | None) -> list[Risk]:
    """The highest residual risks: all of them for a country-wide viewer, otherwise the
    organization-wide ones and those the viewer owns."""
    rows = Risk.objects.select_related("unit", "owner")
    if provinces is not None:
        rows = rows.filter(Q(unit__isnull=True) | Q(owner=actor))
    ranked = sorted(rows[:2000], key=lambda r: (-r.residual, -r.inherent, r.code))
    return ranked[:TOP_RISKS]


def situation(
    *, actor: AnyUser, region: str = "", province: str = "", fiscal_year_be: int | None = None,
    today: date | None = None,
) -> Situation | None:  # fmt: skip
    """The room at one level: the country (rows are regions), a region (rows are its provinces) or a
    province (one row, with the open exceptions and findings placed there). ``None``: the viewer may
    not see that area (or has no ``eaudit.view`` at all)."""
    if not can_view(actor):
        return None
    today = today or timezone.localdate()
    allowed = scope(actor)
    regions = {r.code: r for r in Region.objects.all()}
    provinces = {p.code: p for p in Province.objects.all()}
    the_province = provinces.get(province) if province else None
    if province and the_province is None:
        return None
    if the_province is not None:
        region = the_province.region_id or ""
    the_region = regions.get(region) if region else None
    if region and the_region is None:
        return None
    in_region = {c for c, p in provinces.items() if p.region_id == region} if region else set(provinces)
    visible = in_region if allowed is None else in_region & allowed
    if (region or province) and not visible:
        return None
    if the_province is not None and the_province.code not in visible:
        return None

    visible_regions = {provinces[c].region_id for c in visible if provinces[c].region_id}

    def key_of(prov: str, reg: str) -> str:
        """The row an area falls in at this level ("" = not shown at this level)."""
        if prov and prov not in visible:
            return ""
        if the_province is not None:
            return prov if prov == the_province.code else ""
        if region:
            return prov
        return reg if reg in visible_regions else ""

    rows: dict[str, AreaRow] = {}

    def row(code: str) -> AreaRow:
        if code not in rows:
            if code in provinces and (region or the_province):
                label = provinces[code].name_th
            else:
                label = regions[code].name_th if code in regions else code
            rows[code] = AreaRow(code, label)
        return rows[code]

    # Projects: the projects app's own dashboard, by province.
    board = reporting.dashboard(actor=actor, fiscal_year=fiscal_year_be, region=region)
    for prow in board.by_province:
        prov = prow.key
        key = key_of(prov, province_region_code(province_code=prov) or "")
        if not key:
            continue
        target, figures = row(key), prow.figures
        target.projects += figures.projects
        target.approved += figures.approved
        target.disbursed += figures.disbursed
        target.reported += figures.reported
        target.overdue_steps += figures.overdue

    # Budget lines (finance): by region only, so shown at the country level.
    budget_year = fiscal_year_be or _fiscal_year_be(today)
    if not region:
        for line in finance_selectors.budget_line_list(actor=actor, year_be=budget_year).filter(
            region__isnull=False
        ):
            reg = line.region_id or ""
            if reg not in visible_regions:
                continue
            target = row(reg)
            used = line.committed + line.actual
            target.budget_allocated += line.allocated
            target.budget_used += used
            if line.allocated and used * 100 >= line.allocated * NEAR_EXHAUSTION:
                target.lines_near_exhaustion += 1

    # Exceptions and findings, placed by their source records.
    organization_wide = AreaRow(NO_AREA, "") if allowed is None and not region else None
    items = _open_items(actor, today)
    places = _place_sources(actor, set().union(*(s for _i, s in items)) if items else set())
    placed_here: list[PlacedItem] = []
    for item, sources in items:
        keys = set()
        for source in sources:
            reg, prov = places.get(source, ("", ""))
            if not reg:
                continue
            key = key_of(prov, reg)  # a region-level record (a voucher) shows at the country level only
            if key:
                keys.add(key)
        targets = [row(k) for k in sorted(keys)]
        if not targets and organization_wide is not None and not any(places.get(s) for s in sources):
            targets = [organization_wide]
        for target in targets:
            if item.kind == "exception":
                target.exceptions += 1
            else:
                target.findings += 1
                target.overdue_actions += int(item.overdue)
        if the_province is not None and targets:
            placed_here.append(item)

    if region and not the_province:
        for code in sorted(visible):
            row(code)
    ordered = sorted(
        rows.values(),
        key=lambda r: (regions[r.code].sort_order if r.code in regions and not region else 0, r.label),
    )
    total = AreaRow("total", "")
    for r in ordered:
        total.add(r)
    if organization_wide is not None:
        total.add(organization_wide)
    return Situation(
        region=the_region, province=the_province, fiscal_year_be=fiscal_year_be, budget_year_be=budget_year,
        rows=ordered, total=total, organization_wide=organization_wide, top_risks=top_risks(actor, allowed),
        items=placed_here,
    )  # fmt: skip


def chart(room: Situation) -> dict[str, Any]:
    """Data for the UI's chart kit (``codi/charts.js``): approved (the plan) against disbursed."""
    rows = [r for r in room.rows if r.approved or r.disbursed]
    return {
        "regions": {
            "title": "การเบิกจ่ายเทียบแผน (งบที่อนุมัติ) ของโครงการ",
            "labels": [r.label for r in rows],
            "approved": [float(r.approved) for r in rows],
            "disbursed": [float(r.disbursed) for r in rows],
            "approved_label": "งบที่อนุมัติ (แผน)",
            "disbursed_label": "เบิกจ่ายแล้ว",
        }
    }


def situation_viewed(*, actor: AnyUser, room: Situation) -> None:
    """Every look at the room is on the trail (it reads other units' projects and money)."""
    audit_record(
        actor=actor, action="eaudit.situation_view", object_type="eaudit.Situation",
        object_id=(room.province.code if room.province else room.region.code if room.region else "country"),
        changes={"level": room.level, "fiscal_year_be": room.fiscal_year_be},
    )  # fmt: skip


def province_counts(*, actor: AnyUser, today: date | None = None) -> dict[str, tuple[int, int]]:
    """Open findings and open exceptions per province, ``code → (findings, exceptions)``, placed by
    their source records as in the room and kept to the viewer's provinces; ``{}`` for a user who
    may not open the room. What feeds the situation room's map (``codi.audit.indicators``)."""
    return area_item_counts(actor=actor, level="province", today=today)


def area_item_counts(
    *, actor: AnyUser, level: str = "province", today: date | None = None
) -> dict[str, tuple[int, int]]:
    """Open findings and open exceptions per area of ``level`` (province, district or subdistrict),
    ``code → (findings, exceptions)``. An item placed at a subdistrict counts in its district and its
    province too; an item counts once per area however many of its sources lie there. Kept to the
    viewer's provinces; ``{}`` for a user who may not open the room."""
    if not can_view(actor) or level not in ("province", "district", "subdistrict"):
        return {}
    allowed = scope(actor)
    items = _open_items(actor, today or timezone.localdate())
    places = _place_sources_fine(actor, set().union(*(s for _i, s in items)) if items else set())
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for item, sources in items:
        areas = set()
        for source in sources:
            place = places.get(source)
            if place is None or not place.province or (allowed is not None and place.province not in allowed):
                continue
            code = getattr(place, level)
            if code:
                areas.add(code)
        for code in areas:
            counts[code][0 if item.kind == "finding" else 1] += 1
    return {code: (n[0], n[1]) for code, n in counts.items()}
