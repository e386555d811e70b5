"""NPL history: the loan book's figures at each month's end, kept as they were computed then.

``snapshot_take(month_end)`` records, for every province with active loans, the number of loans,
outstanding principal, outstanding of loans more than 30 days overdue (PAR30) and more than 90
days overdue (NPL), by the portfolio's rule (``selectors``: a loan's days overdue count from its
oldest unpaid current instalment due before the day). It is idempotent per month: a month already
taken is left as it was (the first taking stands) and reported as such; ``replace=True`` retakes
it (one transaction: the old rows go only when the new ones are written). This is the live rule,
which counts payments made after the month's end when taken late; ``manage.py
lending_npl_snapshot`` and the scheduled task (``codi.lending.tasks``) take the month through
``codi.lending.backfill.snapshot_take_exact``, which rebuilds it as it stood where the book allows.

``npl_history`` reads the snapshots of the provinces in a user's scope, summed per month, so the
portfolio page charts the NPL share over time without recomputing past months: unlike
``trend.npl_trend``, a snapshot keeps loans closed or written off since, and payments made after
the month's end do not change it.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Min, Q, Sum

from codi.areas.selectors import region_list
from codi.core.audit import audit_record
from codi.identity.roles import Perm
from codi.identity.selectors import AnyUser, scope_province_codes
from codi.lending.models import ZERO, Instalment, LoanStatus
from codi.lending.models_reports import NplSnapshot
from codi.lending.selectors import _ratio
from codi.lending.trend import MonthFigures


@dataclass(frozen=True)
class SnapshotResult:
    month_end: date
    provinces: int
    loans: int
    created: bool  # False: the month was already taken and left as it was


def month_end_of(day: date) -> date:
    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def last_closed_month_end(today: date) -> date:
    """The end of the month before ``today``'s."""
    first = today.replace(day=1)
    return month_end_of(date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1))


Figures = dict[tuple[str, str], dict[str, Any]]


def new_figures() -> Figures:
    return defaultdict(
        lambda: {"loans": 0, "outstanding": ZERO, "par30_outstanding": ZERO, "npl_outstanding": ZERO}
    )


def add_loan(f: dict[str, Any], outstanding: Decimal, days: int) -> None:
    f["loans"] += 1
    f["outstanding"] += outstanding
    if days > 30:
        f["par30_outstanding"] += outstanding
    if days > 90:
        f["npl_outstanding"] += outstanding


def _by_province(as_of: date) -> Figures:
    overdue = Q(due_date__lt=as_of) & (
        Q(principal_paid__lt=F("principal_due")) | Q(interest_paid__lt=F("interest_due"))
    )
    per_loan = (
        Instalment.objects.filter(is_current=True, loan__status=LoanStatus.ACTIVE, loan__disbursed_on__lte=as_of)
        .values("loan_id", "loan__subdistrict__district__province_id",
                "loan__subdistrict__district__province__region_id")
        .annotate(outstanding=Sum(F("principal_due") - F("principal_paid")), oldest=Min("due_date", filter=overdue))
        .order_by()
    )  # fmt: skip
    figures = new_figures()
    for r in per_loan:
        key = (
            r["loan__subdistrict__district__province_id"],
            r["loan__subdistrict__district__province__region_id"] or "",
        )
        days = (as_of - r["oldest"]).days if r["oldest"] else 0
        add_loan(figures[key], r["outstanding"] or ZERO, days)
    return figures


def snapshot_take(*, month_end: date, actor: Any = None, replace: bool = False) -> SnapshotResult:
    """Record the month's figures by province (module docstring)."""
    month_end = month_end_of(month_end)
    with transaction.atomic():
        taken = NplSnapshot.objects.select_for_update().filter(month_end=month_end)
        if taken.exists() and not replace:
            rows = list(taken)
            return SnapshotResult(month_end, len(rows), sum(r.loans for r in rows), created=False)
        taken.delete()
        figures = _by_province(month_end)
        loans = store_month(
            month_end, figures, actor=actor, action="lending.npl_snapshot_take", replace=replace
        )
    return SnapshotResult(month_end, len(figures), loans, created=True)


def store_month(month_end: date, figures: Figures, *, actor: Any, action: str, replace: bool) -> int:
    """Write one month's rows (the caller holds the transaction and removed any old rows); audited."""
    NplSnapshot.objects.bulk_create(
        NplSnapshot(month_end=month_end, province_code=province, region_code=region, **f)
        for (province, region), f in sorted(figures.items())
    )
    loans = sum(int(f["loans"]) for f in figures.values())
    audit_record(actor=actor, action=action, object_type="lending.NplSnapshot", object_id=month_end.isoformat(),
                 changes={"provinces": len(figures), "loans": loans, "replace": replace})  # fmt: skip
    return loans


def npl_history(*, actor: AnyUser, months: int = 24, until: date | None = None) -> list[MonthFigures]:
    """The last ``months`` snapshotted months (up to ``until``) summed over the provinces in scope,
    with each region's NPL %, oldest first."""
    provinces = scope_province_codes(actor, Perm.LENDING_VIEW)
    rows = NplSnapshot.objects.all()
    if provinces is not None:
        rows = rows.filter(province_code__in=provinces)
    if until is not None:
        rows = rows.filter(month_end__lte=until)
    ends = sorted(set(rows.values_list("month_end", flat=True)))[-months:]
    sums: dict[date, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    regions: dict[date, dict[str, list[Decimal]]] = defaultdict(lambda: defaultdict(lambda: [ZERO, ZERO]))
    names = region_names()
    for r in rows.filter(month_end__in=ends):
        s = sums[r.month_end]
        s["outstanding"] += r.outstanding
        s["npl"] += r.npl_outstanding
        s["par30"] += r.par30_outstanding
        pair = regions[r.month_end][names.get(r.region_code, r.region_code)]
        pair[0] += r.npl_outstanding
        pair[1] += r.outstanding
    return [
        MonthFigures(
            month_end=end,
            npl=_ratio(sums[end]["npl"], sums[end]["outstanding"]),
            par30=_ratio(sums[end]["par30"], sums[end]["outstanding"]),
            outstanding=sums[end]["outstanding"],
            by_region={name: _ratio(n, o) for name, (n, o) in sorted(regions[end].items())},
        )
        for end in ends
    ]


def region_names() -> dict[str, str]:
    return {r.code: r.name_th for r in region_list()}
