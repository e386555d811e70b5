"""PDPA: privacy notices, consents, the processing register, data-subject requests, breaches, retention.

Legal clocks are stored as due dates so lists can sort and filter on them:
a data-subject request is answered within 30 days (PDPA s.30, extensions recorded),
a breach is notified to the regulator (PDPC) within 72 hours of discovery (s.37(4)).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from codi.communities.models import Person


class Purpose(models.TextChoices):
    """Why personal data is processed; the purposes marked in ``CONSENT_PURPOSES`` rest on consent."""

    MEMBER_REGISTRY = "member_registry", _("Community member registry")
    PROJECTS = "projects", _("Project proposals and funding")
    FEEDBACK = "feedback", _("Handling community feedback")
    NEWSLETTER = "newsletter", _("News and invitations (non-essential messages)")
    ANALYTICS = "analytics", _("Research and analytics")


# Processing that stops when consent is withdrawn (the others rest on public task or contract).
CONSENT_PURPOSES = frozenset({Purpose.NEWSLETTER, Purpose.ANALYTICS})


class PrivacyNotice(models.Model):
    """One version of the notice for one purpose. A new version is a new row; old rows never change."""

    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    version = models.PositiveIntegerField(_("version"))
    title_th = models.CharField(_("Thai title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200)
    body_th = models.TextField(_("Thai text"))
    body_en = models.TextField(_("English text"))
    published_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["purpose", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["purpose", "version"], name="privacy_notice_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.purpose} v{self.version}"


class ConsentChannel(models.TextChoices):
    WEB = "web", _("Web form")
    PAPER = "paper", _("Signed paper form")
    PHONE = "phone", _("Phone (recorded by staff)")
    LINE = "line", _("LINE")
    IN_PERSON = "in_person", _("In person (recorded by staff)")


class Consent(models.Model):
    """A person's consent to one purpose under one notice version; withdrawal is recorded on the same row."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    notice = models.ForeignKey(PrivacyNotice, on_delete=models.PROTECT, related_name="consents")
    channel = models.CharField(_("channel"), max_length=20, choices=ConsentChannel.choices)
    given_at = models.DateTimeField(_("given at"), default=timezone.now)
    evidence_text = models.TextField(_("evidence"), blank=True)
    evidence_file = models.FileField(_("evidence file"), upload_to="privacy/consents/%Y/", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_channel = models.CharField(max_length=20, choices=ConsentChannel.choices, blank=True)
    withdrawal_evidence = models.TextField(blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-given_at", "-id"]
        indexes = [models.Index(fields=["person", "purpose"], name="consent_person_purpose")]
        constraints = [
            # One live consent per person and purpose: giving it again first needs a withdrawal.
            models.UniqueConstraint(
                fields=["person", "purpose"],
                condition=Q(withdrawn_at__isnull=True),
                name="consent_one_active_per_purpose",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.purpose}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class RestrictionKind(models.TextChoices):
    OBJECTION = "objection", _("Objection (PDPA s.32)")
    RESTRICTION = "restriction", _("Restriction of processing (PDPA s.34)")


class ProcessingRestriction(models.Model):
    """An objection or restriction in force: processing for ``purpose`` (or every purpose) is suspended."""

    ALL = "all"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="processing_restrictions")
    kind = models.CharField(_("kind"), max_length=20, choices=RestrictionKind.choices)
    purpose = models.CharField(_("purpose"), max_length=30)  # a Purpose value or "all"
    reason = models.TextField(_("reason"), blank=True)
    request = models.ForeignKey(
        "DataSubjectRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.person_id} {self.purpose}"


class ProcessingActivity(models.Model):
    """One entry of the records of processing activities (PDPA s.39)."""

    name_th = models.CharField(_("Thai name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    lawful_basis = models.CharField(_("lawful basis"), max_length=200)
    data_subjects = models.CharField(_("categories of data subjects"), max_length=300)
    # Catalog dataset labels ("communities.Person"): the data categories are derived from their
    # personal fields, so the register follows the code.
    datasets = models.JSONField(_("datasets"), default=list, blank=True)
    recipients = models.TextField(_("recipients"), blank=True)
    transfers_abroad = models.TextField(_("transfers abroad"), blank=True)
    retention = models.CharField(_("retention"), max_length=300)
    security_measures = models.TextField(_("security measures"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name_en


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Access and copy (s.30)")
    RECTIFICATION = "rectification", _("Rectification (s.35)")
    ERASURE = "erasure", _("Erasure or anonymisation (s.33)")
    OBJECTION = "objection", _("Objection (s.32)")
    RESTRICTION = "restriction", _("Restriction (s.34)")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received: identity not verified")
    VERIFIED = "verified", _("Identity verified")
    COMPLETED = "completed", _("Completed")
    REFUSED = "refused", _("Refused")


OPEN_REQUEST_STATUSES = (RequestStatus.RECEIVED, RequestStatus.VERIFIED)
DSR_DAYS = 30


class DataSubjectRequest(models.Model):
    """A request from a data subject, answered within ``DSR_DAYS`` (``due_at``, extensions recorded)."""

    kind = models.CharField(_("kind"), max_length=20, choices=RequestKind.choices)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="data_subject_requests"
    )
    requester_name = models.CharField(_("requester"), max_length=200)
    channel = models.CharField(_("channel"), max_length=20, choices=ConsentChannel.choices)
    details = models.TextField(_("details"), blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    due_at = models.DateTimeField(_("due"))
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    identity_method = models.CharField(_("identity checked by"), max_length=200, blank=True)
    identity_verified_at = models.DateTimeField(null=True, blank=True)
    identity_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    extension_count = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)  # what was released/changed/kept, with rules
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["status", "due_at"], name="dsr_status_due")]

    def __str__(self) -> str:
        return f"DSR-{self.pk} {self.kind}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REQUEST_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at < timezone.now()


class RequestEvent(models.Model):
    """The request's history: verification, reminders, extensions with their reason, completion."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Received")
        VERIFIED = "verified", _("Identity verified")
        REMINDER = "reminder", _("Reminder sent")
        EXTENDED = "extended", _("Deadline extended")
        COMPLETED = "completed", _("Completed")
        REFUSED = "refused", _("Refused")

    request = models.ForeignKey(DataSubjectRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind}"


class RiskLevel(models.TextChoices):
    UNLIKELY = "unlikely", _("Unlikely to result in a risk")
    RISK = "risk", _("Risk: notify the regulator")
    HIGH = "high", _("High risk: notify the regulator and the persons")


class BreachStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CONTAINED = "contained", _("Contained")
    CLOSED = "closed", _("Closed")


BREACH_HOURS = 72


class Breach(models.Model):
    """A personal-data breach: what happened, whom it touches, the risk, and the 72-hour clock."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what happened"))
    occurred_at = models.DateTimeField(_("occurred at"), null=True, blank=True)
    discovered_at = models.DateTimeField(_("discovered at"))
    regulator_due_at = models.DateTimeField(_("notify the regulator by"))
    affected_records = models.PositiveIntegerField(_("affected records"), default=0)
    affected_persons = models.ManyToManyField(Person, blank=True, related_name="breaches")
    data_categories = models.TextField(_("data concerned"), blank=True)
    risk_level = models.CharField(_("risk"), max_length=20, choices=RiskLevel.choices, blank=True)
    risk_assessment = models.TextField(_("risk assessment"), blank=True)
    regulator_notified_at = models.DateTimeField(_("regulator notified at"), null=True, blank=True)
    regulator_reference = models.CharField(_("regulator reference"), max_length=100, blank=True)
    late_reason = models.TextField(_("reason for a late notification"), blank=True)
    subjects_notified_at = models.DateTimeField(null=True, blank=True)
    subjects_notified = models.PositiveIntegerField(default=0)
    subjects_without_contact = models.PositiveIntegerField(default=0)
    status = models.CharField(
        _("status"), max_length=20, choices=BreachStatus.choices, default=BreachStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-discovered_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def needs_regulator(self) -> bool:
        return self.risk_level != RiskLevel.UNLIKELY and self.regulator_notified_at is None

    @property
    def is_overdue(self) -> bool:
        return self.needs_regulator and self.regulator_due_at < timezone.now()


class RetentionPolicy(models.Model):
    """A DPO's override of a retention rule's period (defaults live in ``codi.privacy.retention``)."""

    rule = models.CharField(_("rule"), max_length=50, unique=True)
    days = models.PositiveIntegerField(_("days"))
    is_enabled = models.BooleanField(_("enabled"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.rule}: {self.days}"


class RetentionRun(models.Model):
    """What one run of the retention jobs did (or, for a dry run, would do)."""

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    is_dry_run = models.BooleanField(default=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    report = models.JSONField(default=list, blank=True)  # [{rule, dataset, action, days, count}]
    total = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"retention run {self.pk}"
