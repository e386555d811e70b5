"""Leave and payroll in a real browser (Debian chromium), four people at four browsers.

The officer (``demo_officer``) asks for two days of vacation; the diagram lights ``supervisor``;
the regional director (the unit's head) approves and the diagram moves to ``hr``; HR records it
and the officer's vacation balance shows the two days used. HR prepares the month's payroll and
sends it; the executive approves it, which posts one journal entry, and HR downloads the bank
transfer file with both salaries; the officer finds the payslip
on their own page and opens the PDF, which the director (another employee) is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import (  # noqa: F401 — the e2e session's server and browser fixtures, shared
    DEMO_PASSWORD,
    Server,
    browser,
    chromium_path,
    e2e_server,
)
from tests.e2e.test_projects_journey import _enrol

pytestmark = [pytest.mark.e2e]

SETUP = """
from datetime import date
from django.utils import timezone
from codi.finance import ledger
from codi.identity.models import OrgUnit, User
from codi.people import services
unit = OrgUnit.objects.get(code="REG-NE")
ledger.chart_load(actor=None)
ledger.fiscal_year_ensure(actor=None, year_be=ledger.fiscal_year_of(timezone.localdate()))
for n, (name, head, salary) in enumerate((("demo_officer", False, "30000"), ("demo_director", True, "60000")), 1):
    body = f"19{n:010d}"
    nid = body + str((11 - sum(int(d) * (13 - i) for i, d in enumerate(body)) % 11) % 10)
    services.employee_create(actor=None, employee_no=f"E2E{n}", first_name_th=name, last_name_th="(ทดสอบ)",
        position="นักพัฒนาชุมชน", org_unit=unit, salary=salary, start_date=date(2020, 1, 1), national_id=nid,
        bank_code="006", bank_account=f"99900000{n:02d}", user=User.objects.get(username=name), is_unit_head=head)
print("PEOPLE READY")
"""


def _sign_in(page: Page, username: str) -> None:
    page.goto("/people/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    if "/accounts/mfa/setup/" in page.url:
        _enrol(page)
    page.goto("/people/")
    expect(page.locator("h1")).to_be_visible()


@pytest.fixture
def people(browser: Browser, e2e_server: Server) -> Iterator[dict[str, Page]]:  # noqa: F811
    assert "PEOPLE READY" in e2e_server.manage("shell", "-c", SETUP)
    contexts, pages = [], {}
    for role, username in (("officer", "demo_officer"), ("director", "demo_director"), ("hr", "demo_hr"),
                           ("executive", "demo_executive")):  # fmt: skip
        context = browser.new_context(
            base_url=e2e_server.base_url, locale="th-TH", timezone_id="Asia/Bangkok"
        )
        context.set_default_timeout(20_000)
        contexts.append(context)
        pages[role] = context.new_page()
        _sign_in(pages[role], username)
    try:
        yield pages
    finally:
        for context in contexts:
            context.close()


def _at(page: Page, url: str, task: str) -> None:
    page.goto(url)
    diagram = page.locator("#diagram")
    expect(diagram).to_have_attribute("data-ready", "1")
    expect(diagram).to_have_attribute("data-current", task)
    if task:
        expect(page.locator(f'#diagram [data-element-id="{task}"].current')).to_have_count(1)


def _weekdays_ahead() -> tuple[date, date]:
    """Two working days (Tuesday, Wednesday) a few weeks ahead, inside one fiscal year."""
    day = date.today() + timedelta(days=21)
    while day.weekday() != 1 or day.month in (9, 10):
        day += timedelta(days=1)
    return day, day + timedelta(days=1)


def _be(day: date) -> str:
    """A date as the site's date field takes it: typed in the Buddhist Era (ISO is sent)."""
    return f"{day.day:02d}/{day.month:02d}/{day.year + 543}"


def _vacation_used(page: Page) -> str:
    page.goto("/people/")
    row = page.locator("#balances tbody tr", has_text="พักผ่อน")
    return row.locator("td").nth(3).inner_text().strip()


def test_leave_then_payroll_in_the_browser(people: dict[str, Page]) -> None:
    officer, director, hr, executive = (people[k] for k in ("officer", "director", "hr", "executive"))
    before = _vacation_used(officer)

    # 1. The officer asks for two days; the diagram lights the supervisor's step.
    start, end = _weekdays_ahead()
    officer.goto("/people/leave/new/")
    officer.locator("#l-type").select_option("vacation")
    officer.locator("#l-start").fill(_be(start))
    officer.locator("#l-end").fill(_be(end))
    officer.locator("#l-reason").fill("พาครอบครัวไปเที่ยว")
    officer.locator("main form button").click()
    expect(officer).to_have_url(re.compile(r"/people/leave/\d+/$"))
    url = officer.url
    _at(officer, url, "supervisor")

    # 2. The director approves; 3. HR records it.
    _at(director, url, "supervisor")
    director.locator("button[name=decision][value=approve]").click()
    _at(director, url, "hr")
    _at(hr, url, "hr")
    hr.locator("button[name=decision][value=approve]").click()
    expect(hr.locator("#status")).to_contain_text("อนุมัติ")
    assert float(_vacation_used(officer)) == float(before or 0) + 2

    # 4. HR prepares this month's payroll and sends it; the executive approves and posts it.
    hr.goto("/people/payroll/")
    hr.locator("#p-d").fill(_be(date.today().replace(day=25)))
    hr.locator("main form button").click()
    expect(hr).to_have_url(re.compile(r"/people/payroll/\d+/$"))
    run_url = hr.url
    _at(hr, run_url, "prepare")
    hr.locator("main form.card button").first.click()
    _at(executive, run_url, "approve")
    executive.locator("button[name=decision][value=approve]").click()
    expect(executive.locator("#entry")).not_to_be_empty()
    bank = hr.request.get(run_url + "bank-file.csv")  # the salary transfer file in finance's bulk format
    assert bank.status == 200 and "9990000001" in bank.text() and "9990000002" in bank.text()

    # 5. The payslip is on the officer's own page, and only theirs.
    officer.goto("/people/")
    link = officer.locator("#my-payslips a").first
    href = link.get_attribute("href") or ""
    assert re.search(r"/people/payslips/\d+\.pdf$", href)
    pdf = officer.request.get(href)
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    assert director.request.get(href).status == 404
