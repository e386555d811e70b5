from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from codi.finance import selectors as finance_selectors
from codi.finance.payments import parse_bulk_file
from codi.people import payroll
from codi.people.models import PayrollStatus, Payslip, SocialSecurityRate
from tests.people.conftest import hire


def test_one_employee_month_exact_to_the_satang(org):
    # 50,000 salary, PVD 5 %: SSO 17,500 × 5 % = 875; PVD 2,500; projected year: 600,000 income,
    # expense 100,000, allowances 60,000 + 10,500 + (10,000 + 20,000) = 100,500; net 399,500
    # → 7,500 + 99,500 × 10 % = 17,450 a year → 1,454.1666 → 1,454.17 a month
    employee = hire(
        org["north"], salary="50000.00", pvd_rate="5", pvd_employer_rate="5", monthly_deduction="1000"
    )
    rate = payroll.tax.sso_rate_on(date(2026, 12, 25), payroll.sso_rates())
    pay = payroll.compute_pay(employee, pay_date=date(2026, 12, 25), rate=rate)
    assert (pay.gross, pay.sso_employee, pay.pvd_employee, pay.tax) == (5_000_000, 87_500, 250_000, 145_417)
    # net 50,000 - 875 - 2,500 - 1,454.17 - 1,000 = 44,170.83
    assert pay.net == 4_417_083


def test_the_rate_table_is_read_not_a_constant(org):
    employee = hire(org["north"], salary="50000.00")
    SocialSecurityRate.objects.filter(valid_from=date(2026, 1, 1)).update(wage_ceiling=Decimal("16000"))
    rate = payroll.tax.sso_rate_on(date(2026, 12, 25), payroll.sso_rates())
    assert payroll.compute_pay(employee, pay_date=date(2026, 12, 25), rate=rate).sso_employee == 80_000


def test_run_submit_approve_posts_one_balanced_entry_once(staff, books):
    hr, approver = staff["hr_all"], staff["approver"]
    run = payroll.payroll_run_create(actor=hr, year=2026, month=12, pay_date=date(2026, 12, 25))
    assert (run.status, run.employee_count) == (PayrollStatus.DRAFT, 3)
    with pytest.raises(PermissionDenied):
        payroll.payroll_run_create(actor=staff["hr_north"], year=2026, month=11, pay_date=date(2026, 11, 25))
    run = payroll.payroll_submit(actor=hr, run=run)
    assert run.status == PayrollStatus.APPROVAL
    with pytest.raises(PermissionDenied):  # HR may not approve
        payroll.payroll_approve(actor=hr, run=run, decision="approve")
    run = payroll.payroll_approve(actor=approver, run=run, decision="approve")
    assert run.status == PayrollStatus.APPROVED and run.journal_entry_number
    entry = finance_selectors.entry_list(actor=approver).get(pk=run.journal_entry_id)
    rows = list(entry.lines.select_related("account"))
    lines = {line.account.code: (line.debit, line.credit) for line in rows}
    totals = payroll.run_totals(run)
    assert entry.total_debit == entry.total_credit
    # the salary cost is debited by cost centre: two northern staff (30,000 + 55,000), one southern
    salary = {line.org_unit: line.debit for line in rows if line.account.code == "5101010101"}
    assert salary == {"R-N": Decimal("85000"), "R-S": Decimal("30000")}
    # every cost-centre line carries its org-unit dimension (not a memo), so the ledger reports by unit
    cost_lines = [line for line in rows if line.account.code in payroll.COST_ACCOUNTS]
    assert cost_lines and all(line.org_unit in {"R-N", "R-S"} and not line.project for line in cost_lines)
    assert all("ศูนย์ต้นทุน" not in line.memo for line in rows)
    assert sum(salary.values()) == Decimal(totals.gross) / 100
    assert lines["1101020601"] == (0, Decimal(totals.net) / 100)
    assert lines["2102040102"][1] == Decimal(totals.sso_employee * 2) / 100
    # posting again (a retried approval) returns the same entry
    again = payroll.ledger.entry_post(
        actor=approver, entry_date=run.pay_date, description="x", lines=payroll.journal_lines(totals),
        source_type=payroll.SOURCE_TYPE, source_id=str(run.pk),
    )  # fmt: skip
    assert again.pk == entry.pk
    with pytest.raises(payroll.PeopleError, match="ปิดแล้ว"):
        payroll.payroll_run_create(actor=hr, year=2026, month=12, pay_date=date(2026, 12, 25))
    # the bank file in finance's format adds up to the net pay
    count, total, _rows = parse_bulk_file(payroll.bank_file(run))
    assert (count, total) == (3, Decimal(totals.net) / 100)
    assert len(payroll.pnd1_rows(run)) == 3


def test_the_maker_cannot_approve_and_a_return_needs_a_reason(staff, books):
    from codi.identity.models import RoleAssignment

    hr = staff["hr_all"]
    RoleAssignment.objects.create(user=hr, role="executive", scope_level="country", scope_code="")
    hr.__dict__.pop("_codi_grants", None)
    run = payroll.payroll_submit(
        actor=hr, run=payroll.payroll_run_create(actor=hr, year=2026, month=12, pay_date=date(2026, 12, 25))
    )
    with pytest.raises(payroll.PeopleError, match="ผู้จัดทำ"):
        payroll.payroll_approve(actor=hr, run=run, decision="approve")
    with pytest.raises(payroll.PeopleError):
        payroll.payroll_approve(actor=staff["approver"], run=run, decision="return")
    run = payroll.payroll_approve(actor=staff["approver"], run=run, decision="return", comment="ตรวจเบี้ยเลี้ยง")
    assert run.status == PayrollStatus.DRAFT and run.journal_entry_id is None


def test_negative_net_pay_refuses_the_whole_run(staff, books):
    hire(staff["north"].org_unit, salary="1000.00", monthly_deduction="5000")
    with pytest.raises(payroll.PeopleError, match="ติดลบ"):
        payroll.payroll_run_create(actor=staff["hr_all"], year=2026, month=12, pay_date=date(2026, 12, 25))
    assert not Payslip.objects.exists()
    assert not payroll.PayrollRun.objects.exists()


def test_a_gap_in_the_rate_table_refuses_the_run(staff, books):
    SocialSecurityRate.objects.all().delete()
    with pytest.raises(payroll.PeopleError, match="ประกันสังคม"):
        payroll.payroll_run_create(actor=staff["hr_all"], year=2026, month=12, pay_date=date(2026, 12, 25))


def test_sso_listing_uses_the_wage_base(staff, books):
    run = payroll.payroll_run_create(actor=staff["hr_all"], year=2026, month=12, pay_date=date(2026, 12, 25))
    rows = {r[1]: r for r in payroll.sso_rows(run)}
    head = rows[staff["head"].national_id]
    # 55,000 wage, base clipped to the 17,500 ceiling, 875 contribution
    assert (head[4], head[5], head[6]) == (Decimal("55000"), Decimal("17500"), Decimal("875"))


def test_an_approved_run_is_reversed_and_the_period_reopens_for_a_correcting_run(staff, books):
    hr, approver = staff["hr_all"], staff["approver"]
    run = payroll.payroll_submit(
        actor=hr, run=payroll.payroll_run_create(actor=hr, year=2026, month=12, pay_date=date(2026, 12, 25))
    )
    run = payroll.payroll_approve(actor=approver, run=run, decision="approve")
    with pytest.raises(PermissionDenied):
        payroll.payroll_reverse(actor=hr, run=run, reason="เงินเพิ่มผิด", entry_date=date(2026, 12, 28))
    run = payroll.payroll_reverse(actor=approver, run=run, reason="เงินเพิ่มผิด", entry_date=date(2026, 12, 28))
    assert run.status == PayrollStatus.REVERSED and run.reversal_entry_number
    reversal = finance_selectors.entry_list(actor=approver).get(reverses_id=run.journal_entry_id)
    assert reversal.total == finance_selectors.entry_list(actor=approver).get(pk=run.journal_entry_id).total
    correcting = payroll.payroll_run_create(actor=hr, year=2026, month=12, pay_date=date(2026, 12, 28))
    assert correcting.pk != run.pk and run.payslips.count() == 3  # the reversed run is kept as it was
