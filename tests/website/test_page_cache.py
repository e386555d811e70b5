"""Anonymous pages come from the cache; publishing or unpublishing a page invalidates the pages showing it."""

from __future__ import annotations

import pytest
from django.test import Client

from codi.website.models import ArticlePage, SectionPage
from codi.website.pagecache import HIT_HEADER
from tests.permissions import Matrix, signed_in_client

pytestmark = pytest.mark.django_db

TITLE = "ข่าวทดสอบแคช: ชุมชนริมน้ำจัดตลาดนัด"


def _client() -> Client:
    return Client(HTTP_HOST="localhost")


def test_publishing_and_unpublishing_invalidate_the_cached_pages(site):
    visitor = _client()
    assert visitor.get("/news/")[HIT_HEADER] == "miss"
    assert visitor.get("/news/")[HIT_HEADER] == "hit"
    assert visitor.get("/")[HIT_HEADER] == "miss"
    assert visitor.get("/")[HIT_HEADER] == "hit"

    news = SectionPage.objects.get(slug="news", locale__language_code="th")
    article = ArticlePage(title=TITLE, slug="cache-test", summary="ตลาดนัดชุมชนทุกวันเสาร์")
    news.add_child(instance=article)
    article.save_revision()  # a draft changes nothing public; the listing may stay cached
    article.get_latest_revision().publish()
    listing = visitor.get("/news/")
    assert listing[HIT_HEADER] == "miss" and TITLE in listing.content.decode()
    assert visitor.get("/feeds/news.rss").content.decode().count(TITLE) == 1

    article.refresh_from_db()
    article.unpublish()
    listing = visitor.get("/news/")
    assert listing[HIT_HEADER] == "miss" and TITLE not in listing.content.decode()
    assert visitor.get(article.url or "/news/cache-test/").status_code == 404


def test_signed_in_people_query_strings_and_the_contact_form_are_never_cached(site):
    visitor = _client()
    for _ in range(2):
        contact = visitor.get("/contact/")
        assert contact.status_code == 200 and HIT_HEADER not in contact
        assert HIT_HEADER not in visitor.get("/news/?page=2")
    editor = signed_in_client(Matrix().user("knowledge_officer", "country"))
    editor.defaults["HTTP_HOST"] = "localhost"
    for _ in range(2):
        assert HIT_HEADER not in editor.get("/?site")
        assert HIT_HEADER not in editor.get("/news/")


def test_the_cookie_choice_and_language_get_their_own_copies(site):
    visitor = _client()
    visitor.get("/news/")
    visitor.cookies["codi_cookie_consent"] = "essential"
    chose = visitor.get("/news/")
    assert chose[HIT_HEADER] == "miss" and "cookie-banner" not in chose.content.decode()
