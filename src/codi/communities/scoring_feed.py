"""Read-only organization figures for the community-strength index (codi.scoring).

System-level aggregates (no user scope): the scoring task computes the index for every
organization; who may *see* a score is decided by ``codi.scoring.selectors`` through
``organization_list``. Values are plain numbers keyed by organization id; an organization with
no data for a figure is simply absent (missing, never zero).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Q

from codi.communities.models import MemberRole, Organization, OrgStatus


def organization_rows(*, ids: list[int] | None = None) -> list[dict[str, Any]]:
    """Every organization (id, name, type, subdistrict, district name, founded, status, demo flag)."""
    orgs = Organization.objects.all()
    if ids is not None:
        orgs = orgs.filter(pk__in=ids)
    return [
        dict(row)
        for row in orgs.order_by("pk").values(
            "id",
            "name_th",
            "org_type",
            "status",
            "founded_on",
            "is_demo",
            "subdistrict_id",
            "subdistrict__district__name_th",
            "subdistrict__district__province__region_id",
        )
    ]


def active_members_at(*, as_of: date) -> dict[int, dict[str, int]]:
    """Per organization: members and committee members whose membership runs on ``as_of``."""
    current = Q(memberships__started_on__isnull=True) | Q(memberships__started_on__lte=as_of)
    current &= Q(memberships__ended_on__isnull=True) | Q(memberships__ended_on__gte=as_of)
    rows = (
        Organization.objects.filter(memberships__isnull=False)
        .values("pk")
        .annotate(
            members=Count("memberships", filter=current),
            committee=Count(
                "memberships",
                filter=current & ~Q(memberships__role=MemberRole.MEMBER),
            ),
        )
    )
    return {r["pk"]: {"members": r["members"], "committee": r["committee"]} for r in rows}


def active_organization_counts(*, as_of: date) -> dict[str, int]:
    """Per subdistrict code: active organizations founded on or before ``as_of`` (or undated)."""
    rows = (
        Organization.objects.filter(status=OrgStatus.ACTIVE)
        .filter(Q(founded_on__isnull=True) | Q(founded_on__lte=as_of))
        .values("subdistrict_id")
        .annotate(n=Count("pk"))
    )
    return {r["subdistrict_id"]: r["n"] for r in rows}
