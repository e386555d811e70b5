"""The risk-based annual audit plan, working papers filed in the documents app, and the engagement
report signed through the platform PKI and verified."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from pypdf import PdfReader

from codi.audit import planning, reports, services
from codi.audit.models import AuditPlan, EngagementReport, WorkingPaper
from codi.audit.services import AuditError
from codi.core.models import AuditEntry
from codi.documents.models import Document
from codi.identity.models import OrgUnit
from codi.people import services as people_services
from codi.signatures import services as signatures
from tests.audit.conftest import make_user
from tests.people.conftest import national_id
from tests.permissions import signed_in_client
from tests.projects.factories import tiny_png

pytestmark = pytest.mark.django_db
YEAR = 2570


def _risk(people, code, unit, likelihood, impact, residual_l, residual_i):
    return services.risk_save(
        actor=people["executive"], code=code, unit=unit, objective="o", event=f"เหตุการณ์ {code}", cause="c",
        likelihood=likelihood, impact=impact, residual_likelihood=residual_l, residual_impact=residual_i,
        owner=people["executive"], treatment="reduce", treatment_plan="", kri="", kri_limit=None,
        fiscal_year_be=YEAR,
    )  # fmt: skip


@pytest.fixture
def register(people):
    fin = OrgUnit.objects.get_or_create(code="HQ-FIN", defaults={"name_th": "ฝ่ายการเงินและบัญชี"})[0]
    hr = OrgUnit.objects.get_or_create(code="HQ-HR", defaults={"name_th": "ฝ่ายบริหารงานบุคคล"})[0]
    ne = OrgUnit.objects.get_or_create(code="R-NE", defaults={"name_th": "สำนักงานภาคอีสาน"})[0]
    _risk(people, "R-FIN-1", fin, 5, 5, 4, 4)  # residual 16
    _risk(people, "R-HR-1", hr, 3, 3, 2, 2)  # residual 4
    _risk(people, "R-NE-1", ne, 4, 5, 3, 4)  # residual 12
    _risk(people, "R-NE-2", ne, 4, 4, 3, 4)  # residual 12: same top score, larger sum than HQ-HR
    _risk(people, "R-ORG-1", None, 5, 4, 4, 3)  # residual 12, organization-wide
    return {"fin": fin, "hr": hr, "ne": ne}


def test_plan_ranks_units_by_the_register_and_is_approved_by_the_head(people, register):
    ranked = planning.auditable_units(fiscal_year_be=YEAR)
    assert [u.unit.code if u.unit else "-" for u in ranked] == ["HQ-FIN", "R-NE", "-", "HQ-HR"]
    assert (ranked[1].risk_score, ranked[1].risk_total, ranked[1].risk_count) == (12, 24, 2)
    with pytest.raises(PermissionDenied):  # risk owners do not plan the audit
        planning.plan_draft(actor=people["executive"], fiscal_year_be=YEAR)
    with pytest.raises(AuditError):  # an empty register: nothing to rank, nothing written
        planning.plan_draft(actor=people["auditor"], fiscal_year_be=YEAR + 1)
    assert not AuditPlan.objects.filter(fiscal_year_be=YEAR + 1).exists()
    plan = planning.plan_draft(actor=people["auditor"], fiscal_year_be=YEAR)
    rows = planning.planned_rows(plan)
    assert [(r.rank, r.quarter) for r in rows] == [(1, 1), (2, 2), (3, 3), (4, 4)]
    planning.planned_move(actor=people["auditor"], planned=rows[3], quarter="2")
    with pytest.raises(AuditError):
        planning.planned_move(actor=people["auditor"], planned=rows[3], quarter="5")
    with pytest.raises(PermissionDenied):  # the auditor prepares, the head approves
        planning.plan_approve(actor=people["auditor"], plan=plan)
    with pytest.raises(AuditError):  # not before approval
        planning.planned_start(actor=people["auditor"], planned=rows[0], scope="ขอบเขต")
    plan = planning.plan_approve(actor=people["executive"], plan=plan)
    assert plan.status == "approved" and plan.approved_by == people["executive"]
    with pytest.raises(AuditError):  # approved: frozen
        planning.plan_draft(actor=people["auditor"], fiscal_year_be=YEAR)
    with pytest.raises(AuditError):
        planning.planned_move(actor=people["auditor"], planned=rows[0], quarter="3")
    engagement = planning.planned_start(actor=people["auditor"], planned=rows[0], scope="การเบิกจ่าย")
    assert engagement.unit == register["fin"] and engagement.fiscal_year_be == YEAR
    with pytest.raises(AuditError):
        planning.planned_start(actor=people["auditor"], planned=rows[0], scope="อีกครั้ง")
    assert AuditEntry.objects.filter(action="eaudit.plan_approve", actor_id=people["executive"].pk).exists()


def test_plan_page_and_refusals(people, register, matrix):
    auditor = signed_in_client(people["auditor"])
    assert auditor.post("/e-audit/plan/", {"fiscal_year_be": YEAR, "action": "draft"}).status_code == 302
    html = auditor.get(f"/e-audit/plan/?year={YEAR}").content.decode()
    assert 'id="quarter-1"' in html and "ฝ่ายการเงินและบัญชี" in html and 'id="approve-plan"' not in html
    html = signed_in_client(people["executive"]).get(f"/e-audit/plan/?year={YEAR}").content.decode()
    assert 'id="approve-plan"' in html
    # the auditor cannot approve (403), the finance officer cannot even read
    assert auditor.post("/e-audit/plan/", {"fiscal_year_be": YEAR, "action": "approve"}).status_code == 403
    matrix.check(
        lambda c: c.get(f"/e-audit/plan/?year={YEAR}"), allowed=people["auditor"], wrong_role=people["maker"],
        out_of_scope=None,
    )  # fmt: skip


def test_working_papers_are_documents_numbered_and_reviewed_by_another(
    people, engagement, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    paper = planning.working_paper_add(
        actor=people["auditor"], engagement=engagement, title="ทดสอบการอนุมัติใบสำคัญจ่าย", data=tiny_png(),
        filename="wp.png",
    )  # fmt: skip
    document = Document.objects.get(pk=paper.document_id)
    assert paper.reference == f"{engagement.number}/WP-01" and document.title.startswith(paper.reference)
    assert document.classification == "secret" and document.versions.count() == 1
    with pytest.raises(AuditError):  # not a file the document store takes: nothing written
        planning.working_paper_add(
            actor=people["auditor"],
            engagement=engagement,
            title="ไฟล์เสีย",
            data=b"\x00garbage",
            filename="x.exe",
        )
    assert WorkingPaper.objects.count() == 1
    second = planning.working_paper_add(
        actor=people["auditor"],
        engagement=engagement,
        title="สรุปการสุ่มตัวอย่าง",
        data=tiny_png(),
        filename="s.png",
    )
    assert second.reference.endswith("/WP-02")
    with pytest.raises(AuditError):  # the preparer does not review their own paper
        planning.working_paper_review(actor=people["auditor"], paper=paper)
    with pytest.raises(PermissionDenied):
        planning.working_paper_review(actor=people["executive"], paper=paper)
    with pytest.raises(AuditError, match="audit team"):  # an auditor off the team does not review
        planning.working_paper_review(actor=people["auditor2"], paper=paper)
    with pytest.raises(PermissionDenied):  # only the lead names the team
        planning.engagement_team_set(
            actor=people["auditor2"], engagement=engagement, members=[people["auditor2"]]
        )
    planning.engagement_team_set(actor=people["auditor"], engagement=engagement, members=[people["auditor2"]])
    planning.working_paper_review(actor=people["auditor2"], paper=paper, note="ครบถ้วน")
    with pytest.raises(AuditError):
        planning.working_paper_review(actor=people["auditor2"], paper=paper)
    html = signed_in_client(people["auditor2"]).get(f"/e-audit/engagements/{engagement.pk}/").content.decode()
    assert f"/documents/{paper.document_id}/" in html and paper.reference in html and "ครบถ้วน" in html


def test_engagement_report_is_signed_by_the_lead_and_verifies(people, engagement, settings, tmp_path, matrix):
    settings.MEDIA_ROOT = tmp_path
    planning.engagement_team_set(actor=people["auditor"], engagement=engagement, members=[people["auditor2"]])
    signatures.pki_init()
    services.finding_raise(
        actor=people["auditor"], engagement=engagement, title="จ่ายซ้ำ", condition="จ่ายซ้ำสองครั้ง",
        criteria="ระเบียบการจ่ายเงิน", cause="ไม่ตรวจเลขใบแจ้งหนี้", effect="เสียหาย 45,000 บาท",
        recommendation="ตรวจเลขใบแจ้งหนี้ก่อนจ่าย", owner=people["executive"],
    )  # fmt: skip
    paper = planning.working_paper_add(
        actor=people["auditor"], engagement=engagement, title="กระดาษทำการ", data=tiny_png(), filename="a.png"
    )
    with pytest.raises(AuditError):  # a paper awaits review
        reports.report_sign(actor=people["auditor"], engagement=engagement)
    planning.working_paper_review(actor=people["auditor2"], paper=paper)
    with pytest.raises(PermissionDenied):  # only the lead signs
        reports.report_sign(actor=people["auditor2"], engagement=engagement)
    with pytest.raises(AuditError) as refused:  # no signing certificate: nothing kept
        reports.report_sign(actor=people["auditor"], engagement=engagement)
    assert "certificate" in refused.value.message_en and not EngagementReport.objects.exists()
    signatures.certificate_issue(actor=people["auditor"], user=people["auditor"], second_factor_verified=True)
    reports.report_sign(actor=people["auditor"], engagement=engagement)
    pdf, signed = reports.report_bytes(engagement=engagement)
    assert signed and pdf.startswith(b"%PDF")
    verified = signatures.pdf_verify(pdf=pdf)
    assert verified.is_valid and len(verified.signatures) == 1
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert engagement.number in text and f"{engagement.number}/WP-01" in text
    with pytest.raises(AuditError):  # signed once
        reports.report_sign(actor=people["auditor"], engagement=engagement)
    url = f"/e-audit/engagements/{engagement.pk}/report.pdf"
    response = signed_in_client(people["auditor2"]).get(url)
    assert response.status_code == 200 and response.content == pdf
    api = f"/api/v1/audit/engagements/{engagement.pk}/report"
    meta = signed_in_client(people["auditor2"]).get(api).json()
    assert (
        meta["sha256"] == EngagementReport.objects.get().sha256
        and meta["signed_by_id"] == people["auditor"].pk
    )
    assert signed_in_client(people["auditor2"]).get(meta["pdf_url"]).content == pdf
    for each in (api, meta["pdf_url"]):
        matrix.check(
            lambda c, each=each: c.get(each), allowed=people["auditor2"], wrong_role=people["maker"],
            out_of_scope=people["director"],
        )  # fmt: skip
    matrix.check(
        lambda c: c.get(url),
        allowed=people["auditor"],
        wrong_role=people["maker"],
        out_of_scope=people["director"],
    )


def test_working_paper_files_open_only_to_the_team_and_the_head_of_internal_audit(
    people, engagement, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    outsider = make_user("internal_auditor")  # country-wide auditor, not on this engagement
    head = make_user("internal_auditor")
    audit_unit = OrgUnit.objects.get_or_create(
        code=planning.AUDIT_UNIT, defaults={"name_th": "สำนักตรวจสอบภายใน"}
    )[0]
    people_services.employee_create(
        actor=None, employee_no="IA0001", first_name_th="สมใจ", last_name_th="ตรวจภายใน", position="ผู้อำนวยการ",
        org_unit=audit_unit, salary="60000.00", start_date=date(2020, 1, 1), national_id=national_id(777),
        bank_code="006", bank_account="5556667778", user=head, is_unit_head=True,
    )  # fmt: skip
    page = f"/e-audit/engagements/{engagement.pk}/"
    team_post = {"action": "team", "member": [people["auditor2"].pk]}
    assert signed_in_client(outsider).post(page, team_post).status_code == 403  # only the lead names the team
    lead = signed_in_client(people["auditor"])
    assert 'id="team-form"' in lead.get(page).content.decode()
    assert lead.post(page, team_post).status_code == 302
    assert set(engagement.team.all()) == {people["auditor"], people["auditor2"]}
    paper = planning.working_paper_add(
        actor=people["auditor2"],
        engagement=engagement,
        title="หลักฐานการจ่าย",
        data=tiny_png(),
        filename="e.png",
    )
    with pytest.raises(AuditError, match="audit team"):  # an outsider files nothing here
        planning.working_paper_add(
            actor=outsider, engagement=engagement, title="x", data=tiny_png(), filename="x.png"
        )
    document_url = f"/documents/{paper.document_id}/"
    file_url = f"/api/v1/documents/documents/{paper.document_id}/versions/1/file"
    for reader in (people["auditor"], people["auditor2"], head):
        client = signed_in_client(reader)
        assert client.get(document_url).status_code == 200 and client.get(file_url).status_code == 200
    refused = signed_in_client(outsider)
    assert refused.get(document_url).status_code in {403, 404} and refused.get(file_url).status_code in {
        403,
        404,
    }
    html = refused.get(
        f"/e-audit/engagements/{engagement.pk}/"
    ).content.decode()  # sees the paper, not its file
    assert paper.reference in html and document_url not in html and 'id="evidence-restricted"' in html
    # taken off the team: the files close to them too
    planning.engagement_team_set(actor=people["auditor"], engagement=engagement, members=[])
    assert signed_in_client(people["auditor2"]).get(file_url).status_code in {403, 404}
    assert signed_in_client(head).get(file_url).status_code == 200
