"""Delegation of authority: who approves payment vouchers up to what amount, and the same
authority lent to a named user for a date range.

``AUTHORITY`` is the table: the chief accountant's check is the final approval up to 100,000
baht (above it the executive approves, without a limit). An approver delegates a step to another
user for ``starts_on``–``ends_on`` (Buddhist-Era dates on the page) up to an amount no higher
than their own limit; the delegate then acts on that step for vouchers within the amount during
the range, on behalf of the delegator, whose scope over the budget line applies. Segregation of
duties holds: the delegate never acts on a voucher they (or the delegator) made or checked.
Expired, not yet started, revoked or exceeded delegations are refused with their reason.
Every delegation and revocation is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from codi.core.audit import audit_record
from codi.finance import ledger
from codi.finance.ledger import FinanceError
from codi.finance.models import ApprovalDelegation, DelegationStep, PaymentVoucher
from codi.finance.selectors import can_act_on_line, is_country_wide
from codi.identity.models import User
from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm

MAX_DAYS = 180  # a delegation covers an absence, not a standing transfer of authority


@dataclass(frozen=True)
class Authority:
    perm: str
    limit: Decimal | None  # None: no upper limit
    name_th: str
    name_en: str


AUTHORITY: dict[str, Authority] = {
    DelegationStep.CHECK: Authority(
        Perm.FINANCE_CHECK, Decimal("100000.00"), "ตรวจสอบและอนุมัติไม่เกินวงเงินหัวหน้าฝ่ายบัญชี",
        "Check, and approve within the chief accountant's limit",
    ),
    DelegationStep.APPROVE: Authority(
        Perm.FINANCE_APPROVE, None, "อนุมัติในฐานะผู้มีอำนาจ", "Authorised approval"
    ),
}  # fmt: skip


def parse_date(text: str, *, field_th: str, field_en: str) -> date:
    """A date typed as วว/ดด/ปปปป in the Buddhist Era (e.g. 15/12/2569), or ISO 8601 (API)."""
    value = (text or "").strip()
    try:
        if "/" in value:
            day, month, year = (int(part) for part in value.split("/"))
            if year < 2400:
                raise ValueError(value)
            return date(year - 543, month, day)
        return date.fromisoformat(value)
    except ValueError:
        raise FinanceError(
            f"{field_th}: กรอกวันที่เป็น วว/ดด/ปปปป (พ.ศ.) เช่น 15/12/2569",
            f"{field_en}: give the date as dd/mm/yyyy in the Buddhist Era, e.g. 15/12/2569",
        ) from None


def can_delegate(user: Any) -> list[str]:
    """The steps ``user`` holds country-wide and so may delegate."""
    return [step for step, a in AUTHORITY.items() if is_country_wide(user, a.perm)]


def delegation_create(
    *, actor: Any, delegate: User | None, step: str, max_amount: Decimal | str, starts_on: date,
    ends_on: date, reason: str,
) -> ApprovalDelegation:  # fmt: skip
    """Lend ``actor``'s authority for ``step`` to ``delegate`` (refused, nothing written, when the
    actor does not hold it, the delegate is the actor or inactive, the amount is above the actor's
    limit, or the range is reversed, in the past or longer than ``MAX_DAYS``). The same delegation
    asked again returns the first."""
    authority = AUTHORITY.get(step)
    if authority is None:
        raise FinanceError("ไม่รู้จักอำนาจที่มอบ", f"Unknown authority {step!r}")
    if not is_country_wide(actor, authority.perm):
        raise FinanceError("ท่านไม่มีอำนาจนี้จึงมอบให้ผู้อื่นไม่ได้", "You do not hold this authority to delegate it")
    if delegate is None or not delegate.is_active:
        raise FinanceError("ไม่พบผู้รับมอบอำนาจ", "The delegate is not an active user")
    if delegate.pk == actor.pk:
        raise FinanceError("มอบอำนาจให้ตนเองไม่ได้", "You cannot delegate to yourself")
    amount = ledger.money(max_amount, field="max_amount")
    if amount <= 0:
        raise FinanceError("วงเงินต้องมากกว่าศูนย์", "The amount must be more than zero")
    if authority.limit is not None and amount > authority.limit:
        raise FinanceError(
            f"มอบได้ไม่เกินวงเงินของท่าน {ledger.baht(authority.limit)} บาท",
            f"At most your own limit of {ledger.baht(authority.limit)} baht",
        )
    today = timezone.localdate()
    if ends_on < starts_on:
        raise FinanceError("วันสิ้นสุดต้องไม่ก่อนวันเริ่ม", "The end date is before the start date")
    if ends_on < today:
        raise FinanceError("ช่วงเวลาที่มอบอำนาจสิ้นสุดไปแล้ว", "The range has already ended")
    if (ends_on - starts_on) > timedelta(days=MAX_DAYS - 1):
        raise FinanceError(f"มอบอำนาจได้ครั้งละไม่เกิน {MAX_DAYS} วัน", f"At most {MAX_DAYS} days at a time")
    reason = (reason or "").strip()
    if not reason:
        raise FinanceError("กรุณาระบุเหตุผลการมอบอำนาจ", "Give the reason for the delegation")
    with transaction.atomic():
        same = ApprovalDelegation.objects.filter(
            delegator=actor, delegate=delegate, step=step, starts_on=starts_on, ends_on=ends_on,
            max_amount=amount, revoked_at__isnull=True,
        ).first()  # fmt: skip
        if same is not None:
            return same
        delegation = ApprovalDelegation.objects.create(
            delegator=actor, delegate=delegate, step=step, max_amount=amount, starts_on=starts_on,
            ends_on=ends_on, reason=reason[:300],
        )  # fmt: skip
        audit_record(
            actor=actor, action="finance.delegation_create", object_type="finance.ApprovalDelegation",
            object_id=delegation.pk,
            changes={"delegate": delegate.pk, "step": step, "max_amount": amount,
                     "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat(), "reason": reason},
        )  # fmt: skip
    return delegation


def delegation_revoke(*, actor: Any, delegation: ApprovalDelegation) -> ApprovalDelegation:
    """End a delegation now (the delegator, or another holder of the same authority country-wide)."""
    if actor.pk != delegation.delegator_id and not is_country_wide(actor, AUTHORITY[delegation.step].perm):
        raise FinanceError("ยกเลิกได้เฉพาะผู้มอบอำนาจ", "Only the delegator may revoke it")
    with transaction.atomic():
        locked = ApprovalDelegation.objects.select_for_update().get(pk=delegation.pk)
        if locked.revoked_at is not None:
            return locked
        locked.revoked_at, locked.revoked_by = timezone.now(), actor
        locked.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(
            actor=actor, action="finance.delegation_revoke", object_type="finance.ApprovalDelegation",
            object_id=locked.pk, changes={"revoked": True},
        )  # fmt: skip
    return locked


def delegations_for(*, actor: Any) -> Any:
    """The delegations ``actor`` gave or received; all of them for a country-wide finance viewer."""
    rows = ApprovalDelegation.objects.select_related("delegator", "delegate").order_by("-starts_on", "-pk")
    if is_country_wide(actor, Perm.FINANCE_VIEW):
        return rows
    return rows.filter(delegator=actor) | rows.filter(delegate=actor)


def holds_delegation(*, user: Any, step: str) -> bool:
    """Whether ``user`` holds a delegation for ``step`` in force today (any amount)."""
    today = timezone.localdate()
    return ApprovalDelegation.objects.filter(
        delegate=user.pk, step=step, revoked_at__isnull=True, starts_on__lte=today, ends_on__gte=today
    ).exists()


def acting_authority(*, actor: Any, step: str, voucher: PaymentVoucher) -> ApprovalDelegation | None:
    """How ``actor`` may act on ``voucher``'s ``step``: ``None`` with their own authority, the
    delegation in force otherwise. Refused with the reason when neither applies."""
    authority = AUTHORITY[step]
    line = voucher.budget_line
    if user_has_perm(actor, authority.perm) and can_act_on_line(actor, authority.perm, line):
        return None
    today = timezone.localdate()
    received = list(
        ApprovalDelegation.objects.filter(delegate=actor, step=step)
        .select_related("delegator")
        .order_by("-pk")
    )
    if not received:
        raise PermissionDenied
    reasons: list[tuple[str, str]] = []
    for delegation in received:
        if delegation.revoked_at is not None:
            reasons.append(("การมอบอำนาจถูกยกเลิกแล้ว", "The delegation was revoked"))
        elif today > delegation.ends_on:
            reasons.append(("การมอบอำนาจหมดอายุแล้ว", "The delegation has expired"))
        elif today < delegation.starts_on:
            reasons.append(("การมอบอำนาจยังไม่เริ่ม", "The delegation has not started yet"))
        elif voucher.amount > delegation.max_amount:
            reasons.append(
                (f"จำนวนเงินเกินวงเงินที่ได้รับมอบ ({ledger.baht(delegation.max_amount)} บาท)",
                 f"The amount is above the delegated limit ({ledger.baht(delegation.max_amount)} baht)")
            )  # fmt: skip
        elif not (
            user_has_perm(delegation.delegator, authority.perm)
            and can_act_on_line(delegation.delegator, authority.perm, line)
        ):
            reasons.append(("ผู้มอบอำนาจไม่มีอำนาจนี้แล้ว", "The delegator no longer holds this authority"))
        else:
            return delegation
    th, en = reasons[0]
    raise FinanceError(th, en)
