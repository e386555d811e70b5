"""The statements and the general ledger's opening balance read the monthly balance table for
whole months and sum journal lines only for the partly covered month: both equal a fresh sum of
the lines, at month ends, mid-month, across fiscal years, per dimension, and after reversals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Q, Sum

from codi.finance import ledger, reports
from codi.finance.ledger import LineSpec
from codi.finance.models import Account, AccountType, JournalLine
from tests.finance.conftest import make_user

pytestmark = pytest.mark.django_db

BANK, EXPENSE, SUBSIDY, PAYABLE = "1101020601", "5104010112", "4307010101", "2101010102"
# (date, debit account, credit account, amount, province)
POSTINGS = [
    (date(2025, 10, 3), BANK, SUBSIDY, "500000.00", "40"),
    (date(2025, 12, 31), EXPENSE, BANK, "12000.50", "40"),
    (date(2026, 3, 15), EXPENSE, PAYABLE, "7000.25", "10"),
    (date(2026, 9, 30), BANK, SUBSIDY, "1000.00", "10"),
    (date(2026, 10, 1), EXPENSE, BANK, "333.33", "40"),
    (date(2026, 11, 14), PAYABLE, BANK, "7000.25", "10"),
    (date(2026, 11, 20), EXPENSE, BANK, "42.10", "40"),
]
AS_OF = [
    date(2025, 9, 30), date(2025, 10, 2), date(2025, 10, 3), date(2025, 12, 30), date(2025, 12, 31),
    date(2026, 3, 14), date(2026, 9, 30), date(2026, 10, 1), date(2026, 11, 15), date(2026, 11, 30),
]  # fmt: skip


@pytest.fixture
def posted(db):
    ledger.chart_load(actor=None)
    for year in (2569, 2570):
        ledger.fiscal_year_ensure(actor=None, year_be=year)
    entries = []
    for n, (day, dr, cr, amount, province) in enumerate(POSTINGS):
        entry = ledger.entry_post(
            actor=None, entry_date=day, description=f"t{n}", source_type="test", source_id=str(n),
            lines=[LineSpec(dr, debit=Decimal(amount)), LineSpec(cr, credit=Decimal(amount))],
            dimensions={"province": province},
        )  # fmt: skip
        entries.append(entry)
    # A reversal in a later month than its entry.
    ledger.entry_reverse(actor=None, entry=entries[2], entry_date=date(2026, 4, 2), reason="ผิดบัญชี")
    return make_user("chief_accountant")


def _fresh(condition: Q) -> dict[str, Decimal]:
    rows = (
        JournalLine.objects.filter(condition)
        .values("account__code")
        .annotate(d=Sum("debit"), c=Sum("credit"))
    )
    return {r["account__code"]: r["d"] - r["c"] for r in rows if r["d"] - r["c"]}


def _signed(section: reports.Section, *, credit_normal: bool) -> dict[str, Decimal]:
    return {row.code: -row.amount if credit_normal else row.amount for row in section.rows}


@pytest.mark.parametrize("province", [None, "40"])
def test_financial_position_equals_a_fresh_sum_of_the_lines(posted, province):
    dims = {"province": province} if province else None
    for as_of in AS_OF:
        where = Q(entry__entry_date__lte=as_of) & (Q(province=province) if province else Q())
        fresh = _fresh(where)
        position = reports.financial_position(actor=posted, as_of=as_of, dimensions=dims)
        shown = {
            **_signed(position.assets, credit_normal=False),
            **_signed(position.liabilities, credit_normal=True),
            **_signed(position.net_assets, credit_normal=True),
        }
        types = dict(Account.objects.values_list("code", "account_type"))
        result_accounts = {AccountType.REVENUE, AccountType.EXPENSE}
        assert shown == {code: v for code, v in fresh.items() if types[code] not in result_accounts}, as_of
        surplus = -sum((v for code, v in fresh.items() if types[code] in result_accounts), Decimal(0))
        assert position.surplus == surplus, as_of
        assert position.balances, as_of


def test_financial_performance_and_ledger_opening_equal_fresh_sums(posted):
    for year in (2569, 2570):
        performance = reports.financial_performance(actor=posted, year_be=year)
        fresh = _fresh(Q(entry__fiscal_year__year_be=year, account__account_type__in=["revenue", "expense"]))
        shown = {
            **_signed(performance.revenue, credit_normal=True),
            **_signed(performance.expense, credit_normal=False),
        }
        assert shown == fresh
        for code in (BANK, EXPENSE, PAYABLE):
            gl = reports.general_ledger(actor=posted, account_code=code, year_be=year)
            start, _ = ledger.fiscal_year_bounds(year)
            before = _fresh(Q(entry__entry_date__lt=start, account__code=code)).get(code, Decimal(0))
            assert gl.opening == before
            assert gl.closing == _fresh(Q(entry__fiscal_year__year_be__lte=year, account__code=code)).get(
                code, Decimal(0)
            )
    # Known figures, not only agreement: the bank at the end of FY2569 and in mid-November 2569.
    assert reports.general_ledger(actor=posted, account_code=BANK, year_be=2570).opening == Decimal(
        "488999.50"
    )
    position = reports.financial_position(actor=posted, as_of=date(2026, 11, 15))
    assert _signed(position.assets, credit_normal=False)[BANK] == Decimal("481665.92")
