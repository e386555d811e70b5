"""The finance officer's journey in a real browser: a payment voucher is made, checked, approved
above the chief accountant's limit, paid through a bank payment file, matched on the bank
statement, and both its entries appear in the general ledger with a link back to the voucher.

Three people at three browsers (maker, chief accountant, executive); every staff account enrols
its second factor on first sign-in as in production.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import DEMO_PASSWORD, Server
from tests.e2e.test_projects_journey import _enrol

pytestmark = [pytest.mark.e2e]

SETUP = """
from decimal import Decimal
from django.utils import timezone
from codi.finance import ledger
from codi.finance.models import Account, BudgetCategory
from codi.identity.models import OrgUnit
from codi.identity.services import role_assign, user_create
ledger.chart_load(actor=None)
year = ledger.fiscal_year_ensure(actor=None, year_be=ledger.fiscal_year_of(timezone.localdate()))
unit = OrgUnit.objects.get_or_create(code="E2E-FIN", defaults={"name_th": "ฝ่ายการเงิน (ทดสอบ)"})[0]
line = ledger.budget_line_create(actor=None, fiscal_year=year, code="E2E-OP", name="งบดำเนินงาน (ทดสอบ)",
    unit=unit, category=BudgetCategory.OPERATING, expense_account=Account.objects.get(code="5104010112"),
    allocated=Decimal("500000.00"), plan="E2E-PLAN")
for name, role in (("e2e_fin_maker", "finance_officer"), ("e2e_fin_chief", "chief_accountant"),
                   ("e2e_fin_exec", "executive")):
    user = user_create(actor=None, username=name, password=PASSWORD, name_th=name)
    role_assign(actor=None, user=user, role=role, scope_level="country", scope_code="")
print("LINE", line.pk)
"""
AMOUNT = "150000.00"  # above the chief accountant's 100,000 limit: the executive approves


def _sign_in(page: Page, username: str) -> None:
    page.goto("/finance/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    _enrol(page)
    page.goto("/finance/")


@pytest.fixture
def people(browser: Browser, e2e_server: Server) -> Iterator[tuple[dict[str, Page], str]]:
    output = e2e_server.manage("shell", "-c", SETUP.replace("PASSWORD", repr(DEMO_PASSWORD)))
    line_id = output.split("LINE", 1)[1].split()[0]
    contexts, pages = [], {}
    for role, username in (("maker", "e2e_fin_maker"), ("chief", "e2e_fin_chief"), ("exec", "e2e_fin_exec")):
        context = browser.new_context(
            base_url=e2e_server.base_url, locale="th-TH", timezone_id="Asia/Bangkok",
            viewport={"width": 1280, "height": 800},
        )  # fmt: skip
        context.set_default_timeout(20_000)
        contexts.append(context)
        pages[role] = context.new_page()
        _sign_in(pages[role], username)
    try:
        yield pages, line_id
    finally:
        for context in contexts:
            context.close()


def _act(page: Page, url: str) -> None:
    page.goto(url)
    page.locator("#voucher-action button").click()
    expect(page.locator("#voucher-action")).to_have_count(0)  # the step moved on: nothing left to do here


def test_voucher_to_general_ledger(people, tmp_path):
    pages, line_id = people
    maker = pages["maker"]
    maker.goto("/finance/vouchers/new/")
    maker.locator("#f-line").select_option(line_id)
    maker.locator("#f-payee").fill("บริษัท ชุมชนก้าวหน้า จำกัด")
    maker.locator("#f-bank").fill("006")
    maker.locator("#f-acct").fill("1234567890")
    maker.locator("#f-amount").fill("150,000.00")
    maker.locator("#f-desc").fill("ค่าจ้างจัดเวทีแผนชุมชน (ทดสอบ)")
    maker.locator("main form button").last.click()
    expect(maker).to_have_url(re.compile(r"/finance/vouchers/\d+/$"))
    url = maker.url
    number = re.search(r"PV\d{4}-\d{5}", maker.content()).group(0)  # type: ignore[union-attr]
    maker.locator("#voucher-action button").click()  # submit for checking

    _act(pages["chief"], url)  # check: pass
    _act(pages["exec"], url)  # approve above the limit: the expense is posted

    maker.goto("/finance/batches/")
    expect(maker.locator("#payable")).to_contain_text(number)
    maker.locator("main form button").last.click()
    expect(maker.locator("#batches")).to_contain_text("PB")

    statement = tmp_path / "statement.csv"
    statement.write_text(
        f"date,amount,reference,description\n{_today()},-{AMOUNT},{number},โอนเงิน\n", encoding="utf-8"
    )
    maker.goto("/finance/reconcile/")
    maker.locator("#r-f").set_input_files(str(statement))
    maker.locator("main form button").last.click()
    expect(maker.locator("#import-result")).to_be_visible()
    maker.goto(url)  # matched on the statement: the voucher is paid and its payment posted
    expect(maker.locator("#voucher-status")).to_have_text(re.compile("จ่ายแล้ว|Paid"))

    # The voucher payable account shows the approval (credit) and the payment (debit), back to zero.
    maker.goto("/finance/ledger/?account=2101010102")
    table = maker.locator("#ledger-2101010102")
    expect(table.locator("tbody tr", has_text=number)).to_have_count(2)  # approval credit, payment debit
    expect(table).to_contain_text("150,000.00")
    # The expense is in the ledger too, and its entry drills down to the voucher.
    maker.goto("/finance/ledger/?account=5104010112")
    # (other e2e tests post to this account in the shared database: open this voucher's row)
    maker.locator("#ledger-5104010112 tbody tr", has_text=number).locator("a").first.click()
    expect(maker.locator("main")).to_contain_text(number)
    maker.locator(f"main a[href='{urlsplit(url).path}']").first.click()
    expect(maker).to_have_url(url)
    # Budget vs actual per program shows the spending.
    maker.goto("/finance/reports/budget/?by=program")
    expect(maker.locator("#budget-by-dimension")).to_contain_text("E2E-PLAN")
    expect(maker.locator("#budget-by-dimension")).to_contain_text("150,000.00")


def _today() -> str:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("Asia/Bangkok")).date().isoformat()
