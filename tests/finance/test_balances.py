"""The pre-summed balance table: kept by posting (and reversal), read by the reports, checked and
rebuilt from the journal lines."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from codi.finance import balances, ledger
from codi.finance.ledger import LineSpec
from codi.finance.models import AccountBalance, JournalLine
from codi.finance.selectors import budget_vs_actual_by, trial_balance
from tests.finance.conftest import IN_FY, TODAY_FY, make_user

BANK, EXPENSE = "1101020601", "5104010112"


def _post(source: str, amount: str, budget_id: int | None, day: date = IN_FY, **dims: str):
    value = Decimal(amount)
    return ledger.entry_post(
        actor=None, entry_date=day, description="b", source_type="test.balance", source_id=source,
        lines=[LineSpec(EXPENSE, debit=value, budget_line_id=budget_id, spend=budget_id is not None),
               LineSpec(BANK, credit=value)],
        dimensions=dims,
    )  # fmt: skip


@pytest.fixture
def viewer(db):
    return make_user("finance_officer")


def test_posting_adds_to_the_balance_rows_and_a_reversal_takes_it_back(books, budget, viewer):
    first = _post("1", "100.25", budget.pk, program="WELFARE", province="40")
    _post("2", "50.50", budget.pk, program="WELFARE", province="40")
    _post("3", "10.00", budget.pk, program="LAND", province="50")
    _post("4", "7.00", None, day=date(2027, 1, 5), province="40")
    expense = AccountBalance.objects.filter(account__code=EXPENSE, program="WELFARE", province="40").get()
    assert (expense.debit, expense.credit, expense.lines, expense.month) == (
        Decimal("150.75"), Decimal("0.00"), 2, 2,
    )  # fmt: skip
    assert AccountBalance.objects.filter(month=4, budget_line=None).count() == 2
    tb = {row.code: (row.debit, row.credit) for row in trial_balance(actor=viewer, year_be=TODAY_FY)}
    assert tb == {EXPENSE: (Decimal("167.75"), Decimal("0.00")), BANK: (Decimal("0.00"), Decimal("167.75"))}
    by_province = {
        r.value: r.actual for r in budget_vs_actual_by(actor=viewer, year_be=TODAY_FY, dimension="province")
    }
    assert by_province == {
        "40": Decimal("150.75"),
        "50": Decimal("10.00"),
    }  # the unbudgeted 7.00 is not in it

    ledger.entry_reverse(actor=None, entry=first, entry_date=IN_FY, reason="ผิดบัญชี")
    expense.refresh_from_db()
    assert (expense.debit, expense.credit, expense.lines) == (Decimal("150.75"), Decimal("100.25"), 3)
    by_program = {
        r.value: r.actual for r in budget_vs_actual_by(actor=viewer, year_be=TODAY_FY, dimension="program")
    }
    # "" is the budget line itself (it names no program): its allocation, no actual of its own
    assert by_program == {"": Decimal("0.00"), "WELFARE": Decimal("50.50"), "LAND": Decimal("10.00")}
    assert balances.check() == []


def test_the_check_names_a_drift_and_the_rebuild_repairs_it(books, budget):
    _post("1", "100.00", budget.pk, program="WELFARE")
    _post("2", "30.00", budget.pk, program="LAND")
    call_command("finance_balances")  # consistent: no error
    AccountBalance.objects.filter(program="LAND", account__code=EXPENSE).update(debit=Decimal("31.00"))
    AccountBalance.objects.filter(program="WELFARE", account__code=BANK).delete()
    differences = balances.check()
    assert len(differences) == 2
    assert {d.from_lines for d in differences} == {
        (Decimal("30.00"), Decimal("0.00"), 1), (Decimal("0.00"), Decimal("100.00"), 1),
    }  # fmt: skip
    with pytest.raises(CommandError, match="ไม่ตรง"):
        call_command("finance_balances")
    call_command("finance_balances", "--rebuild", "--year", str(TODAY_FY))
    assert balances.check() == []
    assert AccountBalance.objects.count() == 4
    assert sum(b.lines for b in AccountBalance.objects.all()) == JournalLine.objects.count()


def test_a_refused_posting_leaves_no_balance(books, budget):
    with pytest.raises(ledger.FinanceError):
        _post("big", "100000.01", budget.pk)  # beyond the 100,000 allocated: refused after the upsert
    assert not AccountBalance.objects.exists()
