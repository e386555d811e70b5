"""A purchase in a real browser under the Procurement Act: requisition → method → committees →
quotation → award → PO → partial deliveries → inspection → payment, six people at six browsers.

The requester writes the procurement report (the thresholds table suggests the specific method
for 50,000 baht, with its legal basis cited on the page) and appoints the committees; the
members' conflict-of-interest declarations are recorded (the inspector declares in the browser);
the head approves (the budget is committed); the procurement officer records a quotation,
awards and signs the PO and records two partial deliveries; the inspector accepts each; finance
pays. Afterwards the ledger holds the acceptance and payment entries, the commitment became
actual, and the notebooks are in the asset register.

Then month end: the officer's "post depreciation" on the register page is refused for the month
that has not ended; the monthly command (``manage.py depreciation_run``, cron on the 1st) runs for
the notebooks' first month of depreciation (the month after acquisition) as it would on the 1st
of the month after that. Only that one process's clock is moved to that day (the service refuses
a month that has not ended and the test cannot wait for it); nothing is written to the database
by hand. The journal entry (Dr depreciation expense / Cr accumulated depreciation), each
notebook's line and its accumulated depreciation are checked, the last also in the browser.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

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
from codi.procurement import assets
ledger.chart_load(actor=None)
assets.classes_ensure()
year = ledger.fiscal_year_ensure(actor=None, year_be=ledger.fiscal_year_of(timezone.localdate()))
unit = OrgUnit.objects.get(code="HQ")
ledger.budget_line_create(actor=None, fiscal_year=year, code="E2E-PROC", name="ครุภัณฑ์คอมพิวเตอร์ (ทดสอบ)",
    unit=unit, category=BudgetCategory.INVESTMENT, expense_account=Account.objects.get(code="5104010104"),
    allocated=Decimal("300000.00"))
for name, role in (("e2e_proc_req", "hr_officer"), ("e2e_proc_head", "executive"),
        ("e2e_proc_officer", "procurement_officer"), ("e2e_proc_fin", "finance_officer"),
        ("e2e_proc_i1", "hr_officer"), ("e2e_proc_i2", "hr_officer"), ("e2e_proc_i3", "hr_officer"),
        ("e2e_proc_m1", "hr_officer"), ("e2e_proc_m2", "hr_officer"), ("e2e_proc_m3", "hr_officer")):
    user = user_create(actor=None, username=name, password=PASSWORD, name_th=name)
    role_assign(actor=None, user=user, role=role, scope_level="country", scope_code="")
"""

DECLARE = """
from codi.procurement import services
from codi.procurement.models import CommitteeMember
for m in CommitteeMember.objects.filter(requisition__title="E2E notebooks").exclude(user__username="e2e_proc_i1"):
    services.committee_declare(actor=m.user, member=m, no_conflict=True)
"""

CHECK = """
import json
from codi.finance.models import BudgetLine, JournalEntry
from codi.procurement.models import Asset, Requisition
req = Requisition.objects.get(title="E2E notebooks")
line = BudgetLine.objects.get(code="E2E-PROC")
entries = {k: JournalEntry.objects.filter(source_type=k, source_id__in=[str(d.pk) for d in req.contract.deliveries.all()]).count()
           for k in ("procurement.acceptance", "procurement.payment")}
print(json.dumps({"status": req.status, "committed": str(line.committed), "actual": str(line.actual), **entries,
                  "assets": Asset.objects.filter(delivery__contract__requisition=req).count()}))
"""

# the monthly command, run as cron runs it on the 1st of the month after the notebooks' first
# month of depreciation (acquisition month + 1): that process's clock reads that day
MONTH_END = """
import json
from datetime import timedelta
from unittest import mock
from django.core.management import call_command
from codi.finance import ledger
from codi.procurement.models import Asset
acquired = Asset.objects.filter(delivery__contract__requisition__title="E2E notebooks").first().acquired_on
period = (acquired.replace(day=28) + timedelta(days=4)).replace(day=1)
run_on = (period.replace(day=28) + timedelta(days=4)).replace(day=1)
ledger.fiscal_year_ensure(actor=None, year_be=ledger.fiscal_year_of(period))
with mock.patch("django.utils.timezone.localdate", return_value=run_on):
    call_command("depreciation_run")
print(json.dumps({"acquired": str(acquired), "period": str(period)}))
"""

DEPRECIATION = """
import json
from codi.finance.models import JournalEntry
from codi.procurement.models import Asset, DepreciationRun
run = DepreciationRun.objects.get(period="PERIOD")
entry = JournalEntry.objects.get(pk=run.journal_entry_id)
mine = Asset.objects.filter(delivery__contract__requisition__title="E2E notebooks").order_by("code")
print(json.dumps({
    "source": [entry.source_type, entry.source_id, str(entry.entry_date)],
    "lines": sorted([l.account.code, str(l.debit), str(l.credit)] for l in entry.lines.select_related("account")),
    "run_total": str(run.total), "run_lines": str(sum(l.amount for l in run.lines.all())),
    "assets": [[a.code, str(a.cost), str(a.accumulated), [str(l.amount) for l in a.depreciation.all()]]
               for a in mine],
}))
"""

ROLES = ("requester", "head", "officer", "inspector", "finance")
USERS = dict(
    zip(
        ROLES,
        ("e2e_proc_req", "e2e_proc_head", "e2e_proc_officer", "e2e_proc_i1", "e2e_proc_fin"),
        strict=True,
    )
)


def _sign_in(page: Page, username: str) -> None:
    page.goto("/procurement/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    _enrol(page)


@pytest.fixture
def people(browser: Browser, e2e_server: Server) -> Iterator[dict[str, Page]]:
    e2e_server.manage("shell", "-c", SETUP.replace("PASSWORD", repr(DEMO_PASSWORD)))
    contexts = []
    pages: dict[str, Page] = {}
    for role in ROLES:
        context = browser.new_context(
            base_url=e2e_server.base_url, locale="th-TH", timezone_id="Asia/Bangkok",
            viewport={"width": 1280, "height": 900},
        )  # fmt: skip
        context.set_default_timeout(20_000)
        contexts.append(context)
        pages[role] = context.new_page()
        _sign_in(pages[role], USERS[role])
    try:
        yield pages
    finally:
        for context in contexts:
            context.close()


def _date(form: Locator, name: str, iso: str) -> None:
    """Type a date the way a user does: the Thai date widget shows dd/mm/B.E. and sends ISO."""
    year, month, day = iso.split("-")
    shown = form.locator(f"input[name={name}] + input.thai-date")
    shown.fill(f"{day}/{month}/{int(year) + 543}")
    shown.blur()
    assert form.locator(f"input[name={name}]").input_value() == iso


def test_requisition_to_payment_in_the_browser(people: dict[str, Page], e2e_server: Server) -> None:
    requester, head, officer, inspector, finance = (people[k] for k in ROLES)

    # the requester writes the report; the table suggests the method
    requester.goto("/procurement/requisitions/new/")
    requester.locator("#r-t").fill("E2E notebooks")
    # this test's own budget line (the demo loaders of other browser tests add more lines)
    line_option = requester.locator("#r-bl option", has_text="ครุภัณฑ์คอมพิวเตอร์ (ทดสอบ)")
    requester.locator("#r-bl").select_option(line_option.get_attribute("value") or "")
    requester.locator("#r-r").fill("ทดแทนเครื่องที่หมดอายุการใช้งาน")
    requester.locator("#r-src").fill("สืบราคาจากท้องตลาด 3 ราย")
    requester.locator("input[name=item0]").fill("คอมพิวเตอร์โน้ตบุ๊ก")
    requester.locator("input[name=qty0]").fill("2")
    requester.locator("input[name=uom0]").fill("เครื่อง")
    requester.locator("input[name=price0]").fill("25000")
    requester.locator("select[name=class0]").select_option(label="ครุภัณฑ์คอมพิวเตอร์")
    requester.locator("#requisition-new button").click()
    expect(requester).to_have_url(re.compile(r"/procurement/requisitions/\d+/$"))
    url = requester.url
    expect(requester.locator("dl.card").first).to_contain_text("เฉพาะเจาะจง")  # suggested by amount
    expect(requester.locator('#legal-basis [data-rule="threshold"]')).to_contain_text("มาตรา 56")

    # committees: three procurement, three inspection members, the first of each the chair
    for committee, names in (("procurement", ("m1", "m2", "m3")), ("inspection", ("i1", "i2", "i3"))):
        for n, name in enumerate(names):
            requester.locator("#c-k").select_option(committee)
            requester.locator("#c-u").fill(f"e2e_proc_{name}")
            if n == 0:
                requester.locator("input[name=is_chair]").check()
            requester.locator("#c-u").press("Enter")
            expect(requester.locator("#committee")).to_contain_text(f"e2e_proc_{name}")
    e2e_server.manage("shell", "-c", DECLARE)
    inspector.goto(url)
    inspector.locator("#committee form button").click()  # the inspector declares no conflict (s.13)
    expect(inspector.locator("#committee form")).to_have_count(0)
    requester.goto(url)
    requester.locator("form:has(input[value=submit]) button").click()
    expect(requester.locator("#current-step")).to_have_attribute("data-task", "approve")

    # the head approves: the reference price is committed on the budget line
    head.goto(url)
    head.locator("#approve-form button").click()
    expect(head.locator("#current-step")).to_have_attribute("data-task", "procure")

    # the officer records a quotation, awards and signs the PO
    officer.goto(url)
    officer.locator("input[name=vendor_name]").fill("บริษัท คอมพิวเตอร์ทดสอบ จำกัด")
    officer.locator("input[name=vendor_tax_id]").fill("0105555012345")
    officer.locator("input[name=amount]").fill("48000")
    officer.locator("form:has(input[value=quote]) button").click()
    expect(officer.locator("#quotations")).to_contain_text("48,000.00")
    today = officer.evaluate("new Date().toLocaleDateString('sv-SE', {timeZone: 'Asia/Bangkok'})")
    award = officer.locator("form:has(input[value=award])")
    _date(award, "signed_on", today)
    _date(award, "delivery_due", today)
    award.locator("input[name=egp_project_no]").fill("69017000001")
    award.locator("button").click()
    expect(officer.locator("#current-step")).to_have_attribute("data-task", "inspect")
    expect(officer.locator("#documents a")).to_have_count(3)  # memo, PO/contract, award announcement

    # two partial deliveries, each accepted by the inspector
    for amount in ("20000", "28000"):
        officer.goto(url)
        delivery = officer.locator("form:has(input[value=deliver])")
        _date(delivery, "delivered_on", today)
        delivery.locator("input[name=amount]").fill(amount)
        delivery.locator("button").click()
        expect(officer.locator("#deliveries")).to_contain_text(f"{int(amount):,}.00")
        inspector.goto(url)
        inspector.locator("#deliveries form button").first.click()
        expect(inspector.locator("#deliveries form")).to_have_count(0)
    expect(inspector.locator("#current-step")).to_have_attribute("data-task", "pay")
    pdf = inspector.request.get(inspector.locator("#deliveries a").first.get_attribute("href") or "")
    assert pdf.ok and pdf.body().startswith(b"%PDF")

    # finance pays; the ledger holds every entry and the notebooks are registered
    finance.goto(url)
    finance.locator("form:has(input[value=pay]) button").click()
    expect(finance.locator("#req-status")).to_contain_text("จ่ายแล้ว")
    facts = json.loads(e2e_server.manage("shell", "-c", CHECK).strip().splitlines()[-1])
    assert facts == {
        "status": "paid", "committed": "0.00", "actual": "48000.00", "procurement.acceptance": 2,
        "procurement.payment": 2, "assets": 2,
    }  # fmt: skip
    officer.goto("/procurement/assets/")
    expect(officer.locator("body")).to_contain_text("คอมพิวเตอร์โน้ตบุ๊ก")

    # month end: the page refuses a month that has not ended
    this_month = today[:7]
    officer.goto("/procurement/assets/")
    officer.locator("#d-p").fill(this_month)
    officer.locator("#depreciation-form button").click()
    expect(officer.locator("main")).to_contain_text("ยังไม่สิ้นเดือน")
    # the monthly command posts the notebooks' first month (the month after acquisition)
    ran = json.loads(e2e_server.manage("shell", "-c", MONTH_END).strip().splitlines()[-1])
    assert ran["acquired"] == today
    period = date.fromisoformat(ran["period"])
    facts = json.loads(
        e2e_server.manage("shell", "-c", DEPRECIATION.replace("PERIOD", ran["period"]))
        .strip()
        .splitlines()[-1]
    )
    month_end = (
        date(period.year + period.month // 12, period.month % 12 + 1, 1) - date.resolution
    ).isoformat()
    assert facts["source"] == ["procurement.depreciation", period.strftime("%Y-%m"), month_end]
    # each notebook: 25,000 x 48,000 / 50,000 = 24,000 baht, computer class 3 years (36 months),
    # 1 baht kept: (24,000 - 1) / 36 = 666.64 a month
    assert [a[1:] for a in facts["assets"]] == [["24000.00", "666.64", ["666.64"]]] * 2
    # one expense / accumulated pair for the whole register (other tests' assets may share the run)
    total = facts["run_total"]
    assert float(total) >= 1333.28 and facts["run_lines"] == total
    assert facts["lines"] == [["1206010102", "0.00", total], ["5105010101", total, "0.00"]]
    officer.goto(f"/procurement/assets/{facts['assets'][0][0]}/")
    expect(officer.locator("#asset")).to_contain_text("666.64")
    expect(officer.locator("#asset")).to_contain_text("23,333.36")
