"""Loan applications from the community portal: a community organization's representative (a
community-leader account acting for the organization, ``codi.projects`` portal accounts) applies
for a loan; it lands at the credit officer's review step like an application entered by staff
(the officer's inbox), with the same product rules. The representative sees the organization's
loans and what is due, nothing of other organizations'."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone

from codi.communities.models import Organization
from codi.lending import selectors, services
from codi.lending.models import Loan, LoanProduct
from codi.projects.selectors import portal_organization_ids


def portal_organizations(user: Any) -> QuerySet[Organization]:
    return Organization.objects.filter(pk__in=portal_organization_ids(user)).order_by("name_th")


def acts_for(user: Any, organization_id: int) -> bool:
    """Whether the user's portal account acts for the organization."""
    return organization_id in portal_organization_ids(user)


def can_use_portal(user: Any) -> bool:
    return bool(portal_organization_ids(user))


def portal_loans(user: Any) -> QuerySet[Loan]:
    return (
        Loan.objects.filter(organization_id__in=portal_organization_ids(user))
        .select_related("product", "organization")
        .order_by("-applied_on", "-pk")
    )


def portal_apply(
    *,
    actor: Any,
    organization_id: int,
    product: LoanProduct,
    principal: Decimal | str,
    months: int | str,
    purpose: str,
    collateral: str = "",
    guarantee: str = "",
) -> Loan:
    """Apply for ``organization_id``, which the actor's portal account must act for (else 403)."""
    if organization_id not in portal_organization_ids(actor):
        raise PermissionDenied
    organization = Organization.objects.get(pk=organization_id)
    return services.loan_create(
        actor=actor, product=product, organization=organization, principal=principal, months=months,
        purpose=purpose, applied_on=timezone.localdate(), collateral=collateral, guarantee=guarantee,
        action="lending.portal_apply",
    )  # fmt: skip


def products() -> QuerySet[LoanProduct]:
    return selectors.product_list().order_by("code")
