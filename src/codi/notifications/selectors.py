"""Reads: a person's own messages and unread count (nobody reads another person's inbox)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from codi.notifications.models import Channel, Notification, Preference


def notification_list(*, user: Any) -> QuerySet[Notification]:
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient_user_id=user.pk, channel=Channel.IN_APP)


def unread_count(*, user: Any) -> int:
    return notification_list(user=user).filter(read_at__isnull=True).count()


def preference_get(*, user: Any) -> Preference:
    return Preference.objects.filter(user_id=user.pk).first() or Preference(user_id=user.pk)
