"""A PMS installment and a return of funds, followed into the books in a real browser.

A project of its own program (set up through the projects services up to the signed agreement)
is paid its first installment by the finance officer on the project page, and part of the money
comes back (the return is recorded on the same page). Each posts its journal entry inside its own
PMS transaction (``codi.projects.hooks``, the handler finance registers); the reconciler
(``manage.py projects_ledger_sync``) then finds nothing left to post. The officer then finds both entries in the grant-expense account's general ledger,
drills down to each journal entry (source document, lines, budget line) and from the
disbursement's entry to the project page, and sees the program's budget vs commitment vs actual.

The browser-test database is shared with other journeys and the demo loaders: everything is
selected by this test's own program code and project code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import DEMO_PASSWORD, Server
from tests.e2e.test_projects_journey import _at, _enrol

pytestmark = [pytest.mark.e2e]

PROGRAM = "E2EFINPMS"
GRANT_EXPENSE = "5107010101"
SETUP = """
from datetime import timedelta
from decimal import Decimal
from django.utils import timezone
from codi.communities.models import Organization
from codi.core.thaidate import fiscal_year_be
from codi.identity.services import role_assign, user_create
from codi.projects import services
from codi.identity.models import User
today = timezone.localdate()
year = fiscal_year_be(today)
admin = User.objects.get(username="demo_admin")
people = {}
for name, role, level, code in (("e2e_fpms_officer", "project_officer", "province", "40"),
        ("e2e_fpms_director", "regional_director", "region", "northeast"),
        ("e2e_fpms_finance", "finance_officer", "country", "")):
    people[name] = user_create(actor=None, username=name, password=PASSWORD, name_th=name)
    role_assign(actor=None, user=people[name], role=role, scope_level=level, scope_code=code)
officer, director = people["e2e_fpms_officer"], people["e2e_fpms_director"]
program = services.program_create(actor=admin, code="PROGRAM", kind="economy",
    name_th="แผนงานทดสอบการเงินโครงการ")
services.budget_line_allocate(actor=admin, program=program, region_code="northeast", fiscal_year=year,
    amount=Decimal("2000000.00"))
org = Organization.objects.filter(subdistrict_id="400104").order_by("pk").first()
project = services.project_create(actor=officer, program=program, lead_organization=org,
    subdistrict_code="400104", title="กองทุนสวัสดิการชุมชนท่าพระ (ทดสอบบัญชี)",
    requested_amount=Decimal("200000.00"), fiscal_year=year, households=50, persons=150,
    activities=[{"title": "จัดตั้งกองทุน", "start_date": today, "end_date": today + timedelta(days=90)}])
services.project_submit(actor=officer, project=project)
services.project_screen(actor=officer, project=project, decision="pass")
services.project_committee_review(actor=director, project=project, decision="recommend")
services.project_approve(actor=director, project=project, decision="approve",
    installments=[{"amount": Decimal("100000.00")}, {"amount": Decimal("100000.00")}])
services.project_agreement_sign(actor=officer, project=project)
# The shared browser-test database holds other journeys' PMS payments made before any chart was
# loaded: the reconciler posts that history now, so what follows is this project's alone.
from codi.finance.pms_sync import projects_ledger_sync
projects_ledger_sync()
print("PROJECT", project.pk, project.code, year)
"""


@pytest.fixture
def finance(browser: Browser, e2e_server: Server) -> Iterator[tuple[Page, int, str, int]]:
    output = e2e_server.manage(
        "shell", "-c", SETUP.replace("PASSWORD", repr(DEMO_PASSWORD)).replace("PROGRAM", PROGRAM), timeout=600
    )
    project_id, code, year = output.split("PROJECT", 1)[1].split()[:3]
    context = browser.new_context(
        base_url=e2e_server.base_url,
        locale="th-TH",
        timezone_id="Asia/Bangkok",
        viewport={"width": 1280, "height": 800},
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto("/finance/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.locator("#id_username").fill("e2e_fpms_finance")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    _enrol(page)
    try:
        yield page, int(project_id), code, int(year)
    finally:
        context.close()


def _open_entry(page: Page, year: int, text: str) -> None:
    """The grant-expense ledger of the year, then the entry whose description is ``text``."""
    page.goto(f"/finance/ledger/?account={GRANT_EXPENSE}&fy={year}")
    row = page.locator(f"#ledger-{GRANT_EXPENSE} tbody tr", has_text=text)
    expect(row).to_have_count(1)
    row.locator("a").first.click()
    expect(page).to_have_url(re.compile(r"/finance/ledger/entries/\d+/$"))


def test_installment_and_return_reach_the_ledger_and_budget_vs_actual(
    finance: tuple[Page, int, str, int], e2e_server: Server
) -> None:
    page, project_id, code, year = finance
    url = f"/projects/{project_id}/"

    # 1. The finance officer pays installment 1 on the project page (PMS).
    _at(page, url, "disburse")
    page.locator("#form-disburse button").click()
    expect(page.locator("#diagram")).to_have_attribute("data-ready", "1")
    expect(page.locator("#disbursed-total")).to_contain_text("100,000")

    # 2. The community returns 5,000 baht of it; recorded on the same page.
    page.goto(url)
    page.locator("#money-actions summary").click()
    page.locator("#return-amount").fill("5000")
    page.locator("#return-reason").fill("เงินเหลือจากการจัดซื้อ คืนกองทุน")
    page.locator("#form-return button").click()
    expect(page.locator("#money-actions")).to_be_attached()

    # 3. Both were posted in PMS's own transactions: the reconciler finds nothing more to post.
    again = e2e_server.manage("projects_ledger_sync", timeout=600)
    assert "entries posted: 0," in again, again

    # 4. General ledger → the disbursement's entry: Dr grant expense / Cr bank, from PMS.
    _open_entry(page, year, f"เบิกจ่ายโครงการ {code}")
    expect(page.locator("#source")).to_contain_text("การเบิกจ่ายงวดเงินโครงการ (PMS)")
    expense = page.locator("#lines tbody tr", has_text=GRANT_EXPENSE)
    expect(expense).to_have_count(1)
    expect(expense).to_contain_text("100,000.00")
    expect(expense).to_contain_text("PMS-")  # the finance budget line tied to the PMS line
    expect(page.locator("#lines tbody tr", has_text="1101020601")).to_contain_text("100,000.00")
    # ... and on to the source document: the PMS project it paid.
    page.locator("#source a").click()
    expect(page).to_have_url(re.compile(rf"/projects/{project_id}/$"))

    # ... and the return's entry: the opposite, 5,000 back to the bank and off the expense.
    _open_entry(page, year, f"รับเงินคืนโครงการ {code}")
    expect(page.locator("#source")).to_contain_text("เงินคืนจากโครงการ (PMS)")
    returned = page.locator("#lines tbody tr", has_text=GRANT_EXPENSE)
    expect(returned).to_have_count(1)
    expect(returned.locator("td.num").nth(1)).to_have_text("5,000.00")  # a credit to the expense

    # Each posted once, although the reconciler ran after PMS had posted.
    page.goto(f"/finance/ledger/?account={GRANT_EXPENSE}&fy={year}")
    expect(page.locator(f"#ledger-{GRANT_EXPENSE} tbody tr", has_text=code)).to_have_count(2)

    # 5. Budget vs commitment vs actual per program, filtered to this program: allocated 2,000,000,
    # committed the unpaid installment 100,000, actual 100,000 − 5,000 = 95,000.
    page.goto(f"/finance/reports/budget/?fy={year}&by=program&program={PROGRAM}")
    row = page.locator("#budget-by-dimension tbody tr", has_text=PROGRAM)
    expect(row).to_have_count(1)
    cells = row.locator("td.num")
    expect(cells.nth(0)).to_have_text("2,000,000.00")
    expect(cells.nth(1)).to_have_text("100,000.00")
    expect(cells.nth(2)).to_have_text("95,000.00")
    expect(cells.nth(3)).to_have_text("1,805,000.00")
