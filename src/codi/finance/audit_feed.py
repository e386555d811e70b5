"""Read-only feed of the books for the continuous-audit analytics (codi.audit).

Rows in the columns of the analytics' payment form, plus the source record each row comes from
(the evidence link). Set-based: one query of plain values (no model objects), the approval time
and the request day worked out by the database, streamed in chunks. Nothing here writes; it is the
only thing codi.audit reads of finance.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django.db.models import Max, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from codi.core.streams import value_rows
from codi.finance.models import PaymentVoucher, Vendor, VendorInvoice, VoucherStatus

# The columns of each payment row (a tuple, in this order).
PAYMENT_COLUMNS = (
    "payment_id", "vendor_tax_id", "vendor_name", "invoice_no", "amount", "category", "org_unit",
    "requested_at", "approved_at", "inspected_at", "paid_at", "source", "series", "sequence",
)  # fmt: skip


def _digits(value: str) -> str:
    value = value or ""
    return value if value.isdigit() else re.sub(r"\D", "", value)


def voucher_payments() -> Iterator[tuple[Any, ...]]:
    """Every voucher past preparation (rows in ``PAYMENT_COLUMNS`` order): the payee matched to a
    vendor by bank account, the day (Bangkok time) of the approval (the last completed check/approve
    step with an approving outcome: one merge join and group, not a lookup per voucher) and of the
    request, the paid date.

    Days, not times: the rules compare them with the paid date, which has no time."""
    tz = timezone.get_default_timezone()
    vendors = {
        (bank, _digits(account)): (tax_id, name)
        for bank, account, tax_id, name in Vendor.objects.values_list(
            "bank_code", "account_no", "tax_id", "name"
        )
    }
    approving = Q(
        steps__task_key__in=("check", "approve"), steps__outcome__in=("approve", "pass", "approved")
    )
    rows = (
        PaymentVoucher.objects.exclude(status__in=(VoucherStatus.DRAFT, VoucherStatus.REJECTED))
        .annotate(
            approved_on=TruncDate(Max("steps__completed_at", filter=approving), tzinfo=tz), requested_on=TruncDate("created_at", tzinfo=tz)
        )
        .order_by("pk")
        .values_list(
            "pk", "fiscal_year__year_be", "sequence", "payee_bank_code", "payee_account_no", "payee_name", "amount",
            "description", "budget_line__category", "budget_line__unit__code", "requested_on", "approved_on",
            "paid_on",
        )
    )  # fmt: skip
    no_vendor = ("", "")
    invoice_of = _invoice_of
    for (
        pk,
        year,
        sequence,
        bank,
        account,
        payee,
        amount,
        description,
        category,
        unit,
        requested,
        approved_on,
        paid,
    ) in value_rows(rows):
        tax_id, name = vendors.get((bank, _digits(account)), no_vendor)
        yield (
            f"PV{year}-{sequence:05d}", tax_id, name or payee, invoice_of(description), amount, category, unit,
            requested, approved_on, None, paid, f"finance.PaymentVoucher:{pk}", f"PV{year}", sequence,
        )  # fmt: skip


_INVOICE = re.compile(
    r"(?:invoice|ใบแจ้งหนี้|inv\.?)\s*(?:no\.?|เลขที่)?\s*[:#]?\s*([A-Z0-9][A-Z0-9/\-]{1,39})", re.I
)


def _invoice_of(description: str) -> str:
    """The vendor's invoice number when the voucher's description quotes it ("invoice INV-0042")."""
    match = _INVOICE.search(description or "")
    return match.group(1) if match else ""


def vendor_accounts() -> Iterator[dict[str, Any]]:
    for pk, name, bank_code, account_no in Vendor.objects.order_by("pk").values_list(
        "pk", "name", "bank_code", "account_no"
    ):
        yield {
            "owner_kind": "vendor", "owner_id": str(pk), "owner_name": name, "bank_code": bank_code,
            "account_no": account_no, "source_type": "finance.Vendor", "source_id": str(pk),
        }  # fmt: skip


def invoice_count() -> int:
    return VendorInvoice.objects.count()
