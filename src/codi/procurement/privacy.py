"""Procurement's data-subject collector: a person who quoted or contracted as an individual vendor.

A person is found by their national ID used as the vendor's tax ID, or by their full name as the
vendor's name, on quotations and contracts. Procurement records are official records the State
Audit Office and the Public Procurement Act B.E. 2560 require to be kept: an erasure keeps them
and names the rule.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from codi.core.models import AuditEntry
from codi.core.personaldata import KEEP, RULE_OFFICIAL_RECORD, Outcome, Subject, plain
from codi.procurement.models import Contract, Quotation

ORDER = 70


def _condition(subject: Subject) -> Q | None:
    condition = Q()
    if subject.national_id:
        condition |= Q(vendor_tax_id=subject.national_id)
    if subject.person.first_name_th and subject.person.last_name_th:
        condition |= Q(vendor_name__contains=subject.full_name())
    return condition or None


def _records(subject: Subject) -> tuple[list[Quotation], list[Contract]]:
    condition = _condition(subject)
    if condition is None:
        return [], []
    return (
        list(Quotation.objects.filter(condition).select_related("requisition")),
        list(Contract.objects.filter(condition).select_related("requisition")),
    )


class ProcurementCollector:
    name = "procurement"

    def collect(self, subject: Subject) -> dict[str, list[dict[str, Any]]]:
        quotes, contracts = _records(subject)
        return {
            "procurement.Quotation": [
                {"requisition": q.requisition.number, "vendor": q.vendor_name, "amount": plain(q.amount)} for q in quotes
            ],
            "procurement.Contract": [
                {"requisition": c.requisition.number, "vendor": c.vendor_name, "amount": plain(c.amount),
                 "signed_on": plain(c.signed_on)}
                for c in contracts
            ],
        }  # fmt: skip

    def audit_entries(self, subject: Subject) -> list[Any]:
        quotes, contracts = _records(subject)
        ids = sorted({str(q.requisition_id) for q in quotes} | {str(c.requisition_id) for c in contracts})
        if not ids:
            return []
        return list(AuditEntry.objects.filter(object_type="procurement.Requisition", object_id__in=ids))

    def erase(self, subject: Subject, *, dry_run: bool) -> list[Outcome]:
        quotes, contracts = _records(subject)
        reason = (
            "procurement record under the Public Procurement Act B.E. 2560: kept 10 years after the contract"
        )
        return [
            *(Outcome("procurement.Quotation", str(q.pk), KEEP, ("vendor_name", "vendor_tax_id"),
                      rule=RULE_OFFICIAL_RECORD, reason=reason) for q in quotes),
            *(Outcome("procurement.Contract", str(c.pk), KEEP, ("vendor_name", "vendor_tax_id"),
                      rule=RULE_OFFICIAL_RECORD, reason=reason) for c in contracts),
        ]  # fmt: skip
