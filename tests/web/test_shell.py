"""The shell every page shares: menu by role, Thai by default, error pages, formats by type."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client, override_settings
from django.urls import path
from django.utils import translation

from codi.web.context import MAX_TOP_ENTRIES, nav_tree
from codi.web.templatetags import codi_format as f
from tests.crawl.crawler import page_findings
from tests.permissions import Matrix, signed_in_client

# --- formats ---------------------------------------------------------------------------------------


def test_counts_have_no_decimals_and_baht_two():
    assert f.count(Decimal("303.00")) == "303"
    assert f.count(1234567) == "1,234,567"
    assert f.baht2(Decimal("1234.5")) == "1,234.50"
    assert f.count(None) == "-"


def test_compact_baht_keeps_the_exact_figure_on_hover():
    with translation.override("th"):
        html = f.compact_baht(Decimal("3390917000"))
        assert html == '<abbr class="exact" title="3,390,917,000.00 บาท">3.39 พันล้านบาท</abbr>'
        assert "950,000 บาท<" in f.compact_baht(950000)
    with translation.override("en"):
        assert ">3.39 billion baht<" in f.compact_baht(Decimal("3390917000"))


def test_durations_and_months_in_thai_words():
    with translation.override("th"):
        assert f.duration(timedelta(days=29)) == "4 สัปดาห์ 1 วัน"
        assert f.time_since(date(2026, 11, 1), date(2026, 11, 10)) == "1 สัปดาห์ 2 วัน"
        assert f.be_month("2026-08") == "ส.ค. 2569"
        assert f.be_month(date(2026, 1, 5)) == "ม.ค. 2569"
        assert f.step_outcome("pass") == "ผ่าน ส่งคณะกรรมการ"
        assert f.step_outcome("paid #2") == "จ่ายแล้ว (งวดที่ 2)"
    with translation.override("en"):
        assert f.duration(timedelta(days=29)) == "4 weeks 1 day"
        assert f.be_month("2026-08") == "Aug 2026"


# --- the crawler's checks fail on what they are meant to catch ----------------------------------


@pytest.mark.parametrize(
    ("html", "kind"),
    [
        ("<p>4 weeks, 1 day</p>", "english"),
        ("<td>submitted</td>", "english"),
        ("<td>housing_units</td>", "code"),
        ("<td>2026-11-20 01:38</td>", "timestamp"),
        ("<td>2026-08</td>", "timestamp"),
        ("<li>project_officer</li>", "code"),
        ("<dd>pt_kk_officer</dd>", "code"),
        ("<dd>demo_officer</dd>", "code"),
    ],
)
def test_crawler_flags_english_and_raw_codes(html: str, kind: str):
    found = page_findings("/x/", html, usernames={"demo_officer"}, allowed=set())
    assert kind in {finding.kind for finding in found}


def test_crawler_accepts_thai_names_codes_and_marked_english():
    html = (
        '<p>โครงการ DEMO-00001 · CODI · PDF</p><p lang="en">Tha Phra</p><code>land_tenure</code>'
        "<td>7 ธ.ค. 2569</td>"
    )
    assert page_findings("/x/", html, usernames={"demo_officer"}, allowed={"codi", "pdf"}) == []


# --- menu, scope words, language --------------------------------------------------------------------

pytestmark_db = pytest.mark.django_db


@pytestmark_db
@pytest.mark.parametrize(
    ("role", "level", "code"),
    [
        ("system_admin", "country", ""),
        ("executive", "country", ""),
        ("project_officer", "province", "40"),
        ("community_leader", "subdistrict", "400104"),
        ("data_protection_officer", "country", ""),
    ],
)
def test_menu_has_at_most_seven_entries(role: str, level: str, code: str):
    user = Matrix().user(role, level, code)
    assert len(nav_tree(user)) <= MAX_TOP_ENTRIES


@pytestmark_db
def test_leader_menu_has_portal_not_staff_lists_or_api():
    leader = Matrix().user("community_leader", "subdistrict", "400104")
    html = signed_in_client(leader).get("/").content.decode()
    assert 'href="/projects/portal/"' in html
    assert 'href="/projects/"' not in html and 'href="/api/docs"' not in html
    assert "ผู้นำชุมชน · ตำบล" in html and "ท่าพระ, เมืองขอนแก่น, ขอนแก่น" in html


@pytestmark_db
def test_thai_stays_default_whatever_the_browser_says():
    officer = Matrix().user("project_officer", "province", "40")
    client = signed_in_client(officer, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="th">' in client.get("/").content.decode()
    client.cookies["django_language"] = "en"
    assert '<html lang="en">' in client.get("/").content.decode()


# --- error pages -------------------------------------------------------------------------------------


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", _boom)]
handler500 = "codi.web.errors.server_error"


@pytestmark_db
def test_not_found_page_is_styled_with_request_id_and_way_back():
    client = signed_in_client(Matrix().user("project_officer", "province", "40"))
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="req-404-abc")
    html = response.content.decode()
    assert response.status_code == 404
    assert "ไม่พบหน้านี้" in html and "req-404-abc" in html and 'href="/"' in html


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_server_error_page_has_request_id_and_way_back():
    client = Client(raise_request_exception=False)
    response = client.get(
        "/boom/", HTTP_X_REQUEST_ID="req-500-abc", HTTP_REFERER="http://testserver/projects/"
    )
    html = response.content.decode()
    assert response.status_code == 500
    assert "ระบบขัดข้องชั่วคราว" in html and "req-500-abc" in html
    assert 'href="/"' in html and 'href="http://testserver/projects/"' in html
    assert "<script" not in html and "onclick" not in html
