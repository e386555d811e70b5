"""Privacy notices, consents and their withdrawal, and the messages sent to persons (consent checked first)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from codi.communities.models import Person
from codi.core.audit import audit_record
from codi.notifications.models import Channel, Notification
from codi.notifications.services import notification_send
from codi.privacy import collectors, selectors
from codi.privacy.models import (
    Consent,
    ConsentChannel,
    PrivacyNotice,
    Purpose,
)
from codi.privacy.services.common import _person_ref, _require


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
