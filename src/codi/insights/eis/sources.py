"""The operational sources of the plan's KPIs and their registration.

Each source reads the owning app's public selectors as the viewing person (so that app's own scope
applies) and returns one ``Fact`` per province code; ``""`` holds what belongs to no province (shown
to country-wide viewers only). Targets are those of the digital action plan, by fiscal year (B.E.).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from codi.areas.selectors import area_list
from codi.feedback.selectors import TicketFilters, ticket_list
from codi.insights.eis import mart_sources as marts
from codi.insights.eis import mart_training
from codi.insights.eis.registry import Fact, Kpi, NoDataError, kpi_register
from codi.insights.eis.systems import delivered_on_time
from codi.insights.models import SatisfactionResponse
from codi.lending.selectors import portfolio
from codi.opendata.selectors import published_datasets
from codi.people.kpi import breakdown as competency_breakdown
from codi.projects.reporting import dashboard

PLAN_YEARS = (2568, 2569, 2570)
ZERO = Decimal("0")


def fiscal_bounds(fiscal_year: int) -> tuple[date, date]:
    """1 October of the year before to 30 September (a B.E. fiscal year)."""
    ce = fiscal_year - 543
    return date(ce - 1, 10, 1), date(ce, 9, 30)


def _moments(fiscal_year: int) -> tuple[datetime, datetime]:
    first, last = fiscal_bounds(fiscal_year)
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(first, time.min, tzinfo=zone),
        datetime.combine(last, time.max, tzinfo=zone),
    )


def budget_disbursement(viewer: Any, fiscal_year: int) -> dict[str, Fact]:
    """Disbursed installments against approved amounts of the year's community projects (PMS)."""
    board = dashboard(actor=viewer, fiscal_year=fiscal_year)
    facts = {
        row.key or "": Fact(row.figures.disbursed, row.figures.approved)
        for row in board.by_province
        if row.figures.approved
    }
    if not facts:
        raise NoDataError(_("No approved project in this fiscal year."))
    return facts


def npl_ratio(viewer: Any, fiscal_year: int) -> dict[str, Fact]:
    """Outstanding principal more than 90 days overdue against all outstanding principal, at the
    end of the fiscal year (or today while the year runs)."""
    as_of = marts.npl_as_of(fiscal_year)
    codes = dict(area_list(level="province").values_list("name_th", "code"))
    book = portfolio(actor=viewer, as_of=as_of)
    facts: dict[str, Fact] = defaultdict(Fact)
    for name, figures in book.by_province.items():
        facts[codes.get(name, "")].add(Fact(figures.npl_outstanding, figures.outstanding))
    if not facts:
        raise NoDataError(_("No active loan."))
    return dict(facts)


def feedback_within_sla(viewer: Any, fiscal_year: int) -> dict[str, Fact]:
    """Tickets of the year not past their resolution deadline (open and overdue, or resolved late)."""
    start, end = _moments(fiscal_year)
    now = timezone.now()
    tickets = ticket_list(user=viewer).filter(created_at__range=(start, end))
    late = ticket_list(user=viewer, filters=TicketFilters(is_overdue=True), now=now).values("pk")
    rows = (
        tickets.order_by()
        .values("subdistrict_id")
        .annotate(
            total=Count("id"),
            late=Count(
                "id",
                filter=Q(pk__in=late) | Q(resolved_at__isnull=False, resolved_at__gt=F("resolve_due_at")),
            ),
        )
    )
    facts: dict[str, Fact] = defaultdict(Fact)
    for row in rows:
        code = (row["subdistrict_id"] or "")[:2]
        facts[code].add(Fact(Decimal(row["total"] - row["late"]), Decimal(row["total"])))
    if not facts:
        raise NoDataError(_("No feedback received in this fiscal year."))
    return dict(facts)


def users_satisfied(viewer: Any, fiscal_year: int) -> dict[str, Fact]:
    """Answers of 4 or 5 among all answers to the in-app survey in the year (every module)."""
    answers = SatisfactionResponse.objects.filter(quarter__startswith=f"{fiscal_year}-").aggregate(
        n=Count("id"), satisfied=Count("id", filter=Q(score__gte=4))
    )
    if not answers["n"]:
        raise NoDataError(_("No survey answer in this fiscal year."))
    return {"": Fact(Decimal(answers["satisfied"]), Decimal(answers["n"]))}


def _competency(indicator: str, fiscal_year: int) -> dict[str, Fact]:
    """One indicator of the people app's digital-competency breakdown by CODI region (head office
    staff under ``""``): a share of staff as numerator/base, or a head count."""
    rows = [r for r in competency_breakdown(fiscal_year, by="region") if r.indicator == indicator]
    if not rows:
        raise NoDataError(_("The training records have no target for this fiscal year."))
    facts: dict[str, Fact] = defaultdict(Fact)
    for row in rows:
        base = Decimal(row.base) if row.base is not None else ZERO
        facts[row.group].add(Fact(Decimal(row.count), base))
    if not any(f.numerator or f.denominator for f in facts.values()):
        raise NoDataError(_("No training recorded in this fiscal year."))
    return dict(facts)


def staff_digital(viewer: Any, fiscal_year: int) -> dict[str, Fact]:
    """Staff employed in the year who apply digital skills at work (a completed staff course applied
    at work, or the supervisor's confirmed level), against all staff employed in the year."""
    return _competency("digital_at_work", fiscal_year)


def leaders_trained(viewer: Any, fiscal_year: int) -> dict[str, Fact]:
    """Community leaders who completed a digital-skills course in the year (each counted once)."""
    return _competency("leaders_trained", fiscal_year)


def organizations_digital(viewer: Any, fiscal_year: int) -> dict[str, Fact]:
    """Community organizations with at least one leader who completed a digital-skills course in
    the year (the organization taken from the community registry)."""
    return _competency("orgs_digital", fiscal_year)


def open_datasets(viewer: Any, fiscal_year: int) -> dict[str, Fact]:
    """Datasets first published on the open data portal in the year and still published."""
    start, end = _moments(fiscal_year)
    n = published_datasets().filter(metadata_created__range=(start, end)).count()
    return {"": Fact(Decimal(n))}


def _every_year(value: str) -> dict[int, Decimal]:
    return dict.fromkeys(PLAN_YEARS, Decimal(value))


KPIS = (
    Kpi("systems_on_time", _("Systems of the plan delivered on time"), "percent", delivered_on_time,
        _every_year("100"), owner="insights",
        definition=_("Systems the digital plan schedules for the fiscal year that went live by their planned "
                     "date, out of those delivered or past their planned date (recorded by the system administrators).")),
    Kpi("budget_disbursement", _("Budget disbursement rate"), "percent", budget_disbursement,
        _every_year("90"), owner="projects", mart_source=marts.budget_disbursement, marts=("projects",),
        records=marts.project_records,
        definition=_("Disbursed installments against the approved amounts of the fiscal year's community projects.")),
    Kpi("npl_ratio", _("Non-performing loans (NPL)"), "percent", npl_ratio, _every_year("5"),
        higher_is_better=False, owner="lending", mart_source=marts.npl_ratio, marts=("instalments",),
        records=marts.loan_records,
        definition=_("Of the active loans, the outstanding principal of those with an instalment more than 90 days "
                     "past due, as a share of all their outstanding principal, at the end of the fiscal year (or "
                     "today while it runs); a loan's days past due count from its oldest instalment still unpaid.")),
    Kpi("feedback_sla", _("Feedback resolved within the service level"), "percent", feedback_within_sla,
        {2568: Decimal("80"), 2569: Decimal("85"), 2570: Decimal("90")}, owner="feedback",
        mart_source=marts.feedback_within_sla, marts=("tickets",), records=marts.ticket_records,
        definition=_("Feedback received in the fiscal year that is neither open past its deadline nor resolved late.")),
    Kpi("satisfaction", _("Users satisfied with the digital systems"), "percent", users_satisfied,
        _every_year("80"), owner="insights", mart_source=marts.users_satisfied, marts=("satisfaction",),
        definition=_("Answers of 4 or 5 out of 5 among all answers to the in-app survey in the fiscal year.")),
    Kpi("staff_digital", _("Staff applying digital skills at work"), "percent", staff_digital,
        {2568: Decimal("20"), 2569: Decimal("50"), 2570: Decimal("80")}, owner="people",
        mart_source=mart_training.staff_digital, marts=("staff", "training", "supervisor_levels"),
        area_note=_("Staff are counted in the CODI region they work in (head office staff at the country level "
                    "only); the staff records hold no province or subdistrict, so this indicator does not drill "
                    "down below the region."),
        definition=_("Staff employed in the fiscal year who completed a staff digital course and apply it at work "
                     "(or whose supervisor confirmed the level), out of all staff employed in the year.")),
    Kpi("leaders_trained", _("Community leaders trained in digital skills"), "count", leaders_trained,
        _every_year("500"), owner="people", mart_source=mart_training.leaders_trained,
        marts=("training", "community_organizations"),
        area_note=_("A leader is placed in the subdistrict of their community organization; leaders are "
                    "not listed by name."),
        definition=_("Community leaders who completed a digital-skills course in the fiscal year, each counted "
                     "once; 500 a year, 2,500 over the plan.")),
    Kpi("orgs_digital", _("Community organizations using digital tools"), "count", organizations_digital,
        _every_year("500"), owner="people", mart_source=mart_training.organizations_digital,
        marts=("training", "community_organizations"), records=mart_training.organization_records,
        definition=_("Community organizations of the registry with at least one leader who completed a "
                     "digital-skills course in the fiscal year (training on the platform's tools); 500 a year, "
                     "2,500 more over the plan.")),
    Kpi("open_datasets", _("Open datasets published"), "count", open_datasets, _every_year("1"),
        owner="opendata",
        definition=_("Datasets first published on the open data portal in the fiscal year and still "
                     "published; the plan asks one a year.")),
)  # fmt: skip


def register_all() -> None:
    for kpi in KPIS:
        kpi_register(kpi)
