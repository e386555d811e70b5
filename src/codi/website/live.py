"""Live figures for the public website, read from other apps through their selectors only.

Each reader returns plain values (no model instances leave this module) and is cached for a few
minutes; a block that calls one shows a Thai "data unavailable" note when the source fails.

Invalidation: every cached value's key carries its source's *version*, a counter in the shared cache
(``website:live:v:<source>``). ``signals`` bumps it when a row of the source app is saved or deleted
(the receiver knows the app by its label only: no model of another app is imported here), so the
next render reads the new data at once; the 5 minutes are only a safety net. ``generation()`` is the
sum of all versions: the page cache (``pagecache``) keys whole pages on it too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar, cast

from django.core.cache import cache

from codi.identity.roles import Perm, Role, ScopeLevel
from codi.identity.selectors import Grant
from codi.knowledge import selectors as knowledge
from codi.opendata import selectors as opendata
from codi.procurement import selectors as procurement
from codi.projects import reporting
from codi.website import regionmap

log = logging.getLogger(__name__)
CACHE_SECONDS = 300
T = TypeVar("T")


@dataclass
class PublicReader:
    """The anonymous public as a reader: country-wide read of the public aggregates only.

    It is never saved and never signs in; it carries one grant with the view permissions the
    public figures need, so the figures come from the same code as the staff dashboard.
    """

    is_authenticated: bool = True
    is_active: bool = True
    pk: None = None
    id: None = None
    _codi_grants: list[Grant] = field(
        default_factory=lambda: [
            Grant(
                Role.EXECUTIVE,
                ScopeLevel.COUNTRY,
                "",
                frozenset({Perm.PROJECTS_VIEW, Perm.KNOWLEDGE_VIEW, Perm.KNOWLEDGE_SHARE}),
            )
        ]
    )


class SourceUnavailableError(Exception):
    """A live source failed; the block shows the Thai note instead."""


# The apps whose rows feed a live block, by app label, and the source each one versions.
SOURCES: dict[str, str] = {
    "projects": "pms",
    "opendata": "datasets",
    "knowledge": "knowledge",
    "procurement": "procurement",
}
GENERATION_KEY = "website:live:generation"


def _version_key(source: str) -> str:
    return f"website:live:v:{source}"


def _incr(key: str) -> None:
    cache.add(key, 0, None)
    try:
        cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, None)


def bump(source: str) -> None:
    """The source's data changed: its cached values (and every cached page) are stale from now."""
    _incr(_version_key(source))
    _incr(GENERATION_KEY)


def version(source: str) -> int:
    return int(cache.get(_version_key(source)) or 0)


def generation() -> int:
    """Changes whenever any live source changes (one cache read)."""
    return int(cache.get(GENERATION_KEY) or 0)


def _cached(key: str, read: Callable[[], T], *, source: str) -> T:
    key = f"{key}:v{version(source)}"
    hit = cache.get(key)
    if hit is not None:
        return cast(T, hit)
    try:
        value = read()
    except Exception as exc:  # any failure of another app's data: the page still renders
        log.warning("website live source %s failed: %s", key, exc)
        raise SourceUnavailableError(key) from exc
    cache.set(key, value, CACHE_SECONDS)
    return value


def pms_figures(*, region: str = "", fiscal_year: int | None = None) -> dict[str, Any]:
    """Projects, approved and disbursed budget: the PMS dashboard's totals for the same filter."""

    def read() -> dict[str, Any]:
        reader: Any = PublicReader()  # duck-typed user: grants only, never saved
        board = reporting.dashboard(actor=reader, region=region, fiscal_year=fiscal_year)
        regions = [
            {"code": r.key, "name": r.label, "projects": r.figures.projects, "approved": r.figures.approved}
            for r in board.by_region
        ]
        return {
            "projects": board.total.projects,
            "approved": board.total.approved,
            "disbursed": board.total.disbursed,
            "regions": regions,
        }

    return _cached(f"website:pms:{region}:{fiscal_year or ''}", read, source="pms")


def dataset_cards(*, limit: int = 3) -> list[dict[str, str]]:
    def read() -> list[dict[str, str]]:
        rows = opendata.published_datasets().order_by("-id")[:limit]
        return [{"name": d.name, "title": d.title_th, "description": d.description[:200]} for d in rows]

    return _cached(f"website:datasets:{limit}", read, source="datasets")


def knowledge_articles(*, limit: int = 3) -> list[dict[str, Any]]:
    def read() -> list[dict[str, Any]]:
        articles: Any = knowledge.article_list(actor=PublicReader())  # no query: a QuerySet
        rows = articles.filter(status="published").order_by("-id")[:limit]
        return [{"id": a.pk, "title": a.title, "summary": a.summary[:200]} for a in rows]

    return _cached(f"website:knowledge:{limit}", read, source="knowledge")


def procurement_plan(*, year_be: int, limit: int = 5) -> list[dict[str, Any]]:
    def read() -> list[dict[str, Any]]:
        rows = procurement.published_plan(year_be=year_be).order_by("quarter", "id")[:limit]
        return [{"title": p.title, "amount": Decimal(p.estimated_amount), "quarter": p.quarter} for p in rows]

    return _cached(f"website:procurement:{year_be}:{limit}", read, source="procurement")


def procurement_awards(*, year_be: int, limit: int = 5) -> list[dict[str, Any]]:
    """The year's announced procurement results (what, how, from whom, how much, when)."""

    def read() -> list[dict[str, Any]]:
        return procurement.published_awards(year_be=year_be, limit=limit)

    return _cached(f"website:awards:{year_be}:{limit}", read, source="procurement")


def projects_map(*, fiscal_year: int | None = None) -> dict[str, Any]:
    """Projects per region on the provinces' outlines: the same per-region counts as the PMS dashboard."""

    def read() -> dict[str, Any]:
        figures = pms_figures(fiscal_year=fiscal_year)
        values = {r["code"]: float(r["projects"]) for r in figures["regions"]}
        drawn = regionmap.region_map(values)
        legend = [{"cls": i, "upto": bound} for i, bound in enumerate(drawn["breaks"], start=1)]
        return {**drawn, "regions": figures["regions"], "legend": legend}

    return _cached(f"website:map:{fiscal_year or ''}", read, source="pms")
