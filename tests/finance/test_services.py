"""The posting facade other apps call: balanced lines per document kind, idempotent, budget-aware."""

from __future__ import annotations

from decimal import Decimal

import pytest

from codi.finance import ledger, services
from codi.finance.ledger import FinanceError
from codi.finance.models import Account, BudgetLine, CommitmentStatus, JournalEntry
from codi.finance.selectors import account_balance
from tests.finance.conftest import IN_FY


def _bank() -> Decimal:
    return account_balance(account=Account.objects.get(code="1101020601"))


def _lines(entry: JournalEntry) -> list[tuple[str, Decimal, Decimal]]:
    return [(line.account.code, line.debit, line.credit) for line in entry.lines.select_related("account")]


def test_post_expense_splits_vat_and_withholding_and_consumes_the_commitment(budget):
    commitment = ledger.budget_commit(
        actor=None, budget_line=budget, amount=Decimal("10000"), source_key="po:1"
    )
    entry = services.post_expense(
        actor=None, entry_date=IN_FY, description="ค่าจ้างเหมา", source_type="procurement.invoice", source_id="1",
        expense_account="5104010112", amount="10000.00", vat="700.00", withholding="300.00",
        budget_line_id=budget.pk, commitment=commitment,
    )  # fmt: skip
    assert _lines(entry) == [
        ("5104010112", Decimal("10000.00"), Decimal("0.00")),
        ("1104010101", Decimal("700.00"), Decimal("0.00")),
        ("2102040101", Decimal("0.00"), Decimal("300.00")),
        ("2101010101", Decimal("0.00"), Decimal("10400.00")),
    ]
    budget.refresh_from_db()
    commitment.refresh_from_db()
    assert (budget.committed, budget.actual, commitment.status) == (
        0,
        Decimal("10000.00"),
        CommitmentStatus.CONSUMED,
    )
    again = services.post_expense(
        actor=None, entry_date=IN_FY, description="ค่าจ้างเหมา", source_type="procurement.invoice", source_id="1",
        expense_account="5104010112", amount="10000.00",
    )  # fmt: skip
    assert again.pk == entry.pk and JournalEntry.objects.count() == 1


def test_post_expense_spend_refuses_overspend_naming_the_available_amount(budget):
    with pytest.raises(FinanceError) as error:
        services.post_expense(
            actor=None, entry_date=IN_FY, description="x", source_type="t", source_id="2",
            expense_account="5104010112", amount="100000.01", budget_line_id=budget.pk, spend=True,
        )  # fmt: skip
    assert "100,000.00" in error.value.message_th
    assert JournalEntry.objects.count() == 0 and BudgetLine.objects.get(pk=budget.pk).actual == 0


def test_post_payroll_balances_gross_against_deductions_and_net_pay(books):
    entry = services.post_payroll(
        actor=None, entry_date=IN_FY, description="เงินเดือน พ.ย.", source_type="people.payrun", source_id="11",
        gross="50000.00", withholding="2000.00", social_security_employee="750.00",
        social_security_employer="750.00",
    )  # fmt: skip
    assert _lines(entry) == [
        ("5101010101", Decimal("50000.00"), Decimal("0.00")),
        ("5101020101", Decimal("750.00"), Decimal("0.00")),
        ("2102040101", Decimal("0.00"), Decimal("2000.00")),
        ("2102040102", Decimal("0.00"), Decimal("1500.00")),
        ("1101020601", Decimal("0.00"), Decimal("47250.00")),
    ]
    with pytest.raises(FinanceError):
        services.post_payroll(
            actor=None, entry_date=IN_FY, description="x", source_type="people.payrun", source_id="12",
            gross="100.00", withholding="100.00",
        )  # fmt: skip


def test_post_receipt_and_payment_then_reverse_by_source(books):
    services.post_receipt(
        actor=None, entry_date=IN_FY, description="ค่าธรรมเนียม", source_type="finance.receipt", source_id="R1",
        amount="500.00", credit_account="4203010101",
    )  # fmt: skip
    assert _bank() == Decimal("500.00")
    services.post_payment(
        actor=None, entry_date=IN_FY, description="จ่าย", source_type="t.pay", source_id="P1", amount="200.00",
    )  # fmt: skip
    assert _bank() == Decimal("300.00")
    reversal = services.reverse_source(
        actor=None, source_type="finance.receipt", source_id="R1", entry_date=IN_FY, reason="ยกเลิก"
    )
    assert reversal.reverses.source_id == "R1" and _bank() == Decimal("-200.00")
    with pytest.raises(FinanceError):
        services.reverse_source(actor=None, source_type="x", source_id="none", entry_date=IN_FY, reason="r")
    with pytest.raises(FinanceError):
        services.post_receipt(
            actor=None, entry_date=IN_FY, description="x", source_type="r", source_id="0", amount="0",
            credit_account="4203010101",
        )  # fmt: skip
