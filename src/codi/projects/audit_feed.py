"""Read-only feed of PMS disbursements for the continuous-audit analytics (codi.audit).

A tranche after the first should follow an accepted progress report: each disbursement of an
installment numbered 2 or more says whether the project had a report accepted before it was paid.
One query of plain values, the report check an ``EXISTS`` the database answers; nothing here writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Exists, OuterRef

from codi.core.streams import value_rows
from codi.projects.models import Disbursement, ProgressReport, ReportStatus


def disbursements() -> Iterator[dict[str, Any]]:
    accepted = ProgressReport.objects.filter(
        project=OuterRef("installment__project"),
        status=ReportStatus.ACCEPTED,
        reviewed_at__isnull=False,
        reviewed_at__lte=OuterRef("paid_at"),
    )
    rows = (
        Disbursement.objects.filter(installment__number__gte=2)
        .annotate(report_accepted=Exists(accepted))
        .order_by("pk")
        .values_list(
            "installment__project_id",
            "installment__project__code",
            "installment__number",
            "amount",
            "paid_at",
            "report_accepted",
        )
    )
    for project_id, code, number, amount, paid_at, report_accepted in value_rows(rows):
        yield {
            "disbursement_id": f"{code}#{number}",
            "project": code,
            "amount": amount,
            "paid_at": paid_at,
            "report_accepted": report_accepted,
            "source_type": "projects.Project",
            "source_id": str(project_id),
        }
