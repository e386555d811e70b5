"""Reads of the loan book, scoped to the acting user (the loan's subdistrict, through
``codi.identity.selectors.scoped``), and the portfolio's arrears, NPL and PAR.

Ageing, as of a date: a loan's days overdue are counted from the oldest due date among its current
instalments that are still unpaid (principal or interest) and fell due before that date; buckets
``current`` (0), ``1-30``, ``31-90`` and ``>90`` days. NPL = outstanding principal of loans more
than 90 days overdue / outstanding principal of all active loans; PAR30 = the same with more than
30 days. Outstanding principal = the current schedule's principal due less principal paid.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import F, Min, Q, QuerySet, Sum

from codi.identity.roles import Perm
from codi.identity.selectors import scope_filter, scoped, user_can_in_area, user_has_perm
from codi.lending.models import ZERO, Instalment, Loan, LoanProduct, LoanStatus, NoticeStatus, PaymentNotice

AnyUser = Any
BUCKETS = ("current", "1-30", "31-90", ">90")
BUCKET_NAMES_TH = {"current": "ปกติ", "1-30": "ค้าง 1-30 วัน", "31-90": "ค้าง 31-90 วัน", ">90": "ค้างเกิน 90 วัน"}


def bucket_of(days: int) -> str:
    if days <= 0:
        return "current"
    if days <= 30:
        return "1-30"
    if days <= 90:
        return "31-90"
    return ">90"


def loan_list(*, actor: AnyUser, perm: str = Perm.LENDING_VIEW, status: str = "") -> QuerySet[Loan]:
    loans = scoped(Loan.objects.all(), actor, perm).select_related(
        "product", "organization", "subdistrict__district__province"
    )
    return loans.filter(status=status) if status else loans


def loan_get(*, actor: AnyUser, loan_id: int) -> Loan | None:
    return loan_list(actor=actor).filter(pk=loan_id).first()


def product_list() -> QuerySet[LoanProduct]:
    return LoanProduct.objects.filter(is_active=True).prefetch_related("rates")


def can_act(actor: AnyUser, perm: str, loan: Loan) -> bool:
    return user_has_perm(actor, perm) and user_can_in_area(actor, perm, subdistrict_code=loan.subdistrict_id)


STEP_PERMS = {"review": Perm.LENDING_MANAGE, "committee": Perm.LENDING_APPROVE, "disburse": Perm.LENDING_CASH}


def credit_inbox(*, actor: AnyUser) -> list[Loan]:
    """Loans waiting at a step the user may act on, in their area, the oldest due first."""
    found: list[Loan] = []
    for step, perm in STEP_PERMS.items():
        found.extend(loan_list(actor=actor, perm=perm).filter(current_step=step))
    return sorted(found, key=lambda loan: (loan.current_step_due or date.max, loan.pk))


def instalments_of(loan: Loan) -> QuerySet[Instalment]:
    return loan.instalments.filter(is_current=True).order_by("n")


@dataclass
class LoanArrears:
    loan_id: int
    number: str
    outstanding: Decimal
    days_overdue: int
    overdue_amount: Decimal
    product: str
    region: str
    province: str

    @property
    def bucket(self) -> str:
        return bucket_of(self.days_overdue)


def _unpaid() -> Q:
    return Q(principal_paid__lt=F("principal_due")) | Q(interest_paid__lt=F("interest_due"))


def loan_arrears(*, actor: AnyUser, as_of: date) -> list[LoanArrears]:
    """One row per active loan in scope: outstanding principal, days overdue, what is overdue."""
    visible = loan_list(actor=actor).filter(status=LoanStatus.ACTIVE).values("pk")
    overdue = Q(due_date__lt=as_of) & _unpaid()
    rows = (
        Instalment.objects.filter(is_current=True, loan__in=visible)
        .values(
            "loan_id",
            "loan__number",
            "loan__product__name_th",
            "loan__subdistrict__district__province__name_th",
            "loan__subdistrict__district__province__region__name_th",
        )
        .annotate(
            outstanding=Sum(F("principal_due") - F("principal_paid")),
            oldest=Min("due_date", filter=overdue),
            overdue_amount=Sum(
                F("principal_due") - F("principal_paid") + F("interest_due") - F("interest_paid"),
                filter=overdue,
            ),
        )
        .order_by("loan_id")
    )
    return [
        LoanArrears(
            loan_id=r["loan_id"],
            number=r["loan__number"],
            outstanding=r["outstanding"] or ZERO,
            days_overdue=(as_of - r["oldest"]).days if r["oldest"] else 0,
            overdue_amount=r["overdue_amount"] or ZERO,
            product=r["loan__product__name_th"],
            region=r["loan__subdistrict__district__province__region__name_th"] or "-",
            province=r["loan__subdistrict__district__province__name_th"],
        )
        for r in rows
    ]


def loan_ageing(loan: Loan, as_of: date) -> LoanArrears:
    """One loan's arrears as of a date, by the same rule as the portfolio (module docstring)."""
    overdue = Q(due_date__lt=as_of) & _unpaid()
    r = Instalment.objects.filter(loan=loan, is_current=True).aggregate(
        outstanding=Sum(F("principal_due") - F("principal_paid")),
        oldest=Min("due_date", filter=overdue),
        overdue_amount=Sum(
            F("principal_due") - F("principal_paid") + F("interest_due") - F("interest_paid"), filter=overdue
        ),
    )
    return LoanArrears(
        loan_id=loan.pk, number=loan.number, outstanding=r["outstanding"] or ZERO,
        days_overdue=(as_of - r["oldest"]).days if r["oldest"] else 0, overdue_amount=r["overdue_amount"] or ZERO,
        product="", region="", province="",
    )  # fmt: skip


@dataclass
class PortfolioFigures:
    loans: int = 0
    outstanding: Decimal = ZERO
    npl_outstanding: Decimal = ZERO
    par30_outstanding: Decimal = ZERO
    buckets: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(BUCKETS, ZERO))
    bucket_loans: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BUCKETS, 0))

    def add(self, row: LoanArrears) -> None:
        self.loans += 1
        self.outstanding += row.outstanding
        self.buckets[row.bucket] += row.outstanding
        self.bucket_loans[row.bucket] += 1
        if row.days_overdue > 90:
            self.npl_outstanding += row.outstanding
        if row.days_overdue > 30:
            self.par30_outstanding += row.outstanding

    @property
    def npl_ratio(self) -> Decimal:
        return _ratio(self.npl_outstanding, self.outstanding)

    @property
    def par30_ratio(self) -> Decimal:
        return _ratio(self.par30_outstanding, self.outstanding)


def _ratio(part: Decimal, whole: Decimal) -> Decimal:
    """A percentage with two decimals (0.00 for an empty portfolio)."""
    if whole <= 0:
        return ZERO
    return (part * 100 / whole).quantize(Decimal("0.01"))


@dataclass
class Portfolio:
    as_of: date
    total: PortfolioFigures
    by_region: dict[str, PortfolioFigures]
    by_province: dict[str, PortfolioFigures]
    by_product: dict[str, PortfolioFigures]
    rows: list[LoanArrears]


def portfolio(*, actor: AnyUser, as_of: date) -> Portfolio:
    """Ageing buckets, NPL and PAR30 of the loans in scope, in total and by region, province, product."""
    rows = loan_arrears(actor=actor, as_of=as_of)
    total = PortfolioFigures()
    groups: dict[str, dict[str, PortfolioFigures]] = {
        k: defaultdict(PortfolioFigures) for k in ("r", "p", "d")
    }
    for row in rows:
        total.add(row)
        groups["r"][row.region].add(row)
        groups["p"][row.province].add(row)
        groups["d"][row.product].add(row)
    return Portfolio(
        as_of=as_of,
        total=total,
        by_region=dict(sorted(groups["r"].items())),
        by_province=dict(sorted(groups["p"].items())),
        by_product=dict(sorted(groups["d"].items())),
        rows=rows,
    )


def payment_queue(*, actor: AnyUser) -> QuerySet[PaymentNotice]:
    """Bank payments that matched no loan, for a country-wide cashier to resolve."""
    condition = scope_filter(actor, Perm.LENDING_CASH)
    if condition is None or condition:
        return PaymentNotice.objects.none()
    return PaymentNotice.objects.filter(status=NoticeStatus.QUEUED)
