"""e-Audit data: rule parameters, analytics runs and their exception queue, engagements and findings
followed to closure, and risk registers per unit.

The hash-chained audit trail itself is ``codi.core.models.AuditEntry``; this app only reads it as
evidence (and writes to it through ``codi.core.audit.audit_record`` like every app).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

SCALE = [MinValueValidator(1), MaxValueValidator(5)]


class RuleSetting(models.Model):
    """The parameters of one analytics rule (overrides of the registry's defaults) and whether it runs."""

    rule = models.CharField(_("rule"), max_length=40, unique=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["rule"]

    def __str__(self) -> str:
        return self.rule


class AnalyticsRun(models.Model):
    class Trigger(models.TextChoices):
        ON_DEMAND = "on_demand", _("On demand")
        SCHEDULED = "scheduled", _("Scheduled")

    trigger = models.CharField(max_length=20, choices=Trigger.choices)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rules = models.JSONField(default=list)
    # records read per feed, flags per rule, and new exceptions per rule
    records = models.JSONField(default=dict)
    flags = models.JSONField(default=dict)
    new_exceptions = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"run {self.pk}"


class ExceptionStatus(models.TextChoices):
    OPEN = "open", _("To review")
    EXPLAINED = "explained", _("Explained")
    FINDING = "finding", _("Raised as a finding")
    FALSE_POSITIVE = "false_positive", _("False positive")


class AuditException(models.Model):
    """One record a rule flagged; kept across runs (one row per rule and record) with the auditor's call."""

    rule = models.CharField(_("rule"), max_length=40, db_index=True)
    record_id = models.CharField(_("record"), max_length=80)
    group_id = models.CharField(_("group"), max_length=80, blank=True)
    reason = models.CharField(_("reason"), max_length=500)
    source_type = models.CharField(max_length=60, blank=True)
    source_id = models.CharField(max_length=64, blank=True)
    first_run = models.ForeignKey(AnalyticsRun, on_delete=models.PROTECT, related_name="+")
    last_run = models.ForeignKey(AnalyticsRun, on_delete=models.PROTECT, related_name="exceptions")
    status = models.CharField(max_length=20, choices=ExceptionStatus.choices, default=ExceptionStatus.OPEN)
    note = models.CharField(_("note"), max_length=1000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    finding = models.ForeignKey(
        "Finding", null=True, blank=True, on_delete=models.PROTECT, related_name="exceptions"
    )
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["status", "rule", "group_id", "record_id"]
        constraints = [models.UniqueConstraint(fields=["rule", "record_id"], name="eaudit_exception_once")]

    def __str__(self) -> str:
        return f"{self.rule} {self.record_id}"


class Engagement(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        FIELDWORK = "fieldwork", _("Fieldwork")
        REPORTING = "reporting", _("Reporting")
        CLOSED = "closed", _("Engagement closed")

    fiscal_year_be = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    sequence = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=300)
    unit = models.ForeignKey(
        "identity.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("unit"),
    )
    scope = models.TextField(_("scope"))
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.FIELDWORK)
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["-fiscal_year_be", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year_be", "sequence"], name="eaudit_engagement_number")
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"IA{self.fiscal_year_be}-{self.sequence:03d}"


class Rating(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class FindingStatus(models.TextChoices):
    AWAITING_RESPONSE = "awaiting_response", _("Awaiting management response")
    FOLLOW_UP = "follow_up", _("In follow-up")
    CLOSED = "closed", _("Closed on evidence")


class Finding(models.Model):
    """An audit finding (condition, criteria, cause, effect, recommendation), run through
    ``processes/finding_tobe.bpmn``: management responds, the auditor follows up until closed."""

    engagement = models.ForeignKey(Engagement, on_delete=models.PROTECT, related_name="findings")
    sequence = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=300)
    condition = models.TextField(_("condition"))
    criteria = models.TextField(_("criteria"))
    cause = models.TextField(_("cause"))
    effect = models.TextField(_("effect"))
    recommendation = models.TextField(_("recommendation"))
    rating = models.CharField(_("rating"), max_length=10, choices=Rating.choices, default=Rating.MEDIUM)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible manager"),
    )
    status = models.CharField(
        max_length=20, choices=FindingStatus.choices, default=FindingStatus.AWAITING_RESPONSE
    )
    workflow_state = models.JSONField(default=dict, blank=True)
    current_step = models.CharField(max_length=40, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["-engagement__fiscal_year_be", "-engagement__sequence", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "sequence"], name="eaudit_finding_number")
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"{self.engagement.number}/F{self.sequence:02d}"


class ManagementResponse(models.Model):
    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="responses")
    agreed = models.BooleanField(_("agrees with the finding"), default=True)
    action_plan = models.TextField(_("action plan"))
    action_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("action owner")
    )
    due_date = models.DateField(_("due date"))
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    responded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["responded_at", "id"]

    def __str__(self) -> str:
        return f"{self.finding_id} {self.due_date}"


class FollowUp(models.Model):
    class Outcome(models.TextChoices):
        CONTINUE = "continue", _("Still in progress")
        REOPEN = "reopen", _("Sent back for a new response")
        CLOSE = "close", _("Closed with evidence")

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="follow_ups")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    note = models.TextField(_("note"))
    evidence = models.CharField(_("evidence"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.finding_id} {self.outcome}"


class Treatment(models.TextChoices):
    REDUCE = "reduce", _("Reduce (control)")
    ACCEPT = "accept", _("Accept")
    TRANSFER = "transfer", _("Transfer / share")
    AVOID = "avoid", _("Avoid")


class Risk(models.Model):
    """A risk of a unit (or, without a unit, organization-wide) on the 5 × 5 scale."""

    unit = models.ForeignKey(
        "identity.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("unit"),
    )
    fiscal_year_be = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    code = models.CharField(_("code"), max_length=30, unique=True)
    objective = models.CharField(_("objective"), max_length=500)
    event = models.CharField(_("risk event"), max_length=500)
    cause = models.CharField(_("cause"), max_length=500)
    likelihood = models.PositiveSmallIntegerField(_("likelihood"), validators=SCALE)
    impact = models.PositiveSmallIntegerField(_("impact"), validators=SCALE)
    residual_likelihood = models.PositiveSmallIntegerField(_("residual likelihood"), validators=SCALE)
    residual_impact = models.PositiveSmallIntegerField(_("residual impact"), validators=SCALE)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    treatment = models.CharField(_("treatment"), max_length=20, choices=Treatment.choices)
    treatment_plan = models.TextField(_("treatment plan"), blank=True)
    # A key risk indicator read from platform data (codi.audit.kri) and its tolerance.
    kri = models.CharField(_("key risk indicator"), max_length=40, blank=True)
    kri_limit = models.DecimalField(_("tolerance"), max_digits=14, decimal_places=2, null=True, blank=True)
    reviewed_on = models.DateField(_("last quarterly review"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    likelihood__gte=1,
                    likelihood__lte=5,
                    impact__gte=1,
                    impact__lte=5,
                    residual_likelihood__gte=1,
                    residual_likelihood__lte=5,
                    residual_impact__gte=1,
                    residual_impact__lte=5,
                ),
                name="eaudit_risk_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.event}"

    @property
    def inherent(self) -> int:
        return self.likelihood * self.impact

    @property
    def residual(self) -> int:
        return self.residual_likelihood * self.residual_impact


def band(score: int) -> str:
    """The rating band of a likelihood × impact score (the MoF 2561 style 5 × 5 matrix)."""
    if score >= 15:
        return "very_high"
    if score >= 10:
        return "high"
    if score >= 5:
        return "medium"
    return "low"


class Component(models.TextChoices):
    """The five components of internal control (MoF standards for state agencies, 2561; COSO)."""

    CONTROL_ENVIRONMENT = "control_environment", _("Control environment")
    RISK_ASSESSMENT = "risk_assessment", _("Risk assessment")
    CONTROL_ACTIVITIES = "control_activities", _("Control activities")
    INFORMATION = "information", _("Information and communication")
    MONITORING = "monitoring", _("Monitoring activities")


class ControlAssessment(models.Model):
    """A unit's yearly internal-control self-assessment, signed by the head of the unit."""

    unit = models.ForeignKey(
        "identity.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    fiscal_year_be = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    # The assessment as PDF, signed by the head through the platform PKI (kept once signed).
    pdf = models.FileField(upload_to="eaudit/assessments/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["-fiscal_year_be", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "fiscal_year_be"], name="eaudit_assessment_once")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.fiscal_year_be}"


class ControlAssessmentItem(models.Model):
    assessment = models.ForeignKey(ControlAssessment, on_delete=models.CASCADE, related_name="items")
    component = models.CharField(_("component"), max_length=30, choices=Component.choices)
    rating = models.PositiveSmallIntegerField(_("adequacy (1-5)"), validators=SCALE)
    gaps = models.TextField(_("weaknesses found"), blank=True)
    evidence = models.CharField(_("evidence"), max_length=500)
    improvement = models.TextField(_("improvement plan"), blank=True)

    class Meta:
        ordering = ["assessment", "component"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "component"], name="eaudit_assessment_component")
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.component}"


class AuditPlan(models.Model):
    """The risk-based annual audit plan: auditable units ranked by the risk register, engagements
    planned by quarter, approved by the head of the organization (not its preparer)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")

    fiscal_year_be = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"), unique=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["-fiscal_year_be"]

    def __str__(self) -> str:
        return f"plan {self.fiscal_year_be}"


class PlannedEngagement(models.Model):
    plan = models.ForeignKey(AuditPlan, on_delete=models.CASCADE, related_name="planned")
    rank = models.PositiveSmallIntegerField(_("rank"))
    unit = models.ForeignKey(
        "identity.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("unit"),
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=300)
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    # The unit's risk at planning time: highest residual score, their sum and count.
    risk_score = models.PositiveSmallIntegerField(_("highest residual risk"))
    risk_total = models.PositiveIntegerField(_("total residual risk"))
    risk_count = models.PositiveSmallIntegerField(_("risks"))
    engagement = models.OneToOneField(
        Engagement, null=True, blank=True, on_delete=models.PROTECT, related_name="planned"
    )

    class Meta:
        ordering = ["plan", "quarter", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "rank"], name="eaudit_planned_rank"),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="eaudit_planned_quarter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} #{self.rank}"


class WorkingPaper(models.Model):
    """An engagement's working paper, stored in the documents app (classified, versioned); the
    reference number is the engagement's; a second auditor signs the review off."""

    engagement = models.ForeignKey(Engagement, on_delete=models.PROTECT, related_name="working_papers")
    sequence = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=300)
    document_id = models.PositiveIntegerField(_("document"))
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=1000, blank=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["engagement", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "sequence"], name="eaudit_working_paper_number")
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"{self.engagement.number}/WP-{self.sequence:02d}"


class EngagementReport(models.Model):
    """The engagement report as PDF, signed by the engagement's lead through the platform PKI; kept once signed."""

    engagement = models.OneToOneField(Engagement, on_delete=models.PROTECT, related_name="report")
    pdf = models.FileField(upload_to="eaudit/reports/")
    sha256 = models.CharField(max_length=64)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.engagement_id} report"
