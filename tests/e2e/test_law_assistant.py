"""The law assistant in a real browser: ask in Thai, see the cited section, open it in context.

The server's database gets the bundled statutes through ``manage.py import_statutes --bundled
--embed none`` (lexical index only; dense vectors would be a background task), run against the
server's own environment.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Server
from tests.e2e.test_journey import _enrol, _sign_in

pytestmark = [pytest.mark.e2e]
QUESTION = "ลูกจ้างหญิงมีครรภ์มีสิทธิลาคลอดบุตรได้กี่วัน"
ACT = "พระราชบัญญัติ คุ้มครองแรงงาน พ.ศ. 2541"


@pytest.fixture(scope="module")
def statutes_loaded(e2e_server: Server) -> None:
    output = e2e_server.manage("import_statutes", "--bundled", "--embed", "none", timeout=300)
    assert "sections" in output


def test_ask_in_thai_and_open_the_cited_section_in_context(page: Page, statutes_loaded: None) -> None:
    page.goto("/knowledge/")
    _sign_in(page, "demo_knowledge")
    _enrol(page)
    page.wait_for_url(re.compile(r"/knowledge/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("ผู้ช่วยกฎหมาย")

    page.get_by_label(re.compile("คำถาม")).fill(QUESTION)
    page.get_by_role("button", name="ถาม").click()

    page.wait_for_url(re.compile(r"/knowledge/conversations/\d+/#turn-\d+"))
    answer = page.locator("article.answer").first
    expect(answer).to_have_attribute("data-status", "answered")
    citation = answer.get_by_role("link", name=f"{ACT}, มาตรา 41")
    expect(citation).to_be_visible()
    expect(answer.locator("[data-citation='642571:41'] mark").first).to_be_visible()

    citation.click()

    page.wait_for_url(re.compile(r"/knowledge/acts/642571/sections/41/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{ACT}, มาตรา 41")
    target = page.locator("section.target")
    expect(target).to_contain_text("เก้าสิบแปดวัน")
    # In context: the sections around it are on the page too, in order.
    expect(page.locator(".section-context section")).to_have_count(5)
    expect(page.get_by_role("link", name="มาตรา 40")).to_be_visible()
    expect(page.get_by_role("link", name="มาตรา 42")).to_be_visible()
