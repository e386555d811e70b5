"""Read-only feed of the books for the continuous-audit analytics (codi.audit).

Plain dicts in the columns of the analytics' payment form, plus the source record each row comes
from (the evidence link). Nothing here writes; it is the only thing codi.audit reads of finance.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from codi.finance.models import PaymentVoucher, Vendor, VendorInvoice, VoucherStatus, VoucherStep


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value or "")


def voucher_payments() -> Iterator[dict[str, Any]]:
    """Every voucher past preparation: the payee matched to a vendor by bank account, the approval
    time (the last completed check/approve step with an approving outcome), the paid date."""
    vendors = {(v.bank_code, _digits(v.account_no)): v for v in Vendor.objects.all()}
    approved: dict[int, datetime] = {}
    for voucher_id, completed_at in (
        VoucherStep.objects.filter(
            task_key__in=("check", "approve"), outcome__in=("approve", "pass", "approved")
        )
        .values_list("voucher_id", "completed_at")
        .order_by("completed_at")
    ):
        if completed_at is not None:
            approved[voucher_id] = completed_at
    vouchers = (
        PaymentVoucher.objects.exclude(status__in=(VoucherStatus.DRAFT, VoucherStatus.REJECTED))
        .select_related("fiscal_year", "budget_line__unit")
        .order_by("pk")
    )
    for v in vouchers.iterator(2000):
        vendor = vendors.get((v.payee_bank_code, _digits(v.payee_account_no)))
        yield {
            "payment_id": v.number,
            "vendor_tax_id": vendor.tax_id if vendor else "",
            "vendor_name": vendor.name if vendor else v.payee_name,
            "invoice_no": _invoice_of(v.description),
            "amount": v.amount,
            "category": v.budget_line.category,
            "org_unit": v.budget_line.unit.code,
            "requested_at": v.created_at,
            "approved_at": approved.get(v.pk),
            "inspected_at": None,
            "paid_at": v.paid_on,
            "source_type": "finance.PaymentVoucher",
            "source_id": str(v.pk),
            "series": f"PV{v.fiscal_year.year_be}",
            "sequence": v.sequence,
        }


_INVOICE = re.compile(
    r"(?:invoice|ใบแจ้งหนี้|inv\.?)\s*(?:no\.?|เลขที่)?\s*[:#]?\s*([A-Z0-9][A-Z0-9/\-]{1,39})", re.I
)


def _invoice_of(description: str) -> str:
    """The vendor's invoice number when the voucher's description quotes it ("invoice INV-0042")."""
    match = _INVOICE.search(description or "")
    return match.group(1) if match else ""


def vendor_accounts() -> Iterator[dict[str, Any]]:
    for v in Vendor.objects.order_by("pk"):
        yield {
            "owner_kind": "vendor", "owner_id": str(v.pk), "owner_name": v.name, "bank_code": v.bank_code,
            "account_no": v.account_no, "source_type": "finance.Vendor", "source_id": str(v.pk),
        }  # fmt: skip


def invoice_count() -> int:
    return VendorInvoice.objects.count()
