"""Data governance: reference code lists, organization merges, data-quality runs, AI model reviews.

The data catalog itself has no table: it is read from each app's ``catalog.py``
(``codi.governance.catalog``), so it cannot drift from the code. The AI register's
model cards are in code too (``codi.governance.ai``); reviews of them are recorded here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from codi.communities.models import Organization

# --- reference code lists --------------------------------------------------------------------


class CodeList(models.Model):
    """A list of reference codes kept in one place (e.g. co-funding sources).

    Lists that are TextChoices in the code are shown from the code itself
    (``codi.governance.codes``); the lists here are the extra ones managed by stewards.
    """

    key = models.SlugField(_("key"), max_length=80, unique=True)
    name_th = models.CharField(_("Thai name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner_unit = models.CharField(_("owning unit"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.name_th


class Code(models.Model):
    code_list = models.ForeignKey(CodeList, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(_("code"), max_length=40)
    label_th = models.CharField(_("Thai label"), max_length=200)
    label_en = models.CharField(_("English label"), max_length=200, blank=True)
    description = models.CharField(_("description"), max_length=500, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["code_list_id", "sort_order", "code"]
        constraints = [models.UniqueConstraint(fields=["code_list", "code"], name="governance_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.label_th}"


# --- master data: organizations ---------------------------------------------------------------


class OrganizationMerge(models.Model):
    """A duplicate organization folded into its survivor; what was moved is kept for the record."""

    survivor = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="merges_received")
    merged_id = models.BigIntegerField(_("merged organization id"))
    merged_name = models.CharField(_("merged organization name"), max_length=255)
    merged_registration_no = models.CharField(max_length=50, blank=True)
    merged_snapshot = models.JSONField(default=dict)
    moved = models.JSONField(default=dict)  # {"app.Model.field": rows re-pointed, ...}
    dropped = models.JSONField(default=dict)  # rows removed because the survivor already had them
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-merged_at", "-id"]

    def __str__(self) -> str:
        return f"{self.merged_id} → {self.survivor_id}"


class DuplicateDismissal(models.Model):
    """A steward's decision that two similar organizations are really different."""

    first_id = models.BigIntegerField()  # the smaller organization id
    second_id = models.BigIntegerField()
    note = models.CharField(_("note"), max_length=500, blank=True)
    dismissed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dismissed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first_id", "second_id"], name="governance_dismissal_unique")
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ≠ {self.second_id}"


# --- data quality -----------------------------------------------------------------------------


class Dimension(models.TextChoices):
    COMPLETENESS = "completeness", _("Completeness")
    VALIDITY = "validity", _("Validity")
    CONSISTENCY = "consistency", _("Consistency")
    TIMELINESS = "timeliness", _("Timeliness")


class QualityRun(models.Model):
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    trigger = models.CharField(max_length=20, default="command")  # command | task | page

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"quality run {self.pk} {self.started_at:%Y-%m-%d %H:%M}"


class QualityResult(models.Model):
    """One rule's outcome in one run."""

    run = models.ForeignKey(QualityRun, on_delete=models.CASCADE, related_name="results")
    dataset = models.CharField(max_length=100, db_index=True)  # "app_label.Model"
    rule_key = models.CharField(max_length=100)
    dimension = models.CharField(max_length=20, choices=Dimension.choices)
    description = models.CharField(max_length=300)
    checked = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)  # the rule itself could not run

    class Meta:
        ordering = ["dataset", "rule_key"]
        constraints = [
            models.UniqueConstraint(fields=["run", "rule_key"], name="governance_result_rule_unique")
        ]

    def __str__(self) -> str:
        return f"{self.rule_key}: {self.failed}/{self.checked}"

    @property
    def score(self) -> float:
        return 100.0 if not self.checked else round(100.0 * (self.checked - self.failed) / self.checked, 2)


class QualityScore(models.Model):
    """A dataset's score in one run: the share of checks that passed, over all its rules."""

    run = models.ForeignKey(QualityRun, on_delete=models.CASCADE, related_name="scores")
    dataset = models.CharField(max_length=100)
    checked = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    score = models.DecimalField(max_digits=5, decimal_places=2)
    measured_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["dataset", "-measured_at"]
        constraints = [
            models.UniqueConstraint(fields=["run", "dataset"], name="governance_score_dataset_unique")
        ]
        indexes = [models.Index(fields=["dataset", "-measured_at"], name="governance_score_history")]

    def __str__(self) -> str:
        return f"{self.dataset} {self.score}"


class QualityFailure(models.Model):
    """A record that failed a rule (the first ``MAX_FAILURES_PER_RULE`` per rule and run)."""

    result = models.ForeignKey(QualityResult, on_delete=models.CASCADE, related_name="failures")
    object_id = models.CharField(max_length=64)
    # For area scoping of the steward's list; empty when the record has no area.
    subdistrict = models.ForeignKey(
        "areas.Subdistrict", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    message = models.CharField(max_length=300)

    class Meta:
        ordering = ["result_id", "id"]

    def __str__(self) -> str:
        return f"{self.result_id}:{self.object_id}"


# --- AI governance ----------------------------------------------------------------------------


class ReviewOutcome(models.TextChoices):
    APPROVED = "approved", _("Approved for use")
    CHANGES = "changes", _("Approved with required changes")
    SUSPENDED = "suspended", _("Suspended")


class AIModelReview(models.Model):
    """A review of one registered AI model version by the governance committee or the DPO."""

    model_key = models.CharField(max_length=80)
    version = models.CharField(max_length=40)
    reviewed_on = models.DateField(default=timezone.localdate)
    outcome = models.CharField(max_length=20, choices=ReviewOutcome.choices)
    notes = models.TextField(blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-reviewed_on", "-id"]
        indexes = [models.Index(fields=["model_key", "version"], name="governance_review_model")]

    def __str__(self) -> str:
        return f"{self.model_key} {self.version} {self.outcome}"
