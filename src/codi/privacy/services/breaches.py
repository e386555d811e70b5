"""Personal-data breaches: record, assess, notify the regulator within 72 hours and the persons concerned, close."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from codi.communities.models import Person
from codi.core.audit import audit_record
from codi.privacy.models import (
    BREACH_HOURS,
    Breach,
    BreachStatus,
    RiskLevel,
)
from codi.privacy.services.common import _require
from codi.privacy.services.consent import person_notify


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
