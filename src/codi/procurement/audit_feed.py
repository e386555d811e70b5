"""Read-only feed of procurement payments for the continuous-audit analytics (codi.audit).

One row per paid delivery: vendor and category of the contract's requisition, the day of the
approval and of the inspection committee's acceptance, the payment date. One query of plain
values (no model objects), streamed in chunks. Nothing here writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import OuterRef, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from codi.core.streams import value_rows
from codi.procurement.models import Delivery, RequisitionStep


def delivery_payments() -> Iterator[tuple[Any, ...]]:
    """Rows in the column order of ``codi.finance.audit_feed.PAYMENT_COLUMNS`` (no numbered series)."""
    tz = timezone.get_default_timezone()
    approved = (
        RequisitionStep.objects.filter(
            requisition=OuterRef("contract__requisition"), task_key="approve", outcome="approve",
            completed_at__isnull=False,
        )
        .order_by("-completed_at")
        .values("completed_at")[:1]
    )  # fmt: skip
    rows = (
        Delivery.objects.filter(paid_on__isnull=False)
        .annotate(
            approved_on=TruncDate(Subquery(approved), tzinfo=tz),
            requested_on=TruncDate("contract__requisition__created_at", tzinfo=tz),
        )
        .order_by("pk")
        .values_list(
            "pk", "contract__requisition_id", "contract__requisition__fiscal_year_be",
            "contract__requisition__sequence", "contract__vendor_tax_id",
            "contract__vendor_name", "amount", "contract__requisition__category",
            "contract__requisition__budget_line__unit__code", "requested_on", "approved_on", "inspected_on", "paid_on",
        )
    )  # fmt: skip
    for (
        pk,
        req_id,
        year,
        sequence,
        tax_id,
        name,
        amount,
        category,
        unit,
        requested,
        approved_on,
        inspected,
        paid,
    ) in value_rows(rows):
        yield (
            f"PR{year}-{sequence:05d}-D{pk}", tax_id, name, "", amount, category, unit, requested, approved_on, inspected, paid,
            f"procurement.Requisition:{req_id}", None, None,
        )  # fmt: skip
