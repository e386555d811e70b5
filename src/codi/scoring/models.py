"""Social scoring: indicator snapshots, index runs and scores, survey answers, expert weight
decisions, risk-model versions and predictions, and officers' overrides.

Organizations and projects are referred to by id (``organization_id``, ``project_id``), not by a
foreign key: this app reads them only through their apps' feeds and selectors, and a score must
stay reproducible even after an organization's record changes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    ORGANIZATION = "organization", _("Organization")
    SUBDISTRICT = "subdistrict", _("Subdistrict")


class IndicatorRun(models.Model):
    """One computation of every indicator of a level for a fiscal year: the snapshot."""

    period = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    computed_at = models.DateTimeField(default=timezone.now)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    indicator_keys = models.JSONField(default=list)
    entity_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-computed_at", "-pk"]
        indexes = [models.Index(fields=["level", "period"], name="scoring_indrun_level_period")]

    def __str__(self) -> str:
        return f"{self.level} {self.period} #{self.pk}"


class IndicatorValue(models.Model):
    """One indicator's value for one entity, with the inputs it was computed from."""

    run = models.ForeignKey(IndicatorRun, on_delete=models.CASCADE, related_name="values")
    indicator_key = models.CharField(max_length=40)
    entity = models.CharField(max_length=20)  # organization id or subdistrict code
    value = models.FloatField()
    inputs = models.JSONField(default=dict)

    class Meta:
        indexes = [models.Index(fields=["run", "entity"], name="scoring_value_run_entity")]
        constraints = [
            models.UniqueConstraint(fields=["run", "indicator_key", "entity"], name="scoring_value_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_key} {self.entity} = {self.value}"


class AnswerStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class SurveyAnswer(models.Model):
    """An answer to a survey indicator's question for an organization; used once accepted."""

    organization_id = models.PositiveIntegerField(db_index=True)
    question = models.CharField(max_length=40)
    period = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    value = models.FloatField(_("answer"))
    status = models.CharField(max_length=10, choices=AnswerStatus.choices, default=AnswerStatus.SUBMITTED)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.question} {self.organization_id} = {self.value}"


class WeightDecision(models.Model):
    """Expert-set weights with the decision that set them (meeting, date, reason)."""

    level = models.CharField(max_length=20, choices=Level.choices)
    weights = models.JSONField()
    decided_on = models.DateField(_("decided on"))
    reference = models.CharField(_("decision reference"), max_length=200)
    reason = models.TextField(_("reason"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.level} weights {self.reference}"


class IndexRun(models.Model):
    """The index of one level and period, computed from one indicator snapshot by one method."""

    indicator_run = models.ForeignKey(IndicatorRun, on_delete=models.PROTECT, related_name="index_runs")
    period = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    level = models.CharField(max_length=20, choices=Level.choices)
    version = models.CharField(max_length=20)  # the AI register's version of the index
    normalisation = models.CharField(max_length=20)
    weighting = models.CharField(max_length=20)
    aggregation = models.CharField(max_length=20)
    weights = models.JSONField()
    weight_decision = models.ForeignKey(
        WeightDecision, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sensitivity = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["level", "period"], name="scoring_idxrun_level_period")]

    def __str__(self) -> str:
        return f"{self.level} {self.period} {self.version} #{self.pk}"


class IndexScore(models.Model):
    run = models.ForeignKey(IndexRun, on_delete=models.CASCADE, related_name="scores")
    entity = models.CharField(max_length=20)
    score = models.FloatField(null=True)  # missing when too few indicators have a value
    rank = models.PositiveIntegerField(null=True)
    rank_best = models.PositiveIntegerField(null=True)  # over the sensitivity scenarios
    rank_worst = models.PositiveIntegerField(null=True)
    coverage = models.FloatField()
    parts = models.JSONField(default=list)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "entity"], name="scoring_score_unique")]

    def __str__(self) -> str:
        return f"{self.entity}: {self.score}"


class ModelStatus(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")


class RiskModel(models.Model):
    """A trained project-risk model version with its card's numbers; refused ones are kept too."""

    version = models.CharField(max_length=20)
    status = models.CharField(max_length=10, choices=ModelStatus.choices)
    refusal = models.TextField(blank=True)
    trained_at = models.DateTimeField(default=timezone.now)
    card = models.JSONField(default=dict)  # data, split, metrics, calibration, fairness, importance
    booster = models.TextField()  # LightGBM model text
    calibration = models.JSONField(default=dict)  # Platt scaling of the raw score
    encoding = models.JSONField(default=dict)  # category codes of the categorical features

    class Meta:
        ordering = ["-trained_at", "-pk"]

    def __str__(self) -> str:
        return f"project risk {self.version} ({self.status})"


class RiskPrediction(models.Model):
    model = models.ForeignKey(RiskModel, on_delete=models.PROTECT, related_name="predictions")
    project_id = models.PositiveIntegerField(db_index=True)
    project_code = models.CharField(max_length=30)
    organization_id = models.PositiveIntegerField(null=True, db_index=True)
    probability = models.FloatField()
    explanation = models.JSONField(default=list)  # [{feature, value, contribution, text_th}]
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.project_code}: {self.probability:.2f}"


class OverrideKind(models.TextChoices):
    INDEX = "index", _("Community-strength score")
    RISK = "risk", _("Project risk")


class Override(models.Model):
    """An officer's own assessment in place of the advice, with the reason (audited)."""

    kind = models.CharField(max_length=10, choices=OverrideKind.choices)
    organization_id = models.PositiveIntegerField(db_index=True)
    index_score = models.ForeignKey(
        IndexScore, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    prediction = models.ForeignKey(
        RiskPrediction, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    advised = models.FloatField(_("advised value"), null=True)
    officer_value = models.FloatField(_("officer's value"))
    reason = models.TextField(_("reason"))
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.organization_id}: {self.officer_value}"


class CorrectionStatus(models.TextChoices):
    OPEN = "open", _("Awaiting an officer")
    CORRECTED = "corrected", _("Corrected")
    REFUSED = "refused", _("Not corrected")


class CorrectionRequest(models.Model):
    """A community's request to correct the data behind one part of its score.

    When the data are the requester's own personal data, a data-subject rectification request
    (PDPA s.35) is filed with the privacy app as well, and its id is kept here.
    """

    organization_id = models.PositiveIntegerField(db_index=True)
    indicator_key = models.CharField(_("indicator"), max_length=40)
    index_score = models.ForeignKey(
        IndexScore, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    message = models.TextField(_("what is wrong"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    privacy_request_id = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.OPEN)
    reply = models.TextField(_("officer's reply"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "organization_id"], name="scoring_corr_status_org")]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.indicator_key} ({self.status})"
