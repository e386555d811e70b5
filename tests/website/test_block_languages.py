"""Every live block's own labels and the contact form speak the page's language; B.E. dates on Thai pages.

The English home of the demo carries every live block, its contact page is translated; the feedback
form block is placed on an English copy of a section here. "Labels" are what the templates write
themselves (column headings, terms, notes, buttons, form labels, help and errors), not the editors'
headings or the platform's data, which stay in the language they were written in.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.test import Client
from wagtail.models import Locale

from codi.projects import reporting
from codi.website import selectors
from codi.website.models import ArticlePage, SectionPage

pytestmark = pytest.mark.django_db

THAI = re.compile(r"[\u0E00-\u0E7F]")
LIVE_BLOCKS = ("pms", "datasets", "knowledge", "procurement", "map", "jobs", "procurement-results")
# What a block template or the form writes itself, never editor content or the platform's data.
LABELS = "th, dt, figcaption, .map-legend li, p.source, p.unavailable, li:not(:has(a, h3)), td[colspan], label, button, p.help, p.error, .errors p, p.form-note"


def _get(path: str, language: str = "") -> BeautifulSoup:
    client = Client(HTTP_HOST="localhost")
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(path)
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def _labels(node) -> list[str]:
    return [" ".join(el.get_text(" ").split()) for el in node.select(LABELS) if el.get_text(strip=True)]


def _sections(page: BeautifulSoup) -> dict[str, object]:
    return {css: page.select_one(f"main section.live.{css.replace(' ', '.')}") for css in LIVE_BLOCKS}


def test_the_english_home_shows_every_live_block_with_english_labels(site):
    english = _sections(_get("/", "en"))
    thai = _sections(_get("/"))
    for css in LIVE_BLOCKS:
        assert english[css] is not None and thai[css] is not None, css
        labels = _labels(english[css])
        assert not [text for text in labels if THAI.search(text)], (css, labels)
        if css != "jobs":  # the jobs block writes nothing of its own while it lists openings
            assert labels, css
            assert any(THAI.search(text) for text in _labels(thai[css])), css  # the Thai home is Thai
    assert "Approved budget (baht)" in _labels(english["pms"])
    assert "Estimated amount (baht)" in _labels(english["procurement"])


def test_the_data_unavailable_note_is_in_the_pages_language(site, monkeypatch):
    def down(*args, **kwargs):
        raise RuntimeError("source down")

    monkeypatch.setattr(reporting, "dashboard", down)
    monkeypatch.setattr(selectors, "announcements", down)
    for language, expect_thai in (("en", False), ("", True)):
        sections = _sections(_get("/", language))
        for css in ("pms", "map", "jobs"):
            note = sections[css].select_one("p.unavailable").get_text()
            assert bool(THAI.search(note)) is expect_thai, (language, css, note)


def _english_copy_with_the_feedback_block(site) -> str:
    events = SectionPage.objects.get(slug="events", locale=site.locale)
    english = events.copy_for_translation(Locale.objects.get(language_code="en"))
    english.title = "Events"
    english.body = [{"type": "feedback_form", "value": {"heading": "Ask about an event", "intro": ""}}]
    english.save_revision().publish()
    return english.url


def test_the_contact_form_speaks_english_on_english_pages_and_thai_on_thai_ones(site):
    block_url = _english_copy_with_the_feedback_block(site)
    for path in ("/contact/", block_url):
        form = _get(path, "en").select_one("main form.contact")
        labels = _labels(form)
        assert "What is your message about?" in labels and any(t.startswith("Send") for t in labels)
        assert not [text for text in labels if THAI.search(text)], (path, labels)
        options = [o.get_text() for o in form.select("select[name=kind] option")]
        assert options == ["A complaint", "A question", "A suggestion"]
        thai = _labels(_get(path).select_one("main form.contact"))
        assert sum(1 for text in thai if THAI.search(text)) >= 6, (path, thai)


def test_the_forms_errors_are_in_the_visitors_language(site):
    for language, expect_thai in (("en", False), ("th", True)):
        client = Client(HTTP_HOST="localhost")
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.post(
            "/contact/", {"kind": "other", "message": "short", "email": "x@", "consent": ""}
        )
        assert response.status_code == 400
        form = BeautifulSoup(response.content.decode(), "html.parser").select_one("main form.contact")
        errors = [e.get_text() for e in form.select("p.error")]
        assert len(errors) == 4, errors  # kind, message, email, consent: each beside its field
        assert all(bool(THAI.search(e)) is expect_thai for e in errors), (language, errors)
        assert form.select_one("textarea[name=message]").get_text().strip() == "short"  # input kept


def test_dates_are_buddhist_era_on_thai_pages_and_gregorian_on_english_ones(site):
    article = ArticlePage.objects.get(slug="news-demo-1", locale=site.locale)
    be, ce = str(article.date.year + 543), str(article.date.year)
    english = _get("/news/news-demo-1/", "en").select_one("main p.date").get_text()
    assert ce in english and be not in english and not THAI.search(english)
    # An English visitor on a page with no English copy gets the Thai page: its dates stay B.E.
    be = str(ArticlePage.objects.get(slug="news-demo-5", locale=site.locale).date.year + 543)
    for language in ("", "en"):
        thai = _get("/news/news-demo-5/", language).select_one("main p.date").get_text()
        assert be in thai and THAI.search(thai), (language, thai)
