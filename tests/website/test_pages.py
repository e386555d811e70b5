"""The public website: `/` for visitors, page types, Thai text, SEO files, cookies, slug clashes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.test import Client
from wagtail.models import Page

from codi.core.models import AuditEntry
from codi.core.thaidate import fiscal_year_be
from codi.website.models import ArticlePage, HomePage, OpenInfoIndexPage, SectionPage
from tests.permissions import Matrix, signed_in_client

pytestmark = pytest.mark.django_db


def _client() -> Client:
    return Client(HTTP_HOST="localhost")


def test_without_a_website_visitors_at_root_are_asked_to_sign_in():
    response = _client().get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_visitors_get_the_website_home_and_staff_keep_their_workspace(site):
    html = _client().get("/").content.decode()
    assert '<html lang="th">' in html and site.title in html
    assert "เว็บไซต์สาธิต" in html  # marked as demo
    assert 'href="/accounts/login/"' in html and "เข้าสู่ระบบเจ้าหน้าที่" in html
    css = Path(finders.find("website/site.css")).read_text()
    assert 'url("../codi/fonts/Sarabun-Regular.ttf")' in css and "http" not in css  # Sarabun from this server
    officer = Matrix().user("project_officer", "province", "40")
    staff = signed_in_client(officer)
    staff.defaults["HTTP_HOST"] = "localhost"
    workspace = staff.get("/")
    assert "web/home.html" in [t.name for t in workspace.templates]  # the workspace, as before
    assert "เว็บไซต์สาธิต" not in workspace.content.decode()  # not the website's page
    assert site.title in staff.get("/?site").content.decode()  # the public home on request


def test_every_demo_page_renders_in_thai_with_canonical_and_open_graph(site):
    pages = site.get_descendants(inclusive=True).live().specific()
    assert pages.count() >= 20
    client = _client()
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        html = response.content.decode()
        assert f'<link rel="canonical" href="{page.full_url}">' in html
        assert 'property="og:title"' in html
        assert "//fonts.googleapis" not in html and "cdn." not in html  # nothing from other sites
        for src in re.findall(r'(?:src|href)="(https?://[^"]+)"', html):
            assert src.startswith("http://localhost"), f"{page.url} loads {src}"


def test_news_dates_are_buddhist_era(site):
    article = ArticlePage.objects.live().first()
    html = _client().get(article.url).content.decode()
    assert str(article.date.year + 543) in html


def test_sitemap_robots_and_feeds_list_the_news(site):
    client = _client()
    article = ArticlePage.objects.live().first()
    sitemap = client.get("/sitemap.xml").content.decode()
    assert article.full_url in sitemap
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /cms/" in robots and "Sitemap: http://localhost/sitemap.xml" in robots
    rss = client.get("/feeds/news.rss")
    assert rss.status_code == 200 and article.title in rss.content.decode()
    atom = client.get("/feeds/news.atom").content.decode()
    assert "http://www.w3.org/2005/Atom" in atom and article.title in atom


def test_unknown_page_is_the_thai_404(site):
    response = _client().get("/no-such-page/")
    assert response.status_code == 404 and "ไม่พบหน้านี้" in response.content.decode()


def test_staff_paths_still_win_over_pages(site):
    assert _client().get("/accounts/login/").status_code == 200
    assert _client().get("/projects/").status_code == 302  # the staff page, asking for a sign-in


def test_a_page_cannot_take_a_staff_path_slug(site):
    with pytest.raises(ValidationError):
        site.add_child(instance=SectionPage(title="โครงการ", slug="projects"))
    deeper = SectionPage.objects.get(slug="news", locale__language_code="th")
    deeper.add_child(instance=SectionPage(title="โครงการในข่าว", slug="projects"))  # fine below a section


def test_no_cookie_before_consent_and_the_choice_is_remembered(site):
    client = _client()
    response = client.get("/")
    assert not response.cookies, f"cookies set before consent: {list(response.cookies)}"
    assert "cookie-banner" in response.content.decode()
    chosen = client.post("/website/cookies/", {"choice": "essential", "next": "/news/"})
    assert chosen.status_code == 302 and chosen["Location"] == "/news/"
    assert chosen.cookies["codi_cookie_consent"].value == "essential"
    assert "cookie-banner" not in client.get("/").content.decode()
    away = client.post("/website/cookies/", {"choice": "all", "next": "https://evil.example/"})
    assert away["Location"] == "/"


def test_open_information_lists_items_and_the_checklist_shows_the_missing(site):
    index = OpenInfoIndexPage.objects.get()
    year = fiscal_year_be(__import__("django.utils.timezone", fromlist=["x"]).localdate())
    html = _client().get(index.url).content.decode()
    assert "O1" in html and "ยังไม่เผยแพร่" in html
    checklist = _client().get(f"{index.url}checklist/{year}/").content.decode()
    assert "O5" in checklist and "O33" in checklist  # missing in the demo
    assert "<strong>O1</strong>" not in checklist  # published in the demo
    assert "เผยแพร่แล้ว 6 จาก 33 รายการ" in checklist
    assert _client().get(f"{index.url}checklist/99/").status_code == 302


def test_publishing_writes_the_audit_trail(site):
    before = AuditEntry.objects.filter(action="website.page_published").count()
    news = SectionPage.objects.get(slug="news", locale__language_code="th")
    page = news.add_child(instance=ArticlePage(title="ข่าวทดสอบการบันทึก", slug="audit-test", live=False))
    page.save_revision().publish()
    entries = AuditEntry.objects.filter(action="website.page_published")
    assert entries.count() == before + 1
    assert entries.order_by("-id").first().changes["title"] == "ข่าวทดสอบการบันทึก"


def test_loader_is_idempotent_and_builds_the_whole_demo(site):
    from codi.website.demo import load_website_demo

    again = load_website_demo()
    assert not again.created and again.home.pk == site.pk
    assert HomePage.objects.filter(locale__language_code="th").count() == 1
    kinds = {type(p).__name__ for p in site.get_descendants().specific()}
    assert {"SectionPage", "SubsiteHomePage", "ArticlePage", "EventPage", "AnnouncementPage", "FaqPage",
            "DocumentListPage", "DirectoryPage", "ContactPage", "OpenInfoIndexPage", "OpenInfoItemPage"} <= kinds  # fmt: skip
    # Wagtail's welcome page is gone; the only other top page is the home's English translation.
    assert not Page.objects.filter(depth=2).exclude(translation_key=site.translation_key).exists()
    assert all("สาธิต" in p.title for p in ArticlePage.objects.filter(locale__language_code="th"))
    assert all("(demo news)" in p.title for p in ArticlePage.objects.filter(locale__language_code="en"))


def test_scheduled_revision_goes_live_when_its_time_comes_and_is_audited(site):
    from datetime import timedelta

    from django.utils import timezone

    from codi.website.tasks import publish_scheduled_task

    news = SectionPage.objects.get(slug="news", locale__language_code="th")
    page = news.add_child(instance=ArticlePage(title="ข่าวตั้งเวลาเผยแพร่", slug="scheduled", live=False))
    page.go_live_at = timezone.now() + timedelta(hours=1)
    revision = page.save_revision()
    revision.publish()
    page.refresh_from_db()
    assert not page.live and _client().get("/news/scheduled/").status_code == 404
    assert not AuditEntry.objects.filter(action="website.page_published", object_id=str(page.pk)).exists()
    assert AuditEntry.objects.filter(action="website.page_scheduled", object_id=str(page.pk)).exists()
    # An hour passes: the revision's approved time and its own go-live time are now in the past.
    past = timezone.now() - timedelta(minutes=1)
    revision.refresh_from_db()
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])
    publish_scheduled_task.call()
    page.refresh_from_db()
    assert page.live and _client().get("/news/scheduled/").status_code == 200
    entry = AuditEntry.objects.filter(action="website.page_published", object_id=str(page.pk)).last()
    assert entry is not None and "go_live_at" in entry.changes
