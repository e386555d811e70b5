"""Internal-control self-assessment per unit (the five components of the MoF 2561 standards) and the
yearly report: the risk heat maps and the assessments as a PDF.

The head of the unit signs the assessment: who that is comes from people's records (an employee
marked head of the unit, still employed), read through ``codi.people.audit_feed``. Anyone else is
refused and nothing is written. Signing prints the unit's assessment and signs it through the platform
PKI (``codi.signatures.services.pdf_render_sign``, PAdES B-LT, visible stamp), as the engagement
report is signed; the signed PDF and its SHA-256 are kept with the assessment and never replaced.
A head without a usable certificate is refused with the PKI's message, nothing written.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from codi.audit import selectors
from codi.audit.models import Component, ControlAssessment, ControlAssessmentItem, Risk
from codi.audit.services import AuditError, _fiscal_year_be
from codi.core.audit import audit_record
from codi.core.pdf import render_pdf
from codi.core.thaidate import thai_date
from codi.identity.models import OrgUnit
from codi.people import audit_feed as people_feed
from codi.signatures.services import PkiError, pdf_render_sign


def _is_head(actor: Any, unit: OrgUnit) -> bool:
    return getattr(actor, "pk", None) in people_feed.unit_head_user_ids(unit.code)


def can_edit(actor: Any, unit: OrgUnit) -> bool:
    return selectors.can_manage_risk(actor) or _is_head(actor, unit)


def assessment_save(
    *, actor: Any, unit: OrgUnit, fiscal_year_be: int, items: dict[str, dict[str, Any]], is_demo: bool = False
) -> ControlAssessment:
    """Create or update the unit's assessment for the year; every component named is checked."""
    if not can_edit(actor, unit):
        raise PermissionDenied
    if not 2500 <= int(fiscal_year_be) <= 2700:
        raise AuditError("ปีงบประมาณ (พ.ศ.) ไม่ถูกต้อง", "Fiscal year (B.E.) out of range")
    clean: dict[str, dict[str, Any]] = {}
    for component, values in items.items():
        if component not in Component.values:
            raise AuditError("องค์ประกอบไม่ถูกต้อง", f"Unknown component {component!r}")
        label = Component(component).label
        try:
            rating = int(str(values.get("rating", "")).strip())
        except ValueError:
            rating = 0
        if not 1 <= rating <= 5:
            raise AuditError(f"{label}: ระดับต้องเป็น 1 ถึง 5", f"{component}: rating must be 1 to 5")
        evidence = str(values.get("evidence", "")).strip()
        if not evidence:
            raise AuditError(f"{label}: กรุณาระบุหลักฐาน", f"{component}: evidence is required")
        clean[component] = {
            "rating": rating, "evidence": evidence[:500], "gaps": str(values.get("gaps", ""))[:5000],
            "improvement": str(values.get("improvement", ""))[:5000],
        }  # fmt: skip
    with transaction.atomic():
        assessment, _created = ControlAssessment.objects.select_for_update().get_or_create(
            unit=unit, fiscal_year_be=fiscal_year_be, defaults={"created_by": actor, "is_demo": is_demo}
        )
        if assessment.signed_at is not None:
            raise AuditError("แบบประเมินนี้ลงนามแล้ว แก้ไขไม่ได้", "The assessment is signed and cannot change")
        for component, values in clean.items():
            ControlAssessmentItem.objects.update_or_create(
                assessment=assessment, component=component, defaults=values
            )
        audit_record(
            actor=actor, action="eaudit.assessment_save", object_type="eaudit.ControlAssessment",
            object_id=assessment.pk, changes={"unit": unit.code, "year": fiscal_year_be, "components": sorted(clean)},
        )  # fmt: skip
    return assessment


def _sign_checks(actor: Any, row: ControlAssessment) -> None:
    if not _is_head(actor, row.unit):
        raise AuditError(
            "ผู้ลงนามต้องเป็นหัวหน้าหน่วยงานนี้", "Only the head of the unit may sign its self-assessment"
        )
    if row.signed_at is not None:
        raise AuditError("แบบประเมินนี้ลงนามแล้ว", "The assessment is already signed")
    done = set(row.items.values_list("component", flat=True))
    missing = [c for c in Component if c.value not in done]
    if missing:
        raise AuditError(
            f"ยังประเมินไม่ครบ: {', '.join(str(c.label) for c in missing)}",
            f"Components not assessed: {', '.join(c.value for c in missing)}",
        )


def assessment_context(assessment: ControlAssessment, *, signer: Any) -> dict[str, Any]:
    return {
        "a": assessment, "items": list(assessment.items.order_by("id")), "signer": signer,
        "date_text": thai_date(timezone.localdate(), full_month=True),
    }  # fmt: skip


def assessment_sign(*, actor: Any, assessment: ControlAssessment) -> ControlAssessment:
    """The head of the unit signs the complete assessment through the PKI; anyone else is refused."""
    row = ControlAssessment.objects.select_related("unit").get(pk=assessment.pk)
    _sign_checks(actor, row)
    try:
        signed = pdf_render_sign(
            signer=actor, template="eaudit/assessment_pdf.html", context=assessment_context(row, signer=actor),
            reason=f"ลงนามแบบประเมินการควบคุมภายใน {row.unit.name_th} ปีงบประมาณ {row.fiscal_year_be}",
            location="สถาบันพัฒนาองค์กรชุมชน",
        )  # fmt: skip
    except PkiError as exc:
        raise AuditError(exc.thai, exc.english) from None
    with transaction.atomic():
        row = ControlAssessment.objects.select_for_update().select_related("unit").get(pk=assessment.pk)
        _sign_checks(actor, row)  # again under the lock: a concurrent edit or signature wins
        row.signed_by, row.signed_at, row.sha256 = actor, timezone.now(), signed.sha256
        row.pdf = signed.file(f"assessment-{row.unit.code}-{row.fiscal_year_be}")
        row.save(update_fields=["signed_by", "signed_at", "sha256", "pdf"])
        audit_record(
            actor=actor, action="eaudit.assessment_sign", object_type="eaudit.ControlAssessment", object_id=row.pk,
            changes={"unit": row.unit.code, "year": row.fiscal_year_be, "sha256": signed.sha256, "size": len(signed.data)},
        )  # fmt: skip
    assessment.refresh_from_db()
    return assessment


def can_read_assessment(actor: Any, assessment: ControlAssessment) -> bool:
    """Internal audit and risk management organization-wide, and the head of the assessed unit."""
    return selectors.can_view(actor) or selectors.can_manage_risk(actor) or _is_head(actor, assessment.unit)


def assessment_pdf(*, actor: Any, assessment: ControlAssessment) -> bytes:
    """The signed PDF as kept (only once signed); refused outside ``can_read_assessment``. Audited."""
    if not can_read_assessment(actor, assessment):
        raise PermissionDenied
    if not assessment.pdf:
        raise AuditError("แบบประเมินนี้ยังไม่ได้ลงนาม", "The assessment is not signed yet")
    with assessment.pdf.open("rb") as handle:
        data = bytes(handle.read())
    audit_record(
        actor=actor, action="eaudit.assessment_pdf", object_type="eaudit.ControlAssessment", object_id=assessment.pk,
        changes={"sha256": assessment.sha256},
    )  # fmt: skip
    return data


def report_pdf(*, actor: Any, fiscal_year_be: int | None = None) -> bytes:
    """The yearly risk and internal-control report: heat maps, the register, the assessments."""
    if not (selectors.can_view(actor) or selectors.can_manage_risk(actor)):
        raise PermissionDenied
    year = fiscal_year_be or _fiscal_year_be()
    risks: list[Risk] = list(selectors.risks(actor=actor))
    assessments = ControlAssessment.objects.filter(fiscal_year_be=year).select_related("unit", "signed_by")
    audit_record(actor=actor, action="eaudit.report_pdf", object_type="eaudit.Report", object_id=year)
    return render_pdf(
        "eaudit/report_pdf.html",
        {
            "year": year, "risks": risks, "inherent": selectors.heat_map(risks),
            "residual": selectors.heat_map(risks, residual=True), "scale": range(1, 6),
            "assessments": [(a, list(a.items.all())) for a in assessments], "components": dict(Component.choices),
            "now": timezone.localtime(),
        },
    )  # fmt: skip
