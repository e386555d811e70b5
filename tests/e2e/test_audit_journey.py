"""e-Audit in a real browser: the analytics find the planted duplicate payment, the auditor opens
the evidence (the voucher and its audit-trail entries) and raises a finding, management responds,
and the follow-up closes it — refused first without evidence.

The finance and e-Audit demos are loaded (``load_audit_demo`` plants two vouchers quoting the same
invoice SC-2569-118); the auditor and the responsible executive are fresh accounts of this test.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import DEMO_PASSWORD, Server
from tests.e2e.test_journey import totp

pytestmark = [pytest.mark.e2e]

SETUP = """
from codi.identity.services import role_assign, user_create
for name, role in (("e2e_audit_auditor", "internal_auditor"), ("e2e_audit_exec", "executive")):
    user = user_create(actor=None, username=name, password=PASSWORD, name_th=name)
    role_assign(actor=None, user=user, role=role, scope_level="country", scope_code="")
    print("USER", name, user.pk)
"""


def _submit(page: Page, selector: str) -> None:
    """Click a form's button and wait for the page it leads to (the server may be slow to start
    the process engine on a loaded machine; the context's 20 s timeout applies)."""
    form = selector.split()[0]
    invalid = page.evaluate(
        f"Array.from(document.querySelectorAll('{form} :invalid')).map(e => (e.id || e.name) + '=' + e.value)"
    )
    assert not invalid, f"{form}: fields the browser refuses: {invalid}"
    with page.expect_navigation(timeout=90_000):
        page.locator(selector).click()


def _sign_in(page: Page, username: str) -> None:
    page.goto("/e-audit/")
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
    page.goto("/e-audit/")


@pytest.fixture
def pages(browser: Browser, e2e_server: Server) -> Iterator[tuple[dict[str, Page], dict[str, str]]]:
    e2e_server.manage("load_finance_demo", timeout=300)
    e2e_server.manage("load_audit_demo", timeout=300)
    out = e2e_server.manage("shell", "-c", SETUP.replace("PASSWORD", repr(DEMO_PASSWORD)))
    ids = {line.split()[1]: line.split()[2] for line in out.splitlines() if line.startswith("USER ")}
    contexts, result = [], {}
    for role, username in (("auditor", "e2e_audit_auditor"), ("executive", "e2e_audit_exec")):
        context = browser.new_context(
            base_url=e2e_server.base_url, locale="th-TH", timezone_id="Asia/Bangkok"
        )
        context.set_default_timeout(20_000)
        contexts.append(context)
        result[role] = context.new_page()
        _sign_in(result[role], username)
    try:
        yield result, ids
    finally:
        for context in contexts:
            context.close()


def test_duplicate_found_evidence_finding_response_closed(pages) -> None:
    (by, ids) = pages
    auditor, executive = by["auditor"], by["executive"]

    # 1. The auditor runs the analytics; the planted duplicate pair is in the queue.
    auditor.goto("/e-audit/exceptions/?rule=duplicate_payment")
    _submit(auditor, "#run-analytics")
    expect(auditor).to_have_url(re.compile(r"/e-audit/exceptions/"))
    auditor.goto("/e-audit/exceptions/?rule=duplicate_payment&status=open")
    rows = auditor.locator("#exception-queue tbody tr[data-rule=duplicate_payment]")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("SC-2569-118")

    # 2. The evidence: the other voucher of the group, the voucher itself, its audit trail.
    rows.first.locator("a").first.click()
    expect(auditor.locator("#exception-group tbody tr")).to_have_count(2)
    expect(auditor.locator("#audit-trail")).to_contain_text("finance.voucher_check")
    expect(auditor.locator("#audit-trail")).to_contain_text("finance.voucher_create")
    evidence_url = auditor.url
    voucher_href = auditor.locator("#source-link").get_attribute("href") or ""
    assert re.fullmatch(r"/finance/vouchers/\d+/", voucher_href), voucher_href
    auditor.locator("#source-link").click()
    expect(auditor.locator("h1")).to_contain_text("PV")
    expect(auditor.locator("main")).to_contain_text("SC-2569-118")
    auditor.goto(evidence_url)

    # 3. The auditor raises a finding on the pair, for the executive to answer.
    form = auditor.locator("#raise-finding")
    form.locator("#f-cr").fill("ระเบียบกระทรวงการคลังว่าด้วยการเบิกเงินจากคลัง: จ่ายตามใบแจ้งหนี้ครั้งเดียว")
    form.locator("#f-ca").fill("ไม่เทียบเลขที่ใบแจ้งหนี้กับรายการที่จ่ายแล้ว")
    form.locator("#f-ef").fill("อาจจ่ายซ้ำ 45,000 บาท")
    form.locator("#f-r").fill("เทียบเลขที่ใบแจ้งหนี้ก่อนอนุมัติ และเรียกเงินคืนหากจ่ายแล้ว")
    form.locator("#f-o").select_option(value=ids["e2e_audit_exec"])
    _submit(auditor, "#raise-finding button")
    expect(auditor).to_have_url(re.compile(r"/e-audit/findings/\d+/"))
    finding_url = auditor.url
    expect(auditor.locator("#current-step")).to_have_attribute("data-task", "respond")
    expect(auditor.locator("#finding-evidence li")).to_have_count(2)
    expect(auditor.locator("#respond")).to_have_count(0)  # the auditor does not answer for management

    # 4. The executive finds it in the inbox and responds with an owner and a due date.
    executive.goto("/e-audit/")
    executive.locator("#to-respond a").first.click()
    expect(executive).to_have_url(finding_url)
    executive.locator("#r-p").fill("เรียกเงินคืนจากผู้ขาย และเพิ่มการตรวจเลขที่ใบแจ้งหนี้ซ้ำในระบบ")
    due = timezone.localdate() + timedelta(days=30)
    # The Thai date field (codi/thai-date.js) takes day/month/Buddhist-Era year and sends ISO.
    executive.locator("#r-d.thai-date").fill(f"{due.day:02d}/{due.month:02d}/{due.year + 543}")
    _submit(executive, "#respond button")
    expect(executive.locator("#current-step")).to_have_attribute("data-task", "follow_up")
    expect(executive.locator("#responses tbody tr")).to_have_count(1)

    # 5. Follow-up: closing without evidence is refused, with evidence it closes.
    auditor.goto(finding_url)
    auditor.locator("#follow-up input[value=close]").check()
    auditor.locator("#u-n").fill("ตรวจใบเสร็จรับเงินคืนแล้ว")
    _submit(auditor, "#follow-up button")
    expect(auditor.locator(".messages, [role=alert]").first).to_contain_text("หลักฐาน")
    expect(auditor.locator("#current-step")).to_have_attribute("data-task", "follow_up")
    auditor.locator("#follow-up input[value=close]").check()
    auditor.locator("#u-n").fill("ตรวจใบเสร็จรับเงินคืนแล้ว")
    auditor.locator("#u-e").fill("ใบเสร็จรับเงิน RC2570-00001 ลงวันที่คืนเงิน")
    _submit(auditor, "#follow-up button")
    expect(auditor.locator("#current-step")).to_have_attribute("data-task", "")
    expect(auditor.locator("#finding-status")).to_contain_text("ปิด")
    expect(auditor.locator("#follow-ups tbody tr")).to_have_count(1)
    # the diagram lit the end: the engine state has no current step and the end event completed
    state = auditor.locator("#diagram-state").inner_text()
    assert '"current": []' in state and "end_closed" in state
