"""The website's own views: `/` for visitors, robots.txt, the cookie choice, news feeds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from wagtail.views import serve

from codi.website import contact, selectors
from codi.website.cookies import CONSENT_COOKIE, CONSENT_MAX_AGE
from codi.website.models import ArticlePage

View = Callable[[HttpRequest], HttpResponse]


class SiteSearchForm(forms.Form):
    q = forms.CharField(label=_("Search the website"), max_length=200, strip=True)


def public_home_or(staff_home: View) -> View:
    """`/`: signed-in people keep their workspace; visitors get the website's home page.

    While no website home page is published (a fresh install before ``load_website_demo``),
    visitors get the staff home as before, which asks them to sign in. ``?site`` shows the public
    home to a signed-in person too.
    """

    def root(request: HttpRequest) -> HttpResponse:
        wants_site = "site" in request.GET
        if (not request.user.is_authenticated or wants_site) and selectors.site_home(request) is not None:
            return serve(request, "")
        return staff_home(request)

    root.__name__ = "root"
    return root


def robots(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /cms/",
        "Disallow: /accounts/",
        "Disallow: /api/",
        "Disallow: /manage/",
        f"Sitemap: {request.build_absolute_uri(reverse('website:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next", "/")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@csrf_exempt  # sets only the visitor's own preference cookie; no state on the server
@require_POST
def cookie_consent(request: HttpRequest) -> HttpResponse:
    choice = request.POST.get("choice", "")
    response = HttpResponseRedirect(_safe_next(request))
    if choice in {"all", "essential"}:
        response.set_cookie(CONSENT_COOKIE, choice, max_age=CONSENT_MAX_AGE, samesite="Lax", httponly=True)
    return response


@csrf_exempt  # sets only the visitor's own language cookie; no state on the server
@require_POST
def choose_language(request: HttpRequest) -> HttpResponse:
    """The website's language switch: English pages where translated, Thai for the rest."""
    choice = request.POST.get("language", "")
    response = HttpResponseRedirect(_safe_next(request))
    if choice in {code for code, _ in settings.LANGUAGES}:
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, choice, max_age=365 * 24 * 3600, samesite="Lax")
    return response


class NewsFeed(Feed):
    title = "ข่าวสาร พอช."
    description = "ข่าวและบทความล่าสุดจากสถาบันพัฒนาองค์กรชุมชน"

    def link(self) -> str:
        return "/"

    def items(self) -> list[ArticlePage]:
        return list(selectors.latest_news(limit=30))

    def item_title(self, item: ArticlePage) -> str:
        return item.title

    def item_description(self, item: ArticlePage) -> str:
        return item.summary

    def item_link(self, item: ArticlePage) -> str:
        return item.url or "/"

    def item_pubdate(self, item: ArticlePage) -> datetime | None:
        return item.first_published_at


class NewsAtomFeed(NewsFeed):
    feed_type = Atom1Feed
    subtitle = NewsFeed.description


SEARCH_PAGE_SIZE = 10


def site_search(request: HttpRequest) -> HttpResponse:
    """`/search/?q=`: the website's pages through the shared search service (Thai segmented, public only)."""
    form = SiteSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    try:
        number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        number = 1
    result = selectors.search_pages(query, page=number, per_page=SEARCH_PAGE_SIZE) if query else None
    pages = 0
    if result is not None:
        pages = max(1, -(-result.total // SEARCH_PAGE_SIZE))
    context = {
        "form": form,
        "query": query,
        "result": result,
        "number": number,
        "pages": pages,
        "previous": number - 1 if number > 1 else None,
        "next": number + 1 if result is not None and number < pages else None,
    }
    return TemplateResponse(request, "website/search.html", context)


def feedback_form(request: HttpRequest) -> HttpResponse:
    """`/website/feedback/`: where the feedback block's form posts (the contact page's protections).

    Sent: a thank-you with the tracking link and a way back to the page the block was on. Not sent:
    the form again with each error beside its field and the visitor's input kept.
    """
    outcome = contact.handle(request)
    back = _safe_next(request) if request.method == "POST" else "/"
    context = {"form": outcome.form, "sent": outcome.sent, "tracking": outcome.tracking, "back": back}
    return TemplateResponse(request, "website/feedback_form.html", context, status=outcome.status)
