"""Payment vouchers through ``processes/voucher_tobe.bpmn`` (run by ``codi.workflow``).

prepare (finance officer, the maker) → check (chief accountant; never the maker) → approve
(executive, only above ``APPROVAL_LIMIT``) → pay (finance officer, through a bank file).
The check and the approval may be made by a delegate (``codi.finance.delegation``) on behalf of
the holder, within the delegated amount and dates; the maker/checker rules apply to both.

Budget: submitting commits the amount (refused beyond the available balance); a return or a
rejection releases it; the final approval turns it into actual and posts the expense
(Dr expense / Cr vouchers payable), keyed by the voucher so it posts once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from codi.core.audit import audit_record
from codi.finance import delegation, ledger
from codi.finance.dimensions import of_budget_line
from codi.finance.ledger import FinanceError, LineSpec
from codi.finance.models import BudgetLine, Commitment, PaymentVoucher, VoucherStatus, VoucherStep
from codi.finance.selectors import can_act_on_line
from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm
from codi.workflow import calendar
from codi.workflow.engine import Process, StepError

PROCESSES_DIR = Path(__file__).resolve().parent / "processes"
TOBE_FILE = PROCESSES_DIR / "voucher_tobe.bpmn"
ASIS_FILE = PROCESSES_DIR / "voucher_asis.bpmn"
PROCESS = Process(TOBE_FILE, "codi_voucher_tobe")

# Delegation of authority (``delegation.AUTHORITY``): the chief accountant's check is the final
# approval up to this amount.
APPROVAL_LIMIT: Decimal = delegation.AUTHORITY["check"].limit or Decimal("100000.00")
PAYABLE_ACCOUNT = "2101010102"


@dataclass(frozen=True)
class StepDef:
    perm: str
    role: str
    sla_days: int
    status: str
    name_th: str
    name_en: str


STEPS: dict[str, StepDef] = {
    "prepare": StepDef(
        Perm.FINANCE_MANAGE, "finance_officer", 3, VoucherStatus.DRAFT, "จัดทำใบสำคัญจ่าย", "Prepare the voucher"
    ),
    "check": StepDef(
        Perm.FINANCE_CHECK, "chief_accountant", 2, VoucherStatus.CHECKING, "ตรวจสอบเอกสารและงบประมาณ", "Check"
    ),
    "approve": StepDef(
        Perm.FINANCE_APPROVE, "executive", 2, VoucherStatus.APPROVAL, "ผู้มีอำนาจอนุมัติ", "Authorised approval"
    ),
    "pay": StepDef(
        Perm.FINANCE_MANAGE, "finance_officer", 3, VoucherStatus.APPROVED, "จ่ายเงินผ่านธนาคาร", "Pay"
    ),
}
END_STATUS = {"end_paid": VoucherStatus.SENT, "end_rejected": VoucherStatus.REJECTED}


def _satang(amount: Decimal) -> int:
    return int(amount * 100)


def _sync(
    voucher: PaymentVoucher, transition: Any, *, actor: Any, completed: str | None, outcome: str, comment: str
) -> None:
    now = timezone.now()
    voucher.workflow_state = transition.state
    if completed is not None:
        VoucherStep.objects.filter(voucher=voucher, task_key=completed, completed_at__isnull=True).update(
            completed_at=now, completed_by=actor, outcome=outcome[:40], comment=comment
        )
    if transition.ready:
        key = transition.ready[0]
        step = STEPS[key]
        due = calendar.due_date(now, step.sla_days)
        VoucherStep.objects.create(
            voucher=voucher, task_key=key, name=step.name_th, role=step.role, opened_at=now, due_date=due
        )
        voucher.status, voucher.current_step, voucher.current_step_due = step.status, key, due
    else:
        voucher.status = END_STATUS.get(transition.ended or "", VoucherStatus.REJECTED)
        voucher.current_step, voucher.current_step_due = "", None
    voucher.save()


def _require(actor: Any, perm: str, line: BudgetLine) -> None:
    if not user_has_perm(actor, perm) or not can_act_on_line(actor, perm, line):
        raise PermissionDenied


def _acting(actor: Any, step: str, voucher: PaymentVoucher) -> Any:
    """``None`` when ``actor`` holds the step's authority, else the delegation they act under."""
    return delegation.acting_authority(actor=actor, step=step, voucher=voucher)


def _segregated(
    voucher: PaymentVoucher, actor: Any, lent: Any, earlier: set[Any], *, th: str, en: str
) -> None:
    """Refuse when the actor, or the holder a delegate acts for, is one of ``earlier`` (the maker,
    and at approval the checker)."""
    people = {getattr(actor, "pk", None)} | ({lent.delegator_id} if lent is not None else set())
    if people & (earlier - {None}):
        raise FinanceError(th, en)


def _on_behalf(lent: Any) -> dict[str, Any]:
    return {"delegation": lent.pk, "on_behalf_of": lent.delegator_id} if lent is not None else {}


def _locked(voucher: PaymentVoucher, step: str) -> PaymentVoucher:
    locked = (
        PaymentVoucher.objects.select_for_update()
        .select_related("fiscal_year", "budget_line")
        .get(pk=voucher.pk)
    )
    if locked.current_step != step:
        raise FinanceError(
            "ใบสำคัญจ่ายไม่ได้อยู่ที่ขั้นตอนนี้แล้ว (มีผู้ดำเนินการไปก่อน)",
            f"The voucher is no longer at step {step!r}",
        )
    return locked


def _complete(voucher: PaymentVoucher, step: str, data: dict[str, Any], **kwargs: Any) -> None:
    try:
        transition = PROCESS.complete(voucher.workflow_state, task=step, data=data)
    except StepError as exc:
        raise FinanceError("ใบสำคัญจ่ายไม่ได้อยู่ที่ขั้นตอนนี้", str(exc)) from exc
    _sync(voucher, transition, completed=step, **kwargs)


def _validate(
    payee_name: str, bank_code: str, account_no: str, amount: Decimal | str, description: str
) -> Decimal:
    amount = ledger.money(amount)
    if amount <= 0:
        raise FinanceError("จำนวนเงินต้องมากกว่าศูนย์", "The amount must be more than zero")
    if not payee_name.strip() or not description.strip():
        raise FinanceError("กรุณาระบุผู้รับเงินและรายการ", "Payee and description are required")
    if not (bank_code.isdigit() and len(bank_code) == 3):
        raise FinanceError("รหัสธนาคารต้องเป็นตัวเลข 3 หลัก", "The bank code is three digits")
    if not (account_no.isdigit() and 10 <= len(account_no) <= 15):
        raise FinanceError("เลขที่บัญชีต้องเป็นตัวเลข 10-15 หลัก", "The account number is 10 to 15 digits")
    return amount


def voucher_create(
    *,
    actor: Any,
    budget_line: BudgetLine,
    payee_name: str,
    payee_bank_code: str,
    payee_account_no: str,
    amount: Decimal | str,
    description: str,
    is_demo: bool = False,
) -> PaymentVoucher:
    """A new voucher at its first step (prepare); the maker is ``actor``."""
    _require(actor, Perm.FINANCE_MANAGE, budget_line)
    value = _validate(payee_name, payee_bank_code, payee_account_no, amount, description)
    with transaction.atomic():
        year = budget_line.fiscal_year
        voucher = PaymentVoucher(
            fiscal_year=year, sequence=ledger._next_sequence(PaymentVoucher, year), budget_line=budget_line,
            payee_name=payee_name.strip(), payee_bank_code=payee_bank_code, payee_account_no=payee_account_no,
            amount=value, description=description.strip(), created_by=actor, is_demo=is_demo,
        )  # fmt: skip
        voucher.save()
        _sync(voucher, PROCESS.start(), actor=actor, completed=None, outcome="", comment="")
        audit_record(
            actor=actor, action="finance.voucher_create", object_type="finance.PaymentVoucher", object_id=voucher.pk,
            changes={"number": voucher.number, "amount": value, "budget_line": budget_line.code},
            personal_fields=("payee_account_no",),
        )  # fmt: skip
    return voucher


def voucher_submit(*, actor: Any, voucher: PaymentVoucher) -> PaymentVoucher:
    """The maker sends the voucher for checking; the amount is committed on the budget line."""
    _require(actor, Perm.FINANCE_MANAGE, voucher.budget_line)
    with transaction.atomic():
        voucher = _locked(voucher, "prepare")
        voucher.submissions += 1
        ledger.budget_commit(
            actor=actor, budget_line=voucher.budget_line, amount=voucher.amount,
            source_key=_commitment_key(voucher),
        )  # fmt: skip
        _complete(voucher, "prepare", {}, actor=actor, outcome="submitted", comment="")
        audit_record(
            actor=actor, action="finance.voucher_submit", object_type="finance.PaymentVoucher",
            object_id=voucher.pk, changes={"submission": voucher.submissions},
        )  # fmt: skip
    return voucher


def _commitment_key(voucher: PaymentVoucher) -> str:
    return f"voucher:{voucher.pk}:{voucher.submissions}"


def _open_commitment(voucher: PaymentVoucher) -> Commitment:
    return Commitment.objects.get(source_key=_commitment_key(voucher))


def _approve_final(voucher: PaymentVoucher, actor: Any, today: date) -> None:
    ledger.budget_consume(actor=actor, commitment=_open_commitment(voucher))
    line = voucher.budget_line
    ledger.entry_post(
        actor=actor, entry_date=today, description=f"{voucher.number} {voucher.payee_name}: {voucher.description}",
        lines=[
            LineSpec(line.expense_account.code, debit=voucher.amount, budget_line_id=line.pk, memo=voucher.number),
            LineSpec(PAYABLE_ACCOUNT, credit=voucher.amount, memo=voucher.number),
        ],
        source_type="finance.voucher", source_id=str(voucher.pk), dimensions=of_budget_line(line),
    )  # fmt: skip


def voucher_check(*, actor: Any, voucher: PaymentVoucher, decision: str, comment: str = "") -> PaymentVoucher:
    """The chief accountant's check: ``pass``, ``return`` (for revision) or ``reject``."""
    lent = _acting(actor, "check", voucher)
    if decision not in {"pass", "return", "reject"}:
        raise FinanceError("ผลการตรวจสอบไม่ถูกต้อง", "Unknown decision")
    if decision != "pass" and not comment.strip():
        raise FinanceError("กรุณาระบุเหตุผล", "Give the reason")
    with transaction.atomic():
        voucher = _locked(voucher, "check")
        _segregated(
            voucher, actor, lent, {voucher.created_by_id}, th="ผู้จัดทำตรวจสอบใบสำคัญจ่ายของตนเองไม่ได้",
            en="The maker cannot check their own voucher",
        )  # fmt: skip
        data = {
            "check_decision": decision,
            "amount_satang": _satang(voucher.amount),
            "approval_limit_satang": _satang(APPROVAL_LIMIT),
        }
        if decision != "pass":
            ledger.budget_release(actor=actor, commitment=_open_commitment(voucher))
        voucher.checked_by = actor
        _complete(voucher, "check", data, actor=actor, outcome=decision, comment=comment)
        if voucher.current_step == "pay":  # within the chief accountant's limit: final approval
            voucher.approved_by = actor
            voucher.save(update_fields=["approved_by"])
            _approve_final(voucher, actor, timezone.localdate())
        audit_record(
            actor=actor, action="finance.voucher_check", object_type="finance.PaymentVoucher",
            object_id=voucher.pk, changes={"decision": decision, "comment": comment, **_on_behalf(lent)},
        )  # fmt: skip
    return voucher


def voucher_approve(
    *, actor: Any, voucher: PaymentVoucher, decision: str, comment: str = ""
) -> PaymentVoucher:
    """The authorised approver above the limit: ``approve``, ``return`` or ``reject``."""
    lent = _acting(actor, "approve", voucher)
    if decision not in {"approve", "return", "reject"}:
        raise FinanceError("ผลการอนุมัติไม่ถูกต้อง", "Unknown decision")
    if decision != "approve" and not comment.strip():
        raise FinanceError("กรุณาระบุเหตุผล", "Give the reason")
    with transaction.atomic():
        voucher = _locked(voucher, "approve")
        _segregated(
            voucher, actor, lent, {voucher.created_by_id, voucher.checked_by_id},
            th="ผู้อนุมัติต้องไม่ใช่ผู้จัดทำหรือผู้ตรวจสอบ",
            en="The approver must not be the maker or checker",
        )  # fmt: skip
        if decision == "approve":
            voucher.approved_by = actor
            _approve_final(voucher, actor, timezone.localdate())
        else:
            ledger.budget_release(actor=actor, commitment=_open_commitment(voucher))
        _complete(
            voucher, "approve", {"approve_decision": decision}, actor=actor, outcome=decision, comment=comment
        )
        audit_record(
            actor=actor, action="finance.voucher_approve", object_type="finance.PaymentVoucher",
            object_id=voucher.pk, changes={"decision": decision, "comment": comment, **_on_behalf(lent)},
        )  # fmt: skip
    return voucher


def voucher_mark_sent(*, actor: Any, voucher: PaymentVoucher, batch: Any) -> PaymentVoucher:
    """Complete the ``pay`` step: the voucher went out in ``batch`` (called by the batch service)."""
    voucher = _locked(voucher, "pay")
    voucher.batch = batch
    _complete(voucher, "pay", {}, actor=actor, outcome="sent", comment=batch.number)
    return voucher


def voucher_diagram(voucher: PaymentVoucher) -> dict[str, Any]:
    return PROCESS.diagram(voucher.workflow_state)
