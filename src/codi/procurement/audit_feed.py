"""Read-only feed of procurement payments for the continuous-audit analytics (codi.audit).

One row per paid delivery: vendor and category of the contract's requisition, the approval and
the inspection committee's acceptance dates, the payment date. Nothing here writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from codi.procurement.models import Delivery, RequisitionStep


def delivery_payments() -> Iterator[dict[str, Any]]:
    approved: dict[int, Any] = {}
    for req_id, completed_at in (
        RequisitionStep.objects.filter(task_key="approve", outcome="approve", completed_at__isnull=False)
        .values_list("requisition_id", "completed_at")
        .order_by("completed_at")
    ):
        approved[req_id] = completed_at
    deliveries = (
        Delivery.objects.filter(paid_on__isnull=False)
        .select_related("contract__requisition__budget_line__unit")
        .order_by("pk")
    )
    for d in deliveries.iterator(2000):
        req = d.contract.requisition
        yield {
            "payment_id": f"{req.number}-D{d.pk}",
            "vendor_tax_id": d.contract.vendor_tax_id,
            "vendor_name": d.contract.vendor_name,
            "invoice_no": "",
            "amount": d.amount,
            "category": req.category,
            "org_unit": req.budget_line.unit.code,
            "requested_at": req.created_at,
            "approved_at": approved.get(req.pk),
            "inspected_at": d.inspected_on,
            "paid_at": d.paid_on,
            "source_type": "procurement.Requisition",
            "source_id": str(req.pk),
        }
