"""Reads of the books, scoped to the acting user.

Finance is a head-office function: a country-wide finance grant sees every budget line and
voucher; a region-scoped grant sees the lines of its CODI region only (and vouchers charged to
them); other scopes see nothing. This is the one place that rule becomes a query condition.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from codi.areas.models import Province, Region
from codi.finance.dimensions import COLUMNS, Dimensions, Fund, line_condition
from codi.finance.models import (
    ZERO,
    Account,
    AccountBalance,
    AccountType,
    BudgetLine,
    FiscalYear,
    JournalEntry,
    JournalLine,
    PaymentBatch,
    PaymentVoucher,
    StatementLine,
    Vendor,
    VendorInvoice,
    VoucherStatus,
)
from codi.identity.models import OrgUnit
from codi.identity.roles import Perm, ScopeLevel
from codi.identity.selectors import user_grants, user_has_perm

AnyUser = Any


def region_condition(user: AnyUser, perm: str, *, field: str = "region") -> Q | None:
    """The budget lines ``user`` holds ``perm`` over, as a condition on ``field``; None: nowhere."""
    if not getattr(user, "is_authenticated", False):
        return None
    condition: Q | None = None
    for grant in user_grants(user):
        if perm not in grant.permissions:
            continue
        if grant.scope_level == ScopeLevel.COUNTRY:
            return Q()
        if grant.scope_level == ScopeLevel.REGION:
            part = Q(**{f"{field}_id": grant.scope_code})
            condition = part if condition is None else condition | part
    return condition


def can_act_on_line(user: AnyUser, perm: str, line: BudgetLine) -> bool:
    condition = region_condition(user, perm)
    return condition is not None and BudgetLine.objects.filter(condition, pk=line.pk).exists()


def is_country_wide(user: AnyUser, perm: str) -> bool:
    condition = region_condition(user, perm)
    return condition is not None and not condition


def budget_line_list(*, actor: AnyUser, year_be: int | None = None) -> QuerySet[BudgetLine]:
    condition = region_condition(actor, Perm.FINANCE_VIEW)
    if condition is None:
        return BudgetLine.objects.none()
    lines = BudgetLine.objects.filter(condition).select_related(
        "fiscal_year", "unit", "region", "expense_account"
    )
    if year_be is not None:
        lines = lines.filter(fiscal_year__year_be=year_be)
    return lines.order_by("fiscal_year__year_be", "code")


def voucher_list(*, actor: AnyUser, status: str = "") -> QuerySet[PaymentVoucher]:
    condition = region_condition(actor, Perm.FINANCE_VIEW, field="budget_line__region")
    if condition is None:
        return PaymentVoucher.objects.none()
    vouchers = PaymentVoucher.objects.filter(condition).select_related(
        "fiscal_year", "budget_line", "created_by"
    )
    if status:
        vouchers = vouchers.filter(status=status)
    return vouchers


def voucher_get(*, actor: AnyUser, voucher_id: int) -> PaymentVoucher | None:
    return voucher_list(actor=actor).filter(pk=voucher_id).first()


def voucher_inbox(*, actor: AnyUser) -> QuerySet[PaymentVoucher]:
    """Vouchers waiting for something the user may do (their role's step, in scope)."""
    steps: list[str] = []
    if user_has_perm(actor, Perm.FINANCE_MANAGE):
        steps += ["prepare", "pay"]
    if user_has_perm(actor, Perm.FINANCE_CHECK):
        steps.append("check")
    if user_has_perm(actor, Perm.FINANCE_APPROVE):
        steps.append("approve")
    return voucher_list(actor=actor).filter(current_step__in=steps).order_by("current_step_due", "id")


def payable_vouchers(*, actor: AnyUser) -> QuerySet[PaymentVoucher]:
    return voucher_list(actor=actor).filter(status=VoucherStatus.APPROVED, batch__isnull=True)


def batch_list(*, actor: AnyUser) -> QuerySet[PaymentBatch]:
    if not is_country_wide(actor, Perm.FINANCE_VIEW):
        return PaymentBatch.objects.none()
    return PaymentBatch.objects.select_related("fiscal_year")


def unmatched_statement_lines(*, actor: AnyUser) -> QuerySet[StatementLine]:
    if not is_country_wide(actor, Perm.FINANCE_VIEW):
        return StatementLine.objects.none()
    return StatementLine.objects.filter(voucher__isnull=True)


def entry_list(*, actor: AnyUser, year_be: int | None = None) -> QuerySet[JournalEntry]:
    if not is_country_wide(actor, Perm.FINANCE_VIEW):
        return JournalEntry.objects.none()
    entries = JournalEntry.objects.select_related("fiscal_year", "posted_by")
    if year_be is not None:
        entries = entries.filter(fiscal_year__year_be=year_be)
    return entries


def vendor_list(*, actor: AnyUser, search: str = "") -> QuerySet[Vendor]:
    """The vendor register: head office (a country-wide finance grant) only."""
    if not is_country_wide(actor, Perm.FINANCE_VIEW):
        return Vendor.objects.none()
    vendors = Vendor.objects.all()
    if search.strip():
        vendors = vendors.filter(Q(name__icontains=search.strip()) | Q(tax_id__startswith=search.strip()))
    return vendors.order_by("name", "id")


def invoice_list(
    *, actor: AnyUser, vendor_id: int | None = None, year_be: int | None = None
) -> QuerySet[VendorInvoice]:
    """Vendor invoices in scope: all country-wide; a region grant sees those charged to its lines."""
    condition = region_condition(actor, Perm.FINANCE_VIEW, field="budget_line__region")
    if condition is None:
        return VendorInvoice.objects.none()
    invoices = VendorInvoice.objects.filter(condition).select_related(
        "vendor", "expense_account", "entry__fiscal_year", "budget_line"
    )
    if vendor_id is not None:
        invoices = invoices.filter(vendor_id=vendor_id)
    if year_be is not None:
        invoices = invoices.filter(fiscal_year__year_be=year_be)
    return invoices.order_by("-invoice_date", "-id")


def fiscal_years() -> list[int]:
    return list(FiscalYear.objects.order_by("-year_be").values_list("year_be", flat=True))


@dataclass(frozen=True)
class TrialBalanceRow:
    code: str
    name_th: str
    name_en: str
    account_type: str
    debit: Decimal
    credit: Decimal

    @property
    def balance_debit(self) -> Decimal:
        return max(self.debit - self.credit, ZERO)

    @property
    def balance_credit(self) -> Decimal:
        return max(self.credit - self.debit, ZERO)


def trial_balance(
    *, actor: AnyUser, year_be: int, dimensions: Dimensions | dict[str, str] | None = None
) -> list[TrialBalanceRow]:
    """Debits and credits per account for the fiscal year, from the pre-summed balances
    (``AccountBalance``, kept on posting; a few hundred rows a year instead of a million lines);
    empty outside scope.

    ``dimensions`` narrows it to the lines carrying those values (e.g. ``{"province": "40"}``)."""
    if not is_country_wide(actor, Perm.FINANCE_VIEW):
        return []
    sums = (
        AccountBalance.objects.filter(line_condition(dimensions), fiscal_year__year_be=year_be)
        .values("account_id")
        .annotate(d=Sum("debit"), c=Sum("credit"))
    )
    by_account = {row["account_id"]: (_cents(row["d"]), _cents(row["c"])) for row in sums}
    accounts = Account.objects.filter(pk__in=by_account.keys()).order_by("code")
    return [
        TrialBalanceRow(a.code, a.name_th, a.name_en, a.account_type, *by_account[a.pk]) for a in accounts
    ]


@dataclass(frozen=True)
class BudgetRow:
    unit_code: str
    unit_name: str
    allocated: Decimal
    committed: Decimal
    actual: Decimal

    @property
    def available(self) -> Decimal:
        return self.allocated - self.committed - self.actual

    @property
    def used_percent(self) -> Decimal:
        if not self.allocated:
            return ZERO
        return ((self.committed + self.actual) * 100 / self.allocated).quantize(Decimal("0.1"))


def budget_vs_actual(*, actor: AnyUser, year_be: int) -> list[BudgetRow]:
    """Allocated, committed and actual per unit for the fiscal year, within the user's scope."""
    lines = budget_line_list(actor=actor, year_be=year_be)
    rows = (
        lines.values("unit__code", "unit__name_th")
        .annotate(
            a=Coalesce(Sum("allocated"), ZERO),
            c=Coalesce(Sum("committed"), ZERO),
            x=Coalesce(Sum("actual"), ZERO),
        )
        .order_by("unit__code")
    )
    return [
        BudgetRow(r["unit__code"], r["unit__name_th"], _cents(r["a"]), _cents(r["c"]), _cents(r["x"]))
        for r in rows
    ]


@dataclass(frozen=True)
class DimensionBudgetRow:
    """Budget vs commitment vs actual for one value of a dimension.

    ``allocated`` and ``committed`` come from the budget lines (None for a dimension budget lines do
    not carry: project, province); ``actual`` is the net expense posted to the ledger with that value
    on budget-charged lines, so it is the ledger's own figure."""

    value: str
    label: str
    allocated: Decimal | None
    committed: Decimal | None
    actual: Decimal

    @property
    def available(self) -> Decimal | None:
        if self.allocated is None or self.committed is None:
            return None
        return self.allocated - self.committed - self.actual

    @property
    def used_percent(self) -> Decimal | None:
        if not self.allocated or self.committed is None:
            return None
        return ((self.committed + self.actual) * 100 / self.allocated).quantize(Decimal("0.1"))


# The budget line's field for each dimension it carries.
BUDGET_FIELDS = {"org_unit": "unit__code", "fund": "fund", "program": "plan", "region": "region_id"}


def budget_vs_actual_by(
    *, actor: AnyUser, year_be: int, dimension: str, dimensions: Dimensions | dict[str, str] | None = None
) -> list[DimensionBudgetRow]:
    """Budget vs commitment vs actual per value of ``dimension`` (org_unit, fund, program, project,
    region, province), within the user's scope, optionally narrowed by other ``dimensions``."""
    if dimension not in COLUMNS:
        raise ValueError(f"unknown dimension {dimension}")
    lines = budget_line_list(actor=actor, year_be=year_be)
    filters = Dimensions.of(dimensions)
    budget: dict[str, tuple[Decimal, Decimal]] = {}
    if dimension in BUDGET_FIELDS and all(name in BUDGET_FIELDS for name in filters.as_dict()):
        narrowed = lines.filter(**{BUDGET_FIELDS[k]: v for k, v in filters.as_dict().items()})
        for row in narrowed.values(key=F(BUDGET_FIELDS[dimension])).annotate(
            a=Coalesce(Sum("allocated"), ZERO), c=Coalesce(Sum("committed"), ZERO)
        ):
            budget[row["key"] or ""] = (_cents(row["a"]), _cents(row["c"]))
    column = COLUMNS[dimension]
    actual = {
        row[column] or "": _cents(row["d"]) - _cents(row["c"])
        for row in AccountBalance.objects.filter(
            line_condition(filters),
            fiscal_year__year_be=year_be,
            account__account_type=AccountType.EXPENSE,
            budget_line__in=lines,
        )
        .exclude(book="CL")
        .values(column)
        .annotate(d=Sum("debit"), c=Sum("credit"))
        .order_by()
    }
    has_budget = dimension in BUDGET_FIELDS and bool(budget or not actual)
    labels = _dimension_labels(dimension, set(budget) | set(actual))
    return [
        DimensionBudgetRow(
            value=value,
            label=labels.get(value, value or "(ไม่ระบุ)"),
            allocated=budget.get(value, (ZERO, ZERO))[0] if has_budget else None,
            committed=budget.get(value, (ZERO, ZERO))[1] if has_budget else None,
            actual=actual.get(value, ZERO),
        )
        for value in sorted(set(budget) | set(actual))
    ]


def _dimension_labels(dimension: str, values: set[str]) -> dict[str, str]:
    if dimension == "org_unit":
        return dict(OrgUnit.objects.filter(code__in=values).values_list("code", "name_th"))
    if dimension == "region":
        return dict(Region.objects.filter(code__in=values).values_list("code", "name_th"))
    if dimension == "province":
        return dict(Province.objects.filter(code__in=values).values_list("code", "name_th"))
    if dimension == "fund":
        return {value: str(label) for value, label in Fund.choices}
    return {}


def account_balance(*, account: Account) -> Decimal:
    """Debits minus credits of every line ever posted to ``account``."""
    sums = JournalLine.objects.filter(account=account).aggregate(d=Sum("debit"), c=Sum("credit"))
    return _cents(sums["d"]) - _cents(sums["c"])


def _cents(value: Decimal | None) -> Decimal:
    """SQLite sums decimals in binary floating point; round back to satang (exact on PostgreSQL)."""
    return Decimal(value or 0).quantize(Decimal("0.01"))
