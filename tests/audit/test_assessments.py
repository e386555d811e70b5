"""Internal-control self-assessment (signed only by the unit head), the report PDF, and the live
people feed: a vendor paid into an employee's salary account."""

from __future__ import annotations

import hashlib
import io
import os
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from pypdf import PdfReader

from codi.audit import assessments, services
from codi.audit.models import AuditException, Component, ControlAssessment
from codi.audit.services import AuditError
from codi.core.models import AuditEntry
from codi.identity.models import OrgUnit
from codi.people import services as people_services
from codi.signatures import services as signatures
from tests.audit.conftest import make_user
from tests.people.conftest import national_id
from tests.permissions import signed_in_client

pytestmark = pytest.mark.django_db

ITEMS = {
    c.value: {"rating": "4", "evidence": f"บันทึกการประชุม {c.value}", "gaps": "", "improvement": ""}
    for c in Component
}


def _hire(unit, n, *, user=None, head=False, account=None):
    return people_services.employee_create(
        actor=None, employee_no=f"A{n:04d}", first_name_th=f"สมหญิง{n}", last_name_th="ตรวจดี", position="หัวหน้าฝ่าย",
        org_unit=unit, salary="50000.00", start_date=date(2020, 1, 1), national_id=national_id(900 + n),
        bank_code="006", bank_account=account or f"99988877{n:02d}", user=user, is_unit_head=head,
    )  # fmt: skip


@pytest.fixture
def unit(db) -> OrgUnit:
    return OrgUnit.objects.get_or_create(code="HQ-FIN", defaults={"name_th": "ฝ่ายการเงินและบัญชี"})[0]


def test_only_the_unit_head_signs_a_complete_assessment_through_the_pki(
    people, unit, settings, tmp_path, matrix
):
    settings.MEDIA_ROOT = tmp_path
    head = make_user(None)
    _hire(unit, 1, user=head, head=True)
    _hire(unit, 2, user=people["maker"])  # works in the unit, not its head
    partial = {k: v for k, v in ITEMS.items() if k != Component.MONITORING}
    with pytest.raises(PermissionDenied):
        assessments.assessment_save(actor=people["maker"], unit=unit, fiscal_year_be=2570, items=ITEMS)
    with pytest.raises(AuditError, match="rating"):
        assessments.assessment_save(
            actor=head, unit=unit, fiscal_year_be=2570, items={"monitoring": {"rating": "7", "evidence": "x"}}
        )
    with pytest.raises(AuditError, match="evidence"):
        assessments.assessment_save(
            actor=head, unit=unit, fiscal_year_be=2570, items={"monitoring": {"rating": "3", "evidence": " "}}
        )
    assert not ControlAssessment.objects.exists()
    assessment = assessments.assessment_save(actor=head, unit=unit, fiscal_year_be=2570, items=partial)
    with pytest.raises(AuditError, match="not assessed: monitoring"):
        assessments.assessment_sign(actor=head, assessment=assessment)
    assessments.assessment_save(actor=people["executive"], unit=unit, fiscal_year_be=2570, items=ITEMS)
    for who in (people["maker"], people["executive"], people["auditor"]):
        with pytest.raises(AuditError, match="head of the unit"):
            assessments.assessment_sign(actor=who, assessment=assessment)
    assessment.refresh_from_db()
    assert (
        assessment.signed_at is None
        and not AuditEntry.objects.filter(action="eaudit.assessment_sign").exists()
    )
    signatures.pki_init()
    with pytest.raises(AuditError) as refused:  # the head has no signing certificate: nothing kept
        assessments.assessment_sign(actor=head, assessment=assessment)
    assessment.refresh_from_db()
    assert "certificate" in refused.value.message_en and assessment.signed_at is None and not assessment.pdf
    signatures.certificate_issue(actor=head, user=head, second_factor_verified=True)
    assessments.assessment_sign(actor=head, assessment=assessment)
    assert assessment.signed_by == head and assessment.items.count() == 5
    with pytest.raises(AuditError, match="signed"):
        assessments.assessment_save(actor=head, unit=unit, fiscal_year_be=2570, items=ITEMS)
    with pytest.raises(AuditError, match="already signed"):
        assessments.assessment_sign(actor=head, assessment=assessment)
    with assessment.pdf.open("rb") as handle:
        pdf = handle.read()
    assert hashlib.sha256(pdf).hexdigest() == assessment.sha256
    verified = signatures.pdf_verify(pdf=pdf)
    assert verified.is_valid and len(verified.signatures) == 1
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert unit.name_th in text and "บันทึกการประชุม monitoring" in text
    url = f"/e-audit/assessments/{assessment.pk}/signed.pdf"
    for reader in (head, people["auditor"]):  # the unit head and internal audit download the kept file
        response = signed_in_client(reader).get(url)
        assert response.status_code == 200 and response.content == pdf
    assert AuditEntry.objects.filter(action="eaudit.assessment_pdf", actor_id=head.pk).exists()
    matrix.check(  # a colleague in the unit, not its head, and a regional director are refused
        lambda c: c.get(url),
        allowed=people["executive"],
        wrong_role=people["maker"],
        out_of_scope=people["director"],
    )


def test_report_pdf_with_heat_map_and_assessment(people, unit):
    services.risk_save(
        actor=people["executive"], code="R-1", objective="o", event="จ่ายซ้ำ", cause="c", likelihood=4, impact=5,
        residual_likelihood=2, residual_impact=3, owner=people["executive"], treatment="reduce",
    )  # fmt: skip
    assessments.assessment_save(actor=people["executive"], unit=unit, fiscal_year_be=2570, items=ITEMS)
    pdf = assessments.report_pdf(actor=people["auditor"], fiscal_year_be=2570)
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000
    if target := os.environ.get("AUDIT_REPORT_PDF"):  # keep the rendered report as an artifact
        Path(target).write_bytes(pdf)
    with pytest.raises(PermissionDenied):
        assessments.report_pdf(actor=people["maker"], fiscal_year_be=2570)


def test_vendor_paid_into_an_employee_salary_account(people, planted, unit):
    _hire(unit, 3, account="1234567890")  # the planted vendor's account
    _hire(unit, 4)
    services.analytics_run(actor=people["auditor"])
    shared = AuditException.objects.filter(rule="vendor_employee_bank")
    records = sorted(shared.values_list("record_id", flat=True))
    assert len(records) == 2 and records[0] == "employee:A0003" and records[1].startswith("vendor:")
    assert {e.source_type for e in shared} == {"finance.Vendor", "people.Employee"}
