"""The community lending journey in a real browser: a community organization's representative
applies for a loan from the portal; the credit officer reviews it, the regional director approves,
finance pays the first tranche then the second; a Thai QR repayment pays the first instalment; the
loan then misses its instalments, and its arrears and the portfolio's NPL show it.

Four people at four browsers. The test makes its own organization, product and users (the browser
tests share one database with the demo loaders) and reads only its own loan's pages, and the NPL
figure of a province officer whose area holds only this test's subdistrict.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import DEMO_PASSWORD, Server
from tests.e2e.test_projects_journey import _enrol

pytestmark = [pytest.mark.e2e]

SETUP = """
from datetime import date
from codi.communities.models import Organization
from codi.finance import ledger
from codi.identity.services import role_assign, user_create
from codi.lending import services
from codi.lending.models import LoanProduct
from codi.projects.models import PortalAccount
ledger.chart_load(actor=None)
services.accounts_load(actor=None)
today = date.today()
for year in range(today.year + 542, today.year + 546):
    ledger.fiscal_year_ensure(actor=None, year_be=year)
if not LoanProduct.objects.filter(code="E2E-LIV").exists():
    services.product_create(actor=None, code="E2E-LIV", name_th="สินเชื่ออาชีพ (ทดสอบเบราว์เซอร์)", kind="livelihood",
        method="equal_principal", day_count="30/360", annual_rate="6", rate_from=date(2020, 1, 1),
        min_principal="10000", max_principal="5000000", min_months=3, max_months=120, grace_days=5, penalty_rate="12")
org, _ = Organization.objects.get_or_create(registration_no="E2E-LEND-1", defaults={
    "name_th": "กลุ่มทอผ้าบ้านทดสอบ", "org_type": "community_org", "subdistrict_id": "SUBDISTRICT"})
users = {}
for name, role, level, code in (("e2e_lend_leader", "community_leader", "subdistrict", "SUBDISTRICT"),
                                ("e2e_lend_officer", "project_officer", "subdistrict", "SUBDISTRICT"),
                                ("e2e_lend_director", "regional_director", "subdistrict", "SUBDISTRICT"),
                                ("e2e_lend_cashier", "finance_officer", "country", "")):
    user = user_create(actor=None, username=name, password=PASSWORD, name_th=name)
    role_assign(actor=None, user=user, role=role, scope_level=level, scope_code=code)
    users[name] = user
PortalAccount.objects.get_or_create(user=users["e2e_lend_leader"], organization=org)
print("ORG", org.pk)
"""
SUBDISTRICT = "960903"  # a subdistrict of Narathiwat no demo loader lends in; the officer sees only it


def _sign_in(page: Page, username: str, *, staff: bool, home: str) -> None:
    page.goto(home)
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    if staff:
        _enrol(page)
    page.goto(home)


@pytest.fixture
def people(browser: Browser, e2e_server: Server) -> Iterator[dict[str, Page]]:
    script = SETUP.replace("PASSWORD", repr(DEMO_PASSWORD)).replace("SUBDISTRICT", SUBDISTRICT)
    e2e_server.manage("shell", "-c", script)
    contexts, pages = [], {}
    cast = (("leader", "e2e_lend_leader", False, "/lending/portal/"),
            ("officer", "e2e_lend_officer", True, "/lending/"), ("director", "e2e_lend_director", True, "/lending/"),
            ("cashier", "e2e_lend_cashier", True, "/lending/"))  # fmt: skip
    for role, username, staff, home in cast:
        context = browser.new_context(
            base_url=e2e_server.base_url, locale="th-TH", timezone_id="Asia/Bangkok",
            viewport={"width": 1280, "height": 800},
        )  # fmt: skip
        context.set_default_timeout(20_000)
        contexts.append(context)
        pages[role] = context.new_page()
        _sign_in(pages[role], username, staff=staff, home=home)
    try:
        yield pages
    finally:
        for context in contexts:
            context.close()


def test_apply_approve_disburse_repay_by_qr_then_arrears_and_npl(people: dict[str, Page]) -> None:
    leader, officer, director, cashier = (people[k] for k in ("leader", "officer", "director", "cashier"))
    purpose = f"ทุนหมุนเวียนกลุ่มทอผ้า {date.today().isoformat()}"
    # 1. The representative applies from the portal: 12,000 baht over 3 months.
    leader.goto("/lending/portal/")
    product = leader.locator("#pa-product option", has_text="ทดสอบเบราว์เซอร์").first
    leader.locator("#pa-product").select_option(value=product.get_attribute("value") or "")
    leader.locator("#pa-principal").fill("12000")
    leader.locator("#pa-months").fill("3")
    leader.locator("#pa-purpose").fill(purpose)
    leader.locator("#portal-apply button").click()
    row = leader.locator("#portal-loans tbody tr").filter(has_text="12,000.00").first
    expect(row).to_be_visible()
    number = row.locator("td").first.inner_text().strip()
    # 2. The credit officer finds it in the inbox and sends it to the committee.
    officer.goto("/lending/")
    officer.locator("#credit-inbox a", has_text=number).click()
    loan_url = officer.url.split("?")[0]
    officer.locator("#loan-action button").click()
    expect(officer.locator("#loan-action")).to_have_count(0)
    # 3. The regional director approves.
    director.goto(loan_url)
    director.locator("#loan-action button").click()
    expect(director.locator("#loan-action")).to_have_count(0)
    # 4. Finance pays a first tranche of 6,000, then the second.
    cashier.goto(loan_url)
    cashier.locator("#a-m").fill("6000")
    cashier.locator("#a-b").fill("006")
    cashier.locator("#a-n").fill("9801234567")
    cashier.locator("#loan-action button").click()
    expect(cashier.locator("#loan-status")).to_contain_text(re.compile("ใช้งาน|ผ่อนชำระ|Active"))
    cashier.locator("#t-a").fill("6000")
    cashier.locator("#loan-tranche button").click()
    expect(cashier.locator("#loan-tranches tbody tr")).to_have_count(2)
    # 5. A Thai QR bill payment (Ref1 = loan number) pays the first instalment: 4,000 principal + interest.
    first_payment = cashier.locator("#loan-schedule tbody tr").first.locator("td").nth(2).inner_text().strip()
    cashier.locator("#r-a").fill(first_payment.replace(",", ""))
    cashier.locator("#r-r").fill(f"QR-{number}-1")
    cashier.locator("#r-c").select_option("qr")
    cashier.locator("#loan-repay button").click()
    expect(cashier.locator("#loan-schedule tbody tr").first.locator("td").nth(5)).to_have_text("4,000.00")
    # 6. Nothing more is paid: 200 days on, instalment 2 (due about two months after the tranche) is
    #    more than 90 days overdue.
    later = (date.today() + timedelta(days=200)).isoformat()
    officer.goto(f"{loan_url}?as_of={later}")
    arrears = officer.locator("#loan-arrears")
    expect(arrears).to_have_attribute("data-bucket", ">90")
    # The officer's area holds only this test's loan: the NPL is all of its outstanding principal.
    officer.goto(f"/lending/portfolio/?as_of={later}")
    expect(officer.locator("#npl-ratio")).to_have_text("100.00 %")
    officer.goto(f"/lending/portfolio/?as_of={date.today().isoformat()}")
    expect(officer.locator("#npl-ratio")).to_have_text("0.00 %")
