"""Social scoring in a real browser: an officer opens an organization, sees its score, the parts
and the explanation, overrides it with a reason (refused first without one), and the override
appears in the overrides report and, for the internal auditor, in the audit trail.

The organization, the officer and the auditor are this test's own records (the browser tests
share one database): a Khon Kaen organization founded in 2001, scored from an indicator snapshot
with an expert weight decision that weighs the organization's age by half.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import DEMO_PASSWORD, Server
from tests.e2e.test_journey import totp

pytestmark = [pytest.mark.e2e]

SETUP = """
from datetime import date
from codi.communities.models import Organization
from codi.identity.services import role_assign, user_create
from codi.scoring import services
from codi.scoring.composite import Method
for name, role, level, code in (("e2e_scoring_officer", "project_officer", "province", "40"),
                                ("e2e_scoring_auditor", "internal_auditor", "country", "")):
    user = user_create(actor=None, username=name, password=PASSWORD, name_th=name)
    role_assign(actor=None, user=user, role=role, scope_level=level, scope_code=code)
org = Organization.objects.create(name_th="กลุ่มออมทรัพย์ทดสอบดัชนี e2e", org_type="savings_group",
                                  subdistrict_id="400101", founded_on=date(2001, 5, 1))
snapshot = services.indicators_compute(period=2569, level="organization")
decision = services.weight_decision_record(
    actor=user, level="organization",
    weights={"org_age": 0.5, "org_members": 0.1, "org_completion": 0.1, "org_on_time": 0.1,
             "org_reports_returned": 0.1, "org_loans_over_90": 0.05, "org_self_assessment": 0.01, "org_participation": 0.01, "org_savings": 0.01, "org_leaders_trained": 0.02},
    decided_on=date(2026, 11, 30), reference="มติคณะทำงานดัชนี ครั้งที่ 1/2570", reason="ทดสอบในเบราว์เซอร์")
services.index_compute(indicator_run=snapshot, method=Method("minmax", "expert", "arithmetic"),
                       weight_decision=decision)
print("ORG", org.pk)
"""
REASON = "ลงพื้นที่แล้วพบว่าคณะกรรมการหยุดประชุมมาหนึ่งปี"


def _sign_in(page: Page, username: str, then: str) -> None:
    page.goto(then)
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/mfa/setup/"))
    secret = page.get_by_test_id("totp-secret").inner_text().strip()
    page.locator("#id_token").fill(totp(secret))
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/mfa/recovery-codes/"))
    page.locator("main a.button").click()
    page.goto(then)


@pytest.fixture
def journey(browser: Browser, e2e_server: Server) -> Iterator[tuple[dict[str, Page], int]]:
    out = e2e_server.manage("shell", "-c", SETUP.replace("PASSWORD", repr(DEMO_PASSWORD)), timeout=300)
    org_id = int(next(line.split()[1] for line in out.splitlines() if line.startswith("ORG ")))
    contexts, pages = [], {}
    for role, username, start in (
        ("officer", "e2e_scoring_officer", f"/scoring/organizations/{org_id}/"),
        ("auditor", "e2e_scoring_auditor", "/audit/"),
    ):
        context = browser.new_context(
            base_url=e2e_server.base_url, locale="th-TH", timezone_id="Asia/Bangkok"
        )
        context.set_default_timeout(20_000)
        contexts.append(context)
        pages[role] = context.new_page()
        _sign_in(pages[role], username, start)
    try:
        yield pages, org_id
    finally:
        for context in contexts:
            context.close()


def test_officer_overrides_a_score_with_a_reason_and_it_is_reported_and_audited(journey):
    pages, _org_id = journey
    officer = pages["officer"]
    # the score, its parts and the explanation, shown as advice
    expect(officer.locator("#score-value")).to_have_text(re.compile(r"\d"))
    expect(officer.locator("#parts")).to_contain_text("อายุขององค์กร")
    expect(officer.locator("#parts")).to_contain_text("ไม่มีข้อมูล")  # missing, not zero
    expect(officer.locator("#method")).to_contain_text("น้ำหนักตามมติผู้เชี่ยวชาญ")
    expect(officer.locator("main")).to_contain_text("ข้อเสนอแนะ")
    # an override without a real reason is refused by the service (the browser's own check lifted)
    officer.locator("#officer-value").fill("35")
    officer.locator("#reason").evaluate("e => e.removeAttribute('minlength')")
    officer.locator("#reason").fill("สั้น")
    with officer.expect_navigation():
        officer.locator("#override-form button[type=submit]").click()
    expect(officer.locator(".messages")).to_contain_text("บันทึกไม่ได้")
    expect(officer.locator("#overrides")).to_have_count(0)
    # with the reason it is kept beside the advice
    officer.locator("#officer-value").fill("35")
    officer.locator("#reason").fill(REASON)
    with officer.expect_navigation():
        officer.locator("#override-form button[type=submit]").click()
    expect(officer.locator("#overrides")).to_contain_text(REASON)
    # the overrides report
    officer.goto("/scoring/overrides/")
    expect(officer.locator("#override-report")).to_contain_text(REASON)
    expect(officer.locator("#override-report")).to_contain_text("กลุ่มออมทรัพย์ทดสอบดัชนี e2e")
    # the audit trail, read by the internal auditor
    auditor = pages["auditor"]
    auditor.goto("/audit/?action=scoring.override.create&actor=e2e_scoring_officer")
    expect(auditor.locator("main table")).to_contain_text("scoring.override.create")
    expect(auditor.locator("main table")).to_contain_text(REASON)
