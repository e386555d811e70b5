"""Loan applications from the community portal: a community organization's representative (a
community-leader account acting for the organization, ``codi.projects`` portal accounts) applies
for a loan; it lands at the credit officer's review step like an application entered by staff
(the officer's inbox), with the same product rules. The representative sees the organization's
loans and what is due, nothing of other organizations'.

Repayment by Thai QR: for each active loan the portal shows the next instalment to pay (the oldest
one not paid in full, with any penalty charged on it) and a link to its QR page: a one-time Thai QR
bill payment (EMVCo tag 30, ``codi.finance.epayment.billpayment_payload``) to CODI's biller ID
(``settings.LENDING_BILLER_ID``) with Ref1 = the loan number without its hyphen (``qr_ref1``; the
bank's notice is matched back by ``services.qr_payment_receive``) and Ref2 = the instalment number.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from codi.communities.models import Organization
from codi.finance import epayment
from codi.lending import selectors, services
from codi.lending.models import ZERO, Instalment, Loan, LoanProduct, LoanStatus
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


# --- repayment by Thai QR ------------------------------------------------------------------------


def qr_ref1(loan: Loan) -> str:
    """The loan number as QR Ref1 (A-Z and 0-9 only): L2568-000123 → L2568000123."""
    return loan.number.replace("-", "")


@dataclass(frozen=True)
class NextDue:
    loan: Loan
    instalment: Instalment
    amount: Decimal  # what is left of the instalment, with any penalty charged on it
    ref1: str
    ref2: str
    payload: str  # the Thai QR payload; "" when no biller ID is configured

    @property
    def overdue(self) -> bool:
        return self.instalment.due_date < timezone.localdate()


def next_due(loan: Loan) -> NextDue | None:
    """The instalment the borrower pays next (``None`` for a loan that is not active or owes nothing)."""
    if loan.status != LoanStatus.ACTIVE:
        return None
    for inst in loan.instalments.filter(is_current=True).order_by("n"):
        amount = inst.unpaid + max(inst.penalty_charged - inst.penalty_paid, ZERO)
        if amount > 0:
            ref1, ref2 = qr_ref1(loan), str(inst.n)
            biller = getattr(settings, "LENDING_BILLER_ID", "")
            payload = (
                epayment.billpayment_payload(biller_id=biller, ref1=ref1, ref2=ref2, amount=amount)
                if biller
                else ""
            )
            return NextDue(loan, inst, amount, ref1, ref2, payload)
    return None


def portal_next_dues(user: Any) -> dict[int, NextDue]:
    """Loan id → next instalment, for the active loans of the organizations the user acts for."""
    out: dict[int, NextDue] = {}
    for loan in portal_loans(user).filter(status=LoanStatus.ACTIVE)[:50]:
        due = next_due(loan)
        if due is not None:
            out[loan.pk] = due
    return out


def portal_loan(user: Any, loan_id: int) -> Loan:
    """One loan of an organization the user acts for; any other is 404 (its existence is not shown)."""
    loan = portal_loans(user).filter(pk=loan_id).first()
    if loan is None:
        raise Http404
    return loan
