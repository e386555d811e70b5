"""Reads of the GIS: settlements in the user's scope, their history, distance queries and summaries.

Settlements are read with ``Perm.ORGS_VIEW`` over their subdistrict (as organizations are).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Count, Max, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import Substr

from codi.areas import selectors as area_selectors
from codi.communities import selectors as community_selectors
from codi.core.models import AuditEntry
from codi.gis.analysis import degree_box, within_km
from codi.gis.models import EvictionRisk, Settlement, SettlementRevision
from codi.identity.roles import Perm, Role, ScopeLevel
from codi.identity.selectors import scoped, user_grants
from codi.projects import gis_feed as project_feed

VIEW_PERM = Perm.ORGS_VIEW
CODE_LENGTH = {"province": 2, "district": 4, "subdistrict": 6}
BBox = tuple[float, float, float, float]
BOX_SQL = 'box(point("gis_settlement"."min_lon", "gis_settlement"."min_lat"), point("gis_settlement"."max_lon", "gis_settlement"."max_lat"))'


def settlement_list(*, actor: Any) -> QuerySet[Settlement]:
    return scoped(Settlement.objects.all(), actor, VIEW_PERM)


def settlement_change_marker() -> str:
    """Changes whenever a settlement is added, removed or saved: the count, the highest id and
    the latest ``updated_at`` (index-only reads), for figures kept between requests."""
    row = Settlement.objects.order_by().aggregate(n=Count("id"), top=Max("id"), last=Max("updated_at"))
    last = row["last"].isoformat() if row["last"] else ""
    return f"{row['n']}:{row['top']}:{last}"


def settlement_scope_key(actor: Any) -> tuple[tuple[str, str], ...]:
    """What decides which settlements ``actor`` sees (``settlement_list``: the areas of their
    grants carrying ``VIEW_PERM``), as a key shared by readers with the same scope."""
    return tuple(
        sorted({(g.scope_level, g.scope_code) for g in user_grants(actor) if VIEW_PERM in g.permissions})
    )


def settlement_get(*, actor: Any, settlement_id: int) -> Settlement | None:
    return (
        settlement_list(actor=actor)
        .select_related("subdistrict__district__province", "organization", "project")
        .filter(pk=settlement_id)
        .first()
    )


def settlements_in_bbox(
    queryset: QuerySet[Settlement], bbox: BBox, *, gist: bool = True
) -> QuerySet[Settlement]:
    """Settlements whose bounding box meets ``bbox`` (west, south, east, north).

    ``gist``: on PostgreSQL, also state the overlap on the box expression that the GiST index
    holds, which steers the planner to that index (right for a box holding few settlements; for a
    box holding many, walking the primary key in ``id`` order finds a page sooner)."""
    west, south, east, north = bbox
    queryset = queryset.filter(min_lon__lte=east, max_lon__gte=west, min_lat__lte=north, max_lat__gte=south)
    if gist and connection.vendor == "postgresql":
        # The same overlap, answered by the GiST index on the box (migration 0002_settlement_bbox_gist).
        overlap = RawSQL(  # noqa: S611 (constant SQL; the four numbers are bound parameters)
            f"{BOX_SQL} && box(point(%s, %s), point(%s, %s))", (west, south, east, north), BooleanField()
        )
        queryset = queryset.filter(overlap)
    return queryset


def settlement_revisions(*, settlement: Settlement) -> QuerySet[SettlementRevision]:
    return settlement.revisions.select_related("changed_by").order_by("-version")


def settlement_audit(*, settlement: Settlement) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(object_type="gis.Settlement").filter(
        Q(object_id=str(settlement.pk)) | Q(object_id__startswith=f"{settlement.pk},")
    )


@lru_cache(maxsize=3)
def area_names(level: str) -> dict[str, tuple[str, str]]:
    rows = area_selectors.area_list(level=level).values_list("code", "name_th", "name_en")  # type: ignore[arg-type]
    return {code: (th, en or "") for code, th, en in rows}


def areas_in_scope(*, actor: Any | None, perm: str, level: str) -> set[str]:
    """Codes of the areas of ``level`` that lie in (or hold part of) the actor's scope for ``perm``.

    ``actor=None`` is the public: every area (public aggregates cover the whole country). A
    community leader's projects are those of their organizations, not of an area: none. An area
    here that has no row of a count is a true zero; an area not here is *no data*.
    """
    names = area_names(level)
    if actor is None:
        return set(names)
    prefixes: set[str] = set()
    for grant in user_grants(actor):
        if perm not in grant.permissions or grant.role == Role.COMMUNITY_LEADER:
            continue
        if grant.scope_level == ScopeLevel.COUNTRY:
            return set(names)
        if grant.scope_level == ScopeLevel.REGION:
            prefixes.update(area_selectors.region_province_codes(region_code=grant.scope_code))
        else:
            prefixes.add(grant.scope_code)
    if not prefixes:
        return set()
    return {code for code in names if any(code.startswith(p) or p.startswith(code) for p in prefixes)}


def with_zeros(
    values: dict[str, dict[str, Any]], codes: set[str], zero: dict[str, Any]
) -> dict[str, dict[str, Any]]:
    """``values`` with ``zero`` for every area of ``codes`` that has no row (a true zero, not no data)."""
    return {**{code: dict(zero) for code in codes if code not in values}, **values}


def settlements_by_area(*, actor: Any | None, level: str) -> dict[str, dict[str, Any]]:
    """Area code → settlements, households, population, and how many are at high risk of eviction.

    ``actor=None``: every settlement (the public aggregate)."""
    queryset = Settlement.objects.all() if actor is None else settlement_list(actor=actor)
    high = Q(eviction_risk__in=(EvictionRisk.HIGH, EvictionRisk.UNDER_EVICTION))
    rows = (
        queryset.order_by()
        .annotate(area=Substr("subdistrict_id", 1, CODE_LENGTH[level]))
        .values("area")
        .annotate(
            settlements=Count("id"),
            households=Sum("households"),
            population=Sum("population"),
            high_risk=Count("id", filter=high),
        )
    )
    return {
        r["area"]: {
            "settlements": r["settlements"],
            "households": r["households"] or 0,
            "population": r["population"] or 0,
            "high_risk": r["high_risk"],
        }
        for r in rows
    }


@dataclass(frozen=True)
class Nearby:
    project: dict[str, Any]
    km: float
    settlements: list[tuple[float, Settlement]]


def settlements_near_project(*, actor: Any, project_id: int, km: float) -> Nearby | None:
    """Settlements (their inner point) within ``km`` of a project's location; ``None`` when the
    project is not visible to the actor or has no location."""
    row = (
        project_feed.points(actor=actor, query=project_feed.ProjectQuery())
        .filter(pk=project_id)
        .values(*project_feed.POINT_FIELDS)
        .first()
    )
    if row is None:
        return None
    lon, lat = float(row["lead_organization__longitude"]), float(row["lead_organization__latitude"])
    candidates = {
        s.pk: s for s in settlements_in_bbox(settlement_list(actor=actor), degree_box(lon, lat, km))
    }
    found = within_km((lon, lat), [{"pk": s.pk, "lon": s.lon, "lat": s.lat} for s in candidates.values()], km)
    return Nearby(
        project=row | {"lon": lon, "lat": lat},
        km=km,
        settlements=[(distance, candidates[r["pk"]]) for distance, r in found],
    )


def area_summary(*, actor: Any, level: str, query: project_feed.ProjectQuery) -> list[dict[str, Any]]:
    """One row per area the user sees anything in: projects, budget, beneficiaries, settlements,
    organizations — each figure from its own scoped selector."""
    projects = project_feed.totals_by_area(actor=actor, level=level, query=query)
    settlements = settlements_by_area(actor=actor, level=level)
    organizations = community_selectors.organization_counts_by_area(actor=actor, level=level)
    names = area_names(level)
    codes = sorted(set(projects) | set(settlements) | set(organizations))
    rows = []
    for code in codes:
        p, s = projects.get(code, {}), settlements.get(code, {})
        rows.append(
            {
                "code": code,
                "name_th": names.get(code, ("", ""))[0],
                "name_en": names.get(code, ("", ""))[1],
                "projects": p.get("projects", 0),
                "approved": p.get("approved", 0.0),
                "households": p.get("households", 0),
                "organizations": int(organizations.get(code, 0)),
                "settlements": s.get("settlements", 0),
                "settlement_households": s.get("households", 0),
                "high_risk": s.get("high_risk", 0),
            }
        )
    return rows


def risk_counts(*, actor: Any) -> Counter[str]:
    return Counter(dict(settlement_list(actor=actor).values_list("eviction_risk").annotate(n=Count("id"))))
