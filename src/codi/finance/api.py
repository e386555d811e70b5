"""Finance API (/api/v1/finance): budget lines, vouchers and their process actions, reports.

Refusals are problem+json: 403 without the right, 404 outside the caller's scope, 422 for a rule
(unbalanced, overspent, wrong step...) with the reason in Thai and English."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from codi.api.pagination import Pages
from codi.api.schemas import ERRORS
from codi.core.problems import problem
from codi.finance import epayment, ledger, reports, selectors, vouchers
from codi.finance.api_delegation import router as delegation_router
from codi.finance.api_payables import router as payables_router
from codi.finance.dimensions import Dimensions, Fund
from codi.finance.ledger import FinanceError
from codi.finance.models import FiscalYear, PaymentVoucher
from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm

router = Router(tags=["finance"])
router.add_router("", payables_router)
router.add_router("", delegation_router)


class BudgetLineOut(Schema):
    id: int
    fiscal_year: int = Field(..., alias="fiscal_year.year_be")
    code: str
    name: str
    unit_code: str = Field(..., alias="unit.code")
    region_code: str | None = Field(None, alias="region_id")
    category: str
    plan: str
    allocated: Decimal
    committed: Decimal
    actual: Decimal
    available: Decimal


class VoucherOut(Schema):
    id: int
    number: str
    fiscal_year: int = Field(..., alias="fiscal_year.year_be")
    budget_line_code: str = Field(..., alias="budget_line.code")
    payee_name: str
    amount: Decimal
    description: str
    status: str
    current_step: str
    current_step_due: date | None
    paid_on: date | None


class VoucherDetailOut(VoucherOut):
    diagram_current: list[str]
    diagram_completed: list[str]


class VoucherIn(Schema):
    budget_line_id: int
    payee_name: str = Field(..., max_length=200)
    payee_bank_code: str = Field(..., pattern=r"^\d{3}$")
    payee_account_no: str = Field(..., pattern=r"^\d{10,15}$")
    amount: Decimal = Field(..., gt=0, max_digits=16, decimal_places=2)
    description: str = Field(..., max_length=300)


class VoucherDecisionIn(Schema):
    decision: str = Field("", max_length=20)
    comment: str = Field("", max_length=500)


class TrialBalanceRowOut(Schema):
    code: str
    name_th: str
    name_en: str
    account_type: str
    debit: Decimal
    credit: Decimal


class DimensionFilter(Schema):
    """Narrow a report to journal lines carrying these dimension values."""

    org_unit: str = Field("", max_length=100)
    fund: Fund | Literal[""] = ""
    program: str = Field("", max_length=100)
    project: str = Field("", max_length=100)
    region: str = Field("", max_length=100)
    province: str = Field("", max_length=100)

    def dimensions(self) -> Dimensions:
        return Dimensions(
            org_unit=self.org_unit, fund=str(self.fund), program=self.program, project=self.project,
            region=self.region, province=self.province,
        )  # fmt: skip


class DimensionBudgetRowOut(Schema):
    value: str
    label: str
    allocated: Decimal | None
    committed: Decimal | None
    actual: Decimal
    available: Decimal | None


class BudgetRowOut(Schema):
    unit_code: str
    unit_name: str
    allocated: Decimal
    committed: Decimal
    actual: Decimal
    available: Decimal


def _need(request: HttpRequest, perm: str = Perm.FINANCE_VIEW) -> None:
    if not user_has_perm(request.user, perm):
        raise PermissionDenied


def _fy(value: int | None) -> int:
    return value or ledger.fiscal_year_of(date.today())


def _detail(voucher: PaymentVoucher) -> PaymentVoucher:
    diagram = vouchers.voucher_diagram(voucher)
    voucher.diagram_current = diagram["current"]  # type: ignore[attr-defined]
    voucher.diagram_completed = diagram["completed"]  # type: ignore[attr-defined]
    return voucher


def _refused(exc: FinanceError) -> HttpResponse:
    return problem(422, detail_th=exc.message_th, detail_en=exc.message_en)


def _voucher(request: HttpRequest, voucher_id: int) -> PaymentVoucher:
    _need(request)
    voucher = selectors.voucher_get(actor=request.user, voucher_id=voucher_id)
    if voucher is None:
        raise Http404
    return voucher


@router.get("/budget-lines", response={200: list[BudgetLineOut], **ERRORS}, summary="Budget lines in scope")
def budget_line_list(request: HttpRequest, fiscal_year: int | None = Query(None, ge=2400, le=2800)) -> Any:
    _need(request)
    return list(selectors.budget_line_list(actor=request.user, year_be=fiscal_year))


@router.get("/vouchers", response={200: list[VoucherOut], **ERRORS}, summary="Payment vouchers in scope")
@paginate(Pages)
def voucher_list(request: HttpRequest, status: str = Query("", max_length=20)) -> Any:
    _need(request)
    return selectors.voucher_list(actor=request.user, status=status)


@router.get("/vouchers/{voucher_id}", response={200: VoucherDetailOut, **ERRORS}, summary="One voucher")
def voucher_get(request: HttpRequest, voucher_id: int) -> Any:
    return _detail(_voucher(request, voucher_id))


@router.post("/vouchers", response={201: VoucherDetailOut, **ERRORS}, summary="A new voucher (maker)")
def voucher_create(request: HttpRequest, payload: VoucherIn) -> Any:
    _need(request, Perm.FINANCE_MANAGE)
    line = selectors.budget_line_list(actor=request.user).filter(pk=payload.budget_line_id).first()
    if line is None:
        raise Http404
    try:
        voucher = vouchers.voucher_create(
            actor=request.user, budget_line=line, payee_name=payload.payee_name,
            payee_bank_code=payload.payee_bank_code, payee_account_no=payload.payee_account_no,
            amount=payload.amount, description=payload.description,
        )  # fmt: skip
    except FinanceError as exc:
        return _refused(exc)
    return 201, _detail(voucher)


Action = Literal["submit", "check", "approve"]


@router.post(
    "/vouchers/{voucher_id}/{action}",
    response={200: VoucherDetailOut, **ERRORS},
    summary="Act on a voucher's step",
)
def voucher_act(
    request: HttpRequest, voucher_id: int, action: Action, payload: VoucherDecisionIn | None = None
) -> Any:
    voucher = _voucher(request, voucher_id)
    decision = payload.decision if payload else ""
    comment = payload.comment if payload else ""
    try:
        if action == "submit":
            voucher = vouchers.voucher_submit(actor=request.user, voucher=voucher)
        elif action == "check":
            voucher = vouchers.voucher_check(
                actor=request.user, voucher=voucher, decision=decision, comment=comment
            )
        else:
            voucher = vouchers.voucher_approve(
                actor=request.user, voucher=voucher, decision=decision, comment=comment
            )
    except FinanceError as exc:
        return _refused(exc)
    return _detail(voucher)


@router.get(
    "/reports/trial-balance", response={200: list[TrialBalanceRowOut], **ERRORS}, summary="Trial balance"
)
def trial_balance(
    request: HttpRequest,
    fiscal_year: int | None = Query(None, ge=2400, le=2800),
    dims: DimensionFilter = Query(...),  # noqa: B008
) -> Any:
    _need(request)
    if not selectors.is_country_wide(request.user, Perm.FINANCE_VIEW):
        raise PermissionDenied
    return selectors.trial_balance(actor=request.user, year_be=_fy(fiscal_year), dimensions=dims.dimensions())


@router.get(
    "/reports/budget", response={200: list[BudgetRowOut], **ERRORS}, summary="Budget vs actual per unit"
)
def budget_report(request: HttpRequest, fiscal_year: int | None = Query(None, ge=2400, le=2800)) -> Any:
    _need(request)
    return selectors.budget_vs_actual(actor=request.user, year_be=_fy(fiscal_year))


@router.get(
    "/reports/budget/by/{dimension}",
    response={200: list[DimensionBudgetRowOut], **ERRORS},
    summary="Budget vs commitment vs actual per dimension value",
)
def budget_report_by(
    request: HttpRequest,
    dimension: Literal["org_unit", "fund", "program", "project", "region", "province"],
    fiscal_year: int | None = Query(None, ge=2400, le=2800),
    dims: DimensionFilter = Query(...),  # noqa: B008
) -> Any:
    _need(request)
    return selectors.budget_vs_actual_by(
        actor=request.user, year_be=_fy(fiscal_year), dimension=dimension, dimensions=dims.dimensions()
    )


class PeriodOut(Schema):
    month: int
    start_date: date
    end_date: date
    is_closed: bool


class StatementRowOut(Schema):
    code: str
    name_th: str
    name_en: str
    amount: Decimal


class FinancialPositionOut(Schema):
    as_of: date
    assets: list[StatementRowOut]
    liabilities: list[StatementRowOut]
    net_assets: list[StatementRowOut]
    surplus: Decimal
    total_assets: Decimal
    total_liabilities_and_net_assets: Decimal


class QrIn(Schema):
    kind: Literal["promptpay", "billpayment"]
    id: str = Field(..., max_length=20)
    amount: str = Field(..., max_length=20)
    ref1: str = Field("", max_length=20)
    ref2: str = Field("", max_length=20)


class QrOut(Schema):
    payload: str


def _books(request: HttpRequest) -> None:
    _need(request)
    if not selectors.is_country_wide(request.user, Perm.FINANCE_VIEW):
        raise PermissionDenied


@router.get("/periods", response={200: list[PeriodOut], **ERRORS}, summary="Monthly periods of a fiscal year")
def period_list(request: HttpRequest, fiscal_year: int | None = Query(None, ge=2400, le=2800)) -> Any:
    _books(request)
    year = FiscalYear.objects.filter(year_be=_fy(fiscal_year)).first()
    return ledger.periods_ensure(year=year) if year else []


@router.get(
    "/reports/financial-position",
    response={200: FinancialPositionOut, **ERRORS},
    summary="Financial position",
)
def financial_position(request: HttpRequest, as_of: date | None = None) -> Any:
    _books(request)
    statement = reports.financial_position(actor=request.user, as_of=as_of or date.today())
    if statement is None:
        raise PermissionDenied
    return {
        "as_of": statement.as_of,
        "assets": statement.assets.rows,
        "liabilities": statement.liabilities.rows,
        "net_assets": statement.net_assets.rows,
        "surplus": statement.surplus,
        "total_assets": statement.assets.total,
        "total_liabilities_and_net_assets": statement.liabilities.total + statement.total_net_assets,
    }


@router.post("/qr", response={200: QrOut, **ERRORS}, summary="A one-time Thai QR payment payload")
def qr_payload(request: HttpRequest, payload: QrIn) -> Any:
    _need(request, Perm.FINANCE_MANAGE)
    try:
        if payload.kind == "promptpay":
            text = epayment.promptpay_payload(target=payload.id, amount=payload.amount)
        else:
            text = epayment.billpayment_payload(
                biller_id=payload.id, ref1=payload.ref1, ref2=payload.ref2, amount=payload.amount
            )
    except FinanceError as exc:
        return _refused(exc)
    return {"payload": text}
