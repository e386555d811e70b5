"""Writes of the PDPA module: notices, consents, data-subject requests, breaches, retention runs.

Every service checks ``can_manage_privacy`` (unless the caller is the system:
``actor=None`` from a management command or a task), validates, then writes and
appends its audit entry in one transaction. Audit entries about a person use
``object_type="privacy.<entity>"`` and ``object_id="person:<id>…"`` so an access
request finds them, and hold no personal values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from codi.communities.models import Person
from codi.communities.validation import FieldProblem, clean_birth_year, clean_phone
from codi.core.audit import audit_record
from codi.notifications.models import Channel, Notification
from codi.notifications.services import notification_send
from codi.privacy import collectors, retention, selectors
from codi.privacy.models import (
    BREACH_HOURS,
    DSR_DAYS,
    Breach,
    BreachStatus,
    Consent,
    ConsentChannel,
    DataSubjectRequest,
    PrivacyNotice,
    ProcessingActivity,
    ProcessingRestriction,
    Purpose,
    RequestEvent,
    RequestKind,
    RequestStatus,
    RestrictionKind,
    RetentionPolicy,
    RetentionRun,
    RiskLevel,
)

NOT_PERMITTED = "ไม่มีสิทธิ์ทำรายการนี้ / Not permitted"
UNKNOWN_PERSON = "ไม่พบบุคคลที่มีเลขประจำตัวประชาชนนี้ในระบบ / No person with this national ID in the platform"
MAX_EXTENSION_DAYS = 30


class UnknownPersonError(ValidationError):
    """No person with the given national ID: nothing was released or changed."""


def _require(actor: Any) -> None:
    if actor is not None and not selectors.can_manage_privacy(actor):
        raise PermissionDenied(NOT_PERMITTED)


def _person_ref(person: Person | int) -> str:
    return f"person:{person if isinstance(person, int) else person.pk}"


# --- notices ----------------------------------------------------------------------------------------


def notice_publish(
    *, actor: Any, purpose: str, title_th: str, title_en: str, body_th: str, body_en: str
) -> PrivacyNotice:
    """Publish a new version of a purpose's notice; earlier versions stay exactly as they were."""
    _require(actor)
    errors = {}
    if purpose not in Purpose.values:
        errors["purpose"] = "วัตถุประสงค์ไม่ถูกต้อง / Unknown purpose"
    for field, value in (
        ("title_th", title_th),
        ("title_en", title_en),
        ("body_th", body_th),
        ("body_en", body_en),
    ):
        if not value.strip():
            errors[field] = "กรุณากรอก / Required"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        latest = (
            PrivacyNotice.objects.select_for_update().filter(purpose=purpose).order_by("-version").first()
        )
        notice = PrivacyNotice.objects.create(
            purpose=purpose,
            version=(latest.version + 1) if latest else 1,
            title_th=title_th.strip(),
            title_en=title_en.strip(),
            body_th=body_th.strip(),
            body_en=body_en.strip(),
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="privacy.notice.publish",
            object_type="privacy.notice",
            object_id=notice.pk,
            changes={"purpose": purpose, "version": notice.version},
        )
    return notice


# --- consent ----------------------------------------------------------------------------------------


def consent_record(
    *,
    actor: Any,
    person: Person,
    purpose: str,
    channel: str,
    evidence_text: str = "",
    evidence_file: UploadedFile | None = None,
    given_at: datetime | None = None,
) -> Consent:
    """Record a person's consent under the purpose's current notice version."""
    _require(actor)
    if channel not in ConsentChannel.values:
        raise ValidationError({"channel": "ช่องทางไม่ถูกต้อง / Unknown channel"})
    notice = selectors.current_notice(purpose)
    if notice is None:
        raise ValidationError(
            {"purpose": "ยังไม่มีประกาศความเป็นส่วนตัวของวัตถุประสงค์นี้ / No notice for this purpose yet"}
        )
    if not evidence_text.strip() and evidence_file is None:
        raise ValidationError({"evidence_text": "กรุณาระบุหลักฐานความยินยอม / Evidence of consent is required"})
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()
        if Consent.objects.filter(person=person, purpose=purpose, withdrawn_at__isnull=True).exists():
            raise ValidationError(
                {"purpose": "มีความยินยอมที่มีผลอยู่แล้ว / A consent for this purpose is already in force"}
            )
        consent = Consent(
            person=person,
            purpose=purpose,
            notice=notice,
            channel=channel,
            given_at=given_at or timezone.now(),
            evidence_text=evidence_text.strip(),
            recorded_by=actor,
        )
        if evidence_file is not None:
            consent.evidence_file.save(evidence_file.name or "evidence", evidence_file, save=False)
        consent.save()
        audit_record(
            actor=actor,
            action="privacy.consent.give",
            object_type="privacy.consent",
            object_id=f"{_person_ref(person)}:{consent.pk}",
            changes={"purpose": purpose, "notice_version": notice.version, "channel": channel},
        )
    return consent


def consent_withdraw(
    *, actor: Any, person: Person, purpose: str, channel: str, evidence: str = ""
) -> Consent:
    """Withdraw the consent in force; processing that rests on it stops (``consent_given`` turns False).

    No consent in force (never given, or already withdrawn): ``ValidationError``, nothing written.
    """
    _require(actor)
    if channel not in ConsentChannel.values:
        raise ValidationError({"channel": "ช่องทางไม่ถูกต้อง / Unknown channel"})
    with transaction.atomic():
        consent = (
            Consent.objects.select_for_update()
            .filter(person=person, purpose=purpose, withdrawn_at__isnull=True)
            .first()
        )
        if consent is None:
            raise ValidationError(
                {
                    "purpose": "ไม่มีความยินยอมที่มีผลอยู่ให้ถอน (อาจถอนไปแล้ว) / "
                    "No consent in force to withdraw (it may already have been withdrawn)"
                }
            )
        consent.withdrawn_at = timezone.now()
        consent.withdrawal_channel = channel
        consent.withdrawal_evidence = evidence.strip()
        consent.withdrawn_by = actor
        consent.save(
            update_fields=["withdrawn_at", "withdrawal_channel", "withdrawal_evidence", "withdrawn_by"]
        )
        audit_record(
            actor=actor,
            action="privacy.consent.withdraw",
            object_type="privacy.consent",
            object_id=f"{_person_ref(person)}:{consent.pk}",
            changes={"purpose": purpose, "channel": channel},
        )
    return consent


# --- messages to persons ----------------------------------------------------------------------------


def person_notify(
    *, person: Person, purpose: str, template_key: str, context: dict[str, Any], link: str = ""
) -> list[Notification]:
    """Send a message to every contact the platform knows for the person (e-mail, LINE).

    The person and purpose go with each message, so the notification service skips
    it when the purpose rests on consent the person has not given (or withdrew).
    """
    subject = collectors.Subject.of(person)
    sent = []
    for email in sorted(subject.emails):
        sent.append(
            notification_send(
                recipient_email=email,
                template_key=template_key,
                context=context,
                channel=Channel.EMAIL,
                link=link,
                person_id=person.pk,
                purpose=purpose,
            )
        )
    for line_id in sorted(subject.line_ids):
        sent.append(
            notification_send(
                recipient_line_id=line_id,
                template_key=template_key,
                context=context,
                channel=Channel.LINE,
                link=link,
                person_id=person.pk,
                purpose=purpose,
            )
        )
    return sent


def newsletter_send(*, actor: Any, persons: list[Person], subject: str, body: str) -> dict[str, int]:
    """Send community news (non-essential) to persons; those without the newsletter consent get nothing."""
    _require(actor)
    counts = {"sent": 0, "skipped": 0, "no_contact": 0}
    for person in persons:
        messages = person_notify(
            person=person,
            purpose=Purpose.NEWSLETTER,
            template_key="generic",
            context={"subject": subject, "body": body},
        )
        if not messages:
            counts["no_contact"] += 1
        for message in messages:
            counts["skipped" if message.status == "skipped" else "sent"] += 1
    return counts


# --- data-subject requests ----------------------------------------------------------------------------


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
            note=f"+{days} days: {reason.strip()}",
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
    from codi.core.pdf import render_pdf

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


@dataclass(frozen=True)
class ErasureResult:
    person_id: int
    dry_run: bool
    outcomes: list[collectors.Outcome]

    def summary(self) -> dict[str, Any]:
        counts: dict[str, int] = {}
        for o in self.outcomes:
            key = f"{o.dataset}:{o.action}"
            counts[key] = counts.get(key, 0) + 1
        kept_rules = sorted({o.rule for o in self.outcomes if o.rule})
        return {
            "person_id": self.person_id,
            "dry_run": self.dry_run,
            "counts": counts,
            "rules": {rule: retention.LEGAL_RULES[rule] for rule in kept_rules},
            "outcomes": [o.as_dict() for o in self.outcomes],
        }


def person_erase(
    *, actor: Any, person: Person, dry_run: bool, request: DataSubjectRequest | None = None
) -> ErasureResult:
    """Erase or anonymise the person's data in every module, keeping what a named retention rule requires.

    ``dry_run`` plans and writes nothing. The audit entry counts what was done and cites the rules.
    """
    _require(actor)
    subject = collectors.Subject.of(person)
    if dry_run:
        return ErasureResult(person.pk, True, collectors.erase_all(subject, dry_run=True))
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()
        result = ErasureResult(person.pk, False, collectors.erase_all(subject, dry_run=False))
        summary = result.summary()
        if request is not None:
            _complete(actor, request, summary)
        audit_record(
            actor=actor,
            action="privacy.dsr.erase",
            object_type="privacy.dsr",
            object_id=f"{_person_ref(person)}:{request.pk if request else ''}",
            changes={"counts": summary["counts"], "rules": sorted(summary["rules"])},
        )
    return result


def dsr_erase(*, actor: Any, request: DataSubjectRequest, dry_run: bool = False) -> ErasureResult:
    _require(actor)
    request = DataSubjectRequest.objects.select_related("person").get(pk=request.pk)
    person = _verified(request, RequestKind.ERASURE)
    return person_erase(actor=actor, person=person, dry_run=dry_run, request=request)


def dsr_restrict(
    *, actor: Any, request: DataSubjectRequest, purpose: str, reason: str = ""
) -> ProcessingRestriction:
    """Put an objection or a restriction in force for one purpose (or ``all``)."""
    _require(actor)
    if purpose not in (*Purpose.values, ProcessingRestriction.ALL):
        raise ValidationError({"purpose": "วัตถุประสงค์ไม่ถูกต้อง / Unknown purpose"})
    with transaction.atomic():
        request = (
            DataSubjectRequest.objects.select_for_update(of=("self",))
            .select_related("person")
            .get(pk=request.pk)
        )
        person = _verified(request, (RequestKind.OBJECTION, RequestKind.RESTRICTION))
        kind = (
            RestrictionKind.OBJECTION
            if request.kind == RequestKind.OBJECTION
            else RestrictionKind.RESTRICTION
        )
        restriction = ProcessingRestriction.objects.create(
            person=person, kind=kind, purpose=purpose, reason=reason.strip(), request=request
        )
        _complete(actor, request, {"restriction": restriction.pk, "purpose": purpose})
        _audit_request(actor, request, f"privacy.dsr.{kind}", {"purpose": purpose})
    return restriction


def restriction_lift(*, actor: Any, restriction: ProcessingRestriction) -> ProcessingRestriction:
    _require(actor)
    with transaction.atomic():
        if restriction.lifted_at is not None:
            raise ValidationError("ยกเลิกไปแล้ว / Already lifted")
        restriction.lifted_at = timezone.now()
        restriction.save(update_fields=["lifted_at"])
        audit_record(
            actor=actor,
            action="privacy.restriction.lift",
            object_type="privacy.restriction",
            object_id=f"{_person_ref(restriction.person_id)}:{restriction.pk}",
            changes={"purpose": restriction.purpose},
        )
    return restriction


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
    from codi.identity.models import User
    from codi.identity.roles import Role

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


# --- breaches ---------------------------------------------------------------------------------------


def breach_record(
    *,
    actor: Any,
    title: str,
    description: str,
    discovered_at: datetime,
    occurred_at: datetime | None = None,
    affected_records: int = 0,
    persons: list[Person] | None = None,
    data_categories: str = "",
) -> Breach:
    """Register a breach; the regulator's 72-hour clock starts at discovery."""
    _require(actor)
    if not title.strip() or not description.strip():
        raise ValidationError({"title": "กรุณาระบุหัวข้อและรายละเอียด / Title and description are required"})
    if affected_records < 0:
        raise ValidationError({"affected_records": "ต้องไม่ติดลบ / Must not be negative"})
    with transaction.atomic():
        breach = Breach.objects.create(
            title=title.strip()[:200],
            description=description.strip(),
            discovered_at=discovered_at,
            occurred_at=occurred_at,
            regulator_due_at=discovered_at + timedelta(hours=BREACH_HOURS),
            affected_records=affected_records,
            data_categories=data_categories.strip(),
            created_by=actor,
        )
        if persons:
            breach.affected_persons.set(persons)
        audit_record(
            actor=actor,
            action="privacy.breach.record",
            object_type="privacy.breach",
            object_id=breach.pk,
            changes={"affected_records": affected_records, "affected_persons": len(persons or [])},
        )
    return breach


def breach_assess(*, actor: Any, breach: Breach, risk_level: str, assessment: str) -> Breach:
    _require(actor)
    if risk_level not in RiskLevel.values:
        raise ValidationError({"risk_level": "ระดับความเสี่ยงไม่ถูกต้อง / Unknown risk level"})
    if not assessment.strip():
        raise ValidationError({"assessment": "กรุณาระบุการประเมิน / The assessment is required"})
    with transaction.atomic():
        old = breach.risk_level
        breach.risk_level = risk_level
        breach.risk_assessment = assessment.strip()
        breach.save(update_fields=["risk_level", "risk_assessment"])
        audit_record(
            actor=actor,
            action="privacy.breach.assess",
            object_type="privacy.breach",
            object_id=breach.pk,
            changes={"risk_level": [old, risk_level]},
        )
    return breach


def breach_notify_regulator(
    *, actor: Any, breach: Breach, reference: str, notified_at: datetime | None = None, late_reason: str = ""
) -> Breach:
    """Record the notification to the PDPC; after the 72 hours the reason for the delay is required (s.37(4))."""
    _require(actor)
    notified_at = notified_at or timezone.now()
    if breach.regulator_notified_at is not None:
        raise ValidationError("แจ้งสำนักงานแล้ว / The regulator was already notified")
    if notified_at > breach.regulator_due_at and not late_reason.strip():
        raise ValidationError({"late_reason": "เกิน 72 ชั่วโมง กรุณาระบุเหตุผล / Past 72 hours: give the reason"})
    with transaction.atomic():
        breach.regulator_notified_at = notified_at
        breach.regulator_reference = reference.strip()[:100]
        breach.late_reason = late_reason.strip()
        breach.save(update_fields=["regulator_notified_at", "regulator_reference", "late_reason"])
        audit_record(
            actor=actor,
            action="privacy.breach.notify_regulator",
            object_type="privacy.breach",
            object_id=breach.pk,
            changes={"reference": breach.regulator_reference, "late": bool(breach.late_reason)},
        )
    return breach


def breach_notify_subjects(*, actor: Any, breach: Breach) -> Breach:
    """Tell every affected person with a known contact (high risk only); count those without one."""
    _require(actor)
    if breach.risk_level != RiskLevel.HIGH:
        raise ValidationError("แจ้งเจ้าของข้อมูลเมื่อความเสี่ยงสูงเท่านั้น / Persons are notified when the risk is high")
    with transaction.atomic():
        notified = without = 0
        for person in breach.affected_persons.all():
            messages = person_notify(
                person=person,
                purpose="",  # a legal duty (s.37(4)): not subject to consent
                template_key="privacy.breach_subject",
                context={"title": breach.title, "categories": breach.data_categories},
            )
            if messages:
                notified += 1
            else:
                without += 1
        breach.subjects_notified_at = timezone.now()
        breach.subjects_notified = notified
        breach.subjects_without_contact = without
        breach.save(update_fields=["subjects_notified_at", "subjects_notified", "subjects_without_contact"])
        audit_record(
            actor=actor,
            action="privacy.breach.notify_subjects",
            object_type="privacy.breach",
            object_id=breach.pk,
            changes={"notified": notified, "without_contact": without},
        )
    return breach


def breach_close(*, actor: Any, breach: Breach) -> Breach:
    _require(actor)
    if breach.needs_regulator:
        raise ValidationError("ยังไม่ได้แจ้งสำนักงาน / The regulator has not been notified")
    with transaction.atomic():
        breach.status = BreachStatus.CLOSED
        breach.save(update_fields=["status"])
        audit_record(
            actor=actor, action="privacy.breach.close", object_type="privacy.breach", object_id=breach.pk
        )
    return breach


# --- register and retention ---------------------------------------------------------------------------


def activity_save(
    *, actor: Any, activity: ProcessingActivity | None = None, **values: Any
) -> ProcessingActivity:
    """Create or change an entry of the processing register."""
    _require(actor)
    allowed = {f.name for f in ProcessingActivity._meta.concrete_fields} - {"id", "updated_at"}
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
    if "purpose" in values and values["purpose"] not in Purpose.values:
        raise ValidationError({"purpose": "วัตถุประสงค์ไม่ถูกต้อง / Unknown purpose"})
    with transaction.atomic():
        created = activity is None
        activity = activity or ProcessingActivity()
        for name, value in values.items():
            setattr(activity, name, value)
        activity.full_clean()
        activity.save()
        audit_record(
            actor=actor,
            action="privacy.activity.create" if created else "privacy.activity.update",
            object_type="privacy.activity",
            object_id=activity.pk,
            changes={"fields": sorted(values)},
        )
    return activity


def retention_policy_set(*, actor: Any, rule: str, days: int, is_enabled: bool = True) -> RetentionPolicy:
    _require(actor)
    if rule not in {job.key for job in retention.JOBS}:
        raise ValidationError({"rule": "ไม่รู้จักกฎนี้ / Unknown rule"})
    if days < 30:
        raise ValidationError({"days": "อย่างน้อย 30 วัน / At least 30 days"})
    with transaction.atomic():
        policy, _ = RetentionPolicy.objects.update_or_create(
            rule=rule, defaults={"days": days, "is_enabled": is_enabled}
        )
        audit_record(
            actor=actor,
            action="privacy.retention.policy",
            object_type="privacy.retention",
            object_id=rule,
            changes={"days": days, "enabled": is_enabled},
        )
    return policy


def retention_run(*, actor: Any, dry_run: bool, now: datetime | None = None) -> RetentionRun:
    """Run every retention job (or count what it would do) and store the report."""
    _require(actor)
    with transaction.atomic():
        run = RetentionRun.objects.create(is_dry_run=dry_run, actor=actor, started_at=now or timezone.now())
        report = retention.run_jobs(dry_run=dry_run, now=now)
        run.report = report
        run.total = sum(row["count"] for row in report)
        run.finished_at = timezone.now()
        run.save(update_fields=["report", "total", "finished_at"])
        audit_record(
            actor=actor,
            action="privacy.retention.dry_run" if dry_run else "privacy.retention.run",
            object_type="privacy.retention",
            object_id=run.pk,
            changes={row["rule"]: row["count"] for row in report},
        )
    return run
