"""Back-fill of the NPL history: past month-end snapshots rebuilt from the dated repayments.

A loan's state at a past day can be rebuilt exactly when

- its schedule never changed after the disbursement (one schedule version: no second tranche,
  prepayment, restructuring or write-off, which re-spread what was left), and
- the interest and principal paid on its instalments equal the sums of its repayments' interest
  and principal parts (everything paid came through a dated repayment, not an opening balance
  brought in by the loan-book import).

Then the instalments paid by a day follow from the totals received by that day: a repayment pays
penalty first, then interest of the instalments in their order, then their principal
(``services._allocate``), so the interest paid is always a prefix of the schedule's interest in
instalment order, and the principal paid a prefix of its principal. The oldest instalment not
fully paid, its days overdue and the outstanding principal at a month's end are those the
portfolio rule (``history._by_province``) would have read that day.

A month in which some loan disbursed by its end cannot be rebuilt is not written at all (it is
reported with those loans' numbers): a snapshot that left a loan out would understate the book.
A month already taken is left as it was unless ``replace=True``.

``snapshot_take_exact`` is the month-end snapshot the schedule and ``manage.py
lending_npl_snapshot`` take: the month rebuilt as it stood at its end when every loan allows it (so a
snapshot taken late does not count payments made after the month's end), else the live rule of
``history.snapshot_take`` (the result says which).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Count, Sum

from codi.lending.history import (
    Figures,
    SnapshotResult,
    add_loan,
    month_end_of,
    new_figures,
    snapshot_take,
    store_month,
)
from codi.lending.models import ZERO, Instalment, Loan, LoanStatus, Repayment
from codi.lending.models_reports import NplSnapshot

CREATED, KEPT, INEXACT = "created", "kept", "inexact"


@dataclass(frozen=True)
class BackfillMonth:
    month_end: date
    state: str  # CREATED, KEPT (already taken, left as it was) or INEXACT (not written)
    loans: int
    inexact: tuple[str, ...] = ()  # the loan numbers that could not be rebuilt (INEXACT only)


@dataclass
class _Book:
    number: str
    province: str
    region: str
    disbursed_on: date
    closed_on: date | None
    exact: bool
    # (due_date, interest_due, principal_due) in instalment order
    instalments: list[tuple[date, Decimal, Decimal]] = field(default_factory=list)
    # (received_on, interest_part, principal_part) in date order
    payments: list[tuple[date, Decimal, Decimal]] = field(default_factory=list)

    def figures_on(self, day: date) -> tuple[Decimal, int]:
        """Outstanding principal and days overdue at the end of ``day``."""
        interest = sum((p[1] for p in self.payments if p[0] <= day), ZERO)
        principal = sum((p[2] for p in self.payments if p[0] <= day), ZERO)
        owed_interest = owed_principal = ZERO
        oldest: date | None = None
        for due_date, interest_due, principal_due in self.instalments:
            owed_interest += interest_due
            owed_principal += principal_due
            if owed_interest > interest or owed_principal > principal:
                oldest = due_date
                break
        total = sum((i[2] for i in self.instalments), ZERO)
        days = (day - oldest).days if oldest is not None and oldest < day else 0
        return total - principal, days


def _book(until: date) -> list[_Book]:
    loans = (
        Loan.objects.filter(disbursed_on__lte=until, status__in=[LoanStatus.ACTIVE, LoanStatus.CLOSED,
                                                                 LoanStatus.WRITTEN_OFF])
        .annotate(versions_n=Count("versions", distinct=True))
        .values("pk", "number", "status", "disbursed_on", "closed_on", "versions_n",
                "subdistrict__district__province_id", "subdistrict__district__province__region_id")
    )  # fmt: skip
    book: dict[int, _Book] = {
        r["pk"]: _Book(
            number=r["number"],
            province=r["subdistrict__district__province_id"],
            region=r["subdistrict__district__province__region_id"] or "",
            disbursed_on=r["disbursed_on"] or until,
            closed_on=r["closed_on"],
            exact=r["versions_n"] == 1 and r["status"] != LoanStatus.WRITTEN_OFF,
        )
        for r in loans
    }
    paid_on_instalments: dict[int, tuple[Decimal, Decimal]] = defaultdict(lambda: (ZERO, ZERO))
    rows = Instalment.objects.filter(loan_id__in=book, is_current=True).order_by("loan_id", "n")
    for loan_id, due_date, interest_due, principal_due, interest_paid, principal_paid in rows.values_list(
        "loan_id", "due_date", "interest_due", "principal_due", "interest_paid", "principal_paid"
    ):
        book[loan_id].instalments.append((due_date, interest_due, principal_due))
        i, p = paid_on_instalments[loan_id]
        paid_on_instalments[loan_id] = (i + interest_paid, p + principal_paid)
    received = (
        Repayment.objects.filter(loan_id__in=book)
        .values("loan_id")
        .annotate(i=Sum("interest_part"), p=Sum("principal_part"), prepaid=Sum("prepaid_part"))
        .order_by()
    )
    sums = {r["loan_id"]: (r["i"], r["p"], r["prepaid"]) for r in received}
    for loan_id, loan in book.items():
        i, p, prepaid = sums.get(loan_id, (ZERO, ZERO, ZERO))
        if prepaid or paid_on_instalments[loan_id] != (i, p):
            loan.exact = False
    for loan_id, day, i, p in (
        Repayment.objects.filter(loan_id__in=book)
        .order_by("received_on", "pk")
        .values_list("loan_id", "received_on", "interest_part", "principal_part")
    ):
        book[loan_id].payments.append((day, i, p))
    return list(book.values())


def month_ends(until: date, months: int) -> list[date]:
    """The ``months`` month ends up to ``until``'s month, oldest first."""
    last = month_end_of(until)
    return [month_end_of(last - relativedelta(months=k)) for k in range(months - 1, -1, -1)]


def rebuild(book: list[_Book], month_end: date) -> tuple[Figures, tuple[str, ...]]:
    """The month's figures by province from the rebuilt loans, and the loans that cannot be rebuilt."""
    figures = new_figures()
    inexact: list[str] = []
    for loan in book:
        if loan.disbursed_on > month_end or (loan.closed_on is not None and loan.closed_on <= month_end):
            continue
        if not loan.exact:
            inexact.append(loan.number)
            continue
        outstanding, days = loan.figures_on(month_end)
        add_loan(figures[(loan.province, loan.region)], outstanding, days)
    return figures, tuple(sorted(inexact))


def snapshot_backfill(
    *, until: date, months: int = 12, actor: Any = None, replace: bool = False
) -> list[BackfillMonth]:
    """Write the snapshots of the ``months`` month ends up to ``until`` (module docstring)."""
    if not 1 <= months <= 120:
        raise ValueError("months must be 1 to 120")
    ends = month_ends(until, months)
    book = _book(ends[-1])
    out: list[BackfillMonth] = []
    for end in ends:
        with transaction.atomic():
            taken = NplSnapshot.objects.select_for_update().filter(month_end=end)
            if taken.exists() and not replace:
                out.append(BackfillMonth(end, KEPT, sum(r.loans for r in taken)))
                continue
            figures, inexact = rebuild(book, end)
            if inexact:
                out.append(BackfillMonth(end, INEXACT, 0, inexact))
                continue
            taken.delete()
            loans = store_month(
                end, figures, actor=actor, action="lending.npl_snapshot_backfill", replace=replace
            )
            out.append(BackfillMonth(end, CREATED, loans))
    return out


def snapshot_take_exact(
    *, month_end: date, actor: Any = None, replace: bool = False
) -> tuple[SnapshotResult, bool]:
    """The month's snapshot, rebuilt exactly when every loan allows it, else by the live rule;
    returns the result and whether it was rebuilt. A month already taken is left as it was."""
    month_end = month_end_of(month_end)
    with transaction.atomic():
        taken = NplSnapshot.objects.select_for_update().filter(month_end=month_end)
        if taken.exists() and not replace:
            rows = list(taken)
            return SnapshotResult(month_end, len(rows), sum(r.loans for r in rows), created=False), False
        figures, inexact = rebuild(_book(month_end), month_end)
        if inexact:
            return snapshot_take(month_end=month_end, actor=actor, replace=replace), False
        taken.delete()
        loans = store_month(
            month_end, figures, actor=actor, action="lending.npl_snapshot_take", replace=replace
        )
    return SnapshotResult(month_end, len(figures), loans, created=True), True
