"""Back pay: a salary change dated in months already paid is settled, exactly, in the next run."""

from __future__ import annotations

from datetime import date

from codi.people import backpay, payroll, services
from codi.people.models import BackPayLine, Payslip
from tests.people.conftest import hire, make_user


def _pay_month(hr, approver, year: int, month: int):
    run = payroll.payroll_run_create(actor=hr, year=year, month=month, pay_date=date(year, month, 25))
    run = payroll.payroll_submit(actor=hr, run=run)
    return payroll.payroll_approve(actor=approver, run=run, decision="approve")


def test_month_salary_counts_calendar_days_half_up_once():
    history = [(date(2020, 1, 1), 1_200_000), (date(2026, 10, 16), 1_400_000)]
    # October: 15 days × 12,000 + 16 days × 14,000 = 404,000 ÷ 31 = 13,032.258… → 13,032.26
    assert backpay.month_salary(history, 2026, 10) == 1_303_226
    assert backpay.month_salary(history, 2026, 11) == 1_400_000
    assert backpay.month_salary(history, 2026, 9) == 1_200_000


def test_a_change_dated_back_is_paid_once_in_the_next_run_to_the_satang(org, books):
    hr, approver = make_user("hr_officer", unit=org["hr"]), make_user("executive", unit=org["hq"])
    low = hire(org["north"], salary="12000.00")
    high = hire(org["north"], salary="50000.00", pvd_rate="5", pvd_employer_rate="5")
    _pay_month(hr, approver, 2026, 10)
    _pay_month(hr, approver, 2026, 11)
    # recorded in December, dated back into months already paid
    services.employee_salary_change(
        actor=hr, employee=low, salary="14000.00", effective_date=date(2026, 10, 16), reason="เลื่อนขั้น"
    )
    services.employee_salary_change(
        actor=hr, employee=high, salary="53000.00", effective_date=date(2026, 10, 1), reason="เลื่อนขั้น"
    )
    december = payroll.payroll_run_create(actor=hr, year=2026, month=12, pay_date=date(2026, 12, 25))
    lines = {
        (b.employee_id, b.for_month): (
            b.salary,
            b.sso_employee,
            b.sso_employer,
            b.pvd_employee,
            b.pvd_employer,
        )
        for b in BackPayLine.objects.filter(payslip__run=december)
    }
    assert lines == {
        # Oct: 13,032.26 − 12,000 = 1,032.26; SSO 5 % of 13,032.26 = 651.61 → 652 − 600 = 52 each side
        (low.pk, 10): (103_226, 5_200, 5_200, 0, 0),
        # Nov: 14,000 − 12,000; SSO 700 − 600
        (low.pk, 11): (200_000, 10_000, 10_000, 0, 0),
        # above the 17,500 ceiling SSO does not change; PVD 5 % of 53,000 − 5 % of 50,000 = 150 each side
        (high.pk, 10): (300_000, 0, 0, 15_000, 15_000),
        (high.pk, 11): (300_000, 0, 0, 15_000, 15_000),
    }
    slip = Payslip.objects.get(run=december, employee=high)
    # regular year 53,000 × 12 = 636,000; expense 100,000; allowances 60,000 + SSO 10,500 +
    # PVD 31,800 = 102,300; net 433,700 → 7,500 + 13,370 = 20,870 → 1,739.1666 → 1,739.17 a month.
    # with the back pay: 642,000 − 100,000 − (60,000 + 10,500 + 32,100) = 439,400 → 21,440:
    # 570.00 more withheld now (s.50(1), one-off)
    assert slip.tax == 173_917 + 57_000
    # gross 53,000 + 6,000; SSO 875; PVD 2,650 + 300; net 59,000 − 875 − 2,950 − 2,309.17
    assert (slip.gross, slip.sso_employee, slip.pvd_employee, slip.pvd_employer) == (
        5_900_000, 87_500, 295_000, 295_000,
    )  # fmt: skip
    assert slip.net == 5_286_583
    low_slip = Payslip.objects.get(run=december, employee=low)
    # 14,000 + 3,032.26; SSO 700 + 152; year's net income stays under 150,000: no tax
    assert (low_slip.gross, low_slip.sso_employee, low_slip.tax) == (1_703_226, 85_200, 0)
    assert low_slip.net == 1_703_226 - 85_200
    # the ledger entry carries the back pay in the gross and net
    december = payroll.payroll_submit(actor=hr, run=december)
    december = payroll.payroll_approve(actor=approver, run=december, decision="approve")
    assert december.gross_satang == 1_703_226 + 5_900_000
    # January: nothing left to settle, nothing paid twice
    january = payroll.payroll_run_create(actor=hr, year=2027, month=1, pay_date=date(2027, 1, 25))
    assert not BackPayLine.objects.filter(payslip__run=january).exists()


def test_a_reversed_run_no_longer_counts_as_paid(org, books):
    hr, approver = make_user("hr_officer", unit=org["hr"]), make_user("executive", unit=org["hq"])
    worker = hire(org["north"], salary="12000.00")
    _pay_month(hr, approver, 2026, 10)
    services.employee_salary_change(
        actor=hr, employee=worker, salary="13000.00", effective_date=date(2026, 10, 1), reason="ปรับ"
    )
    november = _pay_month(hr, approver, 2026, 11)
    assert list(BackPayLine.objects.filter(payslip__run=november).values_list("salary", flat=True)) == [
        100_000
    ]
    payroll.payroll_reverse(actor=approver, run=november, reason="แก้ไข", entry_date=date(2026, 11, 26))
    correcting = payroll.payroll_run_create(actor=hr, year=2026, month=11, pay_date=date(2026, 11, 27))
    # the reversed run's back pay is owed again in the correcting run, once
    assert list(BackPayLine.objects.filter(payslip__run=correcting).values_list("salary", flat=True)) == [
        100_000
    ]
