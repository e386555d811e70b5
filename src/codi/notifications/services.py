"""Writes of the notification service: create, deliver (with retries), mark read, preferences."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.db import transaction
from django.utils import timezone

from codi.core.audit import audit_record
from codi.identity.models import User
from codi.notifications.line import LineNotConfiguredError, line_client
from codi.notifications.messages import render
from codi.notifications.models import Channel, DeliveryAttempt, DeliveryStatus, Notification, Preference

MAX_ATTEMPTS = 4
RETRY_BASE_SECONDS = 60  # 1, 2, 4 minutes between tries


def _preference(user: User | None) -> Preference:
    if user is None:
        return Preference()
    return Preference.objects.filter(user_id=user.pk).first() or Preference(user_id=user.pk)


def _channel_allowed(preference: Preference, channel: str) -> bool:
    allowed: dict[str, bool] = {
        Channel.IN_APP: preference.is_in_app_enabled,
        Channel.EMAIL: preference.is_email_enabled,
        Channel.LINE: preference.is_line_enabled,
    }
    return allowed.get(channel, False)


# Messages that rest on a person's consent (news, invitations) name the person and the purpose;
# the module that records consents (codi.privacy) registers the check, so this one needs none.
_consent_checks: list[Callable[[int, str], bool]] = []


def register_consent_check(check: Callable[[int, str], bool]) -> None:
    if check not in _consent_checks:
        _consent_checks.append(check)


def notification_send(
    *,
    recipient_user: User | None = None,
    recipient_email: str | None = None,
    template_key: str,
    context: dict[str, Any],
    channel: str,
    link: str = "",
    language: str | None = None,
    recipient_line_id: str = "",
    person_id: int | None = None,
    purpose: str = "",
) -> Notification:
    """Render a message for one person on one channel and queue its delivery after commit.

    In-app messages are delivered by being stored. E-mail and LINE go through
    ``deliver_notification_task`` once the caller's transaction commits, so a
    rolled-back change never tells anyone anything. A channel the person
    switched off is recorded as ``skipped``.
    """
    if channel not in Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    if recipient_user is None and not recipient_email and not recipient_line_id:
        raise ValueError("a notification needs a user, an e-mail address or a LINE id")
    if channel == Channel.IN_APP and recipient_user is None:
        raise ValueError("in-app notifications need a user")
    preference = _preference(recipient_user)
    lang = language or preference.language or "th"
    subject, body = render(template_key, lang, context)
    email = recipient_email or (recipient_user.email if recipient_user is not None else "")
    line_id = recipient_line_id or preference.line_user_id
    with transaction.atomic():
        notification = Notification(
            recipient_user=recipient_user,
            recipient_email=email if channel == Channel.EMAIL else "",
            recipient_line_id=line_id if channel == Channel.LINE else "",
            channel=channel,
            template_key=template_key,
            language=lang,
            subject=subject,
            body=body,
            link=link[:500],
        )
        if purpose and person_id is not None and not all(c(person_id, purpose) for c in _consent_checks):
            notification.status = DeliveryStatus.SKIPPED
            notification.last_error = f"no consent for {purpose}"
        elif recipient_user is not None and not _channel_allowed(preference, channel):
            notification.status = DeliveryStatus.SKIPPED
            notification.last_error = "switched off by the recipient"
        elif channel == Channel.EMAIL and not email:
            notification.status = DeliveryStatus.SKIPPED
            notification.last_error = "no e-mail address"
        elif channel == Channel.IN_APP:
            notification.status = DeliveryStatus.SENT
            notification.sent_at = timezone.now()
        notification.save()
        audit_record(
            actor=None,
            action="notification.send",
            object_type="notifications.notification",
            object_id=notification.pk,
            changes={
                "channel": channel,
                "template": template_key,
                "email": email,
                "status": notification.status,
            },
            personal_fields=("email",),
        )
        if notification.status == DeliveryStatus.PENDING:
            notification_id = notification.pk
            transaction.on_commit(lambda: _enqueue(notification_id))
    return notification


def _enqueue(notification_id: int, run_after: datetime | None = None) -> None:
    # cycle: notifications.tasks imports these services
    from codi.notifications.tasks import deliver_notification_task

    if run_after is not None and not deliver_notification_task.get_backend().supports_defer:
        # A backend that cannot defer (the immediate one in tests): the message stays pending and
        # ``manage.py notifications_retry`` picks it up.
        return
    task = (
        deliver_notification_task
        if run_after is None
        else deliver_notification_task.using(run_after=run_after)
    )
    task.enqueue(notification_id=notification_id)


# Attachments are made at delivery, never stored: a module registers, for its template key, a
# function that gives a message's files (name, bytes, MIME type) from the notification.
Attachment = tuple[str, bytes, str]
_attachment_makers: dict[str, Callable[[Notification], list[Attachment]]] = {}


def register_attachments(template_key: str, maker: Callable[[Notification], list[Attachment]]) -> None:
    _attachment_makers[template_key] = maker


def _deliver_email(notification: Notification) -> None:
    text = notification.body
    if notification.link:
        text = f"{text}\n\n{notification.link}"
    maker = _attachment_makers.get(notification.template_key)
    if maker is not None:
        message = EmailMessage(
            notification.subject, text, settings.DEFAULT_FROM_EMAIL, [notification.recipient_email]
        )
        for name, content, mimetype in maker(notification):
            message.attach(name, content, mimetype)
        message.send(fail_silently=False)
        return
    send_mail(
        notification.subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        [notification.recipient_email],
        fail_silently=False,
    )


def _deliver_line(notification: Notification) -> None:
    if not notification.recipient_line_id:
        raise LineNotConfiguredError("no LINE user id for the recipient")
    line_client().push(to=notification.recipient_line_id, text=f"{notification.subject}\n{notification.body}")


def notification_deliver(*, notification_id: int, now: datetime | None = None) -> Notification:
    """Try to deliver one pending message; on failure schedule another try with backoff.

    Safe to run twice: a message that is no longer pending is left alone.
    """
    now = now or timezone.now()
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification_id)
        if notification.status != DeliveryStatus.PENDING:
            return notification
        notification.attempts += 1
        error = ""
        try:
            if notification.channel == Channel.EMAIL:
                _deliver_email(notification)
            elif notification.channel == Channel.LINE:
                _deliver_line(notification)
        except LineNotConfiguredError as exc:
            notification.status = DeliveryStatus.SKIPPED
            error = str(exc)
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"[:500]
            if notification.attempts >= MAX_ATTEMPTS:
                notification.status = DeliveryStatus.FAILED
            else:
                delay = timedelta(seconds=RETRY_BASE_SECONDS * 2 ** (notification.attempts - 1))
                nid = notification.pk
                transaction.on_commit(lambda: _enqueue(nid, now + delay))
        else:
            notification.status = DeliveryStatus.SENT
            notification.sent_at = now
        notification.last_error = error
        notification.save(update_fields=["attempts", "status", "sent_at", "last_error"])
        DeliveryAttempt.objects.create(
            notification=notification, attempted_at=now, is_success=not error, error=error
        )
    return notification


def notification_mark_read(*, user: User, notification_id: int | None = None) -> int:
    """Mark one of the user's in-app messages (or all of them) read; returns how many changed."""
    rows = Notification.objects.filter(
        recipient_user_id=user.pk, channel=Channel.IN_APP, read_at__isnull=True
    )
    if notification_id is not None:
        rows = rows.filter(pk=notification_id)
    return rows.update(read_at=timezone.now())


def preference_update(
    *,
    user: User,
    is_email_enabled: bool,
    is_in_app_enabled: bool,
    is_line_enabled: bool,
    language: str,
) -> Preference:
    with transaction.atomic():
        preference, _ = Preference.objects.get_or_create(user=user)
        preference.is_email_enabled = is_email_enabled
        preference.is_in_app_enabled = is_in_app_enabled
        preference.is_line_enabled = is_line_enabled
        preference.language = language if language in {"th", "en"} else "th"
        preference.save()
        audit_record(
            actor=user,
            action="notification.preferences",
            object_type="notifications.preference",
            object_id=preference.pk,
            changes={
                "email": is_email_enabled,
                "in_app": is_in_app_enabled,
                "line": is_line_enabled,
                "language": preference.language,
            },
        )
    return preference


def notifications_retry_pending(*, older_than_seconds: int = 60, now: datetime | None = None) -> int:
    """Queue again the messages still pending (a lost task, or a backend that cannot defer)."""
    now = now or timezone.now()
    ids = list(
        Notification.objects.filter(
            status=DeliveryStatus.PENDING, created_at__lt=now - timedelta(seconds=older_than_seconds)
        ).values_list("id", flat=True)[:1000]
    )
    for notification_id in ids:
        _enqueue(notification_id)
    return len(ids)
