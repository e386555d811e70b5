"""Budget allocations and transfers with approval (maker ≠ approver), applied under row locks.

A finance officer (country-wide ``finance.manage``) asks for an additional allocation to a line
or a transfer between two lines of the same fiscal year; an executive (``finance.approve``) who
did not make the request approves or rejects it. Approval re-checks the giving line's available
amount under its row lock (it may have been committed since the request) and moves the money;
every step is audited.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from codi.core.audit import audit_record
from codi.finance import ledger
from codi.finance.ledger import FinanceError
from codi.finance.models import BudgetLine, BudgetRequest, BudgetRequestKind, BudgetRequestStatus
from codi.finance.selectors import is_country_wide
from codi.identity.roles import Perm


def budget_request_create(
    *,
    actor: Any,
    kind: str,
    to_line: BudgetLine,
    amount: Decimal | str,
    reason: str,
    from_line: BudgetLine | None = None,
) -> BudgetRequest:
    if not is_country_wide(actor, Perm.FINANCE_MANAGE):
        raise PermissionDenied
    value = ledger.money(amount)
    if value <= 0:
        raise FinanceError("จำนวนเงินต้องมากกว่าศูนย์", "The amount must be more than zero")
    if not reason.strip():
        raise FinanceError("กรุณาระบุเหตุผล", "Give the reason")
    if kind == BudgetRequestKind.TRANSFER:
        if from_line is None or from_line.pk == to_line.pk:
            raise FinanceError(
                "การโอนต้องระบุงบประมาณต้นทางที่ต่างจากปลายทาง", "A transfer needs a different source line"
            )
        if from_line.fiscal_year_id != to_line.fiscal_year_id:
            raise FinanceError("โอนได้เฉพาะภายในปีงบประมาณเดียวกัน", "Transfers stay within one fiscal year")
        if value > from_line.available:
            raise FinanceError(
                f"งบประมาณ {from_line.code} คงเหลือ {ledger.baht(from_line.available)} บาท ไม่พอโอน",
                f"Budget line {from_line.code} has {ledger.baht(from_line.available)} baht available",
            )
    elif kind == BudgetRequestKind.ALLOCATE:
        from_line = None
    else:
        raise FinanceError("ประเภทคำขอไม่ถูกต้อง", "Unknown request kind")
    with transaction.atomic():
        request = BudgetRequest.objects.create(
            kind=kind, from_line=from_line, to_line=to_line, amount=value, reason=reason.strip()[:300],
            requested_by=actor,
        )  # fmt: skip
        audit_record(
            actor=actor, action="finance.budget_request_create", object_type="finance.BudgetRequest",
            object_id=request.pk, changes={"kind": kind, "amount": value, "to": to_line.code,
                                           "from": from_line.code if from_line else None},
        )  # fmt: skip
    return request


def budget_request_decide(
    *, actor: Any, request: BudgetRequest, approve: bool, comment: str = ""
) -> BudgetRequest:
    """Approve (apply) or reject a pending request; the maker may not decide their own."""
    if not is_country_wide(actor, Perm.FINANCE_APPROVE):
        raise PermissionDenied
    with transaction.atomic():
        request = BudgetRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != BudgetRequestStatus.PENDING:
            raise FinanceError("คำขอนี้พิจารณาแล้ว", "This request was already decided")
        if request.requested_by_id == actor.pk:
            raise FinanceError("ผู้จัดทำคำขออนุมัติคำขอของตนเองไม่ได้", "The maker cannot approve their own request")
        if approve:
            ids = sorted(filter(None, [request.from_line_id, request.to_line_id]))
            lines = {
                line.pk: line
                for line in BudgetLine.objects.select_for_update().filter(pk__in=ids).order_by("pk")
            }
            if request.from_line_id is not None:
                giver = lines[request.from_line_id]
                if request.amount > giver.available:
                    raise FinanceError(
                        f"งบประมาณ {giver.code} คงเหลือ {ledger.baht(giver.available)} บาท ไม่พอโอน",
                        f"Budget line {giver.code} has {ledger.baht(giver.available)} baht available",
                    )
                BudgetLine.objects.filter(pk=giver.pk).update(allocated=F("allocated") - request.amount)
            BudgetLine.objects.filter(pk=request.to_line_id).update(allocated=F("allocated") + request.amount)
        request.status = BudgetRequestStatus.APPROVED if approve else BudgetRequestStatus.REJECTED
        request.decided_by = actor
        request.decided_at = timezone.now()
        request.save(update_fields=["status", "decided_by", "decided_at"])
        audit_record(
            actor=actor, action="finance.budget_request_decide", object_type="finance.BudgetRequest",
            object_id=request.pk, changes={"status": request.status, "amount": request.amount, "comment": comment},
        )  # fmt: skip
    return request
