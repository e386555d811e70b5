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
from codi.insights.eis.registry import Fact, Kpi, NoDataError, kpi_register
from codi.insights.models import SatisfactionResponse
from codi.lending.selectors import portfolio
from codi.projects.reporting import dashboard

PLAN_YEARS = (2568, 2569, 2570)


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
    as_of = min(fiscal_bounds(fiscal_year)[1], timezone.localdate())
    if as_of < fiscal_bounds(fiscal_year)[0]:
        raise NoDataError(_("The fiscal year has not started."))
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


def _every_year(value: str) -> dict[int, Decimal]:
    return dict.fromkeys(PLAN_YEARS, Decimal(value))


KPIS = (
    Kpi("budget_disbursement", _("Budget disbursement rate"), "percent", budget_disbursement,
        _every_year("90"), owner="projects"),
    Kpi("npl_ratio", _("Non-performing loans (NPL)"), "percent", npl_ratio, _every_year("5"),
        higher_is_better=False, owner="lending"),
    Kpi("feedback_sla", _("Feedback resolved within the service level"), "percent", feedback_within_sla,
        {2568: Decimal("80"), 2569: Decimal("85"), 2570: Decimal("90")}, owner="feedback"),
    Kpi("satisfaction", _("Users satisfied with the digital systems"), "percent", users_satisfied,
        _every_year("80"), owner="insights"),
)  # fmt: skip


def register_all() -> None:
    for kpi in KPIS:
        kpi_register(kpi)
