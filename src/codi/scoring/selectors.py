"""Reads of social scoring, scoped to the acting user through the organizations they may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet

from codi.communities import scoring_feed as org_feed
from codi.communities.selectors import organization_get, organization_list
from codi.identity.selectors import user_can_in_area
from codi.projects.selectors import portal_organization_ids
from codi.scoring.indicators import IndicatorDef, indicator, indicators
from codi.scoring.models import (
    AnswerStatus,
    CorrectionRequest,
    CorrectionStatus,
    IndexRun,
    IndexScore,
    Level,
    Override,
    RiskModel,
    RiskPrediction,
    SurveyAnswer,
)
from codi.scoring.services import OVERRIDE_PERM

METHOD_TH = {
    "minmax": "ปรับค่าแบบต่ำสุด–สูงสุด (ตัดค่าสุดขั้ว)",
    "zscore": "ปรับค่าแบบคะแนนมาตรฐาน (ตัดค่าสุดขั้ว)",
    "equal": "น้ำหนักเท่ากัน",
    "expert": "น้ำหนักตามมติผู้เชี่ยวชาญ",
    "pca": "น้ำหนักจากองค์ประกอบหลัก",
    "arithmetic": "รวมแบบเลขคณิต",
    "geometric": "รวมแบบเรขาคณิต",
}


def latest_run(*, level: str, period: int | None = None) -> IndexRun | None:
    runs = IndexRun.objects.filter(level=level)
    if period is not None:
        runs = runs.filter(period=period)
    return runs.order_by("-period", "-created_at", "-pk").first()


@dataclass
class PartView:
    definition: IndicatorDef
    value: float | None
    normalised: float | None
    weight: float
    contribution: float
    inputs: dict[str, Any] = field(default_factory=dict)


@dataclass
class ScoreView:
    run: IndexRun
    score: IndexScore
    parts: list[PartView]
    trend: list[tuple[int, float | None]]
    entity_count: int

    @property
    def method_th(self) -> str:
        return " · ".join(
            METHOD_TH.get(x, x) for x in (self.run.normalisation, self.run.weighting, self.run.aggregation)
        )


def _score_view(level: str, entity: str) -> ScoreView | None:
    run = latest_run(level=level)
    if run is None:
        return None
    score = run.scores.filter(entity=entity).first()
    if score is None:
        return None
    defs = {d.key: d for d in indicators(level)}
    inputs: dict[str, dict[str, Any]] = dict(
        run.indicator_run.values.filter(entity=entity).values_list("indicator_key", "inputs")
    )
    for values in inputs.values():
        if isinstance(values.get("founded_on"), str):
            values["founded_on"] = date.fromisoformat(values["founded_on"])
    parts = [
        PartView(
            definition=defs[p["key"]],
            value=p["value"],
            normalised=p["normalised"],
            weight=p["weight"],
            contribution=p["contribution"],
            inputs=inputs.get(p["key"], {}),
        )
        for p in score.parts
        if p["key"] in defs
    ]
    trend = []
    for period in sorted(set(IndexRun.objects.filter(level=level).values_list("period", flat=True))):
        other = latest_run(level=level, period=period)
        row = other.scores.filter(entity=entity).first() if other else None
        trend.append((period, row.score if row else None))
    return ScoreView(run=run, score=score, parts=parts, trend=trend, entity_count=run.scores.count())


def organization_score(*, actor: Any, org_id: int) -> ScoreView | None:
    """The latest index of an organization the actor may see (None: not visible or not scored)."""
    if organization_get(actor=actor, org_id=org_id) is None:
        return None
    return _score_view(Level.ORGANIZATION, str(org_id))


def subdistrict_score(*, code: str) -> ScoreView | None:
    return _score_view(Level.SUBDISTRICT, code)


def organization_predictions(*, actor: Any, org_id: int) -> QuerySet[RiskPrediction]:
    """The latest prediction of each of the organization's projects (visible organizations only)."""
    if organization_get(actor=actor, org_id=org_id) is None:
        return RiskPrediction.objects.none()
    latest = RiskPrediction.objects.filter(organization_id=org_id).order_by(
        "project_id", "-created_at", "-pk"
    )
    seen: set[int] = set()
    keep = []
    for pk, project_id in latest.values_list("pk", "project_id"):
        if project_id not in seen:
            seen.add(project_id)
            keep.append(pk)
    return RiskPrediction.objects.filter(pk__in=keep).select_related("model").order_by("-probability")


def can_override(actor: Any, org_id: int) -> bool:
    org = organization_get(actor=actor, org_id=org_id)
    return org is not None and user_can_in_area(actor, OVERRIDE_PERM, subdistrict_code=org.subdistrict_id)


def organization_overrides(*, actor: Any, org_id: int) -> QuerySet[Override]:
    if organization_get(actor=actor, org_id=org_id) is None:
        return Override.objects.none()
    return Override.objects.filter(organization_id=org_id).select_related("officer")


def override_report(*, actor: Any) -> list[tuple[Override, Any]]:
    """Every override on an organization the actor may see, newest first, with the organization."""
    overrides = list(Override.objects.select_related("officer").order_by("-created_at", "-pk")[:500])
    visible = {
        o.pk: o for o in organization_list(actor=actor).filter(pk__in={x.organization_id for x in overrides})
    }
    return [(x, visible[x.organization_id]) for x in overrides if x.organization_id in visible]


def portal_scores(*, user: Any) -> list[tuple[int, ScoreView | None]]:
    """A community account's own organizations and their latest scores (no one else's)."""
    return [
        (org_id, _score_view(Level.ORGANIZATION, str(org_id))) for org_id in portal_organization_ids(user)
    ]


def area_index_values(user: Any, level: str) -> dict[str, float]:
    """Choropleth values: the subdistrict index, averaged over the subdistricts of a district or
    province. Subdistricts without a score are left out (missing, not zero)."""
    run = latest_run(level=Level.SUBDISTRICT)
    if run is None:
        return {}
    length = {"province": 2, "district": 4, "subdistrict": 6}.get(level, 6)
    sums: dict[str, list[float]] = {}
    for entity, score in run.scores.filter(score__isnull=False).values_list("entity", "score"):
        if score is not None:
            sums.setdefault(entity[:length], []).append(score)
    return {code: round(sum(v) / len(v), 2) for code, v in sums.items()}


def latest_risk_model() -> RiskModel | None:
    """The latest trained risk model, accepted or refused (the page says which, and why)."""
    return RiskModel.objects.defer("booster").order_by("-trained_at", "-pk").first()


# --- survey and correction requests ----------------------------------------------------------

SURVEY_SCALE = (
    (1, "1 น้อยที่สุด"),
    (2, "2 น้อย"),
    (3, "3 ปานกลาง"),
    (4, "4 มาก"),
    (5, "5 มากที่สุด"),
)


@dataclass(frozen=True)
class SurveyQuestion:
    key: str  # the form field
    question: str  # the answer's question key
    name_th: str
    text_th: str
    low: float
    high: float


def survey_questions() -> list[SurveyQuestion]:
    """The organization-level indicators the platform cannot see, asked as survey questions."""
    return [
        SurveyQuestion(
            key=d.key,
            question=d.key.removeprefix("org_"),
            name_th=d.name_th,
            text_th=d.source.removeprefix("แบบสำรวจ: "),
            low=d.survey_range[0],
            high=d.survey_range[1],
        )
        for d in indicators(Level.ORGANIZATION)
        if d.survey_range is not None
    ]


def question_names(answers: list[SurveyAnswer]) -> list[SurveyAnswer]:
    """Give each answer its question's Thai name (``question_th``) for display."""
    names = {q.question: q.name_th for q in survey_questions()}
    for a in answers:
        a.question_th = names.get(a.question, "-")  # type: ignore[attr-defined]
    return answers


def survey_answers(*, organization_id: int) -> QuerySet[SurveyAnswer]:
    return SurveyAnswer.objects.filter(organization_id=organization_id).order_by("-created_at", "-pk")


def _answerable(actor: Any, organization_id: int) -> Any:
    return answerable_organizations(actor, [organization_id]).get(organization_id)


def answerable_organizations(actor: Any, ids: list[int]) -> dict[int, Any]:
    """Of these organizations, those the officer may answer for (in their area), in one query."""
    orgs = organization_list(actor=actor).filter(pk__in=set(ids))
    return {
        o.pk: o for o in orgs if user_can_in_area(actor, OVERRIDE_PERM, subdistrict_code=o.subdistrict_id)
    }


def survey_pending(*, actor: Any) -> list[tuple[SurveyAnswer, Any]]:
    """Answers awaiting review for organizations in the officer's area (oldest first, at most 200)."""
    answers = list(
        SurveyAnswer.objects.filter(status=AnswerStatus.SUBMITTED)
        .select_related("answered_by")
        .order_by("created_at", "pk")[:500]
    )
    orgs = answerable_organizations(actor, [a.organization_id for a in answers])
    return [(a, orgs[a.organization_id]) for a in answers if a.organization_id in orgs][:200]


def survey_answer_pending(*, actor: Any, answer_id: int) -> SurveyAnswer | None:
    answer = SurveyAnswer.objects.filter(pk=answer_id, status=AnswerStatus.SUBMITTED).first()
    if answer is None or _answerable(actor, answer.organization_id) is None:
        return None
    return answer


def organization_indicators() -> list[IndicatorDef]:
    return indicators(Level.ORGANIZATION)


def portal_organization(*, user: Any, org_id: int) -> dict[str, Any] | None:
    """The organization's row when the community account acts for it."""
    if org_id not in portal_organization_ids(user):
        return None
    rows = org_feed.organization_rows(ids=[org_id])
    return rows[0] if rows else None


def portal_organization_score(*, user: Any, org_id: int) -> ScoreView | None:
    if org_id not in portal_organization_ids(user):
        return None
    return _score_view(Level.ORGANIZATION, str(org_id))


class _Unknown:
    name_th = "-"


_UNKNOWN = _Unknown()


def organization_names(ids: list[int]) -> dict[int, str]:
    return {r["id"]: r["name_th"] for r in org_feed.organization_rows(ids=ids)}


def with_names(rows: list[CorrectionRequest]) -> list[tuple[CorrectionRequest, str, str]]:
    """Each request with its organization's Thai name and its indicator's Thai name."""
    names = organization_names([r.organization_id for r in rows])
    return [
        (r, names.get(r.organization_id, "-"), (indicator(r.indicator_key) or _UNKNOWN).name_th) for r in rows
    ]


def portal_open_corrections(*, user: Any) -> int:
    """How many of the community account's correction requests still await an officer."""
    return CorrectionRequest.objects.filter(
        organization_id__in=portal_organization_ids(user), status=CorrectionStatus.OPEN
    ).count()
