"""Whole-page cache of the public website for anonymous visitors, invalidated by every publishing event.

What is cached: a GET without a query string, from a visitor with no session cookie, answered 200 by
a Wagtail page that marked itself cacheable (``wagtail_hooks.mark_cacheable``: every page type but the
contact form, whose CSRF token is the visitor's own) and that sets no cookie. The key carries the
host, the path, the language cookie and the cookie-consent choice (the banner differs).

Invalidation: the key also carries the *generation*, the id of the newest entry of Wagtail's page log
(``wagtailcore_pagelogentry``). Publishing, unpublishing, scheduling, moving, deleting or reverting a
page writes such an entry in the same transaction, so the next request after any of them misses the
cache. The generation itself is kept in the cache for ``GENERATION_SECONDS`` (a hit costs no query)
and dropped when an entry is written: with the shared cache (Redis) every process sees a publish at
once; with the per-process cache of ``make run``, the other processes within 5 seconds.
That invalidates the pages that show the changed page (its own, its section's listing, the menu on
every page, the feeds, the jobs block) and a few that do not: publishing is rare next to reading.
Live blocks read other apps' data: the key carries ``live.generation()`` as well, a counter bumped
whenever a row of an app that feeds a live block is saved or deleted (``signals._source_changed``),
so a page showing a live figure is rebuilt on the next request after the figure changes.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from wagtail.models import PageLogEntry

from codi.website import live
from codi.website.cookies import CONSENT_COOKIE

CACHE_SECONDS = 120
MARK = "_website_cacheable"
HIT_HEADER = "X-Website-Cache"
# First path segments that are never website pages: no cache look-up (and no query) for them.
NOT_PAGES = frozenset(
    [
        "api",
        "cms",
        "accounts",
        "static",
        "media",
        "manage",
        "healthz",
        "metrics",
        "o",
        "i18n",
        "website",
        "feeds",
    ]
)


def mark_cacheable(request: HttpRequest) -> None:
    setattr(request, MARK, True)


def not_cacheable(request: HttpRequest) -> None:
    """Something on the page is the visitor's own (a form's CSRF token): never store it."""
    setattr(request, MARK, False)


GENERATION_KEY = "website:page:generation"
# How long a process may trust the shared copy of the generation without asking the database.
# A new page-log entry deletes the copy at once (``forget_generation``, from ``signals``); the
# expiry only bounds a race (a reader that read the old id just before the commit stored it back)
# and, with the per-process cache, how late the other processes see a publish.
GENERATION_SECONDS = 5


def generation() -> int:
    """The newest page-log entry's id: it changes with every publishing event.

    Read from the cache (no query on a cache hit); the database answers when the copy is missing.
    """
    gen = cache.get(GENERATION_KEY)
    if gen is None:
        gen = PageLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
        cache.add(GENERATION_KEY, gen, GENERATION_SECONDS)
    return int(gen)


def forget_generation() -> None:
    """A page-log entry was written: the next request reads the generation from the database."""
    cache.delete(GENERATION_KEY)


def _eligible(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and request.path.split("/", 2)[1] not in NOT_PAGES
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def cache_key(request: HttpRequest, gen: int) -> str:
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")[:8]
    consent = request.COOKIES.get(CONSENT_COOKIE, "")[:12]
    return f"website:page:{gen}.{live.generation()}:{request.get_host()}:{language}:{consent}:{request.path}"


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _eligible(request):
            return self.get_response(request)
        key = cache_key(request, generation())
        hit = cache.get(key)
        if hit is not None:
            content_type, body = hit
            response = HttpResponse(body, content_type=content_type)
            response[HIT_HEADER] = "hit"
            return response
        response = self.get_response(request)
        if self._storable(request, response):
            cache.set(key, (response["Content-Type"], response.content), CACHE_SECONDS)
            response[HIT_HEADER] = "miss"
        return response

    @staticmethod
    def _storable(request: HttpRequest, response: HttpResponse) -> bool:
        user = getattr(request, "user", None)
        return bool(
            getattr(request, MARK, False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not (user is not None and user.is_authenticated)
        )
