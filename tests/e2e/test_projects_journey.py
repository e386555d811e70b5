"""A community project in a real browser, from the proposal to closure, four people at four browsers.

The community leader (``demo_leader``, acting for an organization in ตำบลท่าพระ 400104) proposes
and sends a project; the province's project officer screens it; the regional director's
committee recommends it and approval reduces the amount (with a reason) into three
installments; the officer records the signed agreement; finance pays installment 1 (a double
click pays once); the leader reports, the officer accepts; installments 2 and 3 the same way;
the final report is accepted and the project closed. After every step the BPMN diagram drawn
by the vendored bpmn-js viewer marks the step the process is at.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import DEMO_PASSWORD, Server
from tests.e2e.test_journey import totp

pytestmark = [pytest.mark.e2e]
PHONE_WIDTH = 360

SETUP = """
from decimal import Decimal
from django.utils import timezone
from codi.communities.models import Organization
from codi.core.thaidate import fiscal_year_be
from codi.identity.models import User
from codi.identity.services import role_assign, user_create
from codi.projects import services
from codi.projects.models import PortalAccount
admin = User.objects.get(username="demo_admin")
program = services.program_create(actor=admin, code="E2E", kind="economy", name_th="เศรษฐกิจชุมชน (ทดสอบ)")
services.budget_line_allocate(actor=admin, program=program, region_code="northeast",
    fiscal_year=fiscal_year_be(timezone.localdate()), amount=Decimal("5000000.00"))
for name, role, level, code in (("e2e_pms_officer", "project_officer", "province", "40"),
        ("e2e_pms_director", "regional_director", "region", "northeast"),
        ("e2e_pms_finance", "finance_officer", "country", "")):
    user = user_create(actor=None, username=name, password=PASSWORD, name_th=name)
    role_assign(actor=None, user=user, role=role, scope_level=level, scope_code=code)
org = Organization.objects.filter(subdistrict_id="400104").order_by("pk").first()
PortalAccount.objects.get_or_create(user=User.objects.get(username="demo_leader"), organization=org)
print("ORG", org.pk, program.pk)
"""


def _enrol(page: Page) -> None:
    """Two-step set-up by element, not by text (the page may be Thai or English)."""
    expect(page).to_have_url(re.compile(r"/accounts/mfa/setup/"))
    secret = page.get_by_test_id("totp-secret").inner_text().strip()
    page.locator("#id_token").fill(totp(secret))
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/mfa/recovery-codes/"))
    page.locator("main a.button").click()


def _sign_in(page: Page, username: str, *, staff: bool) -> None:
    page.goto("/projects/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    if staff:
        _enrol(page)
    page.goto("/projects/")
    expect(page.locator("#project-list")).to_be_visible()


@pytest.fixture
def people(browser: Browser, e2e_server: Server) -> Iterator[dict[str, Page]]:
    e2e_server.manage("shell", "-c", SETUP.replace("PASSWORD", repr(DEMO_PASSWORD)))
    contexts = []
    pages: dict[str, Page] = {}
    for role, username, staff in (
        ("leader", "demo_leader", False),
        ("officer", "e2e_pms_officer", True),
        ("director", "e2e_pms_director", True),
        ("finance", "e2e_pms_finance", True),
    ):
        # The community leader works on a phone.
        viewport = (
            {"width": PHONE_WIDTH, "height": 780} if role == "leader" else {"width": 1280, "height": 800}
        )
        context = browser.new_context(
            base_url=e2e_server.base_url, locale="th-TH", timezone_id="Asia/Bangkok", viewport=viewport
        )
        context.set_default_timeout(20_000)
        contexts.append(context)
        pages[role] = context.new_page()
        _sign_in(pages[role], username, staff=staff)
    try:
        yield pages
    finally:
        for context in contexts:
            context.close()


def _at(page: Page, url: str, task: str) -> None:
    """Open the project and check that the diagram marks ``task`` as the current step."""
    page.goto(url)
    diagram = page.locator("#diagram")
    expect(diagram).to_have_attribute("data-ready", "1")
    expect(diagram).to_have_attribute("data-current", task)
    expect(page.locator(f'#diagram [data-element-id="{task}"].current')).to_have_count(1)


def _report(page: Page, url: str, text: str) -> None:
    _at(page, url, "progress_report" if "final" not in text else "final_report")
    page.locator("#write-report").click()
    page.wait_for_load_state("domcontentloaded")  # the click may open the form's page: measure that page
    expect(page.locator("#id_narrative")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH  # fits a phone
    page.locator("#id_narrative").fill(text)
    page.locator("#report-form button").click()
    expect(page.locator("#status")).to_be_visible()


def _accept_report(page: Page, url: str, task: str) -> None:
    _at(page, url, task)
    form = page.locator("form.form-review").first
    form.locator("select").select_option("accept")
    form.locator("button").click()


def _pay(page: Page, url: str, *, double_click: bool = False) -> None:
    _at(page, url, "disburse")
    button = page.locator("#form-disburse button")
    if double_click:
        button.dblclick()
    else:
        button.click()
    expect(page.locator("#diagram")).to_have_attribute("data-ready", "1")


def test_proposal_to_closure_with_the_diagram_at_every_step(
    people: dict[str, Page], e2e_server: Server
) -> None:
    leader, officer, director, finance = (people[k] for k in ("leader", "officer", "director", "finance"))

    # 1. The leader writes the proposal on the portal and sends it.
    leader.goto("/projects/portal/")
    assert leader.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    leader.locator("a.button[href$='/projects/new/']").click()
    leader.locator("#id_program").select_option(label="เศรษฐกิจชุมชน (ทดสอบ)")
    leader.locator("#id_title").fill("ตลาดชุมชนท่าพระ (ทดสอบ)")
    leader.locator("#id_requested_amount").fill("300000")
    leader.locator("#id_households").fill("120")
    leader.locator("#id_persons").fill("400")
    leader.locator("#act_0_title").fill("สร้างแผงตลาด")
    leader.locator("#act_0_start").fill("01/12/2569")  # typed in the Buddhist Era; ISO is sent
    leader.locator("#act_0_end").fill("31/03/2570")
    leader.locator("#proposal-form button").click()
    expect(leader).to_have_url(re.compile(r"/projects/\d+/$"))
    url = leader.url
    _at(leader, url, "draft")
    leader.locator("#form-submit button").click()
    _at(leader, url, "screening")

    # 2. The officer screens it; 3. the committee recommends; approval reduces the amount.
    _at(officer, url, "screening")
    officer.locator("#screen-decision").select_option("pass")
    officer.locator("#form-screen button").click()
    _at(director, url, "committee")
    director.locator("#committee-decision").select_option("recommend")
    director.locator("#form-committee button").click()
    _at(director, url, "approval")
    director.locator("#approved_amount").fill("270000")
    director.locator("#reduction_reason").fill("ปรับลดค่าครุภัณฑ์ตามราคากลาง")
    for n in (1, 2, 3):
        director.locator(f"#inst_{n}_amount").fill("90000")
    director.locator("#form-approve button").click()
    _at(director, url, "agreement")
    expect(director.locator("#approved-amount")).to_contain_text("270,000")

    # 4. Agreement signed; 5. installment 1 paid (a double click pays once).
    officer.goto(url)
    officer.locator("#form-sign button").click()
    _pay(finance, url, double_click=True)
    # This project's payments only: other browser tests load demo projects into the same server.
    project_id = int(re.search(r"/projects/(\d+)/", url).group(1))  # type: ignore[union-attr]
    count = e2e_server.manage(
        "shell",
        "-c",
        "from codi.projects.models import Disbursement; "
        f"print('PAID', Disbursement.objects.filter(installment__project_id={project_id}).count())",
    )
    assert "PAID 1" in count

    # 6. Report and review for installments 1 and 2, paying the next after each.
    for n in (1, 2):
        _report(leader, url, f"ดำเนินงานงวดที่ {n} ตามแผน")
        _accept_report(officer, url, "report_review")
        _pay(finance, url)
    expect(finance.locator("#disbursed-total")).to_contain_text("270,000")

    # 7. The final report, its review, and closure.
    _report(leader, url, "final: สรุปผลโครงการ")
    _accept_report(officer, url, "final_review")
    _at(officer, url, "closure")
    officer.locator("#evaluation").fill("บรรลุเป้าหมาย ชุมชนมีรายได้เพิ่มขึ้น")
    officer.locator("#form-close button").click()
    expect(officer.locator("#status")).to_have_attribute("data-status", "closed")
    expect(officer.locator("#diagram")).to_have_attribute("data-ready", "1")
    expect(officer.locator('#diagram [data-element-id="closure"].completed')).to_have_count(1)
    expect(officer.locator("#diagram")).to_have_attribute("data-current", "")
