"""Site search through the shared search service (Thai segmented, live public pages only) and the directory."""

from __future__ import annotations

import pytest
from django.test import Client

from codi.website.models import ArticlePage, DirectoryPage, SectionPage, SubsiteHomePage

pytestmark = pytest.mark.django_db


def _client() -> Client:
    return Client(HTTP_HOST="localhost")


def test_search_finds_a_thai_page_by_a_word_inside_a_run_of_thai(site):
    # "ความก้าวหน้า" stands glued between other words of the summary: only segmentation finds it.
    response = _client().get("/search/", {"q": "ความก้าวหน้า"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "ลงพื้นที่ติดตามโครงการบ้านมั่นคงชุมชนริมคลอง" in html
    assert "<mark>" in html  # the matched word is marked in the snippet
    nothing = _client().get("/search/", {"q": "ไม่มีคำนี้ในเว็บไซต์แน่นอนxyz"})
    assert nothing.status_code == 200 and "ลงพื้นที่ติดตาม" not in nothing.content.decode()


def test_unpublished_and_draft_pages_are_not_found(site, django_capture_on_commit_callbacks):
    news = SectionPage.objects.get(slug="news", locale__language_code="th")
    draft = ArticlePage(title="ร่างข่าวศูนย์เรียนรู้ชุมชนป่าชายเลน", slug="draft-mangrove")
    news.add_child(instance=draft)
    draft.save_revision()  # a draft: never published
    published = ArticlePage(title="ข่าวศูนย์เรียนรู้ชุมชนป่าชายเลนเปิดแล้ว", slug="mangrove-open")
    news.add_child(instance=published)
    with django_capture_on_commit_callbacks(execute=True):
        published.save_revision().publish()
    html = _client().get("/search/", {"q": "ป่าชายเลน"}).content.decode()
    assert "ข่าวศูนย์เรียนรู้ชุมชนป่าชายเลนเปิดแล้ว" in html and "ร่างข่าว" not in html
    with django_capture_on_commit_callbacks(execute=True):
        published.unpublish()
    assert "ป่าชายเลนเปิดแล้ว" not in _client().get("/search/", {"q": "ป่าชายเลน"}).content.decode()


def test_search_input_is_bounded_and_escaped(site):
    long = _client().get("/search/", {"q": "ก" * 500})
    assert long.status_code == 200  # too long: the form says so, no search runs
    script = _client().get("/search/", {"q": "<script>alert(1)</script>"})
    assert script.status_code == 200 and "<script>alert(1)" not in script.content.decode()


def test_the_directory_lists_every_regional_office_with_a_link_to_its_site(site):
    directory = DirectoryPage.objects.get(slug="directory")
    html = _client().get(directory.url).content.decode()
    for office in SubsiteHomePage.objects.all():
        assert office.title in html and f'href="{office.url}"' in html
    assert 'href="tel:023788300"' in html
