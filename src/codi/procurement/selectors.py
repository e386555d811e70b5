"""Reads of procurement and assets, scoped to the acting user.

Procurement is charged to finance budget lines, so it is scoped the way finance is: a
country-wide grant sees everything, a region grant the requisitions charged to budget lines of
its CODI region (``codi.finance.selectors.region_condition``); a requester also sees their own
requisitions and a committee member those they sit on. Assets are scoped by the region of the
budget line they were bought from, or country-wide for assets without one (imported registers).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum

from codi.finance.models import BudgetLine
from codi.finance.selectors import region_condition
from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm
from codi.procurement.models import (
    Asset,
    AssetCount,
    AssetStatus,
    Committee,
    CommitteeMember,
    Contract,
    Delivery,
    MethodThreshold,
    PlanLine,
    Requisition,
)

AnyUser = Any


def has_access(user: AnyUser) -> bool:
    """Procurement pages are open to holders of the view right and to any committee member
    (committees are drawn from all staff)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        user_has_perm(user, Perm.PROCUREMENT_VIEW) or CommitteeMember.objects.filter(user_id=user.pk).exists()
    )


def requisition_list(*, actor: AnyUser, status: str = "") -> QuerySet[Requisition]:
    """Requisitions in the actor's region scope, plus their own and those whose committee they sit on."""
    if not getattr(actor, "is_authenticated", False):
        return Requisition.objects.none()
    condition = region_condition(actor, Perm.PROCUREMENT_VIEW, field="budget_line__region")
    rows = Requisition.objects.select_related("budget_line", "requester")
    if condition is None or condition:  # not country-wide (an empty Q is): add their own
        own = Q(requester_id=actor.pk) | Q(committee__user_id=actor.pk)
        where = own if condition is None else (condition | own)
        rows = rows.filter(pk__in=Requisition.objects.filter(where).values("pk"))
    if status:
        rows = rows.filter(status=status)
    return rows


def requisition_get(*, actor: AnyUser, requisition_id: int) -> Requisition | None:
    return requisition_list(actor=actor).filter(pk=requisition_id).first()


def can_act_in_scope(actor: AnyUser, perm: str, requisition: Requisition) -> bool:
    """Whether ``actor`` holds ``perm`` over the requisition's budget line."""
    condition = region_condition(actor, perm, field="budget_line__region")
    return condition is not None and Requisition.objects.filter(condition, pk=requisition.pk).exists()


def is_member(user: AnyUser, requisition: Requisition, committee: str) -> bool:
    return CommitteeMember.objects.filter(
        requisition=requisition, committee=committee, user_id=getattr(user, "pk", None) or 0
    ).exists()


def inbox(*, actor: AnyUser) -> QuerySet[Requisition]:
    """Requisitions waiting for something the user may do (own drafts, approvals, procuring,
    inspections they sit on, payments)."""
    rows = requisition_list(actor=actor)
    want = Q(current_step="prepare", requester_id=actor.pk)
    if user_has_perm(actor, Perm.PROCUREMENT_APPROVE):
        want |= Q(current_step="approve")
    if user_has_perm(actor, Perm.PROCUREMENT_MANAGE):
        want |= Q(current_step="procure")
    if user_has_perm(actor, Perm.FINANCE_MANAGE):
        want |= Q(current_step="pay")
    want |= Q(
        current_step="inspect",
        pk__in=CommitteeMember.objects.filter(user_id=actor.pk, committee=Committee.INSPECTION).values(
            "requisition_id"
        ),
    )
    return rows.filter(want).order_by("current_step_due", "id")


def budget_lines_for_request(*, actor: AnyUser) -> QuerySet[BudgetLine]:
    """Open budget lines the actor may charge a requisition to (their PROCUREMENT_REQUEST scope)."""
    condition = region_condition(actor, Perm.PROCUREMENT_REQUEST)
    if condition is None:
        return BudgetLine.objects.none()
    return BudgetLine.objects.filter(condition, fiscal_year__is_closed=False).select_related(
        "unit", "fiscal_year"
    )


def thresholds() -> QuerySet[MethodThreshold]:
    return MethodThreshold.objects.all()


def plan_lines(*, actor: AnyUser, year_be: int | None = None) -> QuerySet[PlanLine]:
    condition = region_condition(actor, Perm.PROCUREMENT_VIEW, field="budget_line__region")
    if condition is None:
        return PlanLine.objects.none()
    rows = PlanLine.objects.filter(condition).select_related("unit", "budget_line")
    if year_be is not None:
        rows = rows.filter(fiscal_year_be=year_be)
    return rows


def published_plan(*, year_be: int) -> QuerySet[PlanLine]:
    """The plan as published (public open data): published lines only."""
    return PlanLine.objects.filter(fiscal_year_be=year_be, is_published=True).select_related("unit")


def asset_list(*, actor: AnyUser, status: str = "") -> QuerySet[Asset]:
    condition = region_condition(
        actor, Perm.PROCUREMENT_VIEW, field="delivery__contract__requisition__budget_line__region"
    )
    if condition is None:
        return Asset.objects.none()
    # region-scoped: only assets bought from the region's budget lines
    rows = Asset.objects.filter(condition) if condition else Asset.objects.all()
    rows = rows.select_related("asset_class", "unit", "custodian")
    if status:
        rows = rows.filter(status=status)
    return rows


def asset_totals(*, actor: AnyUser) -> dict[str, Decimal]:
    sums = asset_list(actor=actor, status=AssetStatus.IN_USE).aggregate(c=Sum("cost"), a=Sum("accumulated"))
    cost = Decimal(sums["c"] or 0).quantize(Decimal("0.01"))
    accumulated = Decimal(sums["a"] or 0).quantize(Decimal("0.01"))
    return {"cost": cost, "accumulated": accumulated, "book_value": cost - accumulated}


def count_list(*, actor: AnyUser) -> QuerySet[AssetCount]:
    """Counts are run by head office (a country-wide grant): units are not tied to regions."""
    condition = region_condition(actor, Perm.PROCUREMENT_VIEW)
    if condition is None or condition:
        return AssetCount.objects.none()
    return AssetCount.objects.select_related("unit")


def count_differences(*, count: AssetCount) -> dict[str, list[Any]]:
    """The count's differences report: assets of the unit not found, and those found damaged or unused."""
    found = {line.asset_id: line for line in count.lines.select_related("asset")}
    missing = list(
        Asset.objects.filter(unit=count.unit, status=AssetStatus.IN_USE)
        .exclude(pk__in=found.keys())
        .order_by("code")
    )
    flagged = [line for line in found.values() if line.condition != "good"]
    return {"missing": missing, "flagged": flagged, "found": list(found.values())}


def pending_deliveries(*, requisition: Requisition) -> QuerySet[Delivery]:
    return Delivery.objects.filter(contract__requisition=requisition, status=Delivery.Status.PENDING)


def published_plan_rows() -> list[tuple[Any, ...]]:
    """The published annual procurement plans as open-data rows (no personal data)."""
    rows = (
        PlanLine.objects.filter(is_published=True)
        .select_related("unit")
        .order_by("fiscal_year_be", "quarter", "id")
    )
    return [
        (p.fiscal_year_be, p.unit.name_th, p.title, p.get_category_display(), p.estimated_amount,
         p.get_expected_method_display(), p.quarter)
        for p in rows
    ]  # fmt: skip


def published_awards(*, year_be: int, limit: int = 20) -> list[dict[str, Any]]:
    """The year's procurement results as they are announced to the public (the e-GP/สขร. summary):
    what was bought, how, from whom, for how much, signed when. No tax ID, no internal references."""
    rows = (
        Contract.objects.filter(requisition__fiscal_year_be=year_be)
        .select_related("requisition")
        .order_by("-signed_on", "-id")[:limit]
    )
    return [
        {"title": c.requisition.title, "method": c.requisition.get_method_display(), "vendor": c.vendor_name,
         "amount": c.amount, "signed_on": c.signed_on}
        for c in rows
    ]  # fmt: skip
