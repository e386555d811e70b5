"""Reads of the public website."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from wagtail.models import Page, Site

from codi.website.models import ArticlePage, HomePage


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
    news = ArticlePage.objects.live().public()
    if under is not None:
        news = news.descendant_of(under)
    return news.order_by("-date", "-first_published_at")[:limit]
