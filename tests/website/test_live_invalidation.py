"""Live blocks follow their source data at once: a save in the source app bumps its version, so the next
render (and the anonymous page cache) shows the new figure without waiting for the 5-minute expiry.
The procurement results block and the feedback form block."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from codi.core.thaidate import baht, fiscal_year_be
from codi.feedback.models import Ticket
from codi.procurement import services as procurement
from codi.projects.generator import projects_demo_load
from codi.projects.models import Project
from codi.website import live
from codi.website.models import SectionPage
from tests.factories import UserFactory
from tests.procurement.conftest import approved, budget, people, unit  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def _figure(html: str, name: str) -> str:
    return html.split(f'<dd data-figure="{name}">', 1)[1].split("</dd>", 1)[0]


def test_a_changed_project_shows_on_the_next_render_and_the_page_cache_follows(site):
    UserFactory(username="demo_finance")
    projects_demo_load(count=20, today=date(2026, 11, 29))
    client = Client(HTTP_HOST="localhost")
    first = client.get("/")
    assert client.get("/")["X-Website-Cache"] == "hit"
    before = live.pms_figures()["approved"]
    assert _figure(first.content.decode(), "approved") == baht(before)

    project = Project.objects.exclude(approved_amount=None).first()
    project.requested_amount += Decimal("1000.00")
    project.approved_amount += Decimal("1000.00")
    project.save()

    second = client.get("/")
    assert second["X-Website-Cache"] == "miss"  # the page cache's key moved with the source's version
    assert _figure(second.content.decode(), "approved") == baht(before + Decimal("1000.00"))


def test_a_save_elsewhere_does_not_touch_the_live_versions(site):
    versions = {source: live.version(source) for source in set(live.SOURCES.values())}
    UserFactory()  # identity is not a live source
    assert {source: live.version(source) for source in versions} == versions


def test_a_bulk_plan_publication_bumps_the_procurement_version(site, people, budget):  # noqa: F811
    """``plan_publish`` is one ``update()`` (no ``post_save``); its audit entry still bumps the source."""
    procurement.plan_line_create(
        actor=people["officer"], budget_line=budget, title="จัดซื้อคอมพิวเตอร์", category="goods",
        estimated_amount="250000", quarter=2,
    )  # fmt: skip
    before = {source: live.version(source) for source in set(live.SOURCES.values())}
    assert procurement.plan_publish(actor=people["officer"], year_be=budget.fiscal_year.year_be) == 1
    after = {source: live.version(source) for source in before}
    assert after["procurement"] != before["procurement"]
    assert {k: v for k, v in after.items() if k != "procurement"} == {
        k: v for k, v in before.items() if k != "procurement"
    }


@pytest.fixture
def award(people, approved):  # noqa: F811 (pytest fixtures)
    quote = procurement.quotation_add(
        actor=people["officer"], requisition=approved, vendor_name="บริษัท สาธิตก่อสร้าง จำกัด",
        vendor_tax_id="0105555000001", amount="120000",
    )  # fmt: skip
    today = timezone.localdate()
    return procurement.contract_award(
        actor=people["officer"], quotation=quote, signed_on=today, delivery_due=today + timedelta(days=30),
        penalty_rate_percent="0.1",
    )  # fmt: skip


def test_procurement_results_block_shows_an_award_as_soon_as_it_is_signed(site, people, approved):  # noqa: F811
    client = Client(HTTP_HOST="localhost")
    before = client.get("/").content.decode()
    section = before.split('<section class="live procurement-results">', 1)[1].split("</section>", 1)[0]
    assert "บริษัท สาธิตก่อสร้าง จำกัด" not in section
    year = fiscal_year_be(timezone.localdate())
    assert approved.fiscal_year_be == year

    quote = procurement.quotation_add(
        actor=people["officer"], requisition=approved, vendor_name="บริษัท สาธิตก่อสร้าง จำกัด",
        vendor_tax_id="0105555000001", amount="120000",
    )  # fmt: skip
    today = timezone.localdate()
    procurement.contract_award(
        actor=people["officer"], quotation=quote, signed_on=today, delivery_due=today + timedelta(days=30),
        penalty_rate_percent="0.1",
    )  # fmt: skip

    after = client.get("/").content.decode()
    section = after.split('<section class="live procurement-results">', 1)[1].split("</section>", 1)[0]
    assert "บริษัท สาธิตก่อสร้าง จำกัด" in section and "120,000.00" in section
    assert "0105555000001" not in after  # the vendor's tax ID is not shown
    assert 'href="/procurement/announcements/"' in section


def _post(client: Client, **data: str):
    form = {"kind": "suggestion", "message": "ขอให้จัดกิจกรรมในวันหยุดสุดสัปดาห์ด้วย", "consent": "on",
            "next": "/events/"}  # fmt: skip
    form.update(data)
    return client.post("/website/feedback/", form)


def test_the_feedback_block_sends_a_ticket_and_its_page_is_never_cached(site):
    events = SectionPage.objects.get(slug="events", locale__language_code="th")
    client = Client(HTTP_HOST="localhost")
    page = client.get(events.url)
    html = page.content.decode()
    assert 'action="/website/feedback/"' in html and 'name="csrfmiddlewaretoken"' in html
    assert "X-Website-Cache" not in page  # the form carries the visitor's own CSRF token
    sent = _post(client, name="สมหญิง")
    assert sent.status_code == 200 and "/feedback/t/" in sent.content.decode()
    assert 'href="/events/"' in sent.content.decode()
    ticket = Ticket.objects.get()
    assert ticket.channel == "web" and ticket.text.startswith("[ข้อเสนอแนะ จากเว็บไซต์]")


def test_the_feedback_block_keeps_consent_honeypot_and_input(site):
    client = Client(HTTP_HOST="localhost")
    refused = _post(client, consent="", message="<b>ขอให้จัดกิจกรรมเพิ่ม</b> ในวันหยุด")
    body = refused.content.decode()
    assert refused.status_code == 400 and "กรุณายินยอม" in body
    assert "&lt;b&gt;ขอให้จัดกิจกรรมเพิ่ม&lt;/b&gt;" in body  # kept, escaped
    assert _post(client, website="http://spam.example").status_code == 200
    assert _post(client, next="https://evil.example/").content.decode().count("evil.example") == 0
    assert Ticket.objects.count() == 1  # the honeypot's was dropped; the third was sent


def test_query_counts_a_cached_page_none_and_a_warm_render_a_few(site, django_assert_max_num_queries):
    """A page-cache hit costs no query (the publishing generation is in the cache); a render with the live data and
    block fragments cached stays small (the menu: two queries, not one per page type and item)."""
    client = Client(HTTP_HOST="localhost")
    assert client.get("/")["X-Website-Cache"] == "miss"
    with django_assert_max_num_queries(0):
        assert client.get("/")["X-Website-Cache"] == "hit"
    client.get("/?warm=1")  # a query string is never cached: a full render, live data already cached
    with django_assert_max_num_queries(11):
        assert client.get("/?warm=2").status_code == 200
    client.get("/news/news-demo-1/?warm=1")
    with django_assert_max_num_queries(13):
        assert client.get("/news/news-demo-1/?warm=2").status_code == 200
