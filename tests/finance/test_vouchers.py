"""Payment vouchers through the BPMN process: budget commitment, segregation, posting, bank file."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from codi.finance import payments, vouchers
from codi.finance.ledger import FinanceError
from codi.finance.models import (
    BudgetLine,
    JournalEntry,
    PaymentBatch,
    StatementLine,
    VoucherStatus,
    VoucherStep,
)
from codi.finance.selectors import voucher_inbox

PAY = {"payee_bank_code": "006", "payee_account_no": "1234567890", "description": "ค่าจ้างเหมาบริการ"}


def _voucher(people, budget, amount="20000.00"):
    return vouchers.voucher_create(
        actor=people["maker"], budget_line=budget, payee_name="บริษัท ตัวอย่าง จำกัด", amount=amount, **PAY
    )


def _line(budget):
    return BudgetLine.objects.get(pk=budget.pk)


def test_small_voucher_is_final_after_the_chief_accountants_check(people, budget):
    voucher = _voucher(people, budget)
    assert (voucher.status, voucher.current_step) == (VoucherStatus.DRAFT, "prepare")
    vouchers.voucher_submit(actor=people["maker"], voucher=voucher)
    assert _line(budget).committed == Decimal("20000.00")
    voucher = vouchers.voucher_check(actor=people["chief"], voucher=voucher, decision="pass")
    assert (voucher.status, voucher.current_step) == (VoucherStatus.APPROVED, "pay")
    line = _line(budget)
    assert (line.committed, line.actual) == (Decimal("0.00"), Decimal("20000.00"))
    entry = JournalEntry.objects.get(source_type="finance.voucher", source_id=str(voucher.pk))
    assert entry.total == Decimal("20000.00")
    assert vouchers.voucher_diagram(voucher)["current"] == ["pay"]
    assert list(VoucherStep.objects.filter(voucher=voucher).values_list("task_key", "outcome")) == [
        ("prepare", "submitted"),
        ("check", "pass"),
        ("pay", ""),
    ]


def test_large_voucher_needs_the_executive_and_segregation_holds(people, budget):
    BudgetLine.objects.filter(pk=budget.pk).update(allocated=Decimal("500000.00"))
    voucher = _voucher(people, budget, amount="150000.00")
    vouchers.voucher_submit(actor=people["maker"], voucher=voucher)
    with pytest.raises(PermissionDenied):
        vouchers.voucher_check(actor=people["maker"], voucher=voucher, decision="pass")
    voucher = vouchers.voucher_check(actor=people["chief"], voucher=voucher, decision="pass")
    assert voucher.current_step == "approve"
    assert _line(budget).actual == Decimal("0.00")
    assert list(voucher_inbox(actor=people["executive"])) == [voucher]
    voucher = vouchers.voucher_approve(actor=people["executive"], voucher=voucher, decision="approve")
    assert voucher.status == VoucherStatus.APPROVED and _line(budget).actual == Decimal("150000.00")


def test_a_return_releases_the_commitment_and_resubmission_commits_again(people, budget):
    voucher = _voucher(people, budget)
    vouchers.voucher_submit(actor=people["maker"], voucher=voucher)
    with pytest.raises(FinanceError):
        vouchers.voucher_check(actor=people["chief"], voucher=voucher, decision="return")
    voucher = vouchers.voucher_check(
        actor=people["chief"], voucher=voucher, decision="return", comment="ขาดใบเสร็จ"
    )
    assert voucher.current_step == "prepare" and _line(budget).committed == Decimal("0.00")
    vouchers.voucher_submit(actor=people["maker"], voucher=voucher)
    assert _line(budget).committed == Decimal("20000.00")
    voucher = vouchers.voucher_check(actor=people["chief"], voucher=voucher, decision="reject", comment="ซ้ำ")
    assert voucher.status == VoucherStatus.REJECTED and _line(budget).committed == Decimal("0.00")


def test_submitting_beyond_the_budget_is_refused_and_leaves_the_voucher_at_prepare(people, budget):
    voucher = _voucher(people, budget, amount="100000.01")
    with pytest.raises(FinanceError) as error:
        vouchers.voucher_submit(actor=people["maker"], voucher=voucher)
    assert "100,000.00" in error.value.message_th
    voucher.refresh_from_db()
    assert voucher.current_step == "prepare" and voucher.submissions == 0


@pytest.mark.parametrize(
    "changes",
    [
        {"amount": "0"},
        {"amount": "1.005"},
        {"payee_bank_code": "6"},
        {"payee_account_no": "12ab"},
        {"payee_name": " "},
    ],
)
def test_bad_voucher_input_is_refused(people, budget, changes):
    values = {"payee_name": "ผู้รับ", "amount": "10.00", **PAY, **changes}
    with pytest.raises(FinanceError):
        vouchers.voucher_create(actor=people["maker"], budget_line=budget, **values)


def test_out_of_scope_and_wrong_role_users_cannot_create(people, budget):
    for who in ("south_officer", "chief", "project_officer"):
        with pytest.raises(PermissionDenied):
            vouchers.voucher_create(actor=people[who], budget_line=budget, payee_name="x", amount="1", **PAY)


def test_bank_file_and_reconciliation_pay_each_voucher_once(people, budget):
    voucher = _voucher(people, budget)
    vouchers.voucher_submit(actor=people["maker"], voucher=voucher)
    vouchers.voucher_check(actor=people["chief"], voucher=voucher, decision="pass")
    batch = payments.batch_create(
        actor=people["maker"], voucher_ids=[voucher.pk], value_date=date(2026, 11, 5)
    )
    lines = batch.file_text.splitlines()
    assert lines[0] == f"H,{payments.COMPANY_ACCOUNT},20261105,1,20000.00,{batch.number}"
    assert lines[1] == f"D,1,006,1234567890,20000.00,บริษัท ตัวอย่าง จำกัด,{voucher.number}"
    assert lines[2] == "T,1,20000.00"
    voucher.refresh_from_db()
    assert voucher.status == VoucherStatus.SENT and voucher.current_step == ""
    with pytest.raises(FinanceError):
        payments.batch_create(actor=people["maker"], voucher_ids=[voucher.pk], value_date=date(2026, 11, 5))
    statement = (
        "date,amount,reference,description\n"
        f"2026-11-05,-20000.00,{voucher.number},โอนเงิน\n"
        "2026-11-05,500.00,INT,ดอกเบี้ย\n"
    )
    result = payments.statement_import(actor=people["maker"], text=statement)
    assert (result.imported, result.matched, result.unmatched) == (2, [voucher.number], 1)
    voucher.refresh_from_db()
    assert voucher.status == VoucherStatus.PAID and voucher.paid_on == date(2026, 11, 5)
    again = payments.statement_import(actor=people["maker"], text=statement)
    assert (again.imported, again.duplicates) == (0, 2)
    assert JournalEntry.objects.filter(source_type="finance.payment").count() == 1
    assert PaymentBatch.objects.count() == 1


def test_a_statement_with_a_bad_row_writes_nothing(people, books):
    result = payments.statement_import(
        actor=people["maker"], text="date,amount,reference\n2026-11-05,-1.00,X\n05/11/2026,-2.00,Y\n"
    )
    assert result.errors and StatementLine.objects.count() == 0


def test_a_regional_finance_officer_cannot_make_bank_files(people, books):
    with pytest.raises(PermissionDenied):
        payments.batch_create(actor=people["south_officer"], voucher_ids=[1], value_date=date(2026, 11, 5))
