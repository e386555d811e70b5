"""The engagement report (รายงานผลการตรวจสอบ) as a Thai PDF, signed through the platform PKI.

Rendered with ``codi.core.pdf.render_pdf`` (WeasyPrint, Sarabun) from the engagement, its findings
(condition, criteria, cause, effect, recommendation, management response, follow-up) and its
working papers; signed by the engagement's lead with ``codi.signatures.services.pdf_render_sign``
(PAdES B-LT, visible stamp), as lending signs its loan contracts. Signed once; the signed file is
kept and never replaced. Refused: a lead who is not the signer, a working paper still awaiting
review, a signer without a usable certificate (the PKI's message).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from codi.audit.models import Engagement, EngagementReport
from codi.audit.services import AuditError, _require
from codi.core.audit import audit_record
from codi.core.pdf import render_pdf
from codi.core.thaidate import thai_date
from codi.identity.roles import Perm
from codi.signatures.services import PkiError, pdf_render_sign


def report_context(engagement: Engagement) -> dict[str, Any]:
    findings = list(
        engagement.findings.select_related("owner").prefetch_related("responses__action_owner", "follow_ups")
    )
    return {
        "e": engagement,
        "findings": findings,
        "papers": list(engagement.working_papers.select_related("prepared_by", "reviewed_by")),
        "team": list(engagement.team.all()),
        "date_text": thai_date(timezone.localdate(), full_month=True),
    }


def report_render(*, engagement: Engagement) -> bytes:
    return render_pdf("eaudit/engagement_report_pdf.html", report_context(engagement))


def report_sign(*, actor: Any, engagement: Engagement) -> EngagementReport:
    """Print and sign the engagement report as its lead (see the module docstring)."""
    _require(actor, Perm.EAUDIT_AUDIT)
    if engagement.lead_id != actor.pk:
        raise PermissionDenied
    if EngagementReport.objects.filter(engagement=engagement).exists():
        raise AuditError("รายงานนี้ลงนามแล้ว", "The report is already signed")
    if engagement.working_papers.filter(reviewed_at__isnull=True).exists():
        raise AuditError(
            "ยังมีกระดาษทำการที่รอสอบทาน ลงนามรายงานไม่ได้", "A working paper is still awaiting review"
        )
    try:
        signed = pdf_render_sign(
            signer=actor, template="eaudit/engagement_report_pdf.html", context=report_context(engagement),
            reason=f"ลงนามรายงานผลการตรวจสอบ {engagement.number}", location="สถาบันพัฒนาองค์กรชุมชน",
        )  # fmt: skip
    except PkiError as exc:
        raise AuditError(exc.thai, exc.english) from None
    with transaction.atomic():
        Engagement.objects.select_for_update().get(pk=engagement.pk)
        if EngagementReport.objects.filter(engagement=engagement).exists():
            raise AuditError("รายงานนี้ลงนามแล้ว", "The report is already signed")
        report = EngagementReport(
            engagement=engagement,
            sha256=signed.sha256,
            signed_by=actor,
            pdf=signed.file(f"report-{engagement.number}"),
        )
        report.save()
        audit_record(
            actor=actor, action="eaudit.report_sign", object_type="eaudit.Engagement", object_id=engagement.pk,
            changes={"sha256": signed.sha256, "size": len(signed.data)},
        )  # fmt: skip
    return report


def report_bytes(*, engagement: Engagement) -> tuple[bytes, bool]:
    """The signed report when there is one, else a fresh unsigned print; and whether it is signed."""
    report = EngagementReport.objects.filter(engagement=engagement).first()
    if report is not None:
        with report.pdf.open("rb") as handle:
            return bytes(handle.read()), True
    return report_render(engagement=engagement), False
