"""The records of processing and the retention rules, and the retention run that applies them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from codi.core.audit import audit_record
from codi.privacy import retention
from codi.privacy.models import (
    ProcessingActivity,
    Purpose,
    RetentionPolicy,
    RetentionRun,
)
from codi.privacy.services.common import _require


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
