"""Data-subject requests: filing, identity check, extension, access (export), rectification, refusal, reminders."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from codi.communities.models import Person
from codi.communities.validation import FieldProblem, clean_birth_year, clean_phone
from codi.core.audit import audit_record
from codi.core.pdf import render_pdf
from codi.identity.models import User
from codi.identity.roles import Role
from codi.notifications.models import Channel
from codi.notifications.services import notification_send
from codi.privacy import collectors, selectors
from codi.privacy.models import (
    DSR_DAYS,
    ConsentChannel,
    DataSubjectRequest,
    RequestEvent,
    RequestKind,
    RequestStatus,
)
from codi.privacy.services.common import (
    MAX_EXTENSION_DAYS,
    UNKNOWN_PERSON,
    UnknownPersonError,
    _person_ref,
    _require,
)


def person_for(national_id: str) -> Person:
    """The person with this national ID; ``ValidationError`` for a malformed, unknown or erased one."""
    try:
        person = selectors.person_by_national_id(national_id)
    except FieldProblem as problem:
        raise ValidationError({"national_id": str(problem)}) from None
    if person is None or person.national_id_index.startswith("erased-"):
        raise UnknownPersonError({"national_id": UNKNOWN_PERSON})
    return person


def dsr_create(
    *,
    actor: Any,
    kind: str,
    national_id: str,
    requester_name: str,
    channel: str,
    details: str = "",
    received_at: datetime | None = None,
) -> DataSubjectRequest:
    """Log a request and start its 30-day clock. An unknown or invalid ID is refused; nothing is written."""
    _require(actor)
    if kind not in RequestKind.values:
        raise ValidationError({"kind": "ประเภทคำขอไม่ถูกต้อง / Unknown request kind"})
    if channel not in ConsentChannel.values:
        raise ValidationError({"channel": "ช่องทางไม่ถูกต้อง / Unknown channel"})
    if not requester_name.strip():
        raise ValidationError({"requester_name": "กรุณาระบุชื่อผู้ยื่นคำขอ / The requester's name is required"})
    person = person_for(national_id)
    received = received_at or timezone.now()
    with transaction.atomic():
        request = DataSubjectRequest.objects.create(
            kind=kind,
            person=person,
            requester_name=requester_name.strip()[:200],
            channel=channel,
            details=details.strip(),
            received_at=received,
            due_at=received + timedelta(days=DSR_DAYS),
            created_by=actor,
        )
        RequestEvent.objects.create(request=request, kind=RequestEvent.Kind.RECEIVED, actor=actor)
        _audit_request(actor, request, "privacy.dsr.create", {"kind": kind, "channel": channel})
    return request


def _audit_request(actor: Any, request: DataSubjectRequest, action: str, changes: dict[str, Any]) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type="privacy.dsr",
        object_id=f"{_person_ref(request.person_id or 0)}:{request.pk}",
        changes=changes,
    )


def dsr_verify_identity(*, actor: Any, request: DataSubjectRequest, method: str) -> DataSubjectRequest:
    """Record how the requester proved to be the person; nothing is released or changed before this."""
    _require(actor)
    if not method.strip():
        raise ValidationError({"method": "กรุณาระบุวิธีตรวจสอบตัวตน / Say how the identity was checked"})
    with transaction.atomic():
        request = DataSubjectRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != RequestStatus.RECEIVED:
            raise ValidationError("คำขอนี้ตรวจสอบตัวตนแล้วหรือปิดแล้ว / Already verified or closed")
        request.status = RequestStatus.VERIFIED
        request.identity_method = method.strip()[:200]
        request.identity_verified_at = timezone.now()
        request.identity_verified_by = actor
        request.save(
            update_fields=["status", "identity_method", "identity_verified_at", "identity_verified_by"]
        )
        RequestEvent.objects.create(
            request=request, kind=RequestEvent.Kind.VERIFIED, note=method, actor=actor
        )
        _audit_request(actor, request, "privacy.dsr.verify", {"method": request.identity_method})
    return request


def dsr_extend(*, actor: Any, request: DataSubjectRequest, days: int, reason: str) -> DataSubjectRequest:
    """Move the deadline, with the reason recorded (the requester must be told why)."""
    _require(actor)
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise ValidationError({"days": f"ขยายได้ 1–{MAX_EXTENSION_DAYS} วัน / 1–{MAX_EXTENSION_DAYS} days"})
    if not reason.strip():
        raise ValidationError({"reason": "กรุณาระบุเหตุผล / A reason is required"})
    with transaction.atomic():
        request = DataSubjectRequest.objects.select_for_update().get(pk=request.pk)
        if not request.is_open:
            raise ValidationError("คำขอนี้ปิดแล้ว / The request is closed")
        old = request.due_at
        request.due_at = old + timedelta(days=days)
        request.extension_count += 1
        request.save(update_fields=["due_at", "extension_count"])
        RequestEvent.objects.create(
            request=request,
            kind=RequestEvent.Kind.EXTENDED,
            note=f"+{days}: {reason.strip()}",  # the days added; the kind of event says what they are
            actor=actor,
        )
        _audit_request(
            actor, request, "privacy.dsr.extend", {"due_at": [old, request.due_at], "reason": reason}
        )
    return request


def _verified(request: DataSubjectRequest, kind: str | tuple[str, ...], *, again: bool = False) -> Person:
    """The request's person, once the identity is verified (``again``: also after completion)."""
    kinds = (kind,) if isinstance(kind, str) else kind
    if request.kind not in kinds:
        raise ValidationError("ประเภทคำขอไม่ตรงกับการดำเนินการ / The request is of another kind")
    allowed = (RequestStatus.VERIFIED, RequestStatus.COMPLETED) if again else (RequestStatus.VERIFIED,)
    if request.status not in allowed:
        raise ValidationError(
            "ต้องตรวจสอบตัวตนผู้ยื่นคำขอก่อน / The requester's identity must be verified first"
            if request.status == RequestStatus.RECEIVED
            else "คำขอนี้ปิดแล้ว / The request is closed"
        )
    if request.person is None:
        raise UnknownPersonError(UNKNOWN_PERSON)
    return request.person


def _complete(actor: Any, request: DataSubjectRequest, result: dict[str, Any], note: str = "") -> None:
    request.status = RequestStatus.COMPLETED
    request.completed_at = timezone.now()
    request.result = result
    request.save(update_fields=["status", "completed_at", "result"])
    RequestEvent.objects.create(request=request, kind=RequestEvent.Kind.COMPLETED, note=note, actor=actor)


def person_export(person: Person) -> dict[str, Any]:
    """Everything the platform holds about a person, module by module (JSON-ready)."""
    subject = collectors.Subject.of(person)
    sources = collectors.collect_all(subject)
    return {
        "generated_at": timezone.now().isoformat(),
        "person_id": person.pk,
        "sources": sources,
        "counts": {f"{label}": len(rows) for module in sources.values() for label, rows in module.items()},
    }


def dsr_access(*, actor: Any, request: DataSubjectRequest) -> dict[str, Any]:
    """Answer a verified access request: the export, and the request closed with what was released."""
    _require(actor)
    with transaction.atomic():
        request = (
            DataSubjectRequest.objects.select_for_update(of=("self",))
            .select_related("person")
            .get(pk=request.pk)
        )
        # Released again on request (JSON and PDF, a lost file): each release is audited.
        person = _verified(request, RequestKind.ACCESS, again=True)
        export = person_export(person)
        export["request_id"] = request.pk
        if request.status != RequestStatus.COMPLETED:
            _complete(actor, request, {"released": export["counts"]})
        _audit_request(actor, request, "privacy.dsr.access", {"released": export["counts"]})
    return export


def dsr_export_pdf(export: dict[str, Any]) -> bytes:

    return render_pdf("privacy/export_pdf.html", {"export": export})


RECTIFIABLE = {"title_th", "first_name_th", "last_name_th", "birth_year", "phone", "address"}


def dsr_rectify(*, actor: Any, request: DataSubjectRequest, changes: dict[str, Any]) -> Person:
    """Correct the person's registry data as the verified request asks; the audit entry masks the values."""
    _require(actor)
    unknown = set(changes) - RECTIFIABLE
    if unknown or not changes:
        raise ValidationError(
            {"changes": f"แก้ไขได้เฉพาะ / Only these can be corrected: {', '.join(sorted(RECTIFIABLE))}"}
        )
    values = dict(changes)
    try:
        if "phone" in values:
            values["phone"] = clean_phone(values["phone"])
        if "birth_year" in values:
            values["birth_year"] = clean_birth_year(values["birth_year"])
    except FieldProblem as problem:
        raise ValidationError({"changes": str(problem)}) from None
    for name in ("first_name_th", "last_name_th"):
        if name in values and not str(values[name]).strip():
            raise ValidationError({name: "กรุณากรอก / Required"})
    with transaction.atomic():
        request = (
            DataSubjectRequest.objects.select_for_update(of=("self",))
            .select_related("person")
            .get(pk=request.pk)
        )
        person = _verified(request, RequestKind.RECTIFICATION)
        for name, value in values.items():
            setattr(person, name, value.strip() if isinstance(value, str) else value)
        person.save(update_fields=[*values, "updated_at"])
        _complete(actor, request, {"rectified": sorted(values)})
        _audit_request(actor, request, "privacy.dsr.rectify", {"fields": sorted(values)})
    return person


def dsr_refuse(*, actor: Any, request: DataSubjectRequest, reason: str) -> DataSubjectRequest:
    """Refuse a request with the legal reason (e.g. PDPA s.30 paragraph 2); the reason is recorded."""
    _require(actor)
    if not reason.strip():
        raise ValidationError({"reason": "กรุณาระบุเหตุผลตามกฎหมาย / The legal reason is required"})
    with transaction.atomic():
        request = DataSubjectRequest.objects.select_for_update().get(pk=request.pk)
        if not request.is_open:
            raise ValidationError("คำขอนี้ปิดแล้ว / The request is closed")
        request.status = RequestStatus.REFUSED
        request.completed_at = timezone.now()
        request.result = {"refused": reason.strip()}
        request.save(update_fields=["status", "completed_at", "result"])
        RequestEvent.objects.create(request=request, kind=RequestEvent.Kind.REFUSED, note=reason, actor=actor)
        _audit_request(actor, request, "privacy.dsr.refuse", {"reason": reason})
    return request


def dsr_command_request(*, national_id: str, kind: str) -> DataSubjectRequest:
    """A request logged and verified by the DPO at the command line (``dsr_export`` / ``dsr_erase``)."""
    request = dsr_create(
        actor=None,
        kind=kind,
        national_id=national_id,
        requester_name="(DPO command line)",
        channel=ConsentChannel.IN_PERSON,
        details="run by the DPO with manage.py",
    )
    return dsr_verify_identity(
        actor=None, request=request, method="checked by the DPO before running the command (server access)"
    )


def dsr_remind_due(*, now: datetime | None = None) -> int:
    """Remind every DPO (in the platform) of requests due within a week or overdue; once a day each."""

    now = now or timezone.now()
    dpos = list(
        User.objects.filter(
            role_assignments__role__in=[Role.DATA_PROTECTION_OFFICER], is_active=True
        ).distinct()
    )
    count = 0
    for request in selectors.requests_to_remind(now=now):
        with transaction.atomic():
            days_left = (request.due_at - now).days
            for user in dpos:
                notification_send(
                    recipient_user=user,
                    template_key="privacy.dsr_due",
                    context={
                        "request": f"DSR-{request.pk}",
                        "due": request.due_at.date().isoformat(),
                        "days": days_left,
                    },
                    channel=Channel.IN_APP,
                    link=f"/privacy/requests/{request.pk}/",
                )
            DataSubjectRequest.objects.filter(pk=request.pk).update(last_reminded_at=now)
            RequestEvent.objects.create(
                request=request,
                kind=RequestEvent.Kind.REMINDER,
                note=f"{days_left} days left",
                created_at=now,
            )
        count += 1
    return count
