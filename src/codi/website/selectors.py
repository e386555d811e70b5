"""Reads of the public website."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from wagtail.models import Locale, Page, Site

from codi.search import query as search
from codi.website.indexing import SOURCE
from codi.website.models import AnnouncementPage, ArticlePage, HomePage


def site_home(request: HttpRequest) -> HomePage | None:
    """The live website home page of the request's site, or ``None`` when no website is set up."""
    site = Site.find_for_request(request)
    if site is None:
        return None
    root = site.root_page.specific
    if isinstance(root, HomePage) and root.live:
        return root
    return None


def latest_news(*, limit: int = 20, under: Page | None = None) -> QuerySet[ArticlePage]:
    """Published news in the visitor's language (Thai unless English was chosen), newest first."""
    news = ArticlePage.objects.live().public().filter(locale=Locale.get_active())
    if under is not None:
        news = news.descendant_of(under)
    return news.order_by("-date", "-first_published_at")[:limit]


def announcements(*, kind: str, limit: int = 10) -> QuerySet[AnnouncementPage]:
    """Published announcements of one kind (procurement, jobs, results, general), newest first."""
    rows = AnnouncementPage.objects.live().public().filter(kind=kind)
    return rows.order_by("-date", "-first_published_at")[:limit]


PUBLIC = search.Access(grants=(search.AreaGrant(classifications=frozenset({"public"})),))


@dataclass(frozen=True)
class PageHit:
    page: Any
    snippet: tuple[tuple[str, bool], ...]


@dataclass(frozen=True)
class PageResults:
    hits: list[PageHit]
    total: int
    terms: list[str]


def search_pages(query: str, *, page: int = 1, per_page: int = 10) -> PageResults:
    """Live public pages matching ``query`` (every segmented term), best first, from the shared index."""
    found = search.search(
        query,
        access=PUBLIC,
        filters=search.Filters(sources=(SOURCE,), classifications=("public",)),
        method="lexical",
        limit=per_page,
        offset=(page - 1) * per_page,
    )
    ids = [int(h.object_id) for h in found.hits if h.object_id.isdigit()]
    pages = {p.pk: p for p in Page.objects.filter(pk__in=ids).live().public().specific()}
    hits = [
        PageHit(page=pages[int(h.object_id)], snippet=h.snippet)
        for h in found.hits
        if int(h.object_id) in pages
    ]
    return PageResults(hits=hits, total=found.total, terms=found.terms)
