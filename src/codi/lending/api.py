"""Lending API (/api/v1/lending): loans in scope with their schedules, the portfolio's arrears,
NPL and PAR30, repayments, and the schedule calculator.

Refusals are problem+json: 403 without the right, 404 for a loan outside the caller's scope, 422 for
a rule (closed loan, more than owed, out of range) with the reason in Thai and English."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from codi.api.kit import ERRORS, Pages, need
from codi.core.problems import problem
from codi.identity.roles import Perm
from codi.lending import schedule, selectors, services
from codi.lending.api_ops import router as ops_router
from codi.lending.models import Loan
from codi.lending.services import LendingError

router = Router(tags=["lending"])
router.add_router("", ops_router)  # tranches, schedule changes, housing projects, welfare funds


class LoanOut(Schema):
    id: int
    number: str
    product_code: str = Field(..., alias="product.code")
    organization_id: int
    organization_name: str = Field(..., alias="organization.name_th")
    subdistrict_code: str = Field(..., alias="subdistrict_id")
    principal: Decimal
    annual_rate: Decimal
    months: int
    method: str
    day_count: str
    status: str
    current_step: str
    applied_on: date
    disbursed_on: date | None
    closed_on: date | None


class InstalmentOut(Schema):
    n: int
    due_date: date
    payment: Decimal
    principal_due: Decimal
    interest_due: Decimal
    principal_paid: Decimal
    interest_paid: Decimal
    penalty_charged: Decimal
    penalty_paid: Decimal


class LoanDetailOut(LoanOut):
    schedule_version: int
    instalments: list[InstalmentOut] = Field(..., alias="instalments_out")
    diagram_current: list[str]
    diagram_completed: list[str]


class RepaymentIn(Schema):
    amount: Decimal = Field(..., gt=0, max_digits=16, decimal_places=2)
    received_on: date
    reference: str = Field(..., min_length=1, max_length=60)
    channel: Literal["qr", "bank", "counter"] = "counter"
    prepay: bool = False


class RepaymentOut(Schema):
    id: int
    reference: str
    received_on: date
    amount: Decimal
    penalty_part: Decimal
    interest_part: Decimal
    principal_part: Decimal
    prepaid_part: Decimal


class PortfolioFiguresOut(Schema):
    loans: int
    outstanding: Decimal
    npl_outstanding: Decimal
    par30_outstanding: Decimal
    npl_ratio: Decimal
    par30_ratio: Decimal
    buckets: dict[str, Decimal]
    bucket_loans: dict[str, int]


class PortfolioOut(Schema):
    as_of: date
    total: PortfolioFiguresOut
    by_region: dict[str, PortfolioFiguresOut]
    by_province: dict[str, PortfolioFiguresOut]
    by_product: dict[str, PortfolioFiguresOut]


class ScheduleRowOut(Schema):
    n: int
    due_date: date
    payment: Decimal
    principal: Decimal
    interest: Decimal
    balance: Decimal


def _refused(exc: LendingError | schedule.ScheduleError) -> HttpResponse:
    return problem(422, detail_th=exc.message_th, detail_en=exc.message_en)


def _loan(request: HttpRequest, loan_id: int) -> Loan:
    need(request, Perm.LENDING_VIEW)
    loan = selectors.loan_get(actor=request.user, loan_id=loan_id)
    if loan is None:
        raise Http404
    return loan


def _detail(loan: Loan) -> Loan:
    instalments = list(selectors.instalments_of(loan))
    version = loan.versions.filter(is_current=True).first()
    diagram = services.PROCESS.diagram(loan.workflow_state)
    loan.instalments_out = instalments  # type: ignore[attr-defined]
    loan.schedule_version = version.version if version else 0  # type: ignore[attr-defined]
    loan.diagram_current = diagram["current"]  # type: ignore[attr-defined]
    loan.diagram_completed = diagram["completed"]  # type: ignore[attr-defined]
    return loan


@router.get("/loans", response={200: list[LoanOut], **ERRORS}, summary="Loans in scope")
@paginate(Pages)
def loan_list(request: HttpRequest, status: str = Query("", max_length=20)) -> Any:
    need(request, Perm.LENDING_VIEW)
    return selectors.loan_list(actor=request.user, status=status)


@router.get("/loans/{loan_id}", response={200: LoanDetailOut, **ERRORS}, summary="One loan with its schedule")
def loan_get(request: HttpRequest, loan_id: int) -> Any:
    return _detail(_loan(request, loan_id))


@router.post(
    "/loans/{loan_id}/repayments", response={201: RepaymentOut, **ERRORS}, summary="Record a repayment"
)
def repayment_create(request: HttpRequest, loan_id: int, payload: RepaymentIn) -> Any:
    loan = _loan(request, loan_id)
    need(request, Perm.LENDING_CASH)
    try:
        repayment = services.repayment_record(
            actor=request.user, loan=loan, amount=payload.amount, received_on=payload.received_on,
            reference=payload.reference, channel=payload.channel, prepay=payload.prepay,
        )  # fmt: skip
    except LendingError as exc:
        return _refused(exc)
    return 201, repayment


def _figures(f: selectors.PortfolioFigures) -> dict[str, Any]:
    return {
        "loans": f.loans, "outstanding": f.outstanding, "npl_outstanding": f.npl_outstanding,
        "par30_outstanding": f.par30_outstanding, "npl_ratio": f.npl_ratio, "par30_ratio": f.par30_ratio,
        "buckets": f.buckets, "bucket_loans": f.bucket_loans,
    }  # fmt: skip


@router.get("/portfolio", response={200: PortfolioOut, **ERRORS}, summary="Ageing, NPL and PAR30 in scope")
def portfolio(request: HttpRequest, as_of: date | None = None) -> Any:
    need(request, Perm.LENDING_VIEW)
    result = selectors.portfolio(actor=request.user, as_of=as_of or timezone.localdate())
    return {
        "as_of": result.as_of,
        "total": _figures(result.total),
        "by_region": {k: _figures(v) for k, v in result.by_region.items()},
        "by_province": {k: _figures(v) for k, v in result.by_province.items()},
        "by_product": {k: _figures(v) for k, v in result.by_product.items()},
    }


@router.get("/schedule", response={200: list[ScheduleRowOut], **ERRORS}, summary="Compute a schedule")
def schedule_compute(
    request: HttpRequest,
    start: date,
    principal: str = Query(..., max_length=20),
    annual_rate: str = Query(..., max_length=10),
    months: int = Query(..., ge=1, le=schedule.MAX_MONTHS),
    method: str = Query(..., max_length=20),
    day_count: str = Query(..., max_length=12),
) -> Any:
    need(request, Perm.LENDING_VIEW)
    try:
        return schedule.build(
            principal=principal, annual_rate=annual_rate, months=months, method=method, day_count=day_count,
            start=start,
        )  # fmt: skip
    except schedule.ScheduleError as exc:
        return _refused(exc)
