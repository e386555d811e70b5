"""Procurement API (/api/v1/procurement): requisitions and their process actions, the thresholds
table, the published plan and the asset register.

Refusals are problem+json: 403 without the right, 404 outside the caller's scope, 422 for a rule
(overspent, method not allowed, committee conflict, wrong step...) with the reason in Thai and
English."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from codi.api.kit import ERRORS, Pages, need
from codi.core.problems import problem
from codi.finance.ledger import FinanceError
from codi.identity.models import OrgUnit
from codi.identity.roles import Perm
from codi.procurement import selectors, services, supplies
from codi.procurement.models import Requisition, Store, SupplyItem

router = Router(tags=["procurement"])


class ProcRequisitionOut(Schema):
    id: int
    number: str
    fiscal_year: int = Field(..., alias="fiscal_year_be")
    title: str
    budget_line_code: str = Field(..., alias="budget_line.code")
    budget_line_name: str = Field(..., alias="budget_line.name")
    category: str
    reference_price: Decimal
    suggested_method: str
    method: str
    status: str
    current_step: str
    current_step_due: date | None
    red_flags: list[str]


class ProcRequisitionDetailOut(ProcRequisitionOut):
    diagram_current: list[str]
    diagram_completed: list[str]


class ProcDecisionIn(Schema):
    decision: str = Field("", max_length=20)
    comment: str = Field("", max_length=500)


class ProcThresholdOut(Schema):
    method: str
    min_amount: Decimal
    max_amount: Decimal | None
    needs_e_catalog: bool
    effective_from: date
    source: str


class ProcAssetOut(Schema):
    code: str
    description: str
    asset_class: str = Field(..., alias="asset_class.name_th")
    unit: str = Field(..., alias="unit.name_th")
    cost: Decimal
    accumulated: Decimal
    acquired_on: date
    status: str


def _requisition(request: HttpRequest, requisition_id: int) -> Requisition:
    need(request, selectors.has_access)
    req = selectors.requisition_get(actor=request.user, requisition_id=requisition_id)
    if req is None:
        raise Http404
    return req


def _detail(req: Requisition) -> Requisition:
    diagram = services.diagram(req)
    req.diagram_current = diagram["current"]  # type: ignore[attr-defined]
    req.diagram_completed = diagram["completed"]  # type: ignore[attr-defined]
    return req


def _refused(exc: FinanceError) -> HttpResponse:
    return problem(422, detail_th=exc.message_th, detail_en=exc.message_en)


@router.get(
    "/requisitions",
    response={200: list[ProcRequisitionOut], **ERRORS},
    summary="Procurement reports in scope",
)
@paginate(Pages)
def requisition_list(request: HttpRequest, status: str = "") -> Any:
    need(request, Perm.PROCUREMENT_VIEW)
    return selectors.requisition_list(actor=request.user, status=status[:20])


@router.get(
    "/requisitions/{requisition_id}", response={200: ProcRequisitionDetailOut, **ERRORS}, summary="One report"
)
def requisition_get(request: HttpRequest, requisition_id: int) -> Any:
    return _detail(_requisition(request, requisition_id))


@router.post(
    "/requisitions/{requisition_id}/{action}",
    response={200: ProcRequisitionDetailOut, **ERRORS},
    summary="Submit (requester) or decide (approver) a report",
)
def requisition_act(
    request: HttpRequest,
    requisition_id: int,
    action: Literal["submit", "approve"],
    payload: ProcDecisionIn | None = None,
) -> Any:
    req = _requisition(request, requisition_id)
    try:
        if action == "submit":
            req = services.requisition_submit(actor=request.user, requisition=req)
        else:
            req = services.requisition_approve(
                actor=request.user, requisition=req, decision=payload.decision if payload else "",
                comment=payload.comment if payload else "",
            )  # fmt: skip
    except FinanceError as exc:
        return _refused(exc)
    return _detail(req)


@router.get(
    "/thresholds", response={200: list[ProcThresholdOut], **ERRORS}, summary="The method thresholds table"
)
def threshold_list(request: HttpRequest) -> Any:
    need(request, Perm.PROCUREMENT_VIEW)
    return list(selectors.thresholds())


@router.get("/assets", response={200: list[ProcAssetOut], **ERRORS}, summary="The asset register in scope")
@paginate(Pages)
def asset_list(request: HttpRequest, status: str = "") -> Any:
    need(request, Perm.PROCUREMENT_VIEW)
    return selectors.asset_list(actor=request.user, status=status[:20])


class ProcStockOut(Schema):
    store: str = Field(..., alias="store.code")
    item: str = Field(..., alias="item.code")
    item_name: str = Field(..., alias="item.name_th")
    unit_name: str = Field(..., alias="item.unit_name")
    quantity: Decimal
    value: Decimal
    min_level: Decimal = Field(..., alias="item.min_level")


class ProcIssueIn(Schema):
    store: str = Field(..., max_length=20)
    item: str = Field(..., max_length=30)
    quantity: Decimal
    unit: str = Field(..., max_length=40, description="the receiving org unit's code")
    reference: str = Field("", max_length=100)


class ProcMoveOut(Schema):
    id: int
    kind: str
    moved_on: date
    quantity: Decimal
    value: Decimal
    balance_quantity: Decimal
    balance_value: Decimal


@router.get("/stock", response={200: list[ProcStockOut], **ERRORS}, summary="Supplies balances (FIFO value)")
@paginate(Pages)
def stock_list(request: HttpRequest) -> Any:
    need(request, Perm.PROCUREMENT_VIEW)
    return supplies.balances()


@router.post(
    "/stock/issues", response={201: ProcMoveOut, **ERRORS}, summary="Issue supplies to a unit (FIFO)"
)
def stock_issue(request: HttpRequest, payload: ProcIssueIn) -> Any:
    need(request, Perm.PROCUREMENT_MANAGE)
    store = Store.objects.filter(code=payload.store).first()
    item = SupplyItem.objects.filter(code=payload.item).first()
    unit = OrgUnit.objects.filter(code=payload.unit).first()
    if store is None or item is None or unit is None:
        return problem(422, detail_th="ไม่พบคลัง วัสดุ หรือหน่วยงาน", detail_en="Unknown store, item or unit")
    try:
        move = supplies.issue(
            actor=request.user, store=store, item=item, quantity=payload.quantity, to_unit=unit,
            reference=payload.reference,
        )  # fmt: skip
    except FinanceError as exc:
        return _refused(exc)
    return 201, move
