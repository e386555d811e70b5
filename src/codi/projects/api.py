"""API of community projects (PMS): lists, one project, the caller's task inbox, dashboard figures,
and the process actions (each calls the service, which checks role, scope and state). Refusals
are problem+json: 403 without the right, 404 outside the caller's scope, 422 for a rule."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from codi.api.kit import ERRORS, Pages, need
from codi.communities.models import Organization
from codi.identity.roles import Perm
from codi.identity.selectors import scoped, user_can_in_area
from codi.projects import reporting, selectors, services
from codi.projects.models import Installment, Program, ProgressReport, Project, ProjectStatus, ProjectStep

router = Router(tags=["projects"])

STATUS_PATTERN = r"^(" + "|".join(ProjectStatus.values) + r")?$"


class ProjectOut(Schema):
    id: int
    code: str
    title: str
    program_id: int
    fiscal_year: int
    subdistrict_code: str = Field(..., alias="subdistrict_id")
    lead_organization_id: int
    status: str
    requested_amount: Decimal
    approved_amount: Decimal | None
    current_step: str
    current_step_due: date | None
    is_demo: bool


class InstallmentOut(Schema):
    id: int
    number: int
    amount: Decimal
    conditions: str
    due_date: date | None
    status: str


class StepOut(Schema):
    id: int
    project_id: int
    task_key: str
    name: str
    role: str
    opened_at: datetime
    due_date: date | None
    completed_at: datetime | None
    outcome: str
    comment: str


class ProjectDetailOut(ProjectOut):
    rationale: str
    objectives: str
    start_date: date | None
    end_date: date | None
    reduction_reason: str
    households: int
    persons: int
    type_details: dict[str, Any]
    installments: list[InstallmentOut]
    steps: list[StepOut]
    diagram_current: list[str]
    diagram_completed: list[str]


class FiguresOut(Schema):
    projects: int
    requested: Decimal
    approved: Decimal
    disbursed: Decimal
    reported: Decimal
    overdue: int
    by_status: dict[str, int]


class RowOut(Schema):
    key: str
    label: str
    figures: FiguresOut


class ProjectIndicatorOut(Schema):
    code: str
    unit: str
    projects: int
    target: Decimal
    actual: Decimal


class ProjectDashboardOut(Schema):
    total: FiguresOut
    by_region: list[RowOut]
    by_province: list[RowOut]
    by_program: list[RowOut]
    indicators: list[ProjectIndicatorOut]


class DecisionIn(Schema):
    decision: str = Field(..., pattern=r"^(pass|revise|reject|recommend|approve|accept|return)$")
    comment: str = Field("", max_length=4000)


class InstallmentPlanIn(Schema):
    amount: Decimal = Field(..., gt=0, max_digits=14, decimal_places=2)
    conditions: str = Field("", max_length=1000)
    due_date: date | None = None


class ApproveIn(DecisionIn):
    approved_amount: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    reduction_reason: str = Field("", max_length=2000)
    installments: list[InstallmentPlanIn] = Field(default_factory=list, max_length=12)


class DisburseIn(Schema):
    idempotency_key: str = Field(..., min_length=8, max_length=100)
    reference: str = Field("", max_length=100)


class DisbursementOut(Schema):
    id: int
    installment_id: int
    amount: Decimal
    idempotency_key: str
    paid_at: datetime
    reference: str


class ProposalIn(Schema):
    program_id: int = Field(..., ge=1)
    organization_id: int = Field(..., ge=1)
    subdistrict_code: str = Field(..., pattern=r"^\d{6}$")
    title: str = Field(..., min_length=1, max_length=300)
    requested_amount: Decimal = Field(..., ge=0, max_digits=14, decimal_places=2)
    fiscal_year: int = Field(..., ge=2500, le=2700)
    rationale: str = Field("", max_length=10000)
    objectives: str = Field("", max_length=10000)
    start_date: date | None = None
    end_date: date | None = None
    households: int = Field(0, ge=0, le=10_000_000)
    persons: int = Field(0, ge=0, le=10_000_000)
    type_details: dict[str, Any] = Field(default_factory=dict)


class ExpenseIn(Schema):
    spent_on: date
    description: str = Field(..., min_length=1, max_length=300)
    category: str = Field(..., max_length=20)
    amount: Decimal = Field(..., gt=0, max_digits=14, decimal_places=2)


class ReportIn(Schema):
    narrative: str = Field(..., min_length=1, max_length=10000)
    installment_id: int | None = None
    is_final: bool = False
    indicator_values: dict[int, Decimal] = Field(default_factory=dict)
    expenses: list[ExpenseIn] = Field(default_factory=list, max_length=100)


class ReportOut(Schema):
    id: int
    project_id: int
    installment_id: int | None
    is_final: bool
    status: str
    submitted_at: datetime | None


class CloseIn(Schema):
    evaluation: str = Field(..., min_length=1, max_length=10000)


def _need(request: HttpRequest, perm: str = Perm.PROJECTS_VIEW) -> None:
    need(request, perm)


def _project(request: HttpRequest, project_id: int) -> Project:
    _need(request)
    project = selectors.project_get(actor=request.user, project_id=project_id)
    if project is None:
        raise HttpError(404, "not found")
    return project


@router.get("/projects", response={200: list[ProjectOut], **ERRORS}, summary="Projects the caller may see")
@paginate(Pages)
def project_list(
    request: HttpRequest,
    fiscal_year: int | None = Query(None, ge=2400, le=2800),
    program: int | None = Query(None, ge=1),
    region: str = Query("", max_length=20),
    province: str = Query("", pattern=r"^(\d{2})?$"),
    district: str = Query("", pattern=r"^(\d{4})?$"),
    subdistrict: str = Query("", pattern=r"^(\d{6})?$"),
    status: str = Query("", pattern=STATUS_PATTERN),
    organization: int | None = Query(None, ge=1),
    q: str = Query("", max_length=100),
) -> QuerySet[Project]:
    _need(request)
    filters = selectors.ProjectFilters(
        fiscal_year=fiscal_year,
        program=program,
        region=region,
        province=province,
        district=district,
        subdistrict=subdistrict,
        status=status,
        organization=organization,
        search=q,
    )
    return selectors.project_list(actor=request.user, filters=filters)


def _detail(project: Project) -> dict[str, Any]:
    diagram = selectors.project_diagram(project=project)
    data = {f: getattr(project, f) for f in ProjectDetailOut.model_fields if hasattr(project, f)}
    data.update(
        subdistrict_id=project.subdistrict_id,
        installments=selectors.project_installments(project=project),
        steps=list(selectors.project_steps(project=project)),
        diagram_current=diagram["current"],
        diagram_completed=diagram["completed"],
    )
    return data


@router.get("/projects/{project_id}", response={200: ProjectDetailOut, **ERRORS}, summary="One project")
def project_detail(request: HttpRequest, project_id: int) -> dict[str, Any]:
    return _detail(_project(request, project_id))


@router.get("/inbox", response={200: list[StepOut], **ERRORS}, summary="The caller's open tasks")
@paginate(Pages)
def inbox(request: HttpRequest) -> QuerySet[ProjectStep]:
    _need(request)
    return selectors.task_inbox(actor=request.user)


@router.get("/dashboard", response={200: ProjectDashboardOut, **ERRORS}, summary="Dashboard figures")
def dashboard(
    request: HttpRequest,
    fiscal_year: int | None = Query(None, ge=2400, le=2800),
    program: int | None = Query(None, ge=1),
    region: str = Query("", max_length=20),
    province: str = Query("", pattern=r"^(\d{2})?$"),
) -> dict[str, Any]:
    _need(request)
    if selectors.is_portal_user(request.user):
        raise PermissionDenied
    board = reporting.dashboard(
        actor=request.user, fiscal_year=fiscal_year, program=program, region=region, province=province
    )

    def rows(items: list[reporting.Row]) -> list[dict[str, Any]]:
        return [{"key": r.key, "label": r.label, "figures": r.figures.as_dict()} for r in items]

    return {
        "total": board.total.as_dict(),
        "by_region": rows(board.by_region),
        "by_province": rows(board.by_province),
        "by_program": rows(board.by_program),
        "indicators": board.indicators,
    }


# --- actions -------------------------------------------------------------------------------------


@router.post("/projects", response={201: ProjectDetailOut, **ERRORS}, summary="A new proposal (draft)")
def proposal_create(request: HttpRequest, body: ProposalIn) -> tuple[int, dict[str, Any]]:
    _need(request)
    program = Program.objects.filter(pk=body.program_id).first()
    # The organization is looked up within what the caller may act for, as the web form does: one
    # outside it answers exactly like one that does not exist (no enumeration of names by id).
    if selectors.is_portal_user(request.user):
        organizations = Organization.objects.filter(pk__in=selectors.portal_organization_ids(request.user))
    else:
        organizations = scoped(Organization.objects.all(), request.user, Perm.PROJECTS_MANAGE)
    organization = organizations.filter(pk=body.organization_id).first()
    if program is None or organization is None:
        raise HttpError(404, "not found")
    if not selectors.is_portal_user(request.user) and not user_can_in_area(
        request.user, Perm.PROJECTS_MANAGE, subdistrict_code=body.subdistrict_code
    ):
        raise services.ProjectError(
            "ไม่พบรหัสตำบล", f"Unknown subdistrict {body.subdistrict_code!r}", code="bad_area"
        )
    project = services.project_create(
        actor=request.user,  # type: ignore[arg-type]
        program=program,
        lead_organization=organization,
        subdistrict_code=body.subdistrict_code,
        title=body.title,
        requested_amount=body.requested_amount,
        fiscal_year=body.fiscal_year,
        rationale=body.rationale,
        objectives=body.objectives,
        start_date=body.start_date,
        end_date=body.end_date,
        households=body.households,
        persons=body.persons,
        type_details=body.type_details,
    )
    return 201, _detail(project)


@router.post(
    "/projects/{project_id}/reports",
    response={201: ReportOut, **ERRORS},
    summary="A progress or final report (receipts and photos: the web form)",
)
def report_submit(request: HttpRequest, project_id: int, body: ReportIn) -> tuple[int, ProgressReport]:
    project = _project(request, project_id)
    installment = None
    if body.installment_id is not None:
        installment = Installment.objects.filter(project=project, pk=body.installment_id).first()
        if installment is None:
            raise HttpError(404, "not found")
    report = services.report_submit(
        actor=request.user,  # type: ignore[arg-type]
        project=project,
        narrative=body.narrative,
        installment=installment,
        is_final=body.is_final,
        indicator_values=body.indicator_values,
        expenses=[
            services.ExpenseInput(
                spent_on=e.spent_on, description=e.description, category=e.category, amount=e.amount
            )
            for e in body.expenses
        ],
    )
    return 201, report


@router.post(
    "/projects/{project_id}/submit", response={200: ProjectDetailOut, **ERRORS}, summary="Send the proposal"
)
def project_submit(request: HttpRequest, project_id: int) -> dict[str, Any]:
    project = services.project_submit(actor=request.user, project=_project(request, project_id))  # type: ignore[arg-type]
    return _detail(project)


@router.post("/projects/{project_id}/screen", response={200: ProjectDetailOut, **ERRORS}, summary="Screening")
def project_screen(request: HttpRequest, project_id: int, body: DecisionIn) -> dict[str, Any]:
    project = services.project_screen(
        actor=request.user,  # type: ignore[arg-type]
        project=_project(request, project_id),
        decision=body.decision,  # type: ignore[arg-type]
        comment=body.comment,
    )
    return _detail(project)


@router.post(
    "/projects/{project_id}/committee", response={200: ProjectDetailOut, **ERRORS}, summary="Committee review"
)
def project_committee(request: HttpRequest, project_id: int, body: DecisionIn) -> dict[str, Any]:
    project = services.project_committee_review(
        actor=request.user,  # type: ignore[arg-type]
        project=_project(request, project_id),
        decision=body.decision,  # type: ignore[arg-type]
        comment=body.comment,
    )
    return _detail(project)


@router.post(
    "/projects/{project_id}/approve",
    response={200: ProjectDetailOut, **ERRORS},
    summary="Approve (maybe a reduced amount, with a reason and installments), return or reject",
)
def project_approve(request: HttpRequest, project_id: int, body: ApproveIn) -> dict[str, Any]:
    project = services.project_approve(
        actor=request.user,  # type: ignore[arg-type]
        project=_project(request, project_id),
        decision=body.decision,  # type: ignore[arg-type]
        approved_amount=body.approved_amount,
        reduction_reason=body.reduction_reason,
        installments=[
            services.InstallmentPlan(amount=i.amount, conditions=i.conditions, due_date=i.due_date)
            for i in body.installments
        ],
        comment=body.comment,
    )
    return _detail(project)


@router.post(
    "/projects/{project_id}/agreement", response={200: ProjectDetailOut, **ERRORS}, summary="Agreement signed"
)
def project_agreement(request: HttpRequest, project_id: int) -> dict[str, Any]:
    project = services.project_agreement_sign(actor=request.user, project=_project(request, project_id))  # type: ignore[arg-type]
    return _detail(project)


@router.post(
    "/projects/{project_id}/installments/{installment_id}/disburse",
    response={200: DisbursementOut, **ERRORS},
    summary="Pay an installment (a retry with the same idempotency key returns the same payment)",
)
def installment_disburse(request: HttpRequest, project_id: int, installment_id: int, body: DisburseIn) -> Any:
    project = _project(request, project_id)
    installment = Installment.objects.filter(project=project, pk=installment_id).first()
    if installment is None:
        raise HttpError(404, "not found")
    return services.installment_disburse(
        actor=request.user,  # type: ignore[arg-type]
        installment=installment,
        idempotency_key=body.idempotency_key,
        reference=body.reference,
    )


@router.post(
    "/projects/{project_id}/reports/{report_id}/review",
    response={200: ProjectDetailOut, **ERRORS},
    summary="Accept or return a progress report",
)
def report_review(request: HttpRequest, project_id: int, report_id: int, body: DecisionIn) -> dict[str, Any]:
    project = _project(request, project_id)
    report = ProgressReport.objects.filter(project=project, pk=report_id).first()
    if report is None:
        raise HttpError(404, "not found")
    services.report_review(actor=request.user, report=report, decision=body.decision, comment=body.comment)  # type: ignore[arg-type]
    project.refresh_from_db()
    return _detail(project)


@router.post(
    "/projects/{project_id}/close", response={200: ProjectDetailOut, **ERRORS}, summary="Close the project"
)
def project_close(request: HttpRequest, project_id: int, body: CloseIn) -> dict[str, Any]:
    project = services.project_close(
        actor=request.user,  # type: ignore[arg-type]
        project=_project(request, project_id),
        evaluation=body.evaluation,
    )
    return _detail(project)
