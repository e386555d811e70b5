"""Financial statements, the general ledger with its source documents, and the cash book.

Reads only, for a country-wide ``finance.view`` grant (finance is a head-office function; other
users get empty reports, as ``selectors.trial_balance`` does).

* Statement of financial position (งบแสดงฐานะการเงิน) at a date: assets, liabilities and net
  assets as everything posted up to that date; revenue less expense not yet closed into
  accumulated surplus shows as the period's surplus, so the statement always balances.
* Statement of financial performance (งบแสดงผลการดำเนินงานทางการเงิน) for a fiscal year: revenue
  and expense per account, without the year-end closing entry.
* General ledger of one account for a year: opening balance, each line with its entry, source
  document and running balance. The cash book is the general ledger of the cash and bank accounts.

Sums come from the pre-summed balance table (``AccountBalance``, one row per fiscal month, kept
by every posting) for whole months; only the lines of a partly covered month at the edge of the
range (the month of a statement date that is not its last day) are summed from the journal.
``tests/finance/test_statements_from_balances.py`` proves both equal a fresh sum of the lines.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum

from codi.finance.balances import fiscal_month
from codi.finance.dimensions import Dimensions, line_condition
from codi.finance.ledger import fiscal_year_bounds, fiscal_year_of
from codi.finance.models import ZERO, Account, AccountBalance, AccountType, JournalEntry, JournalLine
from codi.finance.selectors import is_country_wide
from codi.identity.roles import Perm

CASH_ACCOUNTS = ("1101010101", "1101020601", "1101020603")
CLOSING_BOOK = "CL"


def _cents(value: Decimal | None) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))


def _allowed(actor: Any) -> bool:
    return is_country_wide(actor, Perm.FINANCE_VIEW)


@dataclass
class StatementRow:
    code: str
    name_th: str
    name_en: str
    amount: Decimal


@dataclass
class Section:
    key: str
    rows: list[StatementRow] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((r.amount for r in self.rows), ZERO)


def _balances(condition: Q, *, table: bool = False) -> dict[int, Decimal]:
    """Debit less credit per account, from the balance table (``table``) or the journal lines."""
    model: Any = AccountBalance if table else JournalLine
    sums = model.objects.filter(condition).values("account_id").annotate(d=Sum("debit"), c=Sum("credit"))
    return {row["account_id"]: _cents(row["d"]) - _cents(row["c"]) for row in sums}


def _add(into: dict[int, Decimal], more: dict[int, Decimal]) -> dict[int, Decimal]:
    for account_id, amount in more.items():
        into[account_id] = into.get(account_id, ZERO) + amount
    return into


def _months_through(as_of: date) -> Q:
    """Balance-table rows of the whole fiscal months ending on or before ``as_of``."""
    year, month = fiscal_year_of(as_of), fiscal_month(as_of)
    if as_of.day != calendar.monthrange(as_of.year, as_of.month)[1]:
        month -= 1  # the month of ``as_of`` is only partly covered: its lines are summed instead
    return Q(fiscal_year__year_be__lt=year) | Q(fiscal_year__year_be=year, month__lte=month)


def balances_at(as_of: date, dimensions: Dimensions | dict[str, str] | None = None) -> dict[int, Decimal]:
    """Every account's balance (debit positive) of everything posted up to ``as_of``: the balance
    table for the whole months, the journal lines of the month of ``as_of`` up to that day."""
    where = line_condition(dimensions)
    result = _balances(_months_through(as_of) & where, table=True)
    if as_of.day != calendar.monthrange(as_of.year, as_of.month)[1]:
        first = as_of.replace(day=1)
        _add(result, _balances(Q(entry__entry_date__gte=first, entry__entry_date__lte=as_of) & where))
    return result


def _section(key: str, types: list[str], balances: dict[int, Decimal], *, credit_normal: bool) -> Section:
    section = Section(key)
    for account in Account.objects.filter(account_type__in=types, pk__in=balances.keys()).order_by("code"):
        amount = -balances[account.pk] if credit_normal else balances[account.pk]
        if amount:
            section.rows.append(StatementRow(account.code, account.name_th, account.name_en, amount))
    return section


@dataclass
class FinancialPosition:
    as_of: date
    assets: Section
    liabilities: Section
    net_assets: Section
    surplus: Decimal

    @property
    def total_net_assets(self) -> Decimal:
        return self.net_assets.total + self.surplus

    @property
    def balances(self) -> bool:
        return self.assets.total == self.liabilities.total + self.total_net_assets


def financial_position(
    *, actor: Any, as_of: date, dimensions: Dimensions | dict[str, str] | None = None
) -> FinancialPosition | None:
    """At ``as_of``; ``dimensions`` narrows it to the lines carrying those values (a fund's or a
    province's own position: balances, as long as every posting's lines carry the same values)."""
    if not _allowed(actor):
        return None
    balances = balances_at(as_of, dimensions)
    income = _section("income", [AccountType.REVENUE], balances, credit_normal=True)
    expense = _section("expense", [AccountType.EXPENSE], balances, credit_normal=False)
    return FinancialPosition(
        as_of=as_of,
        assets=_section("assets", [AccountType.ASSET], balances, credit_normal=False),
        liabilities=_section("liabilities", [AccountType.LIABILITY], balances, credit_normal=True),
        net_assets=_section("net_assets", [AccountType.NET_ASSETS], balances, credit_normal=True),
        surplus=income.total - expense.total,
    )


@dataclass
class FinancialPerformance:
    year_be: int
    revenue: Section
    expense: Section

    @property
    def surplus(self) -> Decimal:
        return self.revenue.total - self.expense.total


def financial_performance(
    *, actor: Any, year_be: int, dimensions: Dimensions | dict[str, str] | None = None
) -> FinancialPerformance | None:
    if not _allowed(actor):
        return None
    balances = _balances(
        Q(fiscal_year__year_be=year_be) & ~Q(book=CLOSING_BOOK) & line_condition(dimensions), table=True
    )
    return FinancialPerformance(
        year_be=year_be,
        revenue=_section("revenue", [AccountType.REVENUE], balances, credit_normal=True),
        expense=_section("expense", [AccountType.EXPENSE], balances, credit_normal=False),
    )


@dataclass
class LedgerRow:
    entry: JournalEntry
    line: JournalLine
    balance: Decimal


@dataclass
class GeneralLedger:
    account: Account
    year_be: int
    opening: Decimal
    rows: list[LedgerRow]

    @property
    def closing(self) -> Decimal:
        return self.rows[-1].balance if self.rows else self.opening

    @property
    def debit(self) -> Decimal:
        return sum((r.line.debit for r in self.rows), ZERO)

    @property
    def credit(self) -> Decimal:
        return sum((r.line.credit for r in self.rows), ZERO)


def general_ledger(*, actor: Any, account_code: str, year_be: int, limit: int = 5000) -> GeneralLedger | None:
    """One account's lines for the year with the running balance (debit positive)."""
    if not _allowed(actor):
        return None
    account = Account.objects.filter(code=account_code).first()
    if account is None:
        return None
    start, _end = fiscal_year_bounds(year_be)
    # Everything before the fiscal year: whole months, so the balance table alone.
    before = AccountBalance.objects.filter(account=account, fiscal_year__start_date__lt=start).aggregate(
        d=Sum("debit"), c=Sum("credit")
    )
    opening = _cents(before["d"]) - _cents(before["c"])
    lines = (
        JournalLine.objects.filter(account=account, entry__fiscal_year__year_be=year_be)
        .select_related("entry__fiscal_year", "budget_line")
        .order_by("entry__entry_date", "entry__book", "entry__sequence", "id")[:limit]
    )
    balance = opening
    rows = []
    for line in lines:
        balance += line.debit - line.credit
        rows.append(LedgerRow(line.entry, line, balance))
    return GeneralLedger(account, year_be, opening, rows)


def cash_book(*, actor: Any, year_be: int) -> list[GeneralLedger]:
    books = [general_ledger(actor=actor, account_code=code, year_be=year_be) for code in CASH_ACCOUNTS]
    return [b for b in books if b is not None]


def entry_detail(*, actor: Any, entry_id: int) -> JournalEntry | None:
    if not _allowed(actor):
        return None
    return (
        JournalEntry.objects.select_related("fiscal_year", "posted_by", "reverses__fiscal_year")
        .prefetch_related("lines__account", "lines__budget_line")
        .filter(pk=entry_id)
        .first()
    )


SOURCE_LABELS = {
    "finance.voucher": "ใบสำคัญจ่าย",
    "finance.payment": "การจ่ายเงิน (ใบสำคัญจ่าย)",
    "finance.invoice": "ใบแจ้งหนี้ผู้ขาย",
    "finance.receipt": "ใบเสร็จรับเงิน",
    "finance.opening": "ยอดยกมา",
    "finance.year_end": "ปิดบัญชีสิ้นปี",
    "reversal": "การกลับรายการ",
    "pms.disbursement": "การเบิกจ่ายงวดเงินโครงการ (PMS)",
    "pms.fund_return": "เงินคืนจากโครงการ (PMS)",
}
