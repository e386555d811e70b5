"""English pages where translated (Wagtail's own i18n), Thai for the rest, one language switch."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db


def _client(language: str = "") -> Client:
    client = Client(HTTP_HOST="localhost")
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_english_visitors_get_the_translated_pages_and_thai_where_there_is_none(site):
    home = _client("en").get("/").content.decode()
    assert '<html lang="en">' in home and "Community Organizations Development Institute" in home
    assert 'lang="th">ภาษาไทย</button>' in home  # the switch back
    article = _client("en").get("/news/news-demo-1/")
    assert article.status_code == 200 and "Baan Mankong housing along the canal" in article.content.decode()
    faq = _client("en").get("/faq/")  # not translated: the Thai page, not a 404
    assert faq.status_code == 200 and '<html lang="th">' in faq.content.decode()
    thai = _client().get("/news/news-demo-1/").content.decode()
    assert '<html lang="th">' in thai and "Baan Mankong housing" not in thai
    assert 'lang="en">English</button>' in thai


def test_the_language_switch_sets_the_choice_and_refuses_foreign_redirects(site):
    client = _client()
    response = client.post("/website/language/", {"language": "en", "next": "/news/"})
    assert response.status_code == 302 and response["Location"] == "/news/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "News" in client.get("/news/").content.decode()
    away = client.post("/website/language/", {"language": "en", "next": "https://evil.example/"})
    assert away["Location"] == "/"
    assert client.post("/website/language/", {"language": "xx"}).status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"  # unknown choice: unchanged


def test_the_page_frame_speaks_the_visitors_language(site):
    english = _client("en").get("/").content.decode()
    for text in ("Skip to content", "Staff sign-in", "Privacy notice", "Sitemap", "Essential cookies only"):
        assert text in english
    frame = english.split("<main", 1)[0] + english.split("</main>", 1)[1]
    for thai in ("เข้าสู่ระบบเจ้าหน้าที่", "ข้ามไปยังเนื้อหา", "แผนผังเว็บไซต์", "ใช้เฉพาะคุกกี้ที่จำเป็น"):
        assert thai not in frame
    assert '<meta property="og:locale" content="en_US">' in english
    thai = _client().get("/").content.decode()
    assert "เข้าสู่ระบบเจ้าหน้าที่" in thai and "Staff sign-in" not in thai
    assert '<meta property="og:locale" content="th_TH">' in thai
