"""Messages the platform sends people: in the app, by e-mail, and (when configured) by LINE."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the platform")
    EMAIL = "email", _("E-mail")
    LINE = "line", _("LINE")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not sent")


class Notification(models.Model):
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    # For people without an account (a reporter who left an e-mail address): personal data.
    recipient_email = models.EmailField(blank=True, default="")
    recipient_line_id = models.CharField(max_length=64, blank=True, default="")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    template_key = models.CharField(max_length=80)
    language = models.CharField(max_length=5, default="th")
    subject = models.CharField(max_length=255)
    body = models.TextField()
    link = models.CharField(max_length=500, blank=True, default="")
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient_user", "channel", "read_at"], name="notif_user_unread"),
            models.Index(fields=["status", "created_at"], name="notif_status_created"),
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.template_key}#{self.pk}"


class DeliveryAttempt(models.Model):
    """The delivery log: one row per try, kept for support and for the audit of who was told what."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="delivery_attempts")
    attempted_at = models.DateTimeField(default=timezone.now)
    is_success = models.BooleanField(default=False)
    error = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ["attempted_at", "id"]

    def __str__(self) -> str:
        return f"{self.notification_id} {'ok' if self.is_success else 'failed'}"


class Preference(models.Model):
    """What a person wants to receive; absent means the defaults (in-app and e-mail on, Thai)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    is_email_enabled = models.BooleanField(_("e-mail"), default=True)
    is_in_app_enabled = models.BooleanField(_("in the platform"), default=True)
    is_line_enabled = models.BooleanField(_("LINE"), default=False)
    language = models.CharField(
        _("language"), max_length=5, default="th", choices=[("th", "ไทย"), ("en", "English")]
    )
    line_user_id = models.CharField(_("LINE user ID"), max_length=64, blank=True, default="")

    def __str__(self) -> str:
        return f"preferences of {self.user_id}"
