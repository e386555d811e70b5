"""Loans through approval, disbursement and repayment; every figure worked out by hand in the comments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from codi.finance.models import JournalEntry
from codi.lending import services
from codi.lending.models import Instalment, Loan, LoanStatus, Repayment, ScheduleVersion
from codi.lending.services import LendingError
from tests.lending.conftest import active_loan

pytestmark = pytest.mark.django_db


def lines_of(entry_id):
    entry = JournalEntry.objects.get(pk=entry_id)
    return sorted(
        (ln.account.code, str(ln.debit), str(ln.credit)) for ln in entry.lines.select_related("account")
    )


def test_apply_review_approve_disburse_posts_once(books, people, product, org):
    loan = active_loan(people, product, org)
    assert loan.status == LoanStatus.ACTIVE and loan.number.startswith("L2568-")
    # 12,000.00 at 6 % (0.5 % a month), equal principal 4,000.00; interest 60.00, 40.00, 20.00.
    rows = [(i.n, i.due_date, i.principal_due, i.interest_due) for i in Instalment.objects.filter(loan=loan)]
    assert rows == [
        (1, date(2025, 2, 15), Decimal("4000.00"), Decimal("60.00")),
        (2, date(2025, 3, 15), Decimal("4000.00"), Decimal("40.00")),
        (3, date(2025, 4, 15), Decimal("4000.00"), Decimal("20.00")),
    ]
    tranche = loan.tranches.get()
    assert (tranche.n, tranche.amount, tranche.reference) == (1, Decimal("12000.00"), f"{loan.number}-T1")
    assert '<InstdAmt Ccy="THB">12000.00</InstdAmt>' in tranche.payment_file  # the pain.001 transfer
    entry = JournalEntry.objects.get(source_type="lending.tranche", source_id=str(tranche.pk))
    assert lines_of(entry.pk) == [("1101020601", "0.00", "12000.00"), ("1103010101", "12000.00", "0.00")]
    with pytest.raises(LendingError):  # a second disbursement: no longer at that step
        services.loan_disburse(actor=people["cashier"], loan=loan, disbursed_on=date(2025, 1, 16))
    assert JournalEntry.objects.filter(source_type="lending.tranche").count() == 1
    assert [s.task_key for s in loan.steps.all()] == ["review", "committee", "disburse"]


@pytest.mark.parametrize(
    ("kwargs", "english"),
    [({"principal": "9999.99"}, "principal must be 10,000.00"), ({"months": 121}, "term must be 3 to 120"),
     ({"principal": "abc"}, "not a number"), ({"purpose": " "}, "purpose is required")],
)  # fmt: skip
def test_out_of_range_application_writes_nothing(books, people, product, org, kwargs, english):
    args = {"principal": "50000", "months": 12, "purpose": "ทุนหมุนเวียน"} | kwargs
    with pytest.raises(LendingError) as caught:
        services.loan_apply(
            actor=people["officer"], product=product, organization=org, applied_on=date(2025, 1, 1), **args
        )
    assert english in caught.value.message_en and caught.value.message_th
    assert not Loan.objects.exists()


def test_collateral_required(books, people, product, org):
    product.collateral_required = True
    product.save()
    with pytest.raises(LendingError, match="หลักประกัน"):
        services.loan_apply(actor=people["officer"], product=product, organization=org, principal="50000",
                            months=12, purpose="ซื้อที่ดิน", applied_on=date(2025, 1, 1))  # fmt: skip


def test_dated_rate_change_applies_to_later_applications(books, people, product, org):
    services.product_rate_set(actor=None, product=product, effective_from=date(2025, 6, 1), annual_rate="4.5")
    before = services.loan_apply(actor=people["officer"], product=product, organization=org, principal="50000",
                                 months=12, purpose="ก", applied_on=date(2025, 5, 31))  # fmt: skip
    after = services.loan_apply(actor=people["officer"], product=product, organization=org, principal="50000",
                                months=12, purpose="ข", applied_on=date(2025, 6, 1))  # fmt: skip
    assert (before.annual_rate, after.annual_rate) == (Decimal("6.0000"), Decimal("4.5000"))


def test_out_of_area_and_segregation(books, people, product, org):
    with pytest.raises(PermissionDenied):
        services.loan_apply(actor=people["south_officer"], product=product, organization=org, principal="50000",
                            months=12, purpose="ก", applied_on=date(2025, 1, 1))  # fmt: skip
    loan = services.loan_apply(actor=people["officer2"], product=product, organization=org, principal="50000",
                               months=12, purpose="ก", applied_on=date(2025, 1, 1))  # fmt: skip
    services.loan_review(actor=people["officer2"], loan=loan, decision="pass")
    with pytest.raises(PermissionDenied):
        services.loan_decide(actor=people["south_director"], loan=loan, decision="approve")
    with pytest.raises(PermissionDenied):  # the officer holds no lending.approve
        services.loan_decide(actor=people["officer2"], loan=loan, decision="approve")
    services.loan_decide(actor=people["committee"], loan=loan, decision="reject", comment="เอกสารไม่ครบ")
    loan.refresh_from_db()
    assert loan.status == LoanStatus.REJECTED


def test_allocation_penalty_interest_principal_and_close(books, people, product, org):
    loan = active_loan(people, product, org)
    cashier = people["cashier"]
    # On time: instalment 1 = 60.00 interest + 4,000.00 principal.
    r1 = services.repayment_record(
        actor=cashier, loan=loan, amount="4060.00", received_on=date(2025, 2, 15), reference="R1"
    )
    assert (r1.penalty_part, r1.interest_part, r1.principal_part) == (
        Decimal("0.00"),
        Decimal("60.00"),
        Decimal("4000.00"),
    )
    # Instalment 2 (4,040.00, due 15 Mar) missed; 2,000.00 paid on 1 Apr, 17 days late (> 5 days' grace):
    # penalty 4,040.00 × 12 % × 17 / 365 = 22.5797 → 22.58; then interest 40.00; then principal 1,937.42.
    r2 = services.repayment_record(
        actor=cashier, loan=loan, amount="2000.00", received_on=date(2025, 4, 1), reference="R2", channel="qr"
    )
    assert (r2.penalty_part, r2.interest_part, r2.principal_part) == (
        Decimal("22.58"),
        Decimal("40.00"),
        Decimal("1937.42"),
    )
    assert lines_of(r2.journal_entry_id) == [
        ("1101020601", "2000.00", "0.00"), ("1103010101", "0.00", "1937.42"),
        ("4202020101", "0.00", "40.00"), ("4202020102", "0.00", "22.58"),
    ]  # fmt: skip
    # On 15 Apr: penalty on the 2,062.58 still unpaid, 1 → 15 Apr = 14 days: 2,062.58 × 0.12 × 14 / 365
    # = 9.4935 → 9.49; owed 9.49 + 2,062.58 + instalment 3 (20.00 + 4,000.00) = 6,092.07.
    with pytest.raises(LendingError, match="เกินหนี้"):
        services.repayment_record(
            actor=cashier, loan=loan, amount="6092.08", received_on=date(2025, 4, 15), reference="R3"
        )
    r3 = services.repayment_record(
        actor=cashier, loan=loan, amount="6092.07", received_on=date(2025, 4, 15), reference="R3"
    )
    assert (r3.penalty_part, r3.interest_part, r3.principal_part) == (
        Decimal("9.49"),
        Decimal("20.00"),
        Decimal("6062.58"),
    )
    loan.refresh_from_db()
    assert loan.status == LoanStatus.CLOSED and loan.closed_on == date(2025, 4, 15)
    assert sum(r.principal_part for r in Repayment.objects.filter(loan=loan)) == Decimal("12000.00")
    with pytest.raises(LendingError) as caught:
        services.repayment_record(
            actor=cashier, loan=loan, amount="1.00", received_on=date(2025, 5, 1), reference="R4"
        )
    assert "closed" in caught.value.message_en and "ปิดแล้ว" in caught.value.message_th
    assert not Repayment.objects.filter(reference="R4").exists()


def test_repayment_is_idempotent_by_reference(books, people, product, org):
    loan = active_loan(people, product, org)
    first = services.repayment_record(
        actor=people["cashier"], loan=loan, amount="4060", received_on=date(2025, 2, 15), reference="QR-1"
    )
    again = services.repayment_record(
        actor=people["cashier"], loan=loan, amount="4060", received_on=date(2025, 2, 15), reference="QR-1"
    )
    assert first.pk == again.pk
    assert JournalEntry.objects.filter(source_type="lending.repayment").count() == 1
    with pytest.raises(LendingError):  # the same reference with another amount is a mistake, not a retry
        services.repayment_record(
            actor=people["cashier"], loan=loan, amount="10", received_on=date(2025, 2, 15), reference="QR-1"
        )


def test_early_payment_pays_the_next_instalment_without_rescheduling(books, people, product, org):
    loan = active_loan(people, product, org)
    r = services.repayment_record(
        actor=people["cashier"], loan=loan, amount="4060", received_on=date(2025, 2, 10), reference="E1"
    )
    assert (r.interest_part, r.principal_part, r.prepaid_part) == (
        Decimal("60.00"),
        Decimal("4000.00"),
        Decimal("0.00"),
    )
    assert ScheduleVersion.objects.filter(loan=loan).count() == 1


def test_prepayment_writes_a_new_schedule_version(books, people, product, org):
    loan = active_loan(people, product, org)
    # 15 Feb: instalment 1 (4,060.00) + 2,000.00 ahead → balance 8,000.00 − 2,000.00 = 6,000.00 over the
    # 2 instalments left: 3,000.00 each; interest 6,000.00 × 0.005 = 30.00 and 3,000.00 × 0.005 = 15.00.
    r = services.repayment_record(
        actor=people["cashier"],
        loan=loan,
        amount="6060",
        received_on=date(2025, 2, 15),
        reference="P1",
        prepay=True,
    )
    assert (r.interest_part, r.principal_part, r.prepaid_part) == (
        Decimal("60.00"),
        Decimal("6000.00"),
        Decimal("2000.00"),
    )
    versions = list(ScheduleVersion.objects.filter(loan=loan))
    assert [(v.version, v.is_current) for v in versions] == [(1, False), (2, True)]
    rows = [
        (i.n, i.due_date, i.principal_due, i.interest_due, i.principal_paid)
        for i in versions[1].instalments.order_by("n")
    ]
    assert rows == [
        (1, date(2025, 2, 15), Decimal("4000.00"), Decimal("60.00"), Decimal("4000.00")),
        (2, date(2025, 3, 15), Decimal("3000.00"), Decimal("30.00"), Decimal("0.00")),
        (3, date(2025, 4, 15), Decimal("3000.00"), Decimal("15.00"), Decimal("0.00")),
    ]
    assert versions[0].instalments.count() == 3  # the old version is kept as history
    # Paying the whole 6,000.00 outstanding ahead closes the loan.
    services.repayment_record(
        actor=people["cashier"],
        loan=loan,
        amount="6000",
        received_on=date(2025, 2, 20),
        reference="P2",
        prepay=True,
    )
    loan.refresh_from_db()
    assert loan.status == LoanStatus.CLOSED


def test_repayment_refused_before_disbursement_and_out_of_area(books, people, product, org):
    loan = services.loan_apply(actor=people["officer"], product=product, organization=org, principal="50000",
                               months=12, purpose="ก", applied_on=date(2025, 1, 1))  # fmt: skip
    with pytest.raises(LendingError, match="ยังไม่ได้เบิกจ่าย"):
        services.repayment_record(
            actor=people["cashier"], loan=loan, amount="100", received_on=date(2025, 2, 1), reference="X"
        )
    with pytest.raises(PermissionDenied):
        services.repayment_record(
            actor=people["south_cashier"],
            loan=loan,
            amount="100",
            received_on=date(2025, 2, 1),
            reference="X",
        )


def test_a_balanced_entry_whose_parts_add_up_inexactly_in_binary_floats_posts(books):
    # 2,244.79 + 11,223.93 = 13,468.72 exactly, but 13,468.720000000001 in binary floats (SQLite's
    # storage); finance's insert guard refused this entry before its 0003 migration.
    from codi.finance import ledger
    from codi.finance.ledger import LineSpec

    entry = ledger.entry_post(
        actor=None, entry_date=date(2026, 4, 1), description="รับชำระ", source_type="test", source_id="1",
        lines=[LineSpec("1101020601", debit=Decimal("13468.72")), LineSpec("4202020101", credit=Decimal("2244.79")),
               LineSpec("1103010101", credit=Decimal("11223.93"))],
    )  # fmt: skip
    assert entry.total == Decimal("13468.72")


def test_qr_payment_matched_by_ref1_or_queued_never_guessed(books, people, product, org):
    from codi.lending.models import PaymentNotice

    loan = active_loan(people, product, org)
    cashier = people["cashier"]
    matched = services.qr_payment_receive(actor=cashier, transaction_id="TX1", ref1=loan.number.lower(), ref2="1",
                                          amount="4060.00", received_on=date(2025, 2, 15))  # fmt: skip
    assert matched.status == "matched" and matched.repayment.interest_part == Decimal("60.00")
    again = services.qr_payment_receive(actor=cashier, transaction_id="TX1", ref1=loan.number, ref2="1",
                                        amount="4060.00", received_on=date(2025, 2, 15))  # fmt: skip
    assert again.pk == matched.pk and Repayment.objects.filter(loan=loan).count() == 1
    # A Ref1 one digit off is not "probably" the loan: it waits for a person.
    near = loan.number[:-1] + ("9" if loan.number[-1] != "9" else "8")
    queued = services.qr_payment_receive(actor=cashier, transaction_id="TX2", ref1=near, ref2="2",
                                         amount="4040.00", received_on=date(2025, 3, 15))  # fmt: skip
    assert queued.status == "queued" and queued.repayment is None and "ไม่พบสัญญา" in queued.reason
    # More than the loan owes: queued with the reason, nothing allocated.
    too_much = services.qr_payment_receive(actor=cashier, transaction_id="TX3", ref1=loan.number, ref2="2",
                                           amount="99999.00", received_on=date(2025, 3, 15))  # fmt: skip
    assert too_much.status == "queued" and "เกินหนี้" in too_much.reason
    assert Repayment.objects.filter(loan=loan).count() == 1
    assert {n.transaction_id for n in PaymentNotice.objects.filter(status="queued")} == {"TX2", "TX3"}
    from codi.lending.selectors import payment_queue

    assert payment_queue(actor=people["south_cashier"]).count() == 0  # region-scoped: not theirs to resolve
    with pytest.raises(PermissionDenied):
        services.qr_payment_receive(actor=people["south_cashier"], transaction_id="TX4", ref1=loan.number,
                                    ref2="2", amount="1.00", received_on=date(2025, 3, 15))  # fmt: skip
