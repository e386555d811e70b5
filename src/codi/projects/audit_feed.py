"""Read-only feed of PMS disbursements for the continuous-audit analytics (codi.audit).

A tranche after the first should follow an accepted progress report: each disbursement of an
installment numbered 2 or more says whether the project had a report accepted before it was paid.
Nothing here writes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from codi.projects.models import Disbursement, ProgressReport, ReportStatus


def disbursements() -> Iterator[dict[str, Any]]:
    accepted: dict[int, list[datetime]] = defaultdict(list)
    for project_id, reviewed_at in ProgressReport.objects.filter(
        status=ReportStatus.ACCEPTED, reviewed_at__isnull=False
    ).values_list("project_id", "reviewed_at"):
        if reviewed_at is not None:
            accepted[project_id].append(reviewed_at)
    rows = (
        Disbursement.objects.filter(installment__number__gte=2)
        .select_related("installment__project")
        .order_by("pk")
    )
    for d in rows.iterator(2000):
        project = d.installment.project
        yield {
            "disbursement_id": f"{project.code}#{d.installment.number}",
            "project": project.code,
            "amount": d.amount,
            "paid_at": d.paid_at,
            "report_accepted": any(t <= d.paid_at for t in accepted.get(project.pk, [])),
            "source_type": "projects.Project",
            "source_id": str(project.pk),
        }
