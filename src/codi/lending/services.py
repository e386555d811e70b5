"""Every write of community lending: products, applications through ``processes/loan_tobe.bpmn``
(run by ``codi.workflow``), disbursement, repayments, prepayment; each validated, in one
transaction, audited, and posted to the ledger through ``codi.finance.ledger`` keyed by its source
so that a retry never posts twice.

Approval: review (credit officer, ``lending.manage``) → committee (``lending.approve``; never the
officer who entered or reviewed the application) → disburse (``lending.cash``). Disbursing writes
schedule version 1 from the disbursement date and posts Dr loans receivable / Cr bank.

Repayment allocation (documented order): the money received first pays the penalty charged on
overdue instalments, then the interest of every instalment due by the payment date, then their
principal, oldest first; what is left pays the next instalments in advance (interest, then
principal, instalment by instalment), or, with ``prepay=True``, reduces the outstanding principal
and a new schedule version spreads the smaller balance over the remaining instalments (the loan
closes when nothing is left). Penalty: on an instalment still unpaid more than ``grace_days`` after
its due date, ``unpaid × penalty rate × days / 365`` from the due date (or from the last payment
that charged it) to the payment date, rounded half-up to the satang.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import uuid4

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from codi.core.audit import audit_record
from codi.finance import epayment, ledger
from codi.finance import services as finance
from codi.finance.services import FinanceError, LineSpec, fiscal_year_of
from codi.identity.roles import Perm
from codi.identity.selectors import scope_filter, user_can_in_area, user_has_perm
from codi.lending import schedule
from codi.lending.models import (
    ZERO,
    Channel,
    Instalment,
    Loan,
    LoanProduct,
    LoanStatus,
    LoanStep,
    NoticeStatus,
    PaymentNotice,
    ProductRate,
    Repayment,
    ScheduleVersion,
    Tranche,
)
from codi.workflow import calendar
from codi.workflow.engine import Process, StepError

PROCESSES_DIR = Path(__file__).resolve().parent / "processes"
TOBE_FILE = PROCESSES_DIR / "loan_tobe.bpmn"
ASIS_FILE = PROCESSES_DIR / "loan_asis.bpmn"
PROCESS = Process(TOBE_FILE, "codi_loan_tobe")
ACCOUNTS_FILE = Path(__file__).resolve().parent / "data" / "lending_accounts.csv"

BANK_ACCOUNT = "1101020601"
RECEIVABLE_ACCOUNT = "1103010101"
INTEREST_ACCOUNT = "4202020101"
PENALTY_ACCOUNT = "4202020102"
ACCRUED_INTEREST_ACCOUNT = "1103010102"
BAD_DEBT_ACCOUNT = "5106010101"


class LendingError(ValidationError):
    """A refused lending operation, with the reason in Thai and in English."""

    def __init__(self, message_th: str, message_en: str) -> None:
        super().__init__(message_th)
        self.message_th = message_th
        self.message_en = message_en


@dataclass(frozen=True)
class StepDef:
    perm: str
    sla_days: int
    status: str
    name_th: str


STEPS: dict[str, StepDef] = {
    "review": StepDef(Perm.LENDING_MANAGE, 5, LoanStatus.REVIEW, "เจ้าหน้าที่สินเชื่อพิจารณา"),
    "committee": StepDef(Perm.LENDING_APPROVE, 10, LoanStatus.COMMITTEE, "คณะกรรมการสินเชื่ออนุมัติ"),
    "disburse": StepDef(Perm.LENDING_CASH, 5, LoanStatus.APPROVED, "เบิกจ่ายเงินกู้"),
}
END_STATUS = {"end_active": LoanStatus.ACTIVE, "end_rejected": LoanStatus.REJECTED}


def accounts_load(*, actor: Any) -> tuple[int, int]:
    """Add lending's accounts (loans receivable, interest and penalty income) to the chart."""
    return ledger.chart_load(actor=actor, path=ACCOUNTS_FILE)  # the chart loader is not in the facade


def _err(exc: FinanceError | schedule.ScheduleError) -> LendingError:
    return LendingError(exc.message_th, exc.message_en)


# --- products -------------------------------------------------------------------------------


def product_create(
    *,
    actor: Any,
    code: str,
    name_th: str,
    kind: str,
    method: str,
    day_count: str,
    annual_rate: Decimal | str,
    rate_from: date,
    min_principal: Decimal | str,
    max_principal: Decimal | str,
    min_months: int,
    max_months: int,
    grace_days: int = 0,
    penalty_rate: Decimal | str = "0",
    collateral_required: bool = False,
    guarantee_required: bool = False,
    name_en: str = "",
) -> LoanProduct:
    """A loan product and its first rate (called by the board's set-up and the demo loader)."""
    try:
        low, rate, short = schedule.validate(min_principal, annual_rate, min_months)
        high, penalty, long = schedule.validate(max_principal, penalty_rate, max_months)
    except schedule.ScheduleError as exc:
        raise _err(exc) from None
    if low > high or short > long:
        raise LendingError("ช่วงวงเงินหรือระยะเวลาไม่ถูกต้อง", "The minimum is above the maximum")
    if method not in schedule.Method.ALL or day_count not in schedule.DayCount.ALL:
        raise LendingError("วิธีคำนวณหรือฐานการนับวันไม่ถูกต้อง", "Unknown method or day count")
    if not code.strip() or not name_th.strip() or grace_days < 0:
        raise LendingError("กรุณาระบุรหัสและชื่อผลิตภัณฑ์", "Code and Thai name are required")
    with transaction.atomic():
        if LoanProduct.objects.filter(code=code.strip()).exists():
            raise LendingError(f"มีผลิตภัณฑ์รหัส {code} แล้ว", f"Product {code} already exists")
        product = LoanProduct.objects.create(
            code=code.strip(), name_th=name_th.strip(), name_en=name_en, kind=kind, method=method,
            day_count=day_count, min_principal=low, max_principal=high, min_months=short, max_months=long,
            grace_days=grace_days, penalty_rate=penalty, collateral_required=collateral_required,
            guarantee_required=guarantee_required,
        )  # fmt: skip
        ProductRate.objects.create(product=product, effective_from=rate_from, annual_rate=rate)
        audit_record(
            actor=actor, action="lending.product_create", object_type="lending.LoanProduct", object_id=product.pk,
            changes={"code": product.code, "rate": rate, "from": rate_from.isoformat()},
        )  # fmt: skip
    return product


def product_rate_set(
    *, actor: Any, product: LoanProduct, effective_from: date, annual_rate: Decimal | str
) -> ProductRate:
    """A dated rate change; loans applied for on or after ``effective_from`` take it."""
    try:
        _p, rate, _m = schedule.validate(product.min_principal, annual_rate, product.min_months)
    except schedule.ScheduleError as exc:
        raise _err(exc) from None
    with transaction.atomic():
        row, _created = ProductRate.objects.update_or_create(
            product=product, effective_from=effective_from, defaults={"annual_rate": rate}
        )
        audit_record(
            actor=actor, action="lending.product_rate_set", object_type="lending.LoanProduct",
            object_id=product.pk, changes={"from": effective_from.isoformat(), "rate": rate},
        )  # fmt: skip
    return row


def rate_on(product: LoanProduct, day: date) -> Decimal:
    row = product.rates.filter(effective_from__lte=day).order_by("-effective_from").first()
    if row is None:
        raise LendingError(
            f"ยังไม่มีอัตราดอกเบี้ยของ {product.name_th} ณ วันที่นี้", f"No rate of {product.code} on {day}"
        )
    return row.annual_rate


# --- applications and approval --------------------------------------------------------------


def _require(actor: Any, perm: str, loan_or_code: Loan | str) -> None:
    code = loan_or_code if isinstance(loan_or_code, str) else loan_or_code.subdistrict_id
    if not user_has_perm(actor, perm) or not user_can_in_area(actor, perm, subdistrict_code=code):
        raise PermissionDenied


def _sync(
    loan: Loan, transition: Any, *, actor: Any, completed: str | None, outcome: str, comment: str
) -> None:
    now = timezone.now()
    loan.workflow_state = transition.state
    if completed is not None:
        LoanStep.objects.filter(loan=loan, task_key=completed, completed_at__isnull=True).update(
            completed_at=now, completed_by=_user(actor), outcome=outcome[:40], comment=comment
        )
    if transition.ready:
        key = transition.ready[0]
        step = STEPS[key]
        due = calendar.due_date(now, step.sla_days)
        LoanStep.objects.create(loan=loan, task_key=key, name=step.name_th, opened_at=now, due_date=due)
        loan.status, loan.current_step, loan.current_step_due = step.status, key, due
    else:
        loan.status = END_STATUS.get(transition.ended or "", LoanStatus.REJECTED)
        loan.current_step, loan.current_step_due = "", None
    loan.save()


def _locked(loan: Loan, step: str) -> Loan:
    locked = Loan.objects.select_for_update().select_related("product").get(pk=loan.pk)
    if locked.current_step != step:
        raise LendingError(
            "คำขอสินเชื่อไม่ได้อยู่ที่ขั้นตอนนี้แล้ว (มีผู้ดำเนินการไปก่อน)", f"The loan is no longer at step {step!r}"
        )
    return locked


def _complete(loan: Loan, step: str, data: dict[str, Any], **kwargs: Any) -> None:
    try:
        transition = PROCESS.complete(loan.workflow_state, task=step, data=data)
    except StepError as exc:
        raise LendingError("คำขอสินเชื่อไม่ได้อยู่ที่ขั้นตอนนี้", str(exc)) from exc
    _sync(loan, transition, completed=step, **kwargs)


def loan_apply(
    *,
    actor: Any,
    product: LoanProduct,
    organization: Any,
    principal: Decimal | str,
    months: int | str,
    purpose: str,
    applied_on: date,
    collateral: str = "",
    guarantee: str = "",
    is_demo: bool = False,
) -> Loan:
    """An organization's application, entered by a credit officer in the organization's area.

    Refused (nothing written): a principal or term outside the product's range, a missing
    collateral or guarantee the product requires, an inactive product, no rate on the date.
    """
    _require(actor, Perm.LENDING_MANAGE, organization.subdistrict_id)
    return loan_create(
        actor=actor, product=product, organization=organization, principal=principal, months=months,
        purpose=purpose, applied_on=applied_on, collateral=collateral, guarantee=guarantee, is_demo=is_demo,
    )  # fmt: skip


def loan_create(
    *,
    actor: Any,
    product: LoanProduct,
    organization: Any,
    principal: Decimal | str,
    months: int | str,
    purpose: str,
    applied_on: date,
    collateral: str = "",
    guarantee: str = "",
    is_demo: bool = False,
    action: str = "lending.loan_apply",
) -> Loan:
    """The application's checks and writes, once the caller has checked who may apply (the credit
    officer in ``loan_apply``, the organization's own portal account in ``codi.lending.portal``)."""
    try:
        amount, _r, term = schedule.validate(principal, "0", months)
    except schedule.ScheduleError as exc:
        raise _err(exc) from None
    if not product.is_active:
        raise LendingError("ผลิตภัณฑ์นี้ปิดรับคำขอแล้ว", "The product is closed to applications")
    if not product.min_principal <= amount <= product.max_principal:
        raise LendingError(
            f"วงเงินกู้ต้องอยู่ระหว่าง {product.min_principal:,.2f} ถึง {product.max_principal:,.2f} บาท",
            f"The principal must be {product.min_principal:,.2f} to {product.max_principal:,.2f} baht",
        )
    if not product.min_months <= term <= product.max_months:
        raise LendingError(
            f"ระยะเวลากู้ต้องอยู่ระหว่าง {product.min_months} ถึง {product.max_months} เดือน",
            f"The term must be {product.min_months} to {product.max_months} months",
        )
    if product.collateral_required and not collateral.strip():
        raise LendingError("ผลิตภัณฑ์นี้ต้องมีหลักประกัน", "This product requires collateral")
    if product.guarantee_required and not guarantee.strip():
        raise LendingError("ผลิตภัณฑ์นี้ต้องมีผู้ค้ำประกัน", "This product requires a guarantee")
    if not purpose.strip():
        raise LendingError("กรุณาระบุวัตถุประสงค์การกู้", "The purpose is required")
    rate = rate_on(product, applied_on)
    try:  # the term and rate must give a schedule (the rounding guard)
        schedule.build(principal=amount, annual_rate=rate, months=term, method=product.method,
                       day_count=product.day_count, start=applied_on)  # fmt: skip
    except schedule.ScheduleError as exc:
        raise _err(exc) from None
    with transaction.atomic():
        loan = Loan.objects.create(
            number=f"T-{uuid4().hex[:16]}", product=product, organization=organization,
            subdistrict_id=organization.subdistrict_id, purpose=purpose.strip()[:300], principal=amount,
            annual_rate=rate, months=term, method=product.method, day_count=product.day_count,
            applied_on=applied_on, collateral=collateral.strip(), guarantee=guarantee.strip(),
            created_by=_user(actor), is_demo=is_demo,
        )  # fmt: skip
        loan.number = f"L{fiscal_year_of(applied_on)}-{loan.pk:06d}"
        _sync(loan, PROCESS.start(), actor=actor, completed=None, outcome="", comment="")
        audit_record(
            actor=actor, action=action, object_type="lending.Loan", object_id=loan.pk,
            changes={"number": loan.number, "principal": amount, "months": term, "rate": rate,
                     "organization": organization.pk},
        )  # fmt: skip
    return loan


def loan_review(*, actor: Any, loan: Loan, decision: str, comment: str = "") -> Loan:
    """The credit officer's review: ``pass`` (to the committee) or ``reject`` (with a reason)."""
    _require(actor, Perm.LENDING_MANAGE, loan)
    if decision not in {"pass", "reject"}:
        raise LendingError("ผลการพิจารณาไม่ถูกต้อง", "Unknown decision")
    if decision == "reject" and not comment.strip():
        raise LendingError("กรุณาระบุเหตุผล", "Give the reason")
    with transaction.atomic():
        loan = _locked(loan, "review")
        loan.reviewed_by = _user(actor)
        _complete(
            loan, "review", {"review_decision": decision}, actor=actor, outcome=decision, comment=comment
        )
        audit_record(
            actor=actor, action="lending.loan_review", object_type="lending.Loan", object_id=loan.pk,
            changes={"decision": decision, "comment": comment},
        )  # fmt: skip
    return loan


def loan_decide(*, actor: Any, loan: Loan, decision: str, comment: str = "") -> Loan:
    """The credit committee: ``approve`` or ``reject``; never who entered or reviewed the loan."""
    _require(actor, Perm.LENDING_APPROVE, loan)
    if decision not in {"approve", "reject"}:
        raise LendingError("มติไม่ถูกต้อง", "Unknown decision")
    if decision == "reject" and not comment.strip():
        raise LendingError("กรุณาระบุเหตุผล", "Give the reason")
    with transaction.atomic():
        loan = _locked(loan, "committee")
        if getattr(actor, "pk", None) in {loan.created_by_id, loan.reviewed_by_id}:
            raise LendingError(
                "ผู้อนุมัติต้องไม่ใช่ผู้บันทึกหรือผู้พิจารณาคำขอ", "The approver must not be who entered or reviewed it"
            )
        data = {"committee_decision": decision}
        _complete(loan, "committee", data, actor=actor, outcome=decision, comment=comment)
        audit_record(
            actor=actor, action="lending.loan_decide", object_type="lending.Loan", object_id=loan.pk,
            changes={"decision": decision, "comment": comment},
        )  # fmt: skip
    return loan


def _write_version(
    loan: Loan, rows: list[schedule.Row], *, reason: str, actor: Any, keep: list[Instalment]
) -> ScheduleVersion:
    last = loan.versions.aggregate(m=Max("version"))["m"] or 0
    loan.versions.filter(is_current=True).update(is_current=False)
    loan.instalments.filter(is_current=True).update(is_current=False)
    version = ScheduleVersion.objects.create(
        loan=loan, version=last + 1, reason=reason, created_by=_user(actor)
    )
    copied = [
        Instalment(
            version=version,
            loan=loan,
            n=i.n,
            due_date=i.due_date,
            principal_due=i.principal_due,
            interest_due=i.interest_due,
            principal_paid=i.principal_paid,
            interest_paid=i.interest_paid,
            penalty_charged=i.penalty_charged,
            penalty_paid=i.penalty_paid,
            penalty_to=i.penalty_to,
        )
        for i in keep
    ]
    fresh = [
        Instalment(
            version=version,
            loan=loan,
            n=r.n,
            due_date=r.due_date,
            principal_due=r.principal,
            interest_due=r.interest,
        )
        for r in rows
    ]
    Instalment.objects.bulk_create(copied + fresh)
    return version


def bank_account_check(bank_code: str, account_no: str) -> tuple[str, str]:
    """A Bank of Thailand bank code (3 digits) and an account number of 10 to 15 digits."""
    code, number = (bank_code or "").strip(), "".join(ch for ch in (account_no or "") if ch not in " -")
    if len(code) != 3 or not code.isdigit() or not number.isdigit() or not 10 <= len(number) <= 15:
        raise LendingError(
            "กรุณาระบุบัญชีธนาคารขององค์กรผู้กู้ (รหัสธนาคาร 3 หลัก เลขบัญชี 10-15 หลัก)",
            "Give the borrower's bank account (3-digit bank code, 10 to 15-digit account number)",
        )
    return code, number


def rest_rows(loan: Loan, principal: Decimal, months: int, kept: int) -> list[schedule.Row]:
    """The current schedule's instalments ``kept + 1 ..`` for ``principal`` over ``months``,
    counted from the schedule's start (the disbursement, or the last restructuring)."""
    offset = loan.schedule_first_n - 1
    start = loan.schedule_start or loan.disbursed_on
    assert start is not None
    rows = schedule.compute(
        principal=principal, annual_rate=loan.annual_rate, months=months, method=loan.method,
        day_count=loan.day_count, start=start, done=kept - offset,
    )  # fmt: skip
    return [replace(r, n=r.n + offset) for r in rows]


def tranche_post(*, actor: Any, loan: Loan, amount: Decimal, paid_on: date) -> Tranche:
    """Write tranche ``n`` of a locked, active loan: the pain.001 transfer, the ledger entry
    (Dr loans receivable / Cr bank through ``codi.finance.services.post_payment``), audited."""
    n = loan.tranches.count() + 1
    paid = sum((t.amount for t in loan.tranches.all()), ZERO)
    if paid + amount > loan.principal:
        raise LendingError(
            f"ยอดเบิกรวมเกินวงเงินกู้ (เบิกได้อีก {loan.principal - paid:,.2f} บาท)",
            f"The tranches would exceed the principal ({loan.principal - paid:,.2f} baht left)",
        )
    code, number = bank_account_check(loan.bank_code, loan.account_no)
    reference = f"{loan.number}-T{n}"
    try:
        xml = epayment.pain001(
            message_id=reference, created=timezone.now(), execution_date=paid_on,
            transfers=[epayment.Transfer(payee_name=loan.organization.name_th, bank_code=code,
                                         account_no=number, amount=amount, reference=reference)],
        )  # fmt: skip
        tranche = Tranche.objects.create(
            loan=loan, n=n, amount=amount, paid_on=paid_on, reference=reference, bank_code=code,
            account_no=number, payment_file=xml.decode(), created_by=_user(actor),
        )  # fmt: skip
        entry = finance.post_payment(
            actor=actor, entry_date=paid_on, description=f"จ่ายเงินกู้ {reference} {loan.organization.name_th}",
            source_type="lending.tranche", source_id=str(tranche.pk), amount=amount,
            debit_account=RECEIVABLE_ACCOUNT, credit_account=BANK_ACCOUNT,
        )  # fmt: skip
    except FinanceError as exc:
        raise _err(exc) from None
    tranche.journal_entry_id = entry.pk
    tranche.save(update_fields=["journal_entry_id"])
    audit_record(
        actor=actor, action="lending.tranche_pay", object_type="lending.Loan", object_id=loan.pk,
        changes={"tranche": n, "amount": amount, "on": paid_on.isoformat(), "entry": entry.number},
    )  # fmt: skip
    return tranche


def loan_disburse(
    *,
    actor: Any,
    loan: Loan,
    disbursed_on: date,
    amount: Decimal | str | None = None,
    bank_code: str = "",
    account_no: str = "",
) -> Loan:
    """Pay the approved loan out, whole or as its first tranche (``amount``): schedule version 1
    on the amount paid from ``disbursed_on``; later tranches through ``operations.tranche_disburse``."""
    _require(actor, Perm.LENDING_CASH, loan)
    with transaction.atomic():
        loan = _locked(loan, "disburse")
        if bank_code or account_no:
            loan.bank_code, loan.account_no = bank_account_check(bank_code, account_no)
        try:
            first = loan.principal if amount in (None, "") else finance.money(amount)
            first, _r, _m = schedule.validate(first, loan.annual_rate, loan.months)
        except (FinanceError, schedule.ScheduleError) as exc:
            raise _err(exc) from None
        loan.disbursed_on = loan.schedule_start = disbursed_on
        loan.schedule_first_n = 1
        tranche = tranche_post(actor=actor, loan=loan, amount=first, paid_on=disbursed_on)
        try:
            rows = rest_rows(loan, first, loan.months, 0)
        except schedule.ScheduleError as exc:
            raise _err(exc) from None
        _write_version(loan, rows, reason="ตารางผ่อนชำระเมื่อเบิกจ่าย", actor=actor, keep=[])
        _complete(loan, "disburse", {}, actor=actor, outcome="disbursed", comment=tranche.reference)
        audit_record(
            actor=actor, action="lending.loan_disburse", object_type="lending.Loan", object_id=loan.pk,
            changes={"on": disbursed_on.isoformat(), "tranche": first, "principal": loan.principal},
        )  # fmt: skip
    return loan


# --- repayments -----------------------------------------------------------------------------


def _charge_penalty(loan: Loan, instalments: list[Instalment], day: date) -> None:
    rate = loan.product.penalty_rate
    if rate <= 0:
        return
    for inst in instalments:
        if inst.unpaid <= 0 or day <= inst.due_date + timedelta(days=loan.product.grace_days):
            continue
        since = max(inst.due_date, inst.penalty_to or inst.due_date)
        days = (day - since).days
        if days > 0:
            inst.penalty_charged += schedule.half_up(inst.unpaid * rate * days / Decimal(36500))
            inst.penalty_to = day


def _take(remaining: Decimal, owed: Decimal) -> Decimal:
    return min(remaining, max(owed, ZERO))


@dataclass
class Allocation:
    penalty: Decimal = ZERO
    interest: Decimal = ZERO
    principal: Decimal = ZERO
    prepaid: Decimal = ZERO


def _allocate(
    instalments: list[Instalment], amount: Decimal, day: date, *, prepay: bool
) -> tuple[Allocation, Decimal]:
    """Apply ``amount`` in the documented order; returns the allocation and what is left for prepayment."""
    out = Allocation()
    left = amount
    due = [i for i in instalments if i.due_date <= day or i.penalty_charged > i.penalty_paid]
    for inst in due:
        part = _take(left, inst.penalty_charged - inst.penalty_paid)
        inst.penalty_paid += part
        out.penalty += part
        left -= part
    due = [i for i in instalments if i.due_date <= day]
    for inst in due:
        part = _take(left, inst.interest_due - inst.interest_paid)
        inst.interest_paid += part
        out.interest += part
        left -= part
    for inst in due:
        part = _take(left, inst.principal_due - inst.principal_paid)
        inst.principal_paid += part
        out.principal += part
        left -= part
    if prepay:
        return out, left
    for inst in (i for i in instalments if i.due_date > day):
        for field, owed in (("interest_paid", inst.interest_due), ("principal_paid", inst.principal_due)):
            part = _take(left, owed - getattr(inst, field))
            setattr(inst, field, getattr(inst, field) + part)
            left -= part
            if field == "interest_paid":
                out.interest += part
            else:
                out.principal += part
    return out, left


def repayment_record(
    *,
    actor: Any,
    loan: Loan,
    amount: Decimal | str,
    received_on: date,
    reference: str,
    channel: str = Channel.COUNTER,
    prepay: bool = False,
) -> Repayment:
    """Record money received for ``loan`` and allocate it (see the module docstring).

    Idempotent by (loan, ``reference``): the same reference again returns the first repayment.
    Refused (nothing written): a loan that is not active (closed, rejected, not yet disbursed), an
    amount that is not positive or is more than the loan owes, a date before the disbursement.
    """
    _require(actor, Perm.LENDING_CASH, loan)
    try:
        value = finance.money(amount)
    except FinanceError as exc:
        raise _err(exc) from None
    reference = reference.strip()
    if value <= 0 or not reference or channel not in Channel.values:
        raise LendingError(
            "จำนวนเงินต้องมากกว่าศูนย์และต้องมีเลขอ้างอิง", "A positive amount and a reference are required"
        )
    with transaction.atomic():
        loan = Loan.objects.select_for_update().select_related("product", "organization").get(pk=loan.pk)
        existing = Repayment.objects.filter(loan=loan, reference=reference).first()
        if existing is not None:
            if existing.amount != value:
                raise LendingError(
                    f"เลขอ้างอิง {reference} ถูกใช้กับยอด {existing.amount:,.2f} บาทแล้ว",
                    f"Reference {reference} was already used for {existing.amount:,.2f} baht",
                )
            return existing
        if loan.status == LoanStatus.CLOSED:
            raise LendingError(f"สัญญาเงินกู้ {loan.number} ปิดแล้ว รับชำระไม่ได้", f"Loan {loan.number} is closed")
        if loan.status == LoanStatus.WRITTEN_OFF:
            raise LendingError(
                f"สัญญาเงินกู้ {loan.number} ตัดหนี้สูญแล้ว รับชำระไม่ได้", f"Loan {loan.number} is written off"
            )
        if loan.status != LoanStatus.ACTIVE or loan.disbursed_on is None:
            raise LendingError(f"สัญญาเงินกู้ {loan.number} ยังไม่ได้เบิกจ่าย", f"Loan {loan.number} is not active")
        if received_on < loan.disbursed_on:
            raise LendingError("วันที่รับชำระต้องไม่ก่อนวันเบิกจ่าย", "The payment date is before the disbursement")
        instalments = list(loan.instalments.filter(is_current=True).select_for_update().order_by("n"))
        _charge_penalty(loan, instalments, received_on)
        allocation, left = _allocate(instalments, value, received_on, prepay=prepay)
        # Instalments already due, or paid ahead in part, stay as they are; a prepayment respreads the rest.
        kept = [i for i in instalments if i.due_date <= received_on or i.principal_paid or i.interest_paid]
        rest = instalments[len(kept) :]
        rest_principal = sum((i.principal_due for i in rest), ZERO)
        if left > (rest_principal if prepay else ZERO):
            raise LendingError(
                f"ยอดชำระเกินหนี้คงค้าง {left:,.2f} บาท",
                f"The payment is {left:,.2f} baht more than the loan owes",
            )
        allocation.prepaid = left
        allocation.principal += left
        if prepay and left > 0:
            rows: list[schedule.Row] = []
            if rest_principal - left > 0:
                try:
                    rows = rest_rows(loan, rest_principal - left, len(rest), len(kept))
                except schedule.ScheduleError as exc:
                    raise _err(exc) from None
            _write_version(
                loan, rows, reason=f"ชำระคืนก่อนกำหนด {left:,.2f} บาท ({reference})", actor=actor, keep=kept
            )
        else:
            Instalment.objects.bulk_update(
                instalments,
                ["principal_paid", "interest_paid", "penalty_charged", "penalty_paid", "penalty_to"],
            )
        if allocation.penalty + allocation.interest + allocation.principal != value:
            raise LendingError("การปันส่วนยอดชำระไม่ครบ", "The allocation does not add up to the amount")
        repayment = Repayment.objects.create(
            loan=loan, reference=reference, received_on=received_on, amount=value, channel=channel,
            penalty_part=allocation.penalty, interest_part=allocation.interest, principal_part=allocation.principal,
            prepaid_part=allocation.prepaid, created_by=_user(actor),
        )  # fmt: skip
        lines = [LineSpec(BANK_ACCOUNT, debit=value, memo=loan.number)]
        for account, part in (
            (PENALTY_ACCOUNT, allocation.penalty),
            (INTEREST_ACCOUNT, allocation.interest),
            (RECEIVABLE_ACCOUNT, allocation.principal),
        ):
            if part > 0:
                lines.append(LineSpec(account, credit=part, memo=loan.number))
        try:
            entry = finance.post_entry(
                actor=actor, entry_date=received_on, description=f"รับชำระเงินกู้ {loan.number} ({reference})",
                lines=lines, source_type="lending.repayment", source_id=str(repayment.pk),
            )  # fmt: skip
        except FinanceError as exc:
            raise _err(exc) from None
        repayment.journal_entry_id = entry.pk
        repayment.save(update_fields=["journal_entry_id"])
        current = list(loan.instalments.filter(is_current=True))
        if all(i.unpaid == 0 and i.penalty_paid == i.penalty_charged for i in current):
            loan.status, loan.closed_on = LoanStatus.CLOSED, received_on
            loan.save(update_fields=["status", "closed_on"])
        audit_record(
            actor=actor, action="lending.repayment_record", object_type="lending.Loan", object_id=loan.pk,
            changes={"reference": reference, "amount": value, "penalty": allocation.penalty,
                     "interest": allocation.interest, "principal": allocation.principal,
                     "prepaid": allocation.prepaid, "entry": entry.number, "status": loan.status},
        )  # fmt: skip
    return repayment


def qr_payment_receive(
    *, actor: Any, transaction_id: str, ref1: str, ref2: str, amount: Decimal | str, received_on: date
) -> PaymentNotice:
    """A Thai QR bill payment from the bank: Ref1 is the loan number, Ref2 the instalment.

    Recorded as a repayment of that loan when Ref1 names an active loan exactly; otherwise (no such
    loan, a closed or not yet disbursed one, more than it owes) queued for a person with the reason,
    never matched by a guess. The same ``transaction_id`` again returns the first notice.
    Country-wide ``lending.cash`` only: a notice that matches nothing belongs to no area.
    """
    condition = scope_filter(actor, Perm.LENDING_CASH)
    if condition is None or condition:  # an empty Q() is a country-wide grant
        raise PermissionDenied
    try:
        value = finance.money(amount)
    except FinanceError as exc:
        raise _err(exc) from None
    transaction_id, ref1, ref2 = transaction_id.strip(), ref1.strip().upper(), ref2.strip()
    if not transaction_id or value <= 0:
        raise LendingError(
            "ต้องมีเลขที่รายการธนาคารและยอดเงินมากกว่าศูนย์", "A transaction id and a positive amount are required"
        )
    existing = PaymentNotice.objects.filter(transaction_id=transaction_id).first()
    if existing is not None:
        return existing
    loan = Loan.objects.filter(number=ref1).first()
    if loan is None and re.fullmatch(r"L\d{10,}", ref1):  # the portal's QR: the number without its hyphen
        loan = Loan.objects.filter(number=f"{ref1[:5]}-{ref1[5:]}").first()
    reason, repayment = "", None
    if loan is None:
        reason = f"ไม่พบสัญญาเงินกู้เลขที่ {ref1} ตามรหัสอ้างอิงที่ 1"
    else:
        try:
            with transaction.atomic():
                repayment = repayment_record(
                    actor=actor, loan=loan, amount=value, received_on=received_on,
                    reference=f"QR-{transaction_id}", channel=Channel.QR,
                )  # fmt: skip
        except LendingError as exc:
            reason = exc.message_th
    with transaction.atomic():
        notice = PaymentNotice.objects.create(
            transaction_id=transaction_id, ref1=ref1[:40], ref2=ref2[:40], amount=value, received_on=received_on,
            status=NoticeStatus.MATCHED if repayment else NoticeStatus.QUEUED, reason=reason[:300],
            repayment=repayment,
        )  # fmt: skip
        audit_record(
            actor=actor, action="lending.qr_payment_receive", object_type="lending.PaymentNotice",
            object_id=notice.pk, changes={"ref1": ref1, "ref2": ref2, "amount": value, "status": notice.status},
        )  # fmt: skip
    return notice


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) is not None else None
