"""People API (/api/v1/people): employees, leave, payslips, payroll runs, the plan's targets.

Scope (``codi.people.selectors``): an employee sees their own record, leave and payslips; HR sees
their unit's; payroll runs are for country-wide HR and approvers. Personal data is masked here:
the unmasked view is a page action that is audited. Refusals are problem+json: 403 without the
right, 404 outside the caller's scope, 422 for a rule, with the reason in Thai and English.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from codi.api.kit import ERRORS, Pages, need
from codi.core.problems import problem
from codi.core.thaidate import fiscal_year_be
from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm
from codi.people import leave, payroll, selectors, training
from codi.people.models import LeaveType

router = Router(tags=["people"])


class EmployeeOut(Schema):
    id: int
    employee_no: str
    full_name: str
    employment_type: str
    position: str
    level: str
    org_unit_code: str = Field(..., alias="org_unit.code")
    org_unit_name: str = Field(..., alias="org_unit.name_th")
    start_date: date
    national_id_masked: str
    bank_account_masked: str


class LeaveOut(Schema):
    id: int
    employee_no: str = Field(..., alias="employee.employee_no")
    employee_name: str = Field(..., alias="employee.full_name")
    leave_type: str = Field(..., alias="leave_type.code")
    leave_type_name: str = Field(..., alias="leave_type.name_th")
    start_date: date
    end_date: date
    days: float
    status: str
    current_step: str


class LeaveIn(Schema):
    leave_type: str = Field(..., max_length=20)
    start_date: date
    end_date: date
    reason: str = Field("", max_length=500)
    employee_id: int | None = None


class PeopleDecisionIn(Schema):
    decision: str = Field("", max_length=20)
    comment: str = Field("", max_length=500)


class PayslipOut(Schema):
    id: int
    period: str = Field(..., alias="run.period")
    employee_no: str = Field(..., alias="employee.employee_no")
    salary: int
    allowances: int
    gross: int
    sso_employee: int
    pvd_employee: int
    tax: int
    other_deductions: int
    net: int


class RunOut(Schema):
    id: int
    period: str
    pay_date: date
    status: str
    current_step: str
    employee_count: int
    gross_satang: int
    net_satang: int
    tax_satang: int
    journal_entry_number: str


class RunIn(Schema):
    year: int = Field(..., ge=2000, le=2200)
    month: int = Field(..., ge=1, le=12)
    pay_date: date


class TargetOut(Schema):
    fiscal_year: int
    indicator: str
    name_th: str
    target: float
    actual: float
    unit: str


class BalanceOut(Schema):
    leave_type: str
    leave_type_name: str
    fiscal_year: int
    entitled: float
    carried_over: float
    used: float
    pending: float
    available: float


class TrainingOut(Schema):
    course_id: int
    title: str
    competency: str
    start_date: date
    hours: int
    applies_at_work: bool


def _refused(exc: ValidationError) -> HttpResponse:
    return problem(
        422,
        detail_th=getattr(exc, "message_th", "; ".join(exc.messages)),
        detail_en=getattr(exc, "message_en", "; ".join(exc.messages)),
    )


def _signed_in(request: HttpRequest) -> None:
    if not request.user.is_authenticated:
        raise PermissionDenied


@router.get("/employees", response={200: list[EmployeeOut], **ERRORS}, summary="Employees in scope")
@paginate(Pages)
def employee_list(request: HttpRequest, search: str = Query("", max_length=100)) -> Any:
    _signed_in(request)
    return selectors.employee_list(actor=request.user, search=search)


@router.get("/employees/me", response={200: EmployeeOut, **ERRORS}, summary="The caller's own record")
def employee_me(request: HttpRequest) -> Any:
    _signed_in(request)
    own = selectors.own_employee(request.user)
    if own is None:
        raise Http404
    return own


def _own(request: HttpRequest) -> Any:
    _signed_in(request)
    own = selectors.own_employee(request.user)
    if own is None:
        raise Http404
    return own


@router.get(
    "/me/leave-balances",
    response={200: list[BalanceOut], **ERRORS},
    summary="My leave balances (this fiscal year)",
)
def my_balances(request: HttpRequest) -> Any:
    own = _own(request)
    year = fiscal_year_be(timezone.localdate())
    rows = [
        leave.balance_preview(employee=own, leave_type=t, fiscal_year=year) for t in selectors.leave_types()
    ]
    return [
        {"leave_type": b.leave_type.code, "leave_type_name": b.leave_type.name_th, "fiscal_year": year,
         "entitled": b.entitled, "carried_over": b.carried_over, "used": b.used, "pending": b.pending,
         "available": b.available}
        for b in rows
    ]  # fmt: skip


@router.get("/me/training", response={200: list[TrainingOut], **ERRORS}, summary="My training record")
def my_training(request: HttpRequest) -> Any:
    own = _own(request)
    return [
        {"course_id": a.course_id, "title": a.course.title, "competency": a.course.competency,
         "start_date": a.course.start_date, "hours": a.course.hours, "applies_at_work": a.applies_at_work}
        for a in selectors.training_record(employee=own)
    ]  # fmt: skip


@router.get("/employees/{employee_id}", response={200: EmployeeOut, **ERRORS}, summary="One employee")
def employee_get(request: HttpRequest, employee_id: int) -> Any:
    _signed_in(request)
    employee = selectors.employee_get(actor=request.user, employee_id=employee_id)
    if employee is None:
        raise Http404
    return employee


@router.get("/leave-requests", response={200: list[LeaveOut], **ERRORS}, summary="Leave requests in scope")
@paginate(Pages)
def leave_list(request: HttpRequest, status: str = Query("", max_length=20)) -> Any:
    _signed_in(request)
    return selectors.leave_list(actor=request.user, status=status)


@router.post("/leave-requests", response={201: LeaveOut, **ERRORS}, summary="Ask for leave")
def leave_create(request: HttpRequest, payload: LeaveIn) -> Any:
    _signed_in(request)
    if payload.employee_id is not None:
        employee = selectors.employee_get(actor=request.user, employee_id=payload.employee_id)
    else:
        employee = selectors.own_employee(request.user)
    leave_type = LeaveType.objects.filter(code=payload.leave_type).first()
    if employee is None or leave_type is None:
        raise Http404
    try:
        created = leave.leave_request_create(
            actor=request.user, employee=employee, leave_type=leave_type, start_date=payload.start_date,
            end_date=payload.end_date, reason=payload.reason,
        )  # fmt: skip
    except ValidationError as exc:
        return _refused(exc)
    return 201, created


@router.post(
    "/leave-requests/{request_id}/decide",
    response={200: LeaveOut, **ERRORS},
    summary="Decide the current step",
)
def leave_decide(request: HttpRequest, request_id: int, payload: PeopleDecisionIn) -> Any:
    _signed_in(request)
    item = selectors.leave_get(actor=request.user, request_id=request_id)
    if item is None:
        raise Http404
    try:
        return leave.leave_decide(
            actor=request.user, request=item, decision=payload.decision, comment=payload.comment
        )
    except ValidationError as exc:
        return _refused(exc)


@router.get("/payslips", response={200: list[PayslipOut], **ERRORS}, summary="Payslips in scope (satang)")
@paginate(Pages)
def payslip_list(request: HttpRequest) -> Any:
    _signed_in(request)
    return selectors.payslip_list(actor=request.user)


@router.get("/payslips/{payslip_id}", response={200: PayslipOut, **ERRORS}, summary="One payslip (satang)")
def payslip_get(request: HttpRequest, payslip_id: int) -> Any:
    _signed_in(request)
    slip = selectors.payslip_get(actor=request.user, payslip_id=payslip_id)
    if slip is None:
        raise Http404
    return slip


@router.get("/payroll-runs", response={200: list[RunOut], **ERRORS}, summary="Payroll runs")
@paginate(Pages)
def run_list(request: HttpRequest) -> Any:
    need(request, Perm.PEOPLE_VIEW)
    if selectors.hr_unit_scope(request.user) is not None and not user_has_perm(
        request.user, Perm.PAYROLL_APPROVE
    ):
        raise PermissionDenied
    return selectors.payroll_runs(actor=request.user)


@router.post("/payroll-runs", response={201: RunOut, **ERRORS}, summary="Prepare a run (HR, country-wide)")
def run_create(request: HttpRequest, payload: RunIn) -> Any:
    need(request, Perm.PEOPLE_MANAGE)
    try:
        run = payroll.payroll_run_create(
            actor=request.user, year=payload.year, month=payload.month, pay_date=payload.pay_date
        )
    except ValidationError as exc:
        return _refused(exc)
    return 201, run


RunAction = Literal["submit", "approve"]


@router.post("/payroll-runs/{run_id}/{action}", response={200: RunOut, **ERRORS}, summary="Act on a run")
def run_act(
    request: HttpRequest, run_id: int, action: RunAction, payload: PeopleDecisionIn | None = None
) -> Any:
    need(request, Perm.PEOPLE_VIEW)
    run = selectors.payroll_run_get(actor=request.user, run_id=run_id)
    if run is None:
        raise Http404
    try:
        if action == "submit":
            return payroll.payroll_submit(actor=request.user, run=run)
        return payroll.payroll_approve(
            actor=request.user, run=run, decision=payload.decision if payload else "",
            comment=payload.comment if payload else "",
        )  # fmt: skip
    except ValidationError as exc:
        return _refused(exc)


@router.get(
    "/competency-targets", response={200: list[TargetOut], **ERRORS}, summary="Plan targets vs actual"
)
def target_list(request: HttpRequest, fiscal_year: int | None = Query(None, ge=2500, le=2700)) -> Any:
    need(request, Perm.PEOPLE_VIEW)
    return [row.__dict__ for row in training.progress(fiscal_year=fiscal_year)]
