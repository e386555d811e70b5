"""Security operations: incidents through their stages, alerts raised by the rules, the SIEM cursor."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class Stage(models.TextChoices):
    DETECTION = "detection", _("Detection")
    TRIAGE = "triage", _("Triage")
    CONTAINMENT = "containment", _("Containment")
    RECOVERY = "recovery", _("Recovery")
    LESSONS = "lessons", _("Lessons learned")
    CLOSED = "closed", _("Closed")


STAGE_ORDER = [s.value for s in Stage]


class Incident(models.Model):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what was seen"))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.DETECTION)
    detected_at = models.DateTimeField(_("detected at"), default=timezone.now)
    personal_data = models.BooleanField(_("personal data involved"), default=False)
    breach_id = models.PositiveIntegerField(_("PDPA breach record"), null=True, blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-detected_at", "-id"]

    def __str__(self) -> str:
        return self.title


class IncidentStep(models.Model):
    """One move of an incident to its next stage, with what was done."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="steps")
    from_stage = models.CharField(max_length=12, choices=Stage.choices)
    to_stage = models.CharField(max_length=12, choices=Stage.choices)
    note = models.TextField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.from_stage} → {self.to_stage}"


class Rule(models.TextChoices):
    FAILED_LOGINS = "failed_logins", _("Failed sign-ins above their usual level")
    EXPORTS = "exports", _("Unusual data exports by one user")
    OUT_OF_HOURS = "out_of_hours", _("Personal data viewed out of office hours")
    TASK_LAG = "task_lag", _("Background tasks waiting too long")
    DISK = "disk", _("Disk almost full")
    HTTP_5XX = "http_5xx", _("Share of server errors (5xx) above its limit")


class Alert(models.Model):
    rule = models.CharField(_("rule"), max_length=20, choices=Rule.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    subject = models.CharField(max_length=150, blank=True)  # the user or resource concerned
    value = models.FloatField()
    baseline = models.FloatField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    incident = models.ForeignKey(
        Incident, null=True, blank=True, on_delete=models.SET_NULL, related_name="alerts"
    )
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-window_end", "-id"]
        constraints = [
            # One alert per rule, subject and window: evaluating again adds nothing.
            models.UniqueConstraint(fields=["rule", "subject", "window_start"], name="insights_alert_once")
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.subject} {self.window_start:%Y-%m-%d %H:%M}"


class RequestTally(models.Model):
    """The platform's request counters (all responses, 5xx responses) as read at one evaluation of
    the alert rules; the 5xx share over a window is the difference between two tallies."""

    taken_at = models.DateTimeField(unique=True)
    requests = models.BigIntegerField()
    errors = models.BigIntegerField()

    class Meta:
        ordering = ["-taken_at"]

    def __str__(self) -> str:
        return f"{self.taken_at:%Y-%m-%d %H:%M}: {self.errors}/{self.requests}"


class SiemCursor(models.Model):
    """How far the SIEM feed has sent the audit trail, and what it could not send."""

    name = models.CharField(max_length=50, unique=True)
    last_audit_id = models.BigIntegerField(default=0)
    sent_total = models.BigIntegerField(default=0)
    lost_total = models.BigIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.name}: {self.last_audit_id}"


class SatisfactionResponse(models.Model):
    """One answer to the in-app satisfaction survey of one module, at most one per person per
    module per fiscal quarter (``respondent_key``: a keyed hash, so an anonymous answer still
    counts once without keeping who gave it)."""

    module = models.CharField(_("module"), max_length=30)
    quarter = models.CharField(_("fiscal quarter"), max_length=7)  # "2570-Q1" (B.E. fiscal year)
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    respondent_key = models.CharField(max_length=64, unique=True)
    sentiment = models.CharField(_("sentiment of the comment"), max_length=10, blank=True)
    topic = models.CharField(_("topic of the comment"), max_length=30, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1) & models.Q(score__lte=5),
                name="insights_satisfaction_score_1_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.module} {self.quarter}: {self.score}"


class PlannedSystem(models.Model):
    """A system the digital action plan (chapter 3) promises by a fiscal year, with its planned and
    actual go-live dates; the source of the executive board's "systems delivered on time"."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("system"), max_length=200)
    plan_year = models.PositiveSmallIntegerField(_("plan year (B.E.)"))
    planned_on = models.DateField(_("planned go-live"))
    delivered_on = models.DateField(_("actual go-live"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan_year", "planned_on", "code"]
        verbose_name = _("planned system")

    def __str__(self) -> str:
        return self.name

    @property
    def on_time(self) -> bool | None:
        """Delivered by its planned date (None while not delivered and the date has not passed)."""
        if self.delivered_on is not None:
            return self.delivered_on <= self.planned_on
        return False if self.planned_on < timezone.localdate() else None
