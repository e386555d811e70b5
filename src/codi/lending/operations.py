"""A loan's life after the first disbursement: further tranches, the monthly interest accrual,
restructuring and write-off (each with a second person's approval), all posted to the ledger
through ``codi.finance.services``.

Tranches: the loan's money may be paid out in several transfers (a housing loan follows the
building works). Tranche k (k > 1) keeps the instalments already due (or paid in part) and spreads
the principal not yet due plus the new tranche over the remaining instalments: a new schedule
version. The tranches together never exceed the approved principal.

Accrual (month end, country-wide ``lending.cash``): for each active loan, the interest earned by
the month's end and not yet received = the unpaid interest of instalments due by then + the part
of the running period's interest earned so far (the period's interest × calendar days elapsed /
days in the period, rounded half-up to the satang) less what was already paid of it. Posted as one
entry Dr accrued interest receivable / Cr interest income dated the month's end, and reversed the
next day (the auto-reversing method: repayments keep crediting interest income when received, so
nothing is counted twice). One accrual per month; running it again returns the first.

Restructuring and write-off: a credit officer (``lending.manage``) asks, someone else with
``lending.approve`` decides. A restructuring sets a new term and rate from ``effective_on`` on the
outstanding principal; it may lower the principal only by writing the difference off (refused
otherwise). Unpaid interest and penalty of the old schedule are forgiven (recorded on the change;
interest is income only when received, so there is nothing to reverse). A write-off posts
Dr bad debts / Cr loans receivable; a full write-off ends the loan (status ``written_off``).
"""

from __future__ import annotations

import calendar as month_calendar
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from codi.core.audit import audit_record
from codi.finance import services as finance
from codi.finance.services import FinanceError, LineSpec
from codi.identity.roles import Perm
from codi.identity.selectors import scope_filter
from codi.lending import schedule
from codi.lending.models import (
    ZERO,
    AccrualLine,
    ChangeKind,
    ChangeStatus,
    Instalment,
    InterestAccrual,
    Loan,
    LoanChange,
    LoanStatus,
    Tranche,
)
from codi.lending.services import (
    ACCRUED_INTEREST_ACCOUNT,
    BAD_DEBT_ACCOUNT,
    INTEREST_ACCOUNT,
    RECEIVABLE_ACCOUNT,
    LendingError,
    _require,
    _user,
    _write_version,
    rest_rows,
    tranche_post,
)


def _err(exc: FinanceError | schedule.ScheduleError) -> LendingError:
    return LendingError(exc.message_th, exc.message_en)


def _money(value: Decimal | str) -> Decimal:
    try:
        return finance.money(value)
    except FinanceError as exc:
        raise _err(exc) from None


def _locked_active(loan: Loan) -> Loan:
    locked = Loan.objects.select_for_update().select_related("product", "organization").get(pk=loan.pk)
    if locked.status != LoanStatus.ACTIVE or locked.disbursed_on is None:
        raise LendingError(
            f"สัญญาเงินกู้ {locked.number} ไม่อยู่ในสถานะผ่อนชำระ", f"Loan {locked.number} is not active"
        )
    return locked


def outstanding_principal(loan: Loan) -> Decimal:
    """Principal of the current schedule not yet repaid."""
    rows = loan.instalments.filter(is_current=True).aggregate(
        due=Sum("principal_due"), paid=Sum("principal_paid")
    )
    return (rows["due"] or ZERO) - (rows["paid"] or ZERO)


# --- tranches -------------------------------------------------------------------------------


def tranche_disburse(*, actor: Any, loan: Loan, amount: Decimal | str, paid_on: date) -> Tranche:
    """Pay the next tranche of an active loan and respread the schedule (module docstring)."""
    _require(actor, Perm.LENDING_CASH, loan)
    value = _money(amount)
    if value <= 0:
        raise LendingError("จำนวนเงินต้องมากกว่าศูนย์", "The amount must be more than zero")
    with transaction.atomic():
        loan = _locked_active(loan)
        last = loan.tranches.order_by("-n").first()
        if last is not None and paid_on < last.paid_on:
            raise LendingError("วันที่เบิกต้องไม่ก่อนงวดเบิกก่อนหน้า", "The tranche is dated before the previous one")
        instalments = list(loan.instalments.filter(is_current=True).select_for_update().order_by("n"))
        kept = [i for i in instalments if i.due_date <= paid_on or i.principal_paid or i.interest_paid]
        rest = instalments[len(kept) :]
        if not rest:
            raise LendingError(
                "ไม่เหลืองวดผ่อนชำระให้กระจายเงินงวดเบิกนี้ (ให้ปรับโครงสร้างหนี้แทน)",
                "No instalments are left to spread this tranche over (restructure instead)",
            )
        tranche = tranche_post(actor=actor, loan=loan, amount=value, paid_on=paid_on)
        principal = sum((i.principal_due for i in rest), ZERO) + value
        try:
            rows = rest_rows(loan, principal, len(rest), len(kept))
        except schedule.ScheduleError as exc:
            raise _err(exc) from None
        _write_version(loan, rows, reason=f"เบิกเงินกู้งวดที่ {tranche.n} {value:,.2f} บาท", actor=actor, keep=kept)
    return tranche


# --- monthly interest accrual ---------------------------------------------------------------


def month_end_of(day: date) -> date:
    return day.replace(day=month_calendar.monthrange(day.year, day.month)[1])


def accrued_interest(instalments: list[Instalment], start: date, day: date) -> Decimal:
    """Interest earned by ``day`` and not yet received, for one loan's current instalments (sorted)."""
    total = ZERO
    previous = start
    for inst in instalments:
        if inst.due_date <= day:
            total += inst.interest_due - inst.interest_paid
        elif previous < day:
            span = (inst.due_date - previous).days
            earned = schedule.half_up(inst.interest_due * (day - previous).days / span)
            total += max(earned - inst.interest_paid, ZERO)
            break
        else:
            break
        previous = inst.due_date
    return total


def interest_accrue(*, actor: Any, month_end: date) -> InterestAccrual:
    """Accrue the interest earned by ``month_end`` (the last day of a month) on every active loan."""
    condition = scope_filter(actor, Perm.LENDING_CASH)
    if condition is None or condition:  # an empty Q() is a country-wide grant
        raise PermissionDenied
    if month_end != month_end_of(month_end):
        raise LendingError("วันที่ต้องเป็นวันสิ้นเดือน", "The date must be the last day of a month")
    if month_end >= timezone.localdate():
        raise LendingError("ตั้งดอกเบี้ยค้างรับได้เมื่อสิ้นเดือนแล้ว", "A month is accrued only after it ends")
    existing = InterestAccrual.objects.filter(month_end=month_end).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        run = InterestAccrual.objects.create(month_end=month_end, amount=ZERO, created_by=_user(actor))
        loans = Loan.objects.filter(status=LoanStatus.ACTIVE, disbursed_on__lte=month_end).order_by("pk")
        by_loan: dict[int, list[Instalment]] = {}
        for inst in Instalment.objects.filter(is_current=True, loan__in=loans).order_by("loan_id", "n"):
            by_loan.setdefault(inst.loan_id, []).append(inst)
        lines = []
        for loan in loans.only("pk", "disbursed_on", "schedule_start", "schedule_first_n"):
            instalments = by_loan.get(loan.pk, [])
            start = loan.schedule_start or loan.disbursed_on
            assert start is not None
            # Instalments kept from before a restructuring are settled at what was paid: only the
            # schedule from its start (the disbursement or the restructuring) earns interest.
            amount = accrued_interest(
                [i for i in instalments if i.n >= loan.schedule_first_n], start, month_end
            )
            if amount > 0:
                lines.append(AccrualLine(accrual=run, loan_id=loan.pk, amount=amount))
        AccrualLine.objects.bulk_create(lines)
        run.amount = sum((line.amount for line in lines), ZERO)
        run.loans = len(lines)
        if run.amount > 0:
            try:
                entry = finance.post_entry(
                    actor=actor, entry_date=month_end, description=f"ดอกเบี้ยเงินให้กู้ค้างรับ ณ {month_end:%Y-%m-%d}",
                    lines=[LineSpec(ACCRUED_INTEREST_ACCOUNT, debit=run.amount, memo=f"{run.loans} loans"),
                           LineSpec(INTEREST_ACCOUNT, credit=run.amount)],
                    source_type="lending.accrual", source_id=month_end.isoformat(),
                )  # fmt: skip
                reversal = finance.reverse_source(
                    actor=actor, source_type="lending.accrual", source_id=month_end.isoformat(),
                    entry_date=month_end + timedelta(days=1), reason="กลับรายการดอกเบี้ยค้างรับต้นเดือน",
                )  # fmt: skip
            except FinanceError as exc:
                raise _err(exc) from None
            run.journal_entry_id, run.reversal_entry_id = entry.pk, reversal.pk
        run.save()
        audit_record(
            actor=actor, action="lending.interest_accrue", object_type="lending.InterestAccrual",
            object_id=run.pk, changes={"month_end": month_end.isoformat(), "amount": run.amount, "loans": run.loans},
        )  # fmt: skip
    return run


# --- restructuring and write-off ------------------------------------------------------------


def change_request(
    *,
    actor: Any,
    loan: Loan,
    kind: str,
    effective_on: date,
    reason: str,
    months: int | str | None = None,
    annual_rate: Decimal | str | None = None,
    new_principal: Decimal | str | None = None,
    write_off: Decimal | str = "0",
) -> LoanChange:
    """A credit officer asks to restructure or write off an active loan (see the module docstring).

    Refused (nothing written): no reason, another request pending, a term or rate out of range, a
    restructure that lowers the principal without writing the difference off, a date before the
    last repayment or tranche.
    """
    _require(actor, Perm.LENDING_MANAGE, loan)
    if kind not in ChangeKind.values:
        raise LendingError("ประเภทคำขอไม่ถูกต้อง", "Unknown kind of change")
    if not reason.strip():
        raise LendingError("กรุณาระบุเหตุผล", "Give the reason")
    with transaction.atomic():
        loan = _locked_active(loan)
        if loan.changes.filter(status=ChangeStatus.PENDING).exists():
            raise LendingError("มีคำขอปรับโครงสร้างหรือตัดหนี้รออนุมัติอยู่แล้ว", "Another change is waiting for approval")
        last_paid = loan.repayments.order_by("-received_on").values_list("received_on", flat=True).first()
        last_tranche = loan.tranches.order_by("-paid_on").values_list("paid_on", flat=True).first()
        floor = max(d for d in (loan.disbursed_on, last_paid, last_tranche) if d is not None)
        if effective_on < floor:
            raise LendingError(
                "วันที่มีผลต้องไม่ก่อนการเบิกจ่ายหรือการรับชำระครั้งล่าสุด",
                "The effective date is before the last tranche or repayment",
            )
        outstanding = outstanding_principal(loan)
        cut = _money(write_off or "0")
        term, rate, principal = None, None, ZERO
        if kind == ChangeKind.WRITE_OFF:
            cut = outstanding
        else:
            principal = outstanding if new_principal in (None, "") else _money(new_principal)
            if principal + cut != outstanding or cut < 0:
                raise LendingError(
                    f"เงินต้นใหม่ {principal:,.2f} บวกยอดตัดหนี้สูญ {cut:,.2f} ต้องเท่ากับเงินต้นคงค้าง "
                    f"{outstanding:,.2f} บาท (ลดเงินต้นได้เฉพาะโดยบันทึกตัดหนี้สูญ)",
                    f"New principal {principal:,.2f} plus write-off {cut:,.2f} must equal the outstanding "
                    f"{outstanding:,.2f} baht (principal is lowered only by a write-off)",
                )
            try:
                principal, rate, term = schedule.validate(
                    principal, loan.annual_rate if annual_rate in (None, "") else annual_rate,
                    months if months not in (None, "") else loan.months,
                )  # fmt: skip
                schedule.compute(principal=principal, annual_rate=rate, months=term, method=loan.method,
                                 day_count=loan.day_count, start=effective_on)  # fmt: skip
            except schedule.ScheduleError as exc:
                raise _err(exc) from None
            if term > loan.product.max_months:
                raise LendingError(
                    f"ระยะเวลาใหม่ต้องไม่เกิน {loan.product.max_months} เดือน",
                    f"The new term is at most {loan.product.max_months} months",
                )
        if outstanding <= 0:
            raise LendingError("ไม่มีเงินต้นคงค้าง", "Nothing is outstanding")
        change = LoanChange.objects.create(
            loan=loan, kind=kind, effective_on=effective_on, outstanding=outstanding, new_principal=principal,
            write_off=cut, months=term, annual_rate=rate, reason=reason.strip(), requested_by=_user(actor),
        )  # fmt: skip
        audit_record(
            actor=actor, action="lending.change_request", object_type="lending.LoanChange", object_id=change.pk,
            changes={"loan": loan.number, "kind": kind, "outstanding": outstanding, "new_principal": principal,
                     "write_off": cut, "months": term, "rate": rate},
        )  # fmt: skip
    return change


def change_decide(*, actor: Any, change: LoanChange, decision: str, comment: str = "") -> LoanChange:
    """Approve or reject a pending restructuring or write-off; never by the officer who asked."""
    _require(actor, Perm.LENDING_APPROVE, change.loan)
    if decision not in {"approve", "reject"}:
        raise LendingError("มติไม่ถูกต้อง", "Unknown decision")
    if decision == "reject" and not comment.strip():
        raise LendingError("กรุณาระบุเหตุผล", "Give the reason")
    with transaction.atomic():
        change = LoanChange.objects.select_for_update().get(pk=change.pk)
        if change.status != ChangeStatus.PENDING:
            raise LendingError("คำขอนี้พิจารณาแล้ว", "The request was already decided")
        if getattr(actor, "pk", None) == change.requested_by_id:
            raise LendingError("ผู้อนุมัติต้องไม่ใช่ผู้ยื่นคำขอ", "The approver must not be who asked")
        loan = _locked_active(change.loan)
        change.decided_by, change.decided_at, change.decision_comment = _user(actor), timezone.now(), comment
        if decision == "reject":
            change.status = ChangeStatus.REJECTED
        else:
            if (
                outstanding_principal(loan) != change.outstanding
                or loan.repayments.filter(received_on__gt=change.effective_on).exists()
            ):
                raise LendingError(
                    "ยอดเงินต้นคงค้างเปลี่ยนไปหลังยื่นคำขอ กรุณายื่นคำขอใหม่",
                    "The outstanding principal changed since the request; ask again",
                )
            _apply(actor, loan, change)
            change.status = ChangeStatus.APPROVED
        change.save()
        audit_record(
            actor=actor, action="lending.change_decide", object_type="lending.LoanChange", object_id=change.pk,
            changes={"decision": decision, "comment": comment, "entry": change.journal_entry_id,
                     "forgiven": change.interest_forgiven, "status": loan.status},
        )  # fmt: skip
    return change


def _apply(actor: Any, loan: Loan, change: LoanChange) -> None:
    instalments = list(loan.instalments.filter(is_current=True).select_for_update().order_by("n"))
    forgiven = sum(
        (i.interest_due - i.interest_paid + i.penalty_charged - i.penalty_paid for i in instalments), ZERO
    )
    if change.write_off > 0:
        try:
            entry = finance.post_entry(
                actor=actor, entry_date=change.effective_on,
                description=f"ตัดหนี้สูญเงินกู้ {loan.number}: {change.reason[:120]}",
                lines=[LineSpec(BAD_DEBT_ACCOUNT, debit=change.write_off, memo=loan.number),
                       LineSpec(RECEIVABLE_ACCOUNT, credit=change.write_off, memo=loan.number)],
                source_type="lending.write_off", source_id=str(change.pk),
            )  # fmt: skip
        except FinanceError as exc:
            raise _err(exc) from None
        change.journal_entry_id = entry.pk
    if change.kind == ChangeKind.WRITE_OFF:
        change.interest_forgiven = forgiven
        loan.status, loan.closed_on = LoanStatus.WRITTEN_OFF, change.effective_on
        loan.save(update_fields=["status", "closed_on"])
        return
    # Instalments with money received stay as history, settled at what was paid; the rest is replaced.
    kept = [i for i in instalments if i.principal_paid or i.interest_paid or i.penalty_paid]
    for inst in kept:
        inst.principal_due, inst.interest_due = inst.principal_paid, inst.interest_paid
        inst.penalty_charged = inst.penalty_paid
    change.interest_forgiven = forgiven
    assert change.annual_rate is not None and change.months is not None
    first_n = max((i.n for i in kept), default=0) + 1
    loan.annual_rate, loan.schedule_start, loan.schedule_first_n = (
        change.annual_rate,
        change.effective_on,
        first_n,
    )
    loan.save(update_fields=["annual_rate", "schedule_start", "schedule_first_n"])
    try:
        rows = rest_rows(loan, change.new_principal, change.months, first_n - 1)
    except schedule.ScheduleError as exc:
        raise _err(exc) from None
    _write_version(
        loan, rows, actor=actor, keep=kept,
        reason=f"ปรับโครงสร้างหนี้ {change.months} งวด {change.annual_rate}% ต่อปี"
        + (f" ตัดหนี้สูญ {change.write_off:,.2f} บาท" if change.write_off else ""),
    )  # fmt: skip
