"""Live blocks: the same figures as the PMS dashboard for the same filter; a failing source is a Thai note."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from codi.core.thaidate import baht, fiscal_year_be
from codi.projects import reporting
from codi.projects.generator import projects_demo_load
from codi.website import live, selectors
from codi.website.blocks import UNAVAILABLE, ProcurementYearBlock
from codi.website.models import SubsiteHomePage
from tests.factories import UserFactory
from tests.permissions import Matrix

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects():
    UserFactory(username="demo_finance")
    projects_demo_load(count=80, today=date(2026, 11, 29))


@pytest.mark.parametrize("region", ["", "north", "northeast"])
def test_live_figures_equal_the_dashboard_for_the_same_filter(projects, region):
    executive = Matrix().user("executive", "country")
    board = reporting.dashboard(actor=executive, region=region)
    figures = live.pms_figures(region=region)
    assert figures["projects"] == board.total.projects > 0
    assert figures["approved"] == board.total.approved
    assert figures["disbursed"] == board.total.disbursed


def test_a_regional_site_shows_its_region_figures(projects, site):
    north = SubsiteHomePage.objects.get(region_code="north")
    executive = Matrix().user("executive", "country")
    board = reporting.dashboard(actor=executive, region="north")
    html = Client(HTTP_HOST="localhost").get(north.url).content.decode()
    assert f'<dd data-figure="projects">{board.total.projects:,}</dd>' in html
    assert f'<dd data-figure="approved">{baht(board.total.approved)}</dd>' in html


def test_a_failing_source_shows_the_thai_note_not_a_500(site, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database of projects is down")

    monkeypatch.setattr(reporting, "dashboard", broken)
    response = Client(HTTP_HOST="localhost").get("/")
    assert response.status_code == 200
    assert str(UNAVAILABLE) in response.content.decode()


def test_public_reader_sees_only_published_knowledge(site):
    assert isinstance(live.knowledge_articles(limit=3), list)
    assert isinstance(live.dataset_cards(limit=3), list)
    assert live.procurement_plan(year_be=2569) == [] or isinstance(
        live.procurement_plan(year_be=2569)[0]["amount"], Decimal
    )


def test_the_map_block_shows_the_dashboard_counts_per_region(projects, site):
    executive = Matrix().user("executive", "country")
    board = reporting.dashboard(actor=executive, region="")
    expected = {r.key: r.figures.projects for r in board.by_region}
    data = live.projects_map()
    assert {r["code"]: r["projects"] for r in data["regions"]} == expected
    assert len(data["shapes"]) == 77  # every province outline, each coloured by its region
    most = max(expected, key=lambda code: expected[code])
    assert {s["cls"] for s in data["shapes"] if s["region"] == most} == {len(data["breaks"])}
    html = Client(HTTP_HOST="localhost").get("/").content.decode()
    assert '<svg viewBox="0 0 300.0' in html and f'data-region="{most}"' in html
    assert f'<tr data-region="{most}"><td>' in html


def test_the_jobs_block_lists_published_job_openings_only(site):
    html = Client(HTTP_HOST="localhost").get("/").content.decode()
    jobs = html.split('<section class="live jobs">', 1)[1].split("</section>", 1)[0]
    assert "ประกาศรับสมัครพนักงานปฏิบัติการ" in jobs
    assert "ประกวดราคา" not in jobs  # a procurement announcement is not a job


def test_map_and_jobs_blocks_show_the_thai_note_when_their_source_is_down(site, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("source down")

    monkeypatch.setattr(reporting, "dashboard", broken)
    monkeypatch.setattr(selectors, "announcements", broken)
    response = Client(HTTP_HOST="localhost").get("/")
    assert response.status_code == 200
    html = response.content.decode()
    for block in ("map", "jobs"):
        section = html.split(f'<section class="live {block}">', 1)[1].split("</section>", 1)[0]
        assert str(UNAVAILABLE) in section


def test_the_procurement_blocks_share_one_base_and_keep_their_stored_shape(site):
    """Plan and results share heading/year/limit from one base block; the demo's stored values still load."""
    stream = site.body.stream_block
    raw = [item for item in site.body.raw_data if item["type"] in {"procurement", "procurement_results"}]
    assert {item["type"] for item in raw} == {"procurement", "procurement_results"}
    for item in raw:
        block = stream.child_blocks[item["type"]]
        assert isinstance(block, ProcurementYearBlock)
        assert list(block.child_blocks) == ["heading", "year_be", "limit"]
        assert block.get_prep_value(block.to_python(item["value"])) == item["value"]
    html = Client(HTTP_HOST="localhost").get("/").content.decode()
    year = fiscal_year_be(date.today())
    for css in ("procurement", "procurement-results"):
        section = html.split(f'<section class="live {css}">', 1)[1].split("</section>", 1)[0]
        assert str(year) in section and "<table>" in section
