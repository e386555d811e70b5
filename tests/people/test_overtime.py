"""Overtime (Labour Protection Act s.61-65) and the cost-centre split of the payroll entry, by hand."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codi.finance import selectors as finance_selectors
from codi.people import overtime, payroll, tax
from codi.people.models import OvertimeEntry, Payslip
from codi.people.services import PeopleError

PAY_DAY = date(2026, 12, 25)


def test_overtime_pay_by_hand():
    # 30,000 a month: hourly 30,000 / 30 / 8 = 125; 10 h × 1.5 = 1,875; 4 h × 3 = 1,500; 8 h × 1 = 1,000
    assert tax.overtime_pay(3_000_000, [("workday", 1000)]) == 187_500
    assert tax.overtime_pay(3_000_000, [("holiday_ot", 400)]) == 150_000
    assert tax.overtime_pay(3_000_000, [("holiday", 800)]) == 100_000
    # 27,777 a month: hourly 115.7375; 1.25 h × 1.5 = 217.0078125 → 217.01 (half-up once)
    assert tax.overtime_pay(2_777_700, [("workday", 125)]) == 21_701


def test_split_by_percent_adds_up_and_gives_leftover_satang_to_largest_remainders():
    # 33,375.00 by 33.33 / 33.33 / 33.34: 1,112,388.75 / 1,112,388.75 / 1,112,722.5 satang
    # floors sum to 3,337,498; the 2 satang left go to the two .75 remainders
    parts = tax.split_by_percent(3_337_500, [("R-N", 3333), ("R-S", 3333), ("PRJ-7", 3334)])
    assert parts == {"R-N": 1_112_389, "R-S": 1_112_389, "PRJ-7": 1_112_722}
    with pytest.raises(ValueError):
        tax.split_by_percent(100, [("A", 5000)])


def test_overtime_is_paid_taxed_as_a_one_off_and_split_by_cost_centre(staff, books):
    north, hr, approver = staff["north"], staff["hr_all"], staff["approver"]
    overtime.overtime_record(
        actor=hr, employee=north, work_date=date(2026, 12, 7), kind="workday", hours="10"
    )
    overtime.overtime_record(
        actor=hr, employee=north, work_date=date(2026, 12, 12), kind="holiday_ot", hours="4"
    )
    overtime.cost_split_set(
        actor=hr, employee=north, shares=[("R-N", "33.33"), ("R-S", "33.33"), ("PRJ-7", "33.34")]
    )
    run = payroll.payroll_run_create(actor=hr, year=2026, month=12, pay_date=PAY_DAY)
    slip = Payslip.objects.get(run=run, employee=north)
    # salary 30,000; overtime 1,875 + 1,500 = 3,375; gross 33,375; SSO 875 either way (17,500 ceiling)
    # regular year: 360,000 - 100,000 expense - (60,000 + 10,500 SSO) = 189,500 net → 1,975 tax → 164.58 a month
    # with the overtime: 363,375 - 100,000 - 70,500 = 192,875 → 2,143.75; one-off tax 2,143.75 - 1,975 = 168.75
    # withheld 164.58 + 168.75 = 333.33; net 33,375 - 875 - 333.33 = 32,166.67
    assert (slip.overtime, slip.gross, slip.sso_employee, slip.tax, slip.net) == (
        337_500,
        3_337_500,
        87_500,
        33_333,
        3_216_667,
    )
    assert slip.cost_split == {
        "R-N": [1_112_389, 29_164, 0],
        "R-S": [1_112_389, 29_164, 0],
        "PRJ-7": [1_112_722, 29_172, 0],
    }
    run = payroll.payroll_approve(
        actor=approver, run=payroll.payroll_submit(actor=hr, run=run), decision="approve"
    )
    entry = finance_selectors.entry_list(actor=approver).get(pk=run.journal_entry_id)
    salary = {
        line.org_unit or line.project: line.debit
        for line in entry.lines.select_related("account")
        if line.account.code == payroll.SALARY_EXPENSE
    }
    # the units' lines carry the org-unit dimension; the project code is the project dimension
    dims = {
        (line.org_unit or "", line.project or "")
        for line in entry.lines.select_related("account")
        if line.account.code in payroll.COST_ACCOUNTS
    }
    assert dims == {("R-N", ""), ("R-S", ""), ("", "PRJ-7")}
    # R-N: head 55,000 + 11,123.89; R-S: 30,000 + 11,123.89; PRJ-7: 11,127.22 — 118,375.00 in all
    assert salary == {"R-N": Decimal("66123.89"), "R-S": Decimal("41123.89"), "PRJ-7": Decimal("11127.22")}
    assert entry.total_debit == entry.total_credit
    # the month is paid: no more overtime in it
    with pytest.raises(PeopleError, match="อนุมัติแล้ว"):
        overtime.overtime_record(
            actor=hr, employee=north, work_date=date(2026, 12, 8), kind="workday", hours="1"
        )


def test_overtime_refusals(staff):
    north, head, hr = staff["north"], staff["head"], staff["hr_all"]
    with pytest.raises(PermissionDenied):  # HR of the north may not record for the south
        overtime.overtime_record(
            actor=staff["hr_north"],
            employee=staff["south"],
            work_date=date(2026, 12, 7),
            kind="workday",
            hours="1",
        )
    with pytest.raises(PeopleError, match="65"):  # a unit head is not paid overtime
        overtime.overtime_record(
            actor=hr, employee=head, work_date=date(2026, 12, 7), kind="workday", hours="2"
        )
    overtime.overtime_record(actor=hr, employee=head, work_date=date(2026, 12, 12), kind="holiday", hours="8")
    with pytest.raises(PeopleError, match="ไม่ตรงกับประเภท"):  # a Saturday is not a working day
        overtime.overtime_record(
            actor=hr, employee=north, work_date=date(2026, 12, 12), kind="workday", hours="2"
        )
    with pytest.raises(PeopleError, match="12"):
        overtime.overtime_record(
            actor=hr, employee=north, work_date=date(2026, 12, 7), kind="workday", hours="13"
        )
    for day in (14, 15, 16):  # 3 × 12 = 36 hours in the week of 14 December
        overtime.overtime_record(
            actor=hr, employee=north, work_date=date(2026, 12, day), kind="workday", hours="12"
        )
    with pytest.raises(PeopleError, match="36"):
        overtime.overtime_record(
            actor=hr, employee=north, work_date=date(2026, 12, 17), kind="workday", hours="0.5"
        )
    assert OvertimeEntry.objects.filter(employee=north).count() == 3


def test_cost_split_refusals(staff):
    north, hr = staff["north"], staff["hr_all"]
    with pytest.raises(PeopleError, match="100"):
        overtime.cost_split_set(actor=hr, employee=north, shares=[("R-N", "60"), ("R-S", "30")])
    with pytest.raises(PeopleError, match="ซ้ำ"):
        overtime.cost_split_set(actor=hr, employee=north, shares=[("R-N", "50"), ("R-N", "50")])
    with pytest.raises(PeopleError):
        overtime.cost_split_set(actor=hr, employee=north, shares=[("bad code!", "100")])
    with pytest.raises(PermissionDenied):
        overtime.cost_split_set(actor=staff["hr_north"], employee=staff["south"], shares=[("R-N", "100")])
    assert not north.cost_splits.exists()


def test_pages_record_overtime_and_shares_for_hr_only(staff, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.permissions import signed_in_client

    north, hr = staff["north"], signed_in_client(staff["hr_all"])
    url = f"/people/employees/{north.pk}/"
    form = {"work_date": "2026-12-07", "kind": "workday", "hours": "2.5", "reason": "ปิดงบ"}
    assert hr.post(url + "overtime/", form).status_code == 302
    assert hr.post(url + "cost-split/", {"shares": "R-N 60\nPRJ-7 40"}).status_code == 302
    page = hr.get(url).content.decode()
    assert "2.50" in page and "PRJ-7 40.00%" in page
    # the employee may not record their own overtime or shares; the south's HR is refused
    own = signed_in_client(north.user)
    assert own.post(url + "overtime/", {**form, "work_date": "2026-12-08"}).status_code == 403
    assert own.post(url + "cost-split/", {"shares": "R-S 100"}).status_code == 403
    assert signed_in_client(staff["outsider"]).post(url + "overtime/", form).status_code == 404
    assert OvertimeEntry.objects.filter(employee=north).count() == 1
    assert [(s.cost_centre, s.percent) for s in north.cost_splits.all()] == [("PRJ-7", 40), ("R-N", 60)]
    # the import page: a dry run with an error is shown by line and column; an employee is refused
    upload = SimpleUploadedFile("x.csv", b"employee_no,first_name_th,last_name_th,position,org_unit,salary,"
                                b"start_date,national_id,bank_code,bank_account\nZ1,a,b,c,NOPE,1,2020-01-01,1,6,1\n")  # fmt: skip
    response = hr.post("/people/import/", {"kind": "employees", "dry_run": "1", "file": upload})
    assert response.status_code == 200 and 'id="import-errors"' in response.content.decode()
    assert own.get("/people/import/").status_code == 403


# the shared machine is often loaded: generation time is not what this test checks
@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    amount=st.integers(min_value=0, max_value=10**12),
    cuts=st.lists(st.integers(min_value=1, max_value=9_999), min_size=0, max_size=5, unique=True),
)
def test_split_by_percent_is_exact_for_any_amount_and_shares(amount, cuts):
    bounds = [0, *sorted(cuts), 10_000]
    shares = [(f"C{i}", hi - lo) for i, (lo, hi) in enumerate(itertools.pairwise(bounds))]
    parts = tax.split_by_percent(amount, shares)
    assert sum(parts.values()) == amount
    for key, share in shares:
        assert abs(parts[key] * 10_000 - amount * share) < 10_000  # within one satang of exact
