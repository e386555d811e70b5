"""Notifications' data-subject collector: messages sent to the person's e-mail or LINE ID."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q

from codi.core.models import AuditEntry
from codi.core.personaldata import ANONYMISE, Outcome, Subject, row
from codi.notifications.models import DeliveryStatus, Notification

ORDER = 40


def _condition(subject: Subject) -> Q | None:
    condition = None
    if subject.emails:
        condition = Q(recipient_email__in=subject.emails)
    if subject.line_ids:
        line = Q(recipient_line_id__in=subject.line_ids)
        condition = line if condition is None else condition | line
    return condition


class NotificationsCollector:
    name = "notifications"

    def collect(self, subject: Subject) -> dict[str, list[dict[str, Any]]]:
        condition = _condition(subject)
        if condition is None:
            return {"notifications.Notification": []}
        rows = Notification.objects.filter(condition).order_by("id")
        return {
            "notifications.Notification": [
                row(
                    n,
                    (
                        "id",
                        "channel",
                        "recipient_email",
                        "recipient_line_id",
                        "template_key",
                        "subject",
                        "body",
                        "status",
                        "created_at",
                        "sent_at",
                    ),
                )
                for n in rows
            ]
        }

    def audit_entries(self, subject: Subject) -> list[Any]:
        condition = _condition(subject)
        if condition is None:
            return []
        ids = [str(pk) for pk in Notification.objects.filter(condition).values_list("pk", flat=True)]
        return list(AuditEntry.objects.filter(object_type="notifications.notification", object_id__in=ids))

    def erase(self, subject: Subject, *, dry_run: bool) -> list[Outcome]:
        condition = _condition(subject)
        if condition is None:
            return []
        ids = list(Notification.objects.filter(condition).values_list("pk", flat=True))
        outcomes = [
            Outcome(
                "notifications.Notification",
                str(pk),
                ANONYMISE,
                ("recipient_email", "recipient_line_id", "body"),
                reason="delivery record kept without address or text",
            )
            for pk in ids
        ]
        if not dry_run and ids:
            Notification.objects.filter(pk__in=ids).update(recipient_email="", recipient_line_id="", body="")
        return outcomes

    def expire_addresses(self, cutoff: datetime, dry_run: bool) -> int:
        """Retention: addresses of delivered or failed messages older than ``cutoff`` removed."""
        rows = Notification.objects.filter(created_at__lt=cutoff).exclude(status=DeliveryStatus.PENDING)
        rows = rows.filter(~Q(recipient_email="") | ~Q(recipient_line_id=""))
        if dry_run:
            return rows.count()
        return rows.update(recipient_email="", recipient_line_id="")
