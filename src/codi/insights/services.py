"""Security operations services: incidents through their stages, the SIEM feed, alert evaluation.

Every write is validated, runs in one transaction and is audited; refusals raise
``PermissionDenied`` (no right) or ``ValidationError`` (bad input, with the field and a Thai/English
message).
"""

from __future__ import annotations

import socket
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from codi.core.audit import audit_record
from codi.core.models import AuditEntry
from codi.insights import siem
from codi.insights.models import STAGE_ORDER, Alert, Incident, IncidentStep, Severity, SiemCursor, Stage
from codi.insights.selectors import can_operate
from codi.privacy.services.breaches import breach_record

SIEM_CURSOR = "default"


def _require(actor: Any) -> None:
    if not can_operate(actor):
        raise PermissionDenied("ต้องมีสิทธิ์ศูนย์ปฏิบัติการความปลอดภัย / Security operations role required")


def incident_open(
    *,
    actor: Any,
    title: str,
    description: str,
    severity: str,
    personal_data: bool = False,
    detected_at: datetime | None = None,
    alert_ids: list[int] | None = None,
) -> Incident:
    _require(actor)
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = "กรุณาระบุหัวข้อ / Title is required"
    if not description.strip():
        errors["description"] = "กรุณาระบุสิ่งที่พบ / Describe what was seen"
    if severity not in Severity.values:
        errors["severity"] = "ระดับความรุนแรงไม่ถูกต้อง / Unknown severity"
    if detected_at is not None and detected_at > timezone.now():
        errors["detected_at"] = "เวลาที่พบต้องไม่อยู่ในอนาคต / Detection time cannot be in the future"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        incident = Incident.objects.create(
            title=title.strip()[:200],
            description=description.strip(),
            severity=severity,
            personal_data=personal_data,
            detected_at=detected_at or timezone.now(),
            created_by=actor,
        )
        linked = Alert.objects.filter(pk__in=alert_ids or [], incident__isnull=True).update(incident=incident)
        audit_record(
            actor=actor,
            action="insights.incident.open",
            object_type="insights.incident",
            object_id=incident.pk,
            changes={"severity": severity, "personal_data": personal_data, "alerts": linked},
        )
    return incident


def incident_advance(*, actor: Any, incident: Incident, note: str, lessons: str = "") -> Incident:
    """Move to the next stage (detection → triage → containment → recovery → lessons → closed)."""
    _require(actor)
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        if incident.stage == Stage.CLOSED:
            raise ValidationError({"note": "เหตุการณ์นี้ปิดแล้ว / The incident is already closed"})
        if not note.strip():
            raise ValidationError({"note": "กรุณาบันทึกสิ่งที่ทำในขั้นนี้ / Record what was done at this stage"})
        target = STAGE_ORDER[STAGE_ORDER.index(incident.stage) + 1]
        if target == Stage.CLOSED:
            lessons = lessons.strip() or incident.lessons
            if not lessons:
                raise ValidationError(
                    {"lessons": "ปิดเหตุการณ์ได้เมื่อบันทึกบทเรียนแล้ว / Record the lessons learned before closing"}
                )
            if incident.personal_data and incident.breach_id is None:
                raise ValidationError(
                    {
                        "note": "เหตุการณ์ที่เกี่ยวกับข้อมูลส่วนบุคคลต้องเปิดบันทึกการละเมิดตาม PDPA ก่อนปิด / "
                        "Open the PDPA breach record before closing an incident involving personal data"
                    }
                )
            incident.lessons = lessons
            incident.closed_at = timezone.now()
        IncidentStep.objects.create(
            incident=incident, from_stage=incident.stage, to_stage=target, note=note.strip(), actor=actor
        )
        previous, incident.stage = incident.stage, target
        incident.save(update_fields=["stage", "lessons", "closed_at"])
        audit_record(
            actor=actor,
            action="insights.incident.advance",
            object_type="insights.incident",
            object_id=incident.pk,
            changes={"stage": [previous, target]},
        )
    return incident


def incident_open_breach(*, actor: Any, incident: Incident, affected_records: int = 0) -> Incident:
    """Open the PDPA breach record for an incident that involves personal data (72-hour clock)."""
    _require(actor)
    with transaction.atomic():
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        if incident.breach_id is not None:
            return incident  # already opened: a retried click adds nothing
        if not incident.personal_data:
            raise ValidationError(
                {
                    "personal_data": "เหตุการณ์นี้ไม่ได้ระบุว่าเกี่ยวกับข้อมูลส่วนบุคคล / "
                    "The incident is not marked as involving personal data"
                }
            )
        breach = breach_record(
            actor=actor,
            title=incident.title,
            description=incident.description,
            discovered_at=incident.detected_at,
            affected_records=affected_records,
        )
        incident.breach_id = breach.pk
        incident.personal_data = True
        incident.save(update_fields=["breach_id", "personal_data"])
        audit_record(
            actor=actor,
            action="insights.incident.breach",
            object_type="insights.incident",
            object_id=incident.pk,
            changes={"breach_id": breach.pk},
        )
    return incident


# --- the SIEM feed --------------------------------------------------------------------------------


def _event(entry: AuditEntry) -> siem.Event:
    return siem.Event(
        id=entry.id,
        created_at=entry.created_at,
        actor=entry.actor_label or "system",
        action=entry.action,
        object_type=entry.object_type,
        object_id=entry.object_id,
        ip=entry.ip or "",
        entry_hash=entry.hash,
        changes=entry.changes,
    )


def siem_forward(
    *,
    collector: siem.Collector,
    batch: int = 500,
    max_backlog: int | None = None,
    hostname: str | None = None,
    limit: int | None = None,
) -> dict[str, Any]:
    """Send the audit entries after the cursor; see ``codi.insights.siem`` for the rules."""
    max_backlog = (
        max_backlog if max_backlog is not None else int(getattr(settings, "SIEM_MAX_BACKLOG", 100_000))
    )
    hostname = hostname or socket.gethostname()
    cursor, _ = SiemCursor.objects.get_or_create(name=SIEM_CURSOR)
    pending = AuditEntry.objects.filter(id__gt=cursor.last_audit_id)
    backlog = pending.count()
    lost = 0
    if backlog > max_backlog:
        skip_to = pending.order_by("id").values_list("id", flat=True)[backlog - max_backlog - 1]
        lost = backlog - max_backlog
        cursor.last_audit_id = skip_to
        cursor.lost_total += lost
    sent, error = 0, ""
    while limit is None or sent < limit:
        size = batch if limit is None else min(batch, limit - sent)
        entries = list(AuditEntry.objects.filter(id__gt=cursor.last_audit_id).order_by("id")[:size])
        if not entries:
            break
        try:
            siem.send(collector, [siem.format_rfc5424(_event(e), hostname=hostname) for e in entries])
        except OSError as exc:  # collector down: keep the cursor; the audit table is the buffer
            error = f"{type(exc).__name__}: {exc}"[:300]
            break
        cursor.last_audit_id = entries[-1].id
        cursor.sent_total += len(entries)
        sent += len(entries)
    cursor.last_error = error
    cursor.updated_at = timezone.now()
    cursor.save()
    return {
        "sent": sent,
        "lost": lost,
        "error": error,
        "backlog": AuditEntry.objects.filter(id__gt=cursor.last_audit_id).count(),
        "lost_total": cursor.lost_total,
        "sent_total": cursor.sent_total,
    }
