"""e-Audit API (/api/v1/audit): the rule registry, analytics runs, the exception queue, findings
with their responses and follow-ups, and the risk register with its heat map.

Refusals are problem+json: 403 without the right (auditors write findings but never respond for
management; only the responsible manager responds), 404 for what the caller may not see, 422 for a
rule (a finding closed without evidence, a parameter out of range) with the reason in Thai and English.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from codi.api.kit import ERRORS, Pages, need
from codi.audit import selectors, services, situation
from codi.audit.api_planning import router as planning_router
from codi.audit.models import Finding
from codi.audit.services import AuditError
from codi.core.problems import problem
from codi.identity.models import User

router = Router(tags=["audit"])
router.add_router("", planning_router)  # the audit plan, engagements, working papers, the signed report


class AuditParamOut(Schema):
    name: str
    value: Decimal
    default: Decimal
    minimum: Decimal
    maximum: Decimal
    label_th: str
    label_en: str


class AuditRuleOut(Schema):
    name: str
    title_th: str
    title_en: str
    description_th: str
    description_en: str
    enabled: bool
    params: list[AuditParamOut]
    open: int
    false_positives: int


class AuditRunOut(Schema):
    id: int
    trigger: str
    started_at: datetime
    finished_at: datetime | None
    rules: list[str]
    records: dict[str, int]
    flags: dict[str, int]
    new_exceptions: int


class AuditExceptionOut(Schema):
    id: int
    rule: str
    record_id: str
    group_id: str
    reason: str
    source_type: str
    source_id: str
    status: str
    note: str
    finding_id: int | None


class AuditDecisionIn(Schema):
    status: Literal["explained", "false_positive", "open"]
    note: str = Field("", max_length=1000)


class AuditFindingOut(Schema):
    id: int
    number: str
    engagement_id: int
    title: str
    condition: str
    criteria: str
    cause: str
    effect: str
    recommendation: str
    rating: str
    owner_id: int
    status: str
    current_step: str
    due_date: date | None
    closed_at: datetime | None


class AuditResponseIn(Schema):
    agreed: bool = True
    action_plan: str = Field(..., min_length=1, max_length=5000)
    action_owner_id: int
    due_date: date


class AuditFollowUpIn(Schema):
    outcome: Literal["continue", "reopen", "close"]
    note: str = Field(..., min_length=1, max_length=5000)
    evidence: str = Field("", max_length=500)


class AuditRiskOut(Schema):
    id: int
    code: str
    unit_code: str | None = Field(None, alias="unit.code")
    objective: str
    event: str
    cause: str
    likelihood: int
    impact: int
    inherent: int
    residual_likelihood: int
    residual_impact: int
    residual: int
    owner_id: int
    treatment: str
    kri: str
    kri_limit: Decimal | None


class AuditHeatOut(Schema):
    inherent: list[list[int]]
    residual: list[list[int]]


def _refused(exc: AuditError) -> HttpResponse:
    return problem(422, detail_th=exc.message_th, detail_en=exc.message_en)


@router.get("/rules", response={200: list[AuditRuleOut], **ERRORS}, summary="The analytics rule registry")
def rule_list(request: HttpRequest) -> Any:
    need(request, selectors.can_view)
    return [
        {
            "name": row.rule.name, "title_th": row.rule.title_th, "title_en": row.rule.title_en,
            "description_th": row.rule.description_th, "description_en": row.rule.description_en,
            "enabled": row.enabled, "open": row.open, "false_positives": row.false_positives,
            "params": [
                {"name": k, "value": row.params[k], "default": p.default, "minimum": p.minimum, "maximum": p.maximum,
                 "label_th": p.label_th, "label_en": p.label_en}
                for k, p in row.rule.params.items()
            ],
        }
        for row in selectors.rule_table()
    ]  # fmt: skip


@router.post("/runs", response={201: AuditRunOut, **ERRORS}, summary="Run the analytics over live data now")
def run_create(request: HttpRequest) -> Any:
    need(request, selectors.can_audit)
    try:
        result = services.analytics_run(actor=request.user)
    except AuditError as exc:
        return _refused(exc)
    return 201, result.run


@router.get("/exceptions", response={200: list[AuditExceptionOut], **ERRORS}, summary="The exception queue")
@paginate(Pages)
def exception_list(
    request: HttpRequest, status: str = Query("open", max_length=20), rule: str = Query("", max_length=40)
) -> Any:
    need(request, selectors.can_view)
    return selectors.exception_queue(actor=request.user, status=status, rule=rule)


@router.post(
    "/exceptions/{exception_id}/decision",
    response={200: AuditExceptionOut, **ERRORS},
    summary="Explain or dismiss",
)
def exception_decide(request: HttpRequest, exception_id: int, payload: AuditDecisionIn) -> Any:
    need(request, selectors.can_audit)
    exception = selectors.exception_get(actor=request.user, exception_id=exception_id)
    if exception is None:
        raise Http404
    try:
        return services.exception_decide(
            actor=request.user, exception=exception, status=payload.status, note=payload.note
        )
    except AuditError as exc:
        return _refused(exc)


@router.get(
    "/findings", response={200: list[AuditFindingOut], **ERRORS}, summary="Findings the caller may see"
)
@paginate(Pages)
def finding_list(request: HttpRequest, status: str = Query("", max_length=20)) -> Any:
    return selectors.findings(actor=request.user, status=status)


def _finding(request: HttpRequest, finding_id: int) -> Finding:
    finding = selectors.finding_get(actor=request.user, finding_id=finding_id)
    if finding is None:
        raise Http404
    return finding


@router.get("/findings/{finding_id}", response={200: AuditFindingOut, **ERRORS}, summary="One finding")
def finding_get(request: HttpRequest, finding_id: int) -> Any:
    return _finding(request, finding_id)


@router.post(
    "/findings/{finding_id}/response",
    response={200: AuditFindingOut, **ERRORS},
    summary="Management response",
)
def finding_respond(request: HttpRequest, finding_id: int, payload: AuditResponseIn) -> Any:
    finding = _finding(request, finding_id)
    try:
        services.finding_respond(
            actor=request.user, finding=finding, agreed=payload.agreed, action_plan=payload.action_plan,
            action_owner=User.objects.filter(pk=payload.action_owner_id, is_active=True).first(),
            due_date=payload.due_date,
        )  # fmt: skip
    except AuditError as exc:
        return _refused(exc)
    return finding


@router.post(
    "/findings/{finding_id}/follow-ups",
    response={200: AuditFindingOut, **ERRORS},
    summary="Record a follow-up",
)
def finding_follow_up(request: HttpRequest, finding_id: int, payload: AuditFollowUpIn) -> Any:
    need(request, selectors.can_audit)
    finding = _finding(request, finding_id)
    try:
        services.finding_follow_up(
            actor=request.user,
            finding=finding,
            outcome=payload.outcome,
            note=payload.note,
            evidence=payload.evidence,
        )
    except AuditError as exc:
        return _refused(exc)
    return finding


@router.get("/risks", response={200: list[AuditRiskOut], **ERRORS}, summary="Risk register")
@paginate(Pages)
def risk_list(request: HttpRequest, unit: str = Query("", max_length=30)) -> Any:
    if not (selectors.can_view(request.user) or selectors.can_manage_risk(request.user)):
        need(request, selectors.can_view)
    return selectors.risks(actor=request.user, unit_code=unit)


@router.get("/risks/heatmap", response={200: AuditHeatOut, **ERRORS}, summary="5 x 5 counts, impact 5 first")
def risk_heatmap(request: HttpRequest, unit: str = Query("", max_length=30)) -> Any:
    if not (selectors.can_view(request.user) or selectors.can_manage_risk(request.user)):
        need(request, selectors.can_view)
    rows = list(selectors.risks(actor=request.user, unit_code=unit))
    return {
        "inherent": [[len(c.risks) for c in line] for line in selectors.heat_map(rows)],
        "residual": [[len(c.risks) for c in line] for line in selectors.heat_map(rows, residual=True)],
    }


class AuditAreaOut(Schema):
    code: str
    label: str
    projects: int
    approved: Decimal
    disbursed: Decimal
    reported: Decimal
    unreported: Decimal
    disbursed_percent: Decimal | None
    overdue_steps: int
    budget_allocated: Decimal
    budget_used: Decimal
    budget_percent: Decimal | None
    lines_near_exhaustion: int
    exceptions: int
    findings: int
    overdue_actions: int


class AuditTopRiskOut(Schema):
    code: str
    event: str
    unit_code: str | None
    inherent: int
    residual: int


class AuditSituationOut(Schema):
    level: Literal["country", "region", "province"]
    region: str | None
    province: str | None
    budget_year_be: int
    rows: list[AuditAreaOut]
    total: AuditAreaOut
    organization_wide: AuditAreaOut | None
    top_risks: list[AuditTopRiskOut]


@router.get(
    "/situation",
    response={200: AuditSituationOut, **ERRORS},
    summary="Situation room: projects, budget, exceptions, findings and risks by region and province",
)
def situation_get(
    request: HttpRequest,
    region: str = Query("", max_length=20),
    province: str = Query("", max_length=2),
    fiscal_year_be: int | None = Query(None, ge=2500, le=2700),
) -> Any:
    need(request, situation.can_view)
    room = situation.situation(
        actor=request.user, region=region, province=province, fiscal_year_be=fiscal_year_be
    )
    if room is None:
        raise Http404
    situation.situation_viewed(actor=request.user, room=room)
    return {
        "level": room.level,
        "region": room.region.code if room.region else None,
        "province": room.province.code if room.province else None,
        "budget_year_be": room.budget_year_be,
        "rows": [r.as_dict() for r in room.rows],
        "total": room.total.as_dict(),
        "organization_wide": room.organization_wide.as_dict() if room.organization_wide else None,
        "top_risks": [
            {"code": r.code, "event": r.event, "unit_code": r.unit.code if r.unit else None,
             "inherent": r.inherent, "residual": r.residual}
            for r in room.top_risks
        ],
    }  # fmt: skip
