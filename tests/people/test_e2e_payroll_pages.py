"""The payroll pages in a real browser (Debian chromium): HR previews a month's run and sends it;
HR cannot approve their own run (maker ≠ approver); the executive approves it; the run shows each
payslip's PDF link. At 360 px the page does not scroll sideways, and no page logs a console error.
At 360 px too, HR's course, course attendance and attendance rule pages: no sideways scroll, the
form reached with Tab."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Error, Page, expect

from tests.e2e.conftest import (  # noqa: F401 — the e2e session's server and browser fixtures, shared
    Server,
    browser,
    chromium_path,
    e2e_server,
)
from tests.people.test_e2e_people_journey import _at, _be, _sign_in

pytestmark = [pytest.mark.e2e]

# One employee without an account (idempotent: the session's server is shared with other journeys).
SETUP = """
from datetime import date
from django.utils import timezone
from codi.finance import ledger
from codi.identity.models import OrgUnit
from codi.people import services
from codi.people.models import Employee
ledger.chart_load(actor=None)
ledger.fiscal_year_ensure(actor=None, year_be=ledger.fiscal_year_of(timezone.localdate()))
if not Employee.objects.filter(employee_no="E2EPAY1").exists():
    body = "180000000001"
    nid = body + str((11 - sum(int(d) * (13 - i) for i, d in enumerate(body)) % 11) % 10)
    services.employee_create(actor=None, employee_no="E2EPAY1", first_name_th="บุษบา", last_name_th="(ทดสอบ)",
        position="นักวิชาการเงินและบัญชี", org_unit=OrgUnit.objects.get(code="REG-NE"), salary="32000",
        start_date=date(2020, 1, 1), national_id=nid, bank_code="006", bank_account="9990000101",
        birth_date=date(1988, 3, 9))
print("PAYROLL READY")
"""


def _pay_date() -> date:
    """The 25th two months ahead: a period no other journey of the session prepares."""
    today = date.today()
    month, year = today.month + 2, today.year
    if month > 12:
        month, year = month - 12, year + 1
    return date(year, month, 25)


@pytest.fixture(scope="module")  # one sign-in for the module: a second would ask for the MFA code
def two(browser: Browser, e2e_server: Server) -> Iterator[tuple[dict[str, Page], list[str]]]:  # noqa: F811
    assert "PAYROLL READY" in e2e_server.manage("shell", "-c", SETUP)
    errors: list[str] = []
    contexts, pages = [], {}
    for role, username in (("hr", "demo_hr"), ("executive", "demo_executive")):
        context = browser.new_context(
            base_url=e2e_server.base_url, locale="th-TH", timezone_id="Asia/Bangkok"
        )
        context.set_default_timeout(20_000)
        contexts.append(context)
        page = context.new_page()

        def on_console(message: ConsoleMessage, who: str = role) -> None:
            if message.type == "error":
                errors.append(f"{who}: {message.text}")

        def on_error(exc: Error, who: str = role) -> None:
            errors.append(f"{who}: {exc}")

        page.on("console", on_console)
        page.on("pageerror", on_error)
        _sign_in(page, username)
        pages[role] = page
    try:
        yield pages, errors
    finally:
        for context in contexts:
            context.close()


def test_preview_approve_by_another_and_payslip_links(two: tuple[dict[str, Page], list[str]]) -> None:
    pages, errors = two
    hr, executive = pages["hr"], pages["executive"]
    hr.goto("/people/payroll/")
    hr.locator("#p-d").fill(_be(_pay_date()))
    hr.locator("main form button").click()
    expect(hr).to_have_url(re.compile(r"/people/payroll/\d+/$"))
    run_url = hr.url
    _at(hr, run_url, "prepare")  # the preview: every payslip computed, nothing posted
    expect(hr.locator("#payslips tbody tr", has_text="บุษบา")).to_have_count(1)
    expect(hr.locator("#entry")).to_have_count(0)
    hr.locator("main form.card button").first.click()
    _at(hr, run_url, "approve")
    expect(hr.locator("button[name=decision][value=approve]")).to_have_count(0)  # the maker cannot approve

    _at(executive, run_url, "approve")
    executive.locator("button[name=decision][value=approve]").click()
    expect(executive.locator("#entry")).not_to_be_empty()
    link = executive.locator("#payslips a", has_text="บุษบา")
    assert re.search(r"/people/payslips/\d+\.pdf$", link.get_attribute("href") or "")

    hr.set_viewport_size({"width": 360, "height": 740})
    hr.goto(run_url)
    expect(hr.locator("#entry")).not_to_be_empty()
    assert hr.evaluate("document.documentElement.scrollWidth") <= 360
    assert errors == []


def _tab_reaches(page: Page, form: str, presses: int = 120) -> bool:
    """Tab from the top of the page until the focus is inside ``form`` (a CSS selector)."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("s => !!document.activeElement.closest(s)", form):
            return True
    return False


def test_course_attendance_and_rule_pages_at_360px(two: tuple[dict[str, Page], list[str]]) -> None:
    pages, errors = two
    hr = pages["hr"]
    hr.set_viewport_size({"width": 360, "height": 740})

    def check(url: str, form: str) -> None:
        hr.goto(url)
        expect(hr.locator(form)).to_be_visible()
        assert hr.evaluate("document.documentElement.scrollWidth") <= 360, url
        assert _tab_reaches(hr, form), url

    check("/people/courses/new/", "#course-form")
    hr.locator("#c-title").fill("ทักษะดิจิทัล (ทดสอบ 360)")
    hr.locator("#c-comp").select_option(index=1)
    hr.locator("#c-aud").select_option("staff")
    hr.locator("#c-date").fill(_be(date.today()))
    hr.locator("#course-form button").click()
    expect(hr).to_have_url(re.compile(r"/people/courses/\d+/attendance/$"))
    check(hr.url, "#attendance-form")
    check("/people/attendance/rules/", "#rule-form")
    assert errors == []
