"""Lending API, second part (mounted on the lending router): tranches, schedule changes
(restructuring and write-off requests and their decision), Baan Mankong housing projects and
community welfare funds.

Same refusals as ``codi.lending.api``: 401 anonymous, 403 without the permission (the services
check it again in the object's area), 404 for an object outside the caller's area, 422 for a rule
with the reason in Thai and English. Households are given by registry id only, never by name.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from codi.api.kit import ERRORS, Pages, need
from codi.core.problems import problem
from codi.identity.roles import Perm
from codi.lending import community, operations, reports, selectors
from codi.lending.models import Loan, LoanChange
from codi.lending.models_community import HousingProject, WelfareFund
from codi.lending.services import LendingError

router = Router(tags=["lending"])
CENT = Decimal("0.01")


def _refused(exc: LendingError) -> HttpResponse:
    return problem(422, detail_th=exc.message_th, detail_en=exc.message_en)


def _loan(request: HttpRequest, loan_id: int) -> Loan:
    need(request, Perm.LENDING_VIEW)
    loan = selectors.loan_get(actor=request.user, loan_id=loan_id)
    if loan is None:
        raise Http404
    return loan


# --- tranches -------------------------------------------------------------------------------


class TrancheOut(Schema):
    n: int
    amount: Decimal
    paid_on: date
    reference: str
    bank_code: str
    journal_entry_id: int | None


class TrancheIn(Schema):
    amount: Decimal = Field(..., gt=0, max_digits=16, decimal_places=2)
    paid_on: date


@router.get(
    "/loans/{loan_id}/tranches", response={200: list[TrancheOut], **ERRORS}, summary="A loan's tranches"
)
def tranche_list(request: HttpRequest, loan_id: int) -> Any:
    return list(_loan(request, loan_id).tranches.order_by("n"))


@router.post(
    "/loans/{loan_id}/tranches", response={201: TrancheOut, **ERRORS}, summary="Pay the next tranche"
)
def tranche_create(request: HttpRequest, loan_id: int, payload: TrancheIn) -> Any:
    loan = _loan(request, loan_id)
    need(request, Perm.LENDING_CASH)
    try:
        tranche = operations.tranche_disburse(
            actor=request.user, loan=loan, amount=payload.amount, paid_on=payload.paid_on
        )
    except LendingError as exc:
        return _refused(exc)
    return 201, tranche


# --- restructuring and write-off ------------------------------------------------------------


class ChangeOut(Schema):
    id: int
    kind: str
    status: str
    effective_on: date
    outstanding: Decimal
    new_principal: Decimal
    write_off: Decimal
    months: int | None
    annual_rate: Decimal | None
    reason: str
    requested_by_id: int | None
    decided_by_id: int | None
    decision_comment: str
    interest_forgiven: Decimal


class ChangeIn(Schema):
    kind: Literal["restructure", "write_off"]
    effective_on: date
    reason: str = Field(..., min_length=1, max_length=2000)
    months: int | None = Field(None, ge=1, le=600)
    annual_rate: Decimal | None = Field(None, ge=0, max_digits=7, decimal_places=4)
    new_principal: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=2)
    write_off: Decimal = Field(Decimal("0"), ge=0, max_digits=16, decimal_places=2)


class DecisionIn(Schema):
    decision: Literal["approve", "reject"]
    comment: str = Field("", max_length=2000)


@router.get(
    "/loans/{loan_id}/changes",
    response={200: list[ChangeOut], **ERRORS},
    summary="Restructurings and write-offs",
)
def change_list(request: HttpRequest, loan_id: int) -> Any:
    return list(_loan(request, loan_id).changes.order_by("requested_at"))


@router.post(
    "/loans/{loan_id}/changes", response={201: ChangeOut, **ERRORS}, summary="Ask to restructure or write off"
)
def change_create(request: HttpRequest, loan_id: int, payload: ChangeIn) -> Any:
    loan = _loan(request, loan_id)
    need(request, Perm.LENDING_MANAGE)
    try:
        change = operations.change_request(
            actor=request.user, loan=loan, kind=payload.kind, effective_on=payload.effective_on,
            reason=payload.reason, months=payload.months, annual_rate=payload.annual_rate,
            new_principal=payload.new_principal, write_off=payload.write_off,
        )  # fmt: skip
    except LendingError as exc:
        return _refused(exc)
    return 201, change


@router.post(
    "/loans/{loan_id}/changes/{change_id}/decision",
    response={200: ChangeOut, **ERRORS},
    summary="Approve or reject a restructuring or write-off",
)
def change_decision(request: HttpRequest, loan_id: int, change_id: int, payload: DecisionIn) -> Any:
    loan = _loan(request, loan_id)
    need(request, Perm.LENDING_APPROVE)
    change = LoanChange.objects.filter(loan=loan, pk=change_id).first()
    if change is None:
        raise Http404
    try:
        return operations.change_decide(
            actor=request.user, change=change, decision=payload.decision, comment=payload.comment
        )
    except LendingError as exc:
        return _refused(exc)


# --- Baan Mankong housing projects ----------------------------------------------------------


class HousingProjectOut(Schema):
    id: int
    code: str
    name_th: str
    organization_id: int
    subdistrict_code: str = Field(..., alias="subdistrict_id")
    loan_id: int | None
    pms_project_code: str
    tenure: str
    households_planned: int
    households: int = Field(..., alias="n_households")


class HouseholdOut(Schema):
    person_id: int
    plot_no: str | None = Field(None, alias="plot.plot_no")
    loan_share: Decimal
    joined_on: date


class StageOut(Schema):
    phase: Literal["survey", "design", "loan", "build", "handover"]
    label: str
    planned_on: date | None
    reached_on: date | None
    note: str
    is_current: bool


class HousingProjectDetailOut(HousingProjectOut):
    plots: int
    units_by_stage: dict[str, int]
    subsidies: dict[str, Decimal]
    subsidy_total: Decimal
    household_rows: list[HouseholdOut]
    stages: list[StageOut]


def _project(request: HttpRequest, project_id: int) -> HousingProject:
    need(request, Perm.LENDING_VIEW)
    project = community.housing_projects(actor=request.user).filter(pk=project_id).first()
    if project is None:
        raise Http404
    return project


@router.get(
    "/housing-projects", response={200: list[HousingProjectOut], **ERRORS}, summary="Baan Mankong projects"
)
@paginate(Pages)
def housing_project_list(request: HttpRequest) -> Any:
    need(request, Perm.LENDING_VIEW)
    return community.housing_projects(actor=request.user).order_by("code")


@router.get(
    "/housing-projects/{project_id}",
    response={200: HousingProjectDetailOut, **ERRORS},
    summary="One Baan Mankong project: households, plots, construction, subsidies and its five stages",
)
def housing_project_get(request: HttpRequest, project_id: int) -> Any:
    project = _project(request, project_id)
    figures = community.project_figures(project, timezone.localdate())
    return {
        **{k: getattr(project, k) for k in ("id", "code", "name_th", "organization_id", "subdistrict_id",
                                            "loan_id", "pms_project_code", "tenure", "households_planned",
                                            "n_households")},
        "plots": figures.plots, "units_by_stage": figures.units_by_stage, "subsidies": figures.subsidies,
        "subsidy_total": figures.subsidy_total,
        "household_rows": list(project.households.select_related("plot").order_by("joined_on", "pk")),
        "stages": reports.stage_rows(project),
    }  # fmt: skip


# --- community welfare funds ----------------------------------------------------------------


class WelfareFundOut(Schema):
    id: int
    name_th: str
    organization_id: int
    subdistrict_code: str = Field(..., alias="subdistrict_id")
    founded_on: date
    monthly_contribution: Decimal
    members: int = Field(..., alias="n_members")


class CertificationOut(Schema):
    year_be: int
    status: str
    evidence: dict[str, str]


class WelfareReportOut(Schema):
    year_be: int
    members_0_14: int
    members_15_59: int
    members_60_plus: int
    contributions: Decimal
    other_income: Decimal
    benefit_birth: Decimal
    benefit_sickness: Decimal
    benefit_old_age: Decimal
    benefit_death: Decimal
    running_costs: Decimal


class WelfareFundDetailOut(WelfareFundOut):
    balance: Decimal
    matching_year: int
    matching_contribution: Decimal
    certifications: list[CertificationOut]
    annual_reports: list[WelfareReportOut]


def _fund(request: HttpRequest, fund_id: int) -> WelfareFund:
    need(request, Perm.LENDING_VIEW)
    fund = community.welfare_funds(actor=request.user).filter(pk=fund_id).first()
    if fund is None:
        raise Http404
    return fund


@router.get(
    "/welfare-funds", response={200: list[WelfareFundOut], **ERRORS}, summary="Community welfare funds"
)
@paginate(Pages)
def welfare_fund_list(request: HttpRequest) -> Any:
    need(request, Perm.LENDING_VIEW)
    return community.welfare_funds(actor=request.user).order_by("name_th", "pk")


@router.get(
    "/welfare-funds/{fund_id}",
    response={200: WelfareFundDetailOut, **ERRORS},
    summary="One welfare fund: balance, last year's matching contribution, certifications, annual reports",
)
def welfare_fund_get(request: HttpRequest, fund_id: int, year: int | None = None) -> Any:
    fund = _fund(request, fund_id)
    matching_year = year if year and 2000 <= year <= 2200 else timezone.localdate().year - 1
    return {
        "id": fund.pk, "name_th": fund.name_th, "organization_id": fund.organization_id,
        "subdistrict_id": fund.subdistrict_id, "founded_on": fund.founded_on,
        "monthly_contribution": fund.monthly_contribution, "n_members": fund.n_members,  # type: ignore[attr-defined]
        "balance": community.fund_balance(fund).quantize(CENT), "matching_year": matching_year,
        "matching_contribution": community.matching_contribution(fund, matching_year).quantize(CENT),
        "certifications": list(fund.certifications.order_by("year_be")),
        "annual_reports": list(reports.fund_reports(fund)),
    }  # fmt: skip
