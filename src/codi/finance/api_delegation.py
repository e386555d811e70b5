"""Delegation of authority through the API (/api/v1/finance/delegations): list what the caller
gave or received, delegate their own authority, revoke. Refusals: 403 for a caller who holds no
approval authority (nor any delegation), 422 for a rule, with the reason in Thai and English."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Router, Schema

from codi.api.kit import ERRORS
from codi.core.problems import problem
from codi.finance import delegation
from codi.finance.ledger import FinanceError
from codi.finance.models import ApprovalDelegation
from codi.identity.models import User

router = Router(tags=["finance"])


class DelegationOut(Schema):
    id: int
    delegator: str = Field(..., alias="delegator.username")
    delegate: str = Field(..., alias="delegate.username")
    step: str
    max_amount: Decimal
    starts_on: date
    ends_on: date
    reason: str
    revoked_at: datetime | None


class DelegationIn(Schema):
    delegate: str = Field(..., min_length=1, max_length=150, description="the delegate's username")
    step: Literal["check", "approve"]
    max_amount: Decimal = Field(..., gt=0, max_digits=16, decimal_places=2)
    starts_on: date
    ends_on: date
    reason: str = Field(..., min_length=1, max_length=300)


def _refused(exc: FinanceError) -> HttpResponse:
    return problem(422, detail_th=exc.message_th, detail_en=exc.message_en)


def _involved(request: HttpRequest) -> None:
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    if not delegation.can_delegate(user) and not delegation.delegations_for(actor=user).exists():
        raise PermissionDenied


@router.get("/delegations", response={200: list[DelegationOut], **ERRORS}, summary="Delegations of authority")
def delegation_list(request: HttpRequest) -> Any:
    _involved(request)
    return list(delegation.delegations_for(actor=request.user)[:500])


@router.post(
    "/delegations", response={201: DelegationOut, **ERRORS}, summary="Delegate your approval authority"
)
def delegation_create(request: HttpRequest, payload: DelegationIn) -> Any:
    if not request.user.is_authenticated or not delegation.can_delegate(request.user):
        raise PermissionDenied
    try:
        made = delegation.delegation_create(
            actor=request.user, delegate=User.objects.filter(username=payload.delegate).first(),
            step=payload.step, max_amount=payload.max_amount, starts_on=payload.starts_on,
            ends_on=payload.ends_on, reason=payload.reason,
        )  # fmt: skip
    except FinanceError as exc:
        return _refused(exc)
    return 201, ApprovalDelegation.objects.select_related("delegator", "delegate").get(pk=made.pk)


@router.post(
    "/delegations/{delegation_id}/revoke",
    response={200: DelegationOut, **ERRORS},
    summary="Revoke a delegation",
)
def delegation_revoke(request: HttpRequest, delegation_id: int) -> Any:
    _involved(request)
    found = delegation.delegations_for(actor=request.user).filter(pk=delegation_id).first()
    if found is None:
        raise Http404
    try:
        delegation.delegation_revoke(actor=request.user, delegation=found)
    except FinanceError as exc:
        return _refused(exc)
    return ApprovalDelegation.objects.select_related("delegator", "delegate").get(pk=found.pk)
