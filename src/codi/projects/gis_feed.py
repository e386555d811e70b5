"""Read-only project figures for the GIS (codi.gis): totals per area and project points.

Points are placed at the lead organization's coordinates where it has them (projects have no
location of their own). ``actor=None`` asks for the public aggregate: every project that has
left the draft stage and was not rejected or cancelled, counted per area, no names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, Substr

from codi.projects.models import Program, Project, ProjectStatus
from codi.projects.selectors import fiscal_years, visible_projects

PUBLIC_EXCLUDED = (ProjectStatus.DRAFT, ProjectStatus.REJECTED, ProjectStatus.CANCELLED)
CODE_LENGTH = {"province": 2, "district": 4, "subdistrict": 6}


@dataclass(frozen=True)
class ProjectQuery:
    fiscal_year: int | None = None
    program: str = ""  # program code
    status: str = ""
    year_from: int | None = None  # fiscal years (B.E.), inclusive: OGC ``datetime``
    year_to: int | None = None


def _base(actor: Any | None, query: ProjectQuery) -> QuerySet[Project]:
    projects = (
        Project.objects.exclude(status__in=PUBLIC_EXCLUDED) if actor is None else visible_projects(actor)
    )
    if query.fiscal_year:
        projects = projects.filter(fiscal_year=query.fiscal_year)
    if query.year_from:
        projects = projects.filter(fiscal_year__gte=query.year_from)
    if query.year_to:
        projects = projects.filter(fiscal_year__lte=query.year_to)
    if query.program:
        projects = projects.filter(program__code=query.program)
    if query.status:
        projects = projects.filter(status=query.status)
    return projects


def totals_by_area(*, actor: Any | None, level: str, query: ProjectQuery) -> dict[str, dict[str, Any]]:
    """Area code → number of projects, approved amount (baht) and beneficiary households."""
    length = CODE_LENGTH[level]
    rows = (
        _base(actor, query)
        .order_by()
        .annotate(area=Substr("subdistrict_id", 1, length))
        .values("area")
        .annotate(
            projects=Count("id"),
            approved=Coalesce(Sum("approved_amount"), Decimal(0)),
            households=Coalesce(Sum("households"), 0),
        )
    )
    return {
        r["area"]: {
            "projects": r["projects"],
            "approved": float(r["approved"]),
            "households": r["households"],
        }
        for r in rows
    }


def points(
    *, actor: Any, query: ProjectQuery, bbox: tuple[float, float, float, float] | None = None
) -> QuerySet[Project]:
    """Projects the actor may see whose lead organization has coordinates, as value rows."""
    projects = _base(actor, query).filter(
        lead_organization__latitude__isnull=False, lead_organization__longitude__isnull=False
    )
    if bbox is not None:
        west, south, east, north = bbox
        projects = projects.filter(
            Q(lead_organization__longitude__gte=west)
            & Q(lead_organization__longitude__lte=east)
            & Q(lead_organization__latitude__gte=south)
            & Q(lead_organization__latitude__lte=north)
        )
    return projects.order_by("id")


POINT_FIELDS: tuple[str, ...] = (
    "id", "code", "title", "status", "program__code", "program__name_th", "fiscal_year",
    "approved_amount", "households", "subdistrict_id", "lead_organization__longitude",
    "lead_organization__latitude",
)  # fmt: skip


def project_by_code(*, actor: Any, code: str) -> Project | None:
    return visible_projects(actor).filter(code=code).first()


def project_code(project_id: int | None) -> str:
    if project_id is None:
        return ""
    return Project.objects.filter(pk=project_id).values_list("code", flat=True).first() or ""


def programs() -> list[tuple[str, str]]:
    return list(Program.objects.filter(is_active=True).order_by("code").values_list("code", "name_th"))


def statuses() -> Iterable[tuple[str, str]]:
    return [(value, str(label)) for value, label in ProjectStatus.choices]


def years() -> list[int]:
    return fiscal_years()
