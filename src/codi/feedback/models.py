"""Problem reports and opinions from communities ("tickets"), their history, SLA calendar.

A ticket is tied to a subdistrict code like everything else (area scoping
filters on it); it may have none when the reporter could not say where, and
then only country-wide staff see it until someone sets the area.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from codi.areas.models import Region, Subdistrict
from codi.communities.models import Organization


class Topic(models.TextChoices):
    HOUSING_LAND = "housing_land", _("Housing and land")
    WELFARE = "welfare", _("Welfare")
    LIVELIHOOD = "livelihood_economy", _("Livelihood and economy")
    DISASTER = "disaster", _("Disaster")
    ENVIRONMENT = "environment", _("Environment")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    PROJECT_FINANCE = "project_finance", _("Project finance and disbursement")
    TRANSPARENCY = "transparency_corruption", _("Transparency and corruption")
    OTHER = "other", _("Other")


class Sentiment(models.TextChoices):
    POSITIVE = "pos", _("Positive")
    NEUTRAL = "neu", _("Neutral")
    NEGATIVE = "neg", _("Negative")
    QUESTION = "q", _("Question")


class IntakeChannel(models.TextChoices):
    WEB = "web", _("Public web form")
    PORTAL = "portal", _("Community-leader portal")
    PHONE = "phone", _("Phone (staff entry)")
    WALK_IN = "walk_in", _("Walk-in (staff entry)")
    LINE = "line", _("LINE Official Account")
    SOCIAL = "social", _("Social media import")


class Status(models.TextChoices):
    NEW = "new", _("New")
    TRIAGED = "triaged", _("Triaged")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (Status.NEW, Status.TRIAGED, Status.ASSIGNED, Status.IN_PROGRESS)


class AreaSource(models.TextChoices):
    """How the report's area was found (a guess from the text is shown as one to the officer)."""

    GIVEN = "given", _("Given by the reporter")
    POSTAL_CODE = "postal_code", _("From the postal code")
    MAP = "map", _("Picked on the map")
    TEXT = "text", _("Guessed from place names in the text")
    NONE = "", _("Unknown")


class Ticket(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True, null=True, blank=True)
    # Only a SHA-256 of the reporter's secret link is kept: a database leak does not open the links.
    token_hash = models.CharField(max_length=64, unique=True)
    channel = models.CharField(_("channel"), max_length=10, choices=IntakeChannel.choices)
    external_id = models.CharField(max_length=200, blank=True, default="")
    text = models.TextField(_("text"))  # stored as received; always rendered escaped
    subdistrict = models.ForeignKey(
        Subdistrict, null=True, blank=True, on_delete=models.PROTECT, related_name="feedback_tickets"
    )
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True, default="")
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    area_source = models.CharField(
        _("how the area was found"), max_length=12, choices=AreaSource.choices, blank=True, default=""
    )
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="feedback_tickets"
    )
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.SET_NULL, related_name="feedback_tickets"
    )
    category = models.CharField(_("category"), max_length=30, choices=Topic.choices, default=Topic.OTHER)
    topic = models.CharField(_("topic (model)"), max_length=30, choices=Topic.choices, blank=True, default="")
    topic_confidence = models.FloatField(default=0.0)
    sentiment = models.CharField(
        _("sentiment"), max_length=3, choices=Sentiment.choices, blank=True, default=""
    )
    sentiment_confidence = models.FloatField(default=0.0)
    is_urgent = models.BooleanField(_("urgent"), default=False)
    urgency_reasons = models.JSONField(default=list, blank=True)
    has_personal_data = models.BooleanField(default=False)
    minhash = models.JSONField(default=list, blank=True)
    cluster = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    duplicate_score = models.FloatField(default=0.0)
    # Reporter (optional, personal data: shown to staff in the area only, never on public pages).
    reporter_name = models.CharField(_("name"), max_length=200, blank=True, default="")
    reporter_email = models.EmailField(_("e-mail"), blank=True, default="")
    reporter_phone = models.CharField(_("phone"), max_length=30, blank=True, default="")
    reporter_line_id = models.CharField(max_length=64, blank=True, default="")
    consent_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NEW)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_assigned",
    )
    acknowledge_due_at = models.DateTimeField(null=True, blank=True)
    resolve_due_at = models.DateTimeField(null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(default=0)
    escalated_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["subdistrict", "status"], name="fb_ticket_area_status"),
            models.Index(fields=["status", "resolve_due_at"], name="fb_ticket_status_due"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"],
                condition=~models.Q(external_id=""),
                name="fb_ticket_channel_external_unique",
            )
        ]

    def __str__(self) -> str:
        return self.reference or f"ticket {self.pk}"


class TicketEvent(models.Model):
    class Kind(models.TextChoices):
        CREATED = "created", _("Received")
        ROUTED = "routed", _("Routed")
        STATUS = "status", _("Status changed")
        REOPENED = "reopened", _("Reopened")
        ESCALATED = "escalated", _("Escalated")
        NOTE = "note", _("Note")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    from_status = models.CharField(max_length=12, blank=True, default="")
    to_status = models.CharField(max_length=12, blank=True, default="")
    note = models.TextField(blank=True, default="")
    # Shown to the reporter on the public status page (with personal data masked).
    is_public = models.BooleanField(default=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind} {self.to_status}"


class SlaPolicy(models.Model):
    """Working days to acknowledge and to resolve, per category (defaults in ``codi.feedback.sla``)."""

    category = models.CharField(max_length=30, choices=Topic.choices, unique=True)
    acknowledge_days = models.PositiveSmallIntegerField(default=3)
    resolve_days = models.PositiveSmallIntegerField(default=15)

    def __str__(self) -> str:
        return f"{self.category}: {self.acknowledge_days}/{self.resolve_days}"


class TicketAttachment(models.Model):
    """A photo or PDF sent with a report; shown to staff who can see the ticket, never publicly."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="feedback/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name
