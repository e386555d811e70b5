"""A community's correction requests on the data behind its score, and the officers' answers.

A community account (the portal) may ask about its own organizations only; an officer answers
for the organizations in their area. When the data are the requester's own personal data and
they give their national ID, a PDPA s.35 rectification request is filed with the privacy app in
the same transaction, so its 30-day clock starts and the privacy officer sees it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from codi.core.audit import audit_record
from codi.privacy.models import ConsentChannel, RequestKind
from codi.privacy.services import dsr_create
from codi.projects.selectors import portal_organization_ids
from codi.scoring.indicators import indicator
from codi.scoring.models import CorrectionRequest, CorrectionStatus, IndexScore
from codi.scoring.selectors import answerable_organizations

MAX_MESSAGE = 2000


def correction_request(
    *,
    actor: Any,
    organization_id: int,
    indicator_key: str,
    message: str,
    index_score: IndexScore | None = None,
    national_id: str = "",
) -> CorrectionRequest:
    """File a correction request from a community account for one of its own organizations."""
    if organization_id not in portal_organization_ids(actor):
        raise PermissionDenied
    errors: dict[str, str] = {}
    definition = indicator(indicator_key)
    if definition is None or definition.level != "organization":
        errors["indicator_key"] = "กรุณาเลือกส่วนของคะแนนที่ต้องการขอแก้ไข"
    message = (message or "").strip()
    if not message:
        errors["message"] = "กรุณาบอกว่าข้อมูลใดไม่ถูกต้อง และที่ถูกต้องคืออะไร"
    elif len(message) > MAX_MESSAGE:
        errors["message"] = f"ข้อความยาวได้ไม่เกิน {MAX_MESSAGE:,} ตัวอักษร"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        dsr_id = None
        if national_id.strip():
            try:
                dsr = dsr_create(
                    actor=None,
                    kind=RequestKind.RECTIFICATION,
                    national_id=national_id.strip(),
                    requester_name=actor.get_full_name() or actor.get_username(),
                    channel=ConsentChannel.WEB,
                    details=f"คำขอแก้ไขข้อมูลคะแนนความเข้มแข็ง ({definition.name_th if definition else ''}): {message}",
                )
            except ValidationError as exc:
                raise ValidationError({"national_id": " ".join(exc.messages)}) from None
            dsr_id = dsr.pk
        row = CorrectionRequest.objects.create(
            organization_id=organization_id,
            indicator_key=indicator_key,
            index_score=index_score,
            message=message,
            requested_by=actor,
            privacy_request_id=dsr_id,
        )
        audit_record(
            actor=actor,
            action="scoring.correction.request",
            object_type="scoring.correctionrequest",
            object_id=row.pk,
            changes={"organization": organization_id, "indicator": indicator_key, "privacy_request": dsr_id},
        )
    return row


def _may_answer(actor: Any, organization_id: int) -> bool:
    return organization_id in answerable_organizations(actor, [organization_id])


def correction_resolve(
    *, actor: Any, request: CorrectionRequest, corrected: bool, reply: str
) -> CorrectionRequest:
    """An officer's answer: corrected (the next computation uses the fixed data) or not, with a reply."""
    if not _may_answer(actor, request.organization_id):
        raise PermissionDenied
    reply = (reply or "").strip()
    if not reply:
        raise ValidationError({"reply": "กรุณาตอบผู้ขอว่าแก้ไขอะไร หรือเหตุที่ไม่แก้ไข"})
    with transaction.atomic():
        locked = CorrectionRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != CorrectionStatus.OPEN:
            raise ValidationError({"reply": "คำขอนี้ได้รับคำตอบแล้ว"})
        locked.status = CorrectionStatus.CORRECTED if corrected else CorrectionStatus.REFUSED
        locked.reply = reply
        locked.resolved_by = actor
        locked.resolved_at = timezone.now()
        locked.save(update_fields=["status", "reply", "resolved_by", "resolved_at"])
        audit_record(
            actor=actor,
            action="scoring.correction.resolve",
            object_type="scoring.correctionrequest",
            object_id=locked.pk,
            changes={"status": locked.status},
        )
    return locked


def corrections_for_portal(*, user: Any) -> QuerySet[CorrectionRequest]:
    return CorrectionRequest.objects.filter(organization_id__in=portal_organization_ids(user))


def corrections_for_officer(*, actor: Any, status: str = CorrectionStatus.OPEN) -> list[CorrectionRequest]:
    """The requests of the organizations in the officer's area (newest first, at most 200)."""
    rows = list(
        (CorrectionRequest.objects.filter(status=status) if status else CorrectionRequest.objects.all())[:500]
    )
    orgs = answerable_organizations(actor, [r.organization_id for r in rows])
    return [r for r in rows if r.organization_id in orgs][:200]
