"""Methods by amount: the thresholds table read, a method checked against the law, the table edited.

Split from ``services`` (which re-exports these names); the numbers and their sources are in
``rules`` and the ``MethodThreshold`` table.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from codi.core.audit import audit_record
from codi.finance import ledger
from codi.finance.ledger import FinanceError
from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm
from codi.procurement.models import Method, MethodThreshold


class ProcurementError(FinanceError):
    """A refused procurement operation, with the reason in Thai and in English."""


# --- methods by amount ----------------------------------------------------------------------


def _rows_on(day: date, category: str) -> list[MethodThreshold]:
    rows = MethodThreshold.objects.filter(effective_from__lte=day).exclude(effective_to__lt=day)
    return [r for r in rows if not r.category or r.category == category]


def _matches(row: MethodThreshold, amount: Decimal, in_e_catalog: bool) -> bool:
    if row.needs_e_catalog and not in_e_catalog:
        return False
    return amount > row.min_amount and (row.max_amount is None or amount <= row.max_amount)


def method_suggest(*, amount: Decimal, category: str, in_e_catalog: bool, on: date | None = None) -> str:
    """The method the thresholds table gives for ``amount`` (the first matching row by priority)."""
    for row in _rows_on(on or timezone.localdate(), category):
        if _matches(row, amount, in_e_catalog):
            return row.method
    return Method.E_BIDDING


def method_check(
    *, method: str, amount: Decimal, category: str, in_e_catalog: bool, reason: str, on: date | None = None
) -> None:
    """Refuse a method the law does not allow for the amount.

    A method whose table row matches the amount is allowed; open invitation (e-bidding) is allowed
    at any amount; e-market needs a catalogue item; selection, and the specific method beyond its
    amount, need a recorded s.56 reason (urgency, no bidder, sole maker, ...).
    """
    if method not in Method.values:
        raise ProcurementError("วิธีจัดซื้อจัดจ้างไม่ถูกต้อง", "Unknown procurement method")
    rows = _rows_on(on or timezone.localdate(), category)
    if any(r.method == method and _matches(r, amount, in_e_catalog) for r in rows):
        return
    if method == Method.E_BIDDING:
        return
    if method == Method.E_MARKET and not in_e_catalog:
        raise ProcurementError(
            "วิธีตลาดอิเล็กทรอนิกส์ใช้ได้เฉพาะพัสดุที่มีในแคตตาล็อกอิเล็กทรอนิกส์",
            "e-market is only for items listed in the e-GP catalogue",
        )
    if method in {Method.SELECTION, Method.SPECIFIC} and len(reason.strip()) >= 10:
        return
    cap = max((r.max_amount for r in rows if r.method == method and r.max_amount is not None), default=None)
    limit_th = f" (วงเงินไม่เกิน {ledger.baht(cap)} บาท)" if cap is not None else ""
    limit_en = f" (up to {ledger.baht(cap)} baht)" if cap is not None else ""
    raise ProcurementError(
        f"วงเงิน {ledger.baht(amount)} บาท ใช้วิธี{Method(method).label}ไม่ได้{limit_th} "
        "เว้นแต่ระบุเหตุตามมาตรา 56 ของ พ.ร.บ.การจัดซื้อจัดจ้างฯ 2560",
        f"{ledger.baht(amount)} baht cannot be bought by {method}{limit_en} unless a reason under s.56 is given",
    )


def threshold_update(
    *, actor: Any, row: MethodThreshold, max_amount: Decimal | str | None, effective_from: date, source: str
) -> MethodThreshold:
    """Change one row of the table (a new regulation): dated, with its source, audited."""
    if not user_has_perm(actor, Perm.PROCUREMENT_MANAGE):
        raise PermissionDenied
    if not source.strip():
        raise ProcurementError("กรุณาอ้างอิงที่มาทางกฎหมาย", "Cite the legal source")
    value = None if max_amount in (None, "") else ledger.money(max_amount)
    with transaction.atomic():
        row = MethodThreshold.objects.select_for_update().get(pk=row.pk)
        old = [str(row.max_amount), str(row.effective_from), row.source]
        row.max_amount, row.effective_from, row.source = value, effective_from, source.strip()
        row.save()
        audit_record(
            actor=actor, action="procurement.threshold_update", object_type="procurement.MethodThreshold",
            object_id=row.pk, changes={"before": old, "max_amount": value, "effective_from": effective_from},
        )  # fmt: skip
    return row
