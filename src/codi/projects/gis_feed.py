"""Read-only project figures for the GIS (codi.gis): totals per area and project points.

Points are placed at the lead organization's coordinates where it has them (projects have no
location of their own). ``actor=None`` asks for the public aggregate: every project that has
left the draft stage and was not rejected or cancelled, counted per area, no names.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, Substr

from codi.identity.roles import Perm
from codi.identity.selectors import user_grants
from codi.projects.models import Program, Project, ProjectStatus
from codi.projects.selectors import fiscal_years, is_portal_user, portal_organization_ids, visible_projects

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


def change_marker() -> str:
    """A cheap text that changes whenever a project is added, removed or saved: the count, the
    highest id and the latest ``updated_at`` (one aggregate query), and whenever a program is
    added, recoded or renamed (``program_marker``). Readers that keep per-area
    totals between requests (``codi.gis.layer_cache``) compare it to know theirs are current."""
    row = Project.objects.order_by().aggregate(n=Count("id"), top=Max("id"), last=Max("updated_at"))
    last = row["last"].isoformat() if row["last"] else ""
    return f"{row['n']}:{row['top']}:{last}:{program_marker()}"


def program_marker() -> str:
    """A digest of every program's code, names and active flag: a program renamed or recoded
    saves no project, yet changes what a ``program`` filter selects (a few dozen rows)."""
    rows = Program.objects.order_by("id").values_list("id", "code", "name_th", "name_en", "is_active")
    return hashlib.blake2b(repr(list(rows)).encode(), digest_size=8).hexdigest()


def scope_key(actor: Any | None) -> tuple[Any, ...]:
    """What decides which projects ``actor`` sees (``visible_projects``), as a hashable key: two
    readers with the same key see the same projects. ``None`` is the public."""
    if actor is None:
        return ("public",)
    grants = sorted(
        (g.role, g.scope_level, g.scope_code)
        for g in user_grants(actor)
        if Perm.PROJECTS_VIEW in g.permissions
    )
    if not grants:
        return ("none",)
    if is_portal_user(actor):
        return ("portal", tuple(portal_organization_ids(actor)))
    return ("staff", tuple(grants))


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
