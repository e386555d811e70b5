"""A community report in a real browser, from the public form to resolution.

An anonymous reporter sends a report for ตำบลท่าพระ (400104, Khon Kaen); it is routed to the
project officer of province 40 (``demo_officer``) in region northeast. The SLA clock is then
moved on by running ``feedback_escalate --now`` sixty days ahead, and the regional director
(``demo_director``, who signs in with two-step verification) takes the report through the flow
to "resolved". After every step the reporter opens the secret link and sees the new status.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Server
from tests.e2e.test_journey import _enrol, _sign_in

pytestmark = [pytest.mark.e2e]

REPORT = "ถนนหน้าโรงเรียนบ้านท่าพระเป็นหลุมลึก <script>alert(1)</script> โทร 081-234-5678 ขอให้ซ่อมด่วน"


def _status_seen_by_reporter(browser: Browser, server: Server, link: str) -> tuple[str, str]:
    """The reporter's own browser (no cookies): the status and the history text."""
    context = browser.new_context(base_url=server.base_url, locale="th-TH")
    try:
        page = context.new_page()
        page.goto(link)
        body = page.content()
        assert "081-234-5678" not in body and "<script>alert(1)</script>" not in body
        return (
            page.locator("#status").get_attribute("data-status") or "",
            page.locator("#history").inner_text(),
        )
    finally:
        context.close()


def _move(page: Page, status: str) -> None:
    page.locator("#to-status").select_option(value=status)
    page.locator("#transition-form button").click()
    expect(page.locator("#status")).to_have_attribute("data-status", status)


def test_public_report_routed_escalated_resolved(page: Page, browser: Browser, e2e_server: Server) -> None:
    # 1. The reporter, without an account, fills in the public form.
    page.goto("/feedback/report/")
    expect(page.locator("#pdpa-notice")).to_be_visible()
    page.locator("#id_text").fill(REPORT)
    page.locator("#id_subdistrict_code").fill("400104")
    page.locator("#id_consent").check()
    page.locator("#send-report").click()
    reference = page.locator("#reference").inner_text().strip()
    link = page.locator("#tracking-link").get_attribute("href") or ""
    assert re.fullmatch(r"FB-25\d\d-\d{6}", reference), reference
    assert "/feedback/t/" in link

    # 2. Routed to the regional office of the area and its project officer.
    owner = (
        e2e_server.manage(
            "shell",
            "-c",
            "from codi.feedback.models import Ticket;"
            f"t = Ticket.objects.get(reference='{reference}');"
            "print(t.assigned_to.username, t.region_id, t.status)",
        )
        .strip()
        .splitlines()[-1]
        .split()
    )  # the last line: Django's shell first reports its auto-imports
    assert owner == ["demo_officer", "northeast", "new"]
    assert _status_seen_by_reporter(browser, e2e_server, link)[0] == "new"

    # 3. The SLA passes: the escalation run, with the clock sixty days ahead, escalates it.
    later = (datetime.now(UTC) + timedelta(days=60)).isoformat()
    assert reference in e2e_server.manage("feedback_escalate", "--now", later)
    status, history = _status_seen_by_reporter(browser, e2e_server, link)
    assert status == "new"
    assert "ผู้อำนวยการภาค" in history

    # 4. The regional director finds it in the list of the region and works it through.
    page.goto("/feedback/")
    _sign_in(page, "demo_director")
    _enrol(page)
    page.goto("/feedback/?status=new")
    page.get_by_role("link", name=reference).click()
    expect(page.locator("#owner")).to_have_text("เจ้าหน้าที่โครงการขอนแก่น (ตัวอย่าง)")  # by name, not sign-in name
    expect(page.locator("#status")).to_have_attribute("data-escalation", "2")
    expect(page.locator("#ticket-text")).to_contain_text("<script>alert(1)</script>")  # shown as text

    for status in ("triaged", "assigned", "in_progress", "resolved"):
        _move(page, status)
        assert _status_seen_by_reporter(browser, e2e_server, link)[0] == status
