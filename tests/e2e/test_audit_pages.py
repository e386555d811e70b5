"""e-Audit's newer pages in a real browser: the engagement lead sets the team, the unit head signs
the internal-control self-assessment through the PKI and the signed PDF downloads, and the
situation room's map link opens the areas' choropleth with the e-Audit indicator.

Fresh accounts of this test (a lead and a member auditor, an executive who heads a unit and holds a
certificate), a complete assessment and an engagement are made through the services in a
``manage.py shell`` on the server's database; everything else goes through the browser.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import DEMO_PASSWORD, Server
from tests.e2e.test_audit_journey import _sign_in, _submit

pytestmark = [pytest.mark.e2e]

SETUP = """
from datetime import date
from codi.audit import assessments as control, services
from codi.audit.models import Component
from codi.identity.models import OrgUnit
from codi.identity.services import role_assign, user_create
from codi.people import services as people_services
from codi.signatures import services as signatures
users = {}
for name, role in (("e2e_ap_lead", "internal_auditor"), ("e2e_ap_member", "internal_auditor"),
                   ("e2e_ap_head", "executive")):
    users[name] = user_create(actor=None, username=name, password=PASSWORD, name_th=name)
    role_assign(actor=None, user=users[name], role=role, scope_level="country", scope_code="")
unit = OrgUnit.objects.get_or_create(code="E2E-AP", defaults={"name_th": "ฝ่ายทดสอบการควบคุมภายใน"})[0]
body = "190000000777"
nid = body + str((11 - sum(int(d) * (13 - i) for i, d in enumerate(body)) % 11) % 10)
people_services.employee_create(
    actor=None, employee_no="E2EAP1", first_name_th="สมหญิง", last_name_th="หัวหน้าฝ่าย", position="ผู้อำนวยการฝ่าย",
    org_unit=unit, salary="50000.00", start_date=date(2020, 1, 1), national_id=nid, bank_code="006",
    bank_account="1112223334", user=users["e2e_ap_head"], is_unit_head=True,
)
year = services._fiscal_year_be()
items = {c.value: {"rating": "4", "evidence": "บันทึกการประชุมคณะทำงาน", "gaps": "", "improvement": ""}
         for c in Component}
control.assessment_save(actor=users["e2e_ap_head"], unit=unit, fiscal_year_be=year, items=items)
signatures.pki_init()
signatures.certificate_issue(actor=users["e2e_ap_head"], user=users["e2e_ap_head"], second_factor_verified=True)
engagement = services.engagement_create(actor=users["e2e_ap_lead"], title="ตรวจสอบการเบิกจ่าย (ทดสอบ)",
                                        scope="ใบสำคัญจ่าย", fiscal_year_be=year)
print("IDS", engagement.pk, users["e2e_ap_member"].pk, year)
"""


@pytest.fixture
def pages(browser: Browser, e2e_server: Server) -> Iterator[tuple[dict[str, Page], list[str]]]:
    out = e2e_server.manage("shell", "-c", SETUP.replace("PASSWORD", repr(DEMO_PASSWORD)), timeout=300)
    ids = next(line.split()[1:] for line in out.splitlines() if line.startswith("IDS "))
    contexts, result = [], {}
    for role, username in (("lead", "e2e_ap_lead"), ("head", "e2e_ap_head")):
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


def test_team_signed_self_assessment_and_situation_map(pages) -> None:
    (by, (engagement_id, member_id, year)) = pages
    lead, head = by["lead"], by["head"]

    # 1. The lead names the team on the engagement page; the member stays checked after the save.
    lead.goto(f"/e-audit/engagements/{engagement_id}/")
    member = lead.locator(f'#team-form input[name=member][value="{member_id}"]')
    expect(member).not_to_be_checked()
    member.check()
    _submit(lead, "#team-form button")
    expect(lead.locator(f'#team-form input[name=member][value="{member_id}"]')).to_be_checked()

    # 2. The unit head signs the complete self-assessment; the signed PDF downloads.
    head.goto(f"/e-audit/assessments/?year={year}")
    section = head.locator("#assessment-E2E-AP")
    expect(section).to_contain_text("ฝ่ายทดสอบการควบคุมภายใน")
    _submit(head, "#assessment-E2E-AP form button")
    link = head.locator("#assessment-E2E-AP .signature a")
    expect(link).to_have_attribute("href", re.compile(r"/e-audit/assessments/\d+/signed\.pdf$"))
    pdf = head.request.get(link.get_attribute("href") or "")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF") and b"/ByteRange" in pdf.body()  # a PAdES signature

    # 3. The situation room links to the areas' map with the open-findings indicator.
    lead.goto("/e-audit/situation/")
    lead.locator("#situation-map").click()
    expect(lead).to_have_url(re.compile(r"/areas/map/\?indicator=eaudit_findings"))
    expect(lead.get_by_test_id("choropleth")).to_have_attribute("data-ready", "true")
    values = lead.request.get("/api/v1/areas/indicators/eaudit_findings?level=district&province=40")
    assert values.status == 200 and "values" in values.json()
