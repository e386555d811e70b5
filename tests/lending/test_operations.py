"""Tranches, the monthly interest accrual, restructuring and write-off; figures worked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from codi.finance.models import JournalEntry
from codi.lending import operations, services
from codi.lending.models import ChangeStatus, InterestAccrual, LoanChange, LoanStatus, Tranche
from codi.lending.services import LendingError
from tests.lending.conftest import active_loan
from tests.lending.test_services import lines_of

pytestmark = pytest.mark.django_db
D = Decimal


def approved_loan(people, product, org, principal="12000", months=3, start=date(2025, 1, 15)):
    loan = services.loan_apply(
        actor=people["officer"], product=product, organization=org, principal=principal, months=months,
        purpose="สร้างบ้านมั่นคง", applied_on=start,
    )  # fmt: skip
    services.loan_review(actor=people["officer"], loan=loan, decision="pass")
    return services.loan_decide(actor=people["committee"], loan=loan, decision="approve")


def schedule_of(loan):
    return [
        (i.n, i.due_date, i.principal_due, i.interest_due)
        for i in loan.instalments.filter(is_current=True).order_by("n")
    ]


def test_tranches_respread_the_schedule_and_post_each_payment(books, people, product, org):
    loan = approved_loan(people, product, org)
    with pytest.raises(LendingError):  # no bank account of the borrower: nothing to transfer to
        services.loan_disburse(
            actor=people["cashier"], loan=loan, disbursed_on=date(2025, 1, 15), amount="6000"
        )
    assert (
        not Tranche.objects.exists()
        and not JournalEntry.objects.filter(source_type="lending.tranche").exists()
    )
    loan = services.loan_disburse(
        actor=people["cashier"], loan=loan, disbursed_on=date(2025, 1, 15), amount="6000",
        bank_code="006", account_no="980-1-23456-7",
    )  # fmt: skip
    # First tranche 6,000.00 over 3 months, equal principal 2,000.00, 0.5 % a month: 30, 20, 10.
    assert schedule_of(loan) == [
        (1, date(2025, 2, 15), D("2000.00"), D("30.00")),
        (2, date(2025, 3, 15), D("2000.00"), D("20.00")),
        (3, date(2025, 4, 15), D("2000.00"), D("10.00")),
    ]
    second = operations.tranche_disburse(
        actor=people["cashier"], loan=loan, amount="6000", paid_on=date(2025, 2, 20)
    )
    # Instalment 1 (due 15 Feb) stays; 4,000.00 not yet due + 6,000.00 = 10,000.00 over 2 months:
    # 5,000.00 each; interest 10,000 × 0.5 % = 50.00, then 5,000 × 0.5 % = 25.00.
    assert schedule_of(loan) == [
        (1, date(2025, 2, 15), D("2000.00"), D("30.00")),
        (2, date(2025, 3, 15), D("5000.00"), D("50.00")),
        (3, date(2025, 4, 15), D("5000.00"), D("25.00")),
    ]
    assert (
        second.n == 2
        and second.reference == f"{loan.number}-T2"
        and "<MmbId>006</MmbId>" in second.payment_file
    )
    assert lines_of(second.journal_entry_id) == [
        ("1101020601", "0.00", "6000.00"),
        ("1103010101", "6000.00", "0.00"),
    ]
    assert loan.versions.count() == 2
    with pytest.raises(LendingError):  # 12,000.00 paid: one more satang exceeds the principal
        operations.tranche_disburse(
            actor=people["cashier"], loan=loan, amount="0.01", paid_on=date(2025, 2, 21)
        )
    with pytest.raises(PermissionDenied):
        operations.tranche_disburse(
            actor=people["south_cashier"], loan=loan, amount="1", paid_on=date(2025, 2, 21)
        )
    assert Tranche.objects.filter(loan=loan).count() == 2
    assert JournalEntry.objects.filter(source_type="lending.tranche").count() == 2


def test_month_end_accrual_posts_and_reverses_once(books, people, product, org):
    loan = active_loan(people, product, org)  # 12,000.00 from 15 Jan 2025: interest 60, 40, 20
    with pytest.raises(LendingError):
        operations.interest_accrue(actor=people["cashier"], month_end=date(2025, 1, 30))
    with pytest.raises(PermissionDenied):  # a province officer cannot accrue the country's book
        operations.interest_accrue(actor=people["officer"], month_end=date(2025, 1, 31))
    run = operations.interest_accrue(actor=people["cashier"], month_end=date(2025, 1, 31))
    # Period 15 Jan - 15 Feb is 31 days, 16 of them by 31 Jan: 60.00 × 16 / 31 = 30.967 → 30.97.
    assert (run.amount, run.loans) == (D("30.97"), 1)
    assert lines_of(run.journal_entry_id) == [
        ("1103010102", "30.97", "0.00"),
        ("4202020101", "0.00", "30.97"),
    ]
    reversal = JournalEntry.objects.get(pk=run.reversal_entry_id)
    assert reversal.entry_date == date(2025, 2, 1)
    assert lines_of(reversal.pk) == [("1103010102", "0.00", "30.97"), ("4202020101", "30.97", "0.00")]
    assert operations.interest_accrue(actor=people["cashier"], month_end=date(2025, 1, 31)).pk == run.pk
    assert JournalEntry.objects.filter(source_type="lending.accrual").count() == 1
    services.repayment_record(
        actor=people["cashier"], loan=loan, amount="4060", received_on=date(2025, 2, 15), reference="R1"
    )
    feb = operations.interest_accrue(actor=people["cashier"], month_end=date(2025, 2, 28))
    # Instalment 1 paid; period 15 Feb - 15 Mar is 28 days, 13 by 28 Feb: 40.00 × 13 / 28 = 18.571 → 18.57.
    assert feb.amount == D("18.57") and feb.lines.get().loan_id == loan.pk
    march = operations.interest_accrue(actor=people["cashier"], month_end=date(2025, 3, 31))
    # Instalment 2 (40.00) unpaid and due, plus 20.00 × 16 / 31 = 10.32 of the running period.
    assert march.amount == D("50.32")
    assert InterestAccrual.objects.count() == 3


def test_restructure_needs_a_write_off_to_lower_principal_and_a_second_person(books, people, product, org):
    loan = active_loan(people, product, org)
    services.repayment_record(
        actor=people["cashier"], loan=loan, amount="4060", received_on=date(2025, 2, 15), reference="R1"
    )  # instalment 1 paid; 8,000.00 outstanding, instalments 2 and 3 then missed
    ask = {"actor": people["officer"], "loan": loan, "kind": "restructure", "effective_on": date(2025, 5, 1),
           "reason": "น้ำท่วมบ้านสมาชิก", "months": 4, "annual_rate": "3"}  # fmt: skip
    with pytest.raises(LendingError) as refused:  # 6,000 + 0 ≠ 8,000: principal lowered without a write-off
        operations.change_request(**ask, new_principal="6000")
    assert "ตัดหนี้สูญ" in refused.value.message_th and "write-off" in refused.value.message_en
    with pytest.raises(LendingError):  # before the last repayment
        operations.change_request(**{**ask, "effective_on": date(2025, 2, 1)})
    with pytest.raises(PermissionDenied):
        operations.change_request(**{**ask, "actor": people["south_officer"]})
    assert not LoanChange.objects.exists()
    change = operations.change_request(**ask, new_principal="6000", write_off="2000")
    with pytest.raises(LendingError):  # one pending request at a time
        operations.change_request(**ask)
    with pytest.raises(LendingError):  # the officer who asked cannot approve (give them the right to try)
        services_actor = people["committee"]
        change.requested_by = services_actor
        change.save()
        operations.change_decide(actor=services_actor, change=change, decision="approve")
    change.requested_by = people["officer"]
    change.save()
    assert schedule_of(loan)[1][2] == D("4000.00")  # nothing changed yet
    operations.change_decide(actor=people["committee"], change=change, decision="approve")
    change.refresh_from_db()
    loan.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED and loan.annual_rate == D("3.0000")
    # Unpaid interest of instalments 2 and 3 (40.00 + 20.00) is forgiven; 2,000.00 written off.
    assert change.interest_forgiven == D("60.00")
    assert lines_of(change.journal_entry_id) == [
        ("1103010101", "0.00", "2000.00"),
        ("5106010101", "2000.00", "0.00"),
    ]
    # 6,000.00 over 4 months from 1 May at 3 % (0.25 % a month): principal 1,500.00;
    # interest 15.00, 11.25, 7.50, 3.75; instalment 1 kept as paid.
    assert schedule_of(loan) == [
        (1, date(2025, 2, 15), D("4000.00"), D("60.00")),
        (2, date(2025, 6, 1), D("1500.00"), D("15.00")),
        (3, date(2025, 7, 1), D("1500.00"), D("11.25")),
        (4, date(2025, 8, 1), D("1500.00"), D("7.50")),
        (5, date(2025, 9, 1), D("1500.00"), D("3.75")),
    ]
    assert operations.outstanding_principal(loan) == D("6000.00")
    # The restructured schedule keeps its own dates when a prepayment respreads it: 1,515.00 on
    # 1 June pays instalment 2; 1,500.00 prepaid on 10 June leaves 3,000.00 over instalments 3-5:
    # 1,000.00 each, interest 7.50, 5.00, 2.50, still due on the 1st of July, August, September.
    services.repayment_record(
        actor=people["cashier"], loan=loan, amount="1515", received_on=date(2025, 6, 1), reference="R2"
    )
    services.repayment_record(
        actor=people["cashier"], loan=loan, amount="1500", received_on=date(2025, 6, 10), reference="R3",
        prepay=True,
    )  # fmt: skip
    assert schedule_of(loan)[2:] == [
        (3, date(2025, 7, 1), D("1000.00"), D("7.50")),
        (4, date(2025, 8, 1), D("1000.00"), D("5.00")),
        (5, date(2025, 9, 1), D("1000.00"), D("2.50")),
    ]


def test_rejected_change_leaves_the_loan_and_write_off_ends_it(books, people, product, org):
    loan = active_loan(people, product, org)
    change = operations.change_request(
        actor=people["officer"],
        loan=loan,
        kind="write_off",
        effective_on=date(2025, 9, 30),
        reason="องค์กรยุบเลิก",
    )
    assert change.write_off == D("12000.00")
    with pytest.raises(LendingError):  # a rejection needs its reason
        operations.change_decide(actor=people["committee"], change=change, decision="reject")
    operations.change_decide(
        actor=people["committee"], change=change, decision="reject", comment="ให้ติดตามหนี้ก่อน"
    )
    loan.refresh_from_db()
    assert (
        loan.status == LoanStatus.ACTIVE
        and not JournalEntry.objects.filter(source_type="lending.write_off").exists()
    )
    again = operations.change_request(
        actor=people["officer"],
        loan=loan,
        kind="write_off",
        effective_on=date(2025, 9, 30),
        reason="องค์กรยุบเลิก",
    )
    with pytest.raises(PermissionDenied):
        operations.change_decide(actor=people["south_director"], change=again, decision="approve")
    operations.change_decide(actor=people["committee"], change=again, decision="approve")
    loan.refresh_from_db()
    assert (loan.status, loan.closed_on) == (LoanStatus.WRITTEN_OFF, date(2025, 9, 30))
    entry = JournalEntry.objects.get(source_type="lending.write_off")
    assert lines_of(entry.pk) == [("1103010101", "0.00", "12000.00"), ("5106010101", "12000.00", "0.00")]
    with pytest.raises(LendingError):  # a written-off loan takes no repayment here
        services.repayment_record(
            actor=people["cashier"], loan=loan, amount="100", received_on=date(2025, 10, 1), reference="R9"
        )
    with pytest.raises(LendingError):  # nor another change
        operations.change_request(
            actor=people["officer"], loan=loan, kind="write_off", effective_on=date(2025, 10, 1), reason="ซ้ำ"
        )
