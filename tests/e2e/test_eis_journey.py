"""The executive board in a real browser: an executive opens the KPI page, drills down from the
budget-disbursement KPI to a region and then a province (the demo projects), and downloads the
briefing PDF. Reuses the session's gunicorn server (tests/e2e/conftest.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import DEMO_PASSWORD, Server
from tests.e2e.test_journey import totp

pytestmark = [pytest.mark.e2e]

SETUP = """
from codi.identity.services import role_assign, user_create
user = user_create(actor=None, username="e2e_eis_exec", password=PASSWORD, name_th="ผู้บริหาร")
role_assign(actor=None, user=user, role="executive", scope_level="country", scope_code="")
"""


@pytest.fixture
def executive(browser: Browser, e2e_server: Server) -> Iterator[Page]:
    e2e_server.manage("load_projects_demo", "--count", "40", "--verbosity", "0", timeout=300)
    e2e_server.manage("shell", "-c", SETUP.replace("PASSWORD", repr(DEMO_PASSWORD)))
    context = browser.new_context(
        base_url=e2e_server.base_url, locale="th-TH", timezone_id="Asia/Bangkok", accept_downloads=True
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto("/insights/eis/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.locator("#id_username").fill("e2e_eis_exec")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/mfa/setup/"))
    secret = page.get_by_test_id("totp-secret").inner_text().strip()
    page.locator("#id_token").fill(totp(secret))
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/mfa/recovery-codes/"))
    page.locator("main a.button").click()
    try:
        yield page
    finally:
        context.close()


def test_executive_drills_down_to_a_province_and_downloads_the_briefing(executive: Page) -> None:
    page = executive
    page.goto("/insights/eis/")  # the current fiscal year
    board = page.locator("#eis-board")
    # one row per KPI of the plan, each linking to its own page
    kpis = ("systems_on_time", "budget_disbursement", "npl_ratio", "feedback_sla", "satisfaction",
            "staff_digital", "leaders_trained", "orgs_digital", "open_datasets")  # fmt: skip
    expect(board.locator("tbody tr")).to_have_count(len(kpis))
    for key in kpis:
        expect(board.locator(f"a[href*='/insights/eis/kpi/{key}/']")).to_have_count(1)
    board.locator("a[href*='/insights/eis/kpi/budget_disbursement/']").click()
    expect(page).to_have_url(re.compile(r"/insights/eis/kpi/budget_disbursement/"))
    expect(page.locator("svg.chart rect").first).to_be_visible()

    page.locator("#eis-breakdown tbody a").first.click()  # a region
    expect(page).to_have_url(re.compile(r"area=[a-z_]+"))
    expect(page.locator("#eis-breakdown th").first).to_have_text(re.compile("จังหวัด|Province"))
    page.locator("#eis-breakdown tbody a").first.click()  # a province
    expect(page).to_have_url(re.compile(r"area=\d{2}$"))
    expect(page.locator("#eis-total")).to_contain_text("%")

    page.locator("a[href^='/insights/eis/?']").first.click()  # back to all indicators, in the province
    with page.expect_download() as download:
        page.locator("a[href*='format=pdf']").click()
    path = download.value.path()
    assert path is not None and path.read_bytes().startswith(b"%PDF")
