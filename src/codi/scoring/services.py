"""Every write of social scoring: snapshots, index runs, survey answers, weight decisions,
overrides. Each is validated, runs in one transaction and writes its audit entry.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from codi.communities import scoring_feed as org_feed
from codi.communities.selectors import organization_get
from codi.core.audit import audit_record
from codi.feedback import scoring_feed as feedback_feed
from codi.governance.ai import require_registered
from codi.identity.roles import Perm
from codi.identity.selectors import user_can_in_area
from codi.lending import scoring_feed as loan_feed
from codi.people import scoring_feed as people_feed
from codi.projects import scoring_feed as project_feed
from codi.projects.selectors import portal_organization_ids
from codi.scoring import composite
from codi.scoring.indicators import Feeds, IndicatorDef, indicators, period_end
from codi.scoring.models import (
    AnswerStatus,
    IndexRun,
    IndexScore,
    IndicatorRun,
    IndicatorValue,
    Override,
    OverrideKind,
    RiskPrediction,
    SurveyAnswer,
    WeightDecision,
)

INDEX_KEY = "scoring.community_index"
INDEX_VERSION = "v2"  # the indicator set of codi.scoring.indicators (AI register card)
DEFAULT_METHOD = composite.Method("minmax", "equal", "arithmetic")
OVERRIDE_PERM = Perm.PROJECTS_MANAGE


def feeds_load(*, period: int) -> Feeds:
    """Everything the indicators read for fiscal year ``period``, through the apps' feeds."""
    as_of = period_end(period)
    survey: dict[tuple[str, int], float] = {}
    for question, org, value in (
        SurveyAnswer.objects.filter(period=period, status=AnswerStatus.ACCEPTED)
        .order_by("created_at")
        .values_list("question", "organization_id", "value")
    ):
        survey[(question, org)] = value  # the latest accepted answer wins
    return Feeds(
        period=period,
        as_of=as_of,
        organizations=org_feed.organization_rows(),
        members=org_feed.active_members_at(as_of=as_of),
        active_orgs=org_feed.active_organization_counts(as_of=as_of),
        projects=project_feed.approved_projects(fiscal_year_to=period),
        loans=loan_feed.loans_by_organization(as_of=as_of),
        survey=survey,
        leaders_trained=people_feed.leaders_trained_by_organization(fiscal_year=period),
        tickets=feedback_feed.tickets_by_subdistrict(fiscal_year=period, as_of=as_of),
    )


def indicators_compute(
    *, period: int, level: str, actor: Any = None, feeds: Feeds | None = None
) -> IndicatorRun:
    """Compute every indicator of ``level`` for ``period`` and keep the values and inputs."""
    feeds = feeds or feeds_load(period=period)
    defs = indicators(level)
    observed = {d.key: d.observe(feeds) for d in defs}
    entities = {e for values in observed.values() for e in values}
    with transaction.atomic():
        run = IndicatorRun.objects.create(
            period=period,
            level=level,
            computed_by=actor if getattr(actor, "pk", None) else None,
            indicator_keys=[d.key for d in defs],
            entity_count=len(entities),
        )
        IndicatorValue.objects.bulk_create(
            (
                IndicatorValue(run=run, indicator_key=key, entity=entity, value=obs.value, inputs=obs.inputs)
                for key, values in observed.items()
                for entity, obs in values.items()
            ),
            batch_size=2000,
        )
        audit_record(
            actor=actor,
            action="scoring.indicators.compute",
            object_type="scoring.indicatorrun",
            object_id=run.pk,
            changes={"period": period, "level": level, "entities": len(entities)},
        )
    return run


def snapshot_matrix(run: IndicatorRun) -> tuple[list[str], list[IndicatorDef], np.ndarray]:
    """The snapshot as entities × indicators, NaN where an entity has no value."""
    defs = [d for d in indicators(run.level) if d.key in run.indicator_keys]
    column = {d.key: j for j, d in enumerate(defs)}
    rows: dict[str, dict[int, float]] = {}
    for key, entity, value in run.values.values_list("indicator_key", "entity", "value").iterator(
        chunk_size=5000
    ):
        if key in column:
            rows.setdefault(entity, {})[column[key]] = value
    entities = sorted(rows, key=lambda e: (len(e), e))
    matrix = np.full((len(entities), len(defs)), np.nan)
    for i, entity in enumerate(entities):
        for j, value in rows[entity].items():
            matrix[i, j] = value
    return entities, defs, matrix


def index_compute(
    *,
    indicator_run: IndicatorRun,
    method: composite.Method = DEFAULT_METHOD,
    weight_decision: WeightDecision | None = None,
    actor: Any = None,
    version: str = INDEX_VERSION,
    with_sensitivity: bool = True,
) -> IndexRun:
    """The composite index over one snapshot; refuses an index version not in the AI register."""
    require_registered(INDEX_KEY, version)
    if method.weighting == "expert" and weight_decision is None:
        raise ValidationError(_("Expert weights need a recorded weight decision."))
    entities, defs, matrix = snapshot_matrix(indicator_run)
    keys = [d.key for d in defs]
    direction = [d.higher_is_better for d in defs]
    expert = weight_decision.weights if weight_decision else None
    if expert is not None:
        try:
            composite.check_weights(expert, keys)
        except composite.WeightsError as exc:
            raise ValidationError(str(exc)) from exc
    result = composite.compute(
        entities=entities, keys=keys, matrix=matrix, higher_is_better=direction,
        method=method, expert_weights=expert,
    )  # fmt: skip
    summary: dict[str, Any] = {}
    ranges: dict[str, tuple[int | None, int | None, int | None]] = {}
    if with_sensitivity and entities:
        sens = composite.sensitivity(
            entities=entities, keys=keys, matrix=matrix, higher_is_better=direction,
            baseline=method, expert_weights=expert,
        )  # fmt: skip
        ranges = sens.rank_range
        summary = {
            "baseline": method.label(),
            "scenarios": [
                {
                    "method": s.method.label(),
                    "mean_rank_change": round(s.mean_rank_change, 3),
                    "max_rank_change": s.max_rank_change,
                    "spearman": None if s.spearman is None else round(s.spearman, 4),
                }
                for s in sens.scenarios
            ],
        }
    with transaction.atomic():
        run = IndexRun.objects.create(
            indicator_run=indicator_run,
            period=indicator_run.period,
            level=indicator_run.level,
            version=version,
            normalisation=method.normalisation,
            weighting=method.weighting,
            aggregation=method.aggregation,
            weights=result.weights,
            weight_decision=weight_decision,
            sensitivity=summary,
        )
        IndexScore.objects.bulk_create(
            (
                IndexScore(
                    run=run,
                    entity=s.entity,
                    score=s.score,
                    rank=s.rank,
                    rank_best=ranges.get(s.entity, (None, None, None))[1],
                    rank_worst=ranges.get(s.entity, (None, None, None))[2],
                    coverage=s.coverage,
                    parts=[p.__dict__ for p in s.parts],
                )
                for s in result.scores
            ),
            batch_size=2000,
        )
        audit_record(
            actor=actor,
            action="scoring.index.compute",
            object_type="scoring.indexrun",
            object_id=run.pk,
            changes={"period": run.period, "level": run.level, "method": method.label(), "version": version},
        )
    return run


def weight_decision_record(
    *, actor: Any, level: str, weights: dict[str, float], decided_on: date, reference: str, reason: str
) -> WeightDecision:
    """Record expert weights; refused unless every indicator of the level has one and they sum to 1."""
    if not reference.strip() or not reason.strip():
        raise ValidationError(_("An expert weight decision needs its reference and reason."))
    try:
        checked = composite.check_weights(weights, [d.key for d in indicators(level)])
    except composite.WeightsError as exc:
        raise ValidationError(str(exc)) from exc
    with transaction.atomic():
        decision = WeightDecision.objects.create(
            level=level, weights=checked, decided_on=decided_on, reference=reference.strip(),
            reason=reason.strip(), recorded_by=actor,
        )  # fmt: skip
        audit_record(
            actor=actor,
            action="scoring.weights.decide",
            object_type="scoring.weightdecision",
            object_id=decision.pk,
            changes={"level": level, "weights": checked, "reference": reference.strip()},
        )
    return decision


def may_answer_survey(actor: Any, organization_id: int) -> bool:
    """The organization's own community accounts, or staff who manage projects in its area."""
    if organization_id in portal_organization_ids(actor):
        return True
    org = organization_get(actor=actor, org_id=organization_id)
    return org is not None and user_can_in_area(actor, OVERRIDE_PERM, subdistrict_code=org.subdistrict_id)


def survey_answer_record(
    *, actor: Any, organization_id: int, question: str, period: int, value: float
) -> SurveyAnswer:
    """A survey answer for an organization the actor may see; refused when out of the question's range."""
    survey_defs = {d.key.removeprefix("org_"): d for d in indicators("organization") if d.survey_range}
    definition = survey_defs.get(question)
    if definition is None or definition.survey_range is None:
        raise ValidationError(_("Unknown survey question."))
    low, high = definition.survey_range
    if not low <= value <= high:
        raise ValidationError(
            _("The answer must be between %(low)s and %(high)s.") % {"low": f"{low:g}", "high": f"{high:g}"}
        )
    if not may_answer_survey(actor, organization_id):
        raise PermissionDenied
    with transaction.atomic():
        answer = SurveyAnswer.objects.create(
            organization_id=organization_id, question=question, period=period, value=value, answered_by=actor
        )
        audit_record(
            actor=actor,
            action="scoring.survey.answer",
            object_type="scoring.surveyanswer",
            object_id=answer.pk,
            changes={"organization": organization_id, "question": question, "period": period, "value": value},
        )
    return answer


def survey_answer_review(*, actor: Any, answer: SurveyAnswer, accept: bool) -> SurveyAnswer:
    if answer.status != AnswerStatus.SUBMITTED:
        raise ValidationError(_("This answer has already been reviewed."))
    if answer.answered_by_id == getattr(actor, "pk", None):
        raise ValidationError(_("An answer is reviewed by someone other than the person who gave it."))
    org = organization_get(actor=actor, org_id=answer.organization_id)
    if org is None or not user_can_in_area(actor, OVERRIDE_PERM, subdistrict_code=org.subdistrict_id):
        raise PermissionDenied
    with transaction.atomic():
        answer.status = AnswerStatus.ACCEPTED if accept else AnswerStatus.REJECTED
        answer.reviewed_by = actor
        answer.save(update_fields=["status", "reviewed_by"])
        audit_record(
            actor=actor,
            action="scoring.survey.review",
            object_type="scoring.surveyanswer",
            object_id=answer.pk,
            changes={"status": answer.status},
        )
    return answer


def override_create(
    *,
    actor: Any,
    organization_id: int,
    kind: str,
    officer_value: float,
    reason: str,
    index_score: IndexScore | None = None,
    prediction: RiskPrediction | None = None,
) -> Override:
    """An officer's own assessment beside the advice: needs a reason, the right and the area."""
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ValidationError(_("Give the reason for the override (at least 10 characters)."))
    if kind == OverrideKind.INDEX:
        if index_score is None:
            raise ValidationError(_("There is no score to override."))
        if not 0 <= officer_value <= 100:
            raise ValidationError(_("The officer's score must be between 0 and 100."))
        advised = index_score.score
    elif kind == OverrideKind.RISK:
        if prediction is None:
            raise ValidationError(_("There is no risk prediction to override."))
        if not 0 <= officer_value <= 1:
            raise ValidationError(_("The officer's risk must be between 0 and 1."))
        advised = prediction.probability
    else:
        raise ValidationError(_("Unknown override kind."))
    org = organization_get(actor=actor, org_id=organization_id)
    if org is None or not user_can_in_area(actor, OVERRIDE_PERM, subdistrict_code=org.subdistrict_id):
        raise PermissionDenied
    with transaction.atomic():
        override = Override.objects.create(
            kind=kind, organization_id=organization_id, index_score=index_score, prediction=prediction,
            advised=advised, officer_value=officer_value, reason=reason, officer=actor,
        )  # fmt: skip
        audit_record(
            actor=actor,
            action="scoring.override.create",
            object_type="scoring.override",
            object_id=override.pk,
            changes={
                "organization": organization_id,
                "kind": kind,
                "advised": advised,
                "officer_value": officer_value,
                "reason": reason,
            },
        )
    return override
