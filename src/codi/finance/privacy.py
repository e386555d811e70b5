"""Finance's data-subject collector: a person paid as a vendor (by their citizen ID), their
invoices and withholding certificates, and receipts bearing their name.

These are accounting and tax records (Revenue Code s.50 ทวิ and s.69 ter: the payer keeps the
withholding evidence; State Audit Office rules: accounting records 10 years): an erasure keeps
them, names the rule, and only finance staff read them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from codi.core.models import AuditEntry
from codi.core.personaldata import KEEP, RULE_OFFICIAL_RECORD, Outcome, Subject, row
from codi.finance.models import Receipt, Vendor, VendorInvoice

ORDER = 70


def _vendors(subject: Subject) -> list[Vendor]:
    if not subject.national_id:
        return []
    return list(Vendor.objects.filter(tax_id=subject.national_id).order_by("pk"))


def _receipts(subject: Subject) -> list[Receipt]:
    person = subject.person
    name = f"{getattr(person, 'first_name_th', '')} {getattr(person, 'last_name_th', '')}".strip()
    if " " not in name:  # both names, or no match: a first name alone is not the person
        return []
    return list(Receipt.objects.filter(Q(payer_name__contains=name)).order_by("pk"))


class FinanceCollector:
    name = "finance"

    def collect(self, subject: Subject) -> dict[str, list[dict[str, Any]]]:
        vendors = _vendors(subject)
        invoices = VendorInvoice.objects.filter(vendor__in=vendors).order_by("invoice_date", "pk")
        return {
            "finance.Vendor": [
                row(v, ("name", "tax_id", "address", "bank_code", "account_no")) for v in vendors
            ],
            "finance.VendorInvoice": [
                row(
                    i,
                    ("invoice_number", "invoice_date", "amount", "vat", "withholding", "certificate_number"),
                )
                for i in invoices
            ],
            "finance.Receipt": [
                row(r, ("number", "payer_name", "amount", "received_on")) for r in _receipts(subject)
            ],
        }

    def audit_entries(self, subject: Subject) -> list[Any]:
        ids = [str(v.pk) for v in _vendors(subject)]
        if not ids:
            return []
        return list(AuditEntry.objects.filter(object_type="finance.Vendor", object_id__in=ids))

    def erase(self, subject: Subject, *, dry_run: bool) -> list[Outcome]:
        reason = (
            "accounting and withholding-tax record: kept 10 years after the fiscal year; finance staff only"
        )
        outcomes = [
            Outcome("finance.Vendor", str(v.pk), KEEP, ("name", "tax_id", "address", "account_no"),
                    rule=RULE_OFFICIAL_RECORD, reason=reason)
            for v in _vendors(subject)
        ]  # fmt: skip
        outcomes += [
            Outcome(
                "finance.Receipt", str(r.pk), KEEP, ("payer_name",), rule=RULE_OFFICIAL_RECORD, reason=reason
            )
            for r in _receipts(subject)
        ]
        return outcomes
