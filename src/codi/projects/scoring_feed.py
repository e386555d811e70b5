"""Read-only project figures for the community-strength index and the project-risk model.

System-level, no user scope (codi.scoring computes for every organization and decides who sees a
result). Every figure carries the project ids behind it so a score can be opened down to its
records, and the project rows carry the time each value became known, so the risk model can
check that it learns only from what was known at approval.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count, F, Max, Q
from django.utils import timezone

from codi.projects.models import Project, ProjectStatus, ProjectStep, ReportStatus

APPROVED = (
    ProjectStatus.APPROVED,
    ProjectStatus.AGREEMENT_SIGNED,
    ProjectStatus.IN_PROGRESS,
    ProjectStatus.FINAL_REPORT,
    ProjectStatus.CLOSED,
    ProjectStatus.CANCELLED,
)


def approved_projects(*, fiscal_year_to: int | None = None) -> list[dict[str, Any]]:
    """Every approved project (fiscal year up to ``fiscal_year_to`` B.E.) with its outcome facts.

    ``late_steps`` counts steps finished after their due date or still open past it;
    ``returned_reports`` counts progress reports sent back; ``last_step_at`` is when the latest
    of these facts became known (after approval, by construction).
    """
    projects = Project.objects.filter(status__in=APPROVED, approved_at__isnull=False)
    if fiscal_year_to is not None:
        projects = projects.filter(fiscal_year__lte=fiscal_year_to)
    today = timezone.localdate()
    late = Q(completed_at__date__gt=F("due_date")) | Q(completed_at__isnull=True, due_date__lt=today)
    rows = projects.values(
        "id",
        "code",
        "fiscal_year",
        "status",
        "lead_organization_id",
        "subdistrict_id",
        "subdistrict__district__name_th",
        "subdistrict__district__province__region_id",
        "program__kind",
        "requested_amount",
        "approved_amount",
        "co_funding_amount",
        "households",
        "start_date",
        "end_date",
        "submitted_at",
        "approved_at",
        "closed_at",
        "cancelled_at",
    ).order_by("approved_at", "id")
    out: list[dict[str, Any]] = [dict(r) for r in rows]
    ids: list[int] = [int(r["id"]) for r in out]
    late_counts: dict[int, int] = {}
    last_seen: dict[int, datetime] = {}
    for chunk in _chunks(ids, 900):
        # Only steps after approval: lateness during screening is not the project's outcome.
        for step in (
            ProjectStep.objects.filter(project_id__in=chunk, due_date__isnull=False)
            .filter(late, opened_at__gte=F("project__approved_at"))
            .values("project_id")
            .annotate(n=Count("pk"), last=Max("opened_at"))
        ):
            late_counts[step["project_id"]] = step["n"]
            last_seen[step["project_id"]] = step["last"]
    returned: dict[int, int] = {}
    for chunk in _chunks(ids, 900):
        for report in (
            Project.objects.filter(pk__in=chunk, reports__status=ReportStatus.RETURNED)
            .values("pk")
            .annotate(n=Count("reports"))
        ):
            returned[report["pk"]] = report["n"]
    for r in out:
        r["late_steps"] = late_counts.get(r["id"], 0)
        r["returned_reports"] = returned.get(r["id"], 0)
        r["outcome_known_at"] = last_seen.get(r["id"]) or r["closed_at"] or r["cancelled_at"]
    return out


def _chunks(ids: list[int], size: int) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]
