"""e-Audit API, internal audit's own records (mounted on /api/v1/audit by ``codi.audit.api``): the
risk-based annual audit plan, engagements with their team, working papers and the signed report.

Scoped like the pages: the plan for country-wide ``eaudit.view`` or ``risk.manage``; engagements,
their working papers and report for country-wide ``eaudit.view`` (a regional director sees none of
them: 403). A report that is not signed yet is 404 (the page prints an unsigned draft; the API
serves only the signed record). One write: ``PUT /engagements/{id}/team`` sets the team through
the same service as the engagement page (``planning.engagement_team_set``: only the lead, members
must be internal auditors, the working papers' readers follow, audited); repeating the same team
changes nothing but is audited again like the page.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from codi.api.kit import ERRORS, Pages, need
from codi.audit import planning, reports, selectors
from codi.audit.models import Engagement, EngagementReport
from codi.audit.services import AuditError
from codi.core.problems import problem
from codi.identity.models import User

router = Router(tags=["audit"])


class AuditPlannedOut(Schema):
    rank: int
    quarter: int
    title: str
    unit_code: str | None = Field(None, alias="unit.code")
    risk_score: int
    risk_total: int
    risk_count: int
    engagement_id: int | None


class AuditPlanOut(Schema):
    id: int
    fiscal_year_be: int
    status: str
    created_by_id: int
    approved_by_id: int | None
    approved_at: datetime | None
    planned: list[AuditPlannedOut]


class AuditEngagementOut(Schema):
    id: int
    number: str
    fiscal_year_be: int
    title: str
    unit_code: str | None
    scope: str
    lead_id: int
    team_ids: list[int]
    status: str
    findings: int
    working_papers: int
    report_signed: bool


class AuditTeamIn(Schema):
    member_ids: list[int] = Field(default_factory=list, max_length=50)


class AuditWorkingPaperOut(Schema):
    id: int
    reference: str
    title: str
    document_id: int
    prepared_by_id: int
    prepared_at: datetime
    reviewed_by_id: int | None
    reviewed_at: datetime | None
    review_note: str


class AuditReportOut(Schema):
    engagement_id: int
    number: str
    sha256: str
    signed_by_id: int
    signed_at: datetime
    pdf_url: str


def _need_plan_reader(request: HttpRequest) -> None:
    need(request, lambda u: selectors.can_view(u) or selectors.can_manage_risk(u))


@router.get(
    "/plans/{fiscal_year_be}",
    response={200: AuditPlanOut, **ERRORS},
    summary="The risk-based audit plan of a year",
)
def plan_get(request: HttpRequest, fiscal_year_be: int) -> object:
    _need_plan_reader(request)
    plan = planning.plan_get(actor=request.user, fiscal_year_be=fiscal_year_be)
    if plan is None:
        raise Http404
    return {
        "id": plan.pk, "fiscal_year_be": plan.fiscal_year_be, "status": plan.status,
        "created_by_id": plan.created_by_id, "approved_by_id": plan.approved_by_id, "approved_at": plan.approved_at,
        "planned": planning.planned_rows(plan),
    }  # fmt: skip


def _engagement_row(e: Engagement) -> dict[str, object]:
    return {
        "id": e.pk, "number": e.number, "fiscal_year_be": e.fiscal_year_be, "title": e.title,
        "unit_code": e.unit.code if e.unit else None, "scope": e.scope, "lead_id": e.lead_id, "team_ids": sorted(u.pk for u in e.team.all()),
        "status": e.status, "findings": e.findings.count(), "working_papers": e.working_papers.count(),
        "report_signed": EngagementReport.objects.filter(engagement=e).exists(),
    }  # fmt: skip


@router.get("/engagements", response={200: list[AuditEngagementOut], **ERRORS}, summary="Audit engagements")
@paginate(Pages)
def engagement_list(
    request: HttpRequest, fiscal_year_be: int | None = Query(None, ge=2500, le=2700)
) -> object:
    need(request, selectors.can_view)
    rows = Engagement.objects.select_related("unit").prefetch_related("team")
    if fiscal_year_be:
        rows = rows.filter(fiscal_year_be=fiscal_year_be)
    return [_engagement_row(e) for e in rows]


def _engagement(request: HttpRequest, engagement_id: int) -> Engagement:
    need(request, selectors.can_view)
    engagement = Engagement.objects.select_related("unit").filter(pk=engagement_id).first()
    if engagement is None:
        raise Http404
    return engagement


@router.get(
    "/engagements/{engagement_id}", response={200: AuditEngagementOut, **ERRORS}, summary="One engagement"
)
def engagement_get(request: HttpRequest, engagement_id: int) -> object:
    return _engagement_row(_engagement(request, engagement_id))


@router.put(
    "/engagements/{engagement_id}/team",
    response={200: AuditEngagementOut, **ERRORS},
    summary="Set the engagement's team (the lead only; members must be internal auditors)",
)
def engagement_team_put(request: HttpRequest, engagement_id: int, payload: AuditTeamIn) -> object:
    engagement = _engagement(request, engagement_id)
    need(request, selectors.can_audit)
    ids = sorted(set(payload.member_ids) - {engagement.lead_id})
    members = list(User.objects.filter(pk__in=ids, is_active=True))
    if len(members) != len(ids):
        return problem(422, detail_th="ไม่พบผู้ใช้บางรายที่ระบุ", detail_en="Some of the named users do not exist")
    try:
        planning.engagement_team_set(actor=request.user, engagement=engagement, members=members)
    except AuditError as exc:
        return problem(422, detail_th=exc.message_th, detail_en=exc.message_en)
    except PermissionDenied:
        return problem(403, detail_th="เฉพาะหัวหน้าคณะผู้ตรวจสอบกำหนดคณะได้",
                       detail_en="Only the engagement's lead sets its team")  # fmt: skip
    return _engagement_row(Engagement.objects.select_related("unit").get(pk=engagement.pk))


@router.get(
    "/engagements/{engagement_id}/working-papers",
    response={200: list[AuditWorkingPaperOut], **ERRORS},
    summary="An engagement's working papers (filed in the documents app) and their review",
)
def working_paper_list(request: HttpRequest, engagement_id: int) -> object:
    engagement = _engagement(request, engagement_id)
    return [
        {
            "id": p.pk, "reference": p.reference, "title": p.title, "document_id": p.document_id,
            "prepared_by_id": p.prepared_by_id, "prepared_at": p.prepared_at, "reviewed_by_id": p.reviewed_by_id,
            "reviewed_at": p.reviewed_at, "review_note": p.review_note,
        }
        for p in engagement.working_papers.select_related("engagement")
    ]  # fmt: skip


@router.get(
    "/engagements/{engagement_id}/report",
    response={200: AuditReportOut, **ERRORS},
    summary="The signed engagement report (404 until the lead signs it)",
)
def report_get(request: HttpRequest, engagement_id: int) -> object:
    engagement = _engagement(request, engagement_id)
    report = EngagementReport.objects.filter(engagement=engagement).first()
    if report is None:
        raise Http404
    return {
        "engagement_id": engagement.pk, "number": engagement.number, "sha256": report.sha256,
        "signed_by_id": report.signed_by_id, "signed_at": report.signed_at,
        "pdf_url": f"/api/v1/audit/engagements/{engagement.pk}/report.pdf",
    }  # fmt: skip


@router.get(
    "/engagements/{engagement_id}/report.pdf",
    response={200: None, **ERRORS},
    summary="The signed engagement report as PDF (PAdES, verifiable)",
)
def report_pdf(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement = _engagement(request, engagement_id)
    if not EngagementReport.objects.filter(engagement=engagement).exists():
        raise Http404  # no unsigned print through the API
    pdf, _signed = reports.report_bytes(engagement=engagement)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="report-{engagement.number}-signed.pdf"'
    return response
