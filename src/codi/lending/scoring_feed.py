"""Read-only loan figures for the community-strength index (codi.scoring).

System-level, no user scope: per borrowing organization, its loans that were disbursed by a date
and how many of them have an instalment unpaid more than 90 days. Paid amounts are as recorded
now (the instalment table keeps no payment history by date), which the index's card states.
An organization without loans is absent: "no loan" is missing, not "no arrears".
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import F, Q

from codi.lending.models import Instalment, Loan, LoanStatus

COUNTED = (LoanStatus.ACTIVE, LoanStatus.CLOSED, LoanStatus.WRITTEN_OFF)


def loans_by_organization(*, as_of: date) -> dict[int, dict[str, list[int]]]:
    """Per organization id: ``loans`` (ids disbursed on or before ``as_of``) and ``over_90`` (those
    with an instalment due more than 90 days before ``as_of`` still unpaid, or written off)."""
    loans = Loan.objects.filter(status__in=COUNTED, disbursed_on__isnull=False, disbursed_on__lte=as_of)
    out: dict[int, dict[str, list[int]]] = {}
    for loan_id, org_id, status in loans.values_list("pk", "organization_id", "status"):
        entry = out.setdefault(org_id, {"loans": [], "over_90": []})
        entry["loans"].append(loan_id)
        if status == LoanStatus.WRITTEN_OFF:
            entry["over_90"].append(loan_id)
    unpaid = Q(principal_paid__lt=F("principal_due")) | Q(interest_paid__lt=F("interest_due"))
    late = set(
        Instalment.objects.filter(
            is_current=True,
            loan__in=loans.exclude(status=LoanStatus.WRITTEN_OFF),
            due_date__lt=as_of - timedelta(days=90),
        )
        .filter(unpaid)
        .values_list("loan_id", flat=True)
        .distinct()
    )
    for entry in out.values():
        entry["over_90"].extend(i for i in entry["loans"] if i in late)
    return out
