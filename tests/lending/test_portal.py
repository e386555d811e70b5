"""A community organization's representative applies for a loan through the portal; it lands at
the credit officer's review step; other organizations' representatives and staff are refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from codi.core.models import AuditEntry
from codi.lending import portal, selectors
from codi.lending.models import Loan, LoanStatus
from tests.factories import OrganizationFactory
from tests.permissions import signed_in_client
from tests.projects.factories import leader_for

pytestmark = pytest.mark.django_db


def test_representative_applies_and_the_officer_sees_it(matrix, books, people, product, org):
    leader = leader_for(org)
    other = leader_for(OrganizationFactory())
    url = "/lending/portal/"
    form = {"organization": str(org.pk), "product": str(product.pk), "principal": "50000", "months": "24",
            "purpose": "ทุนหมุนเวียนกลุ่มทอผ้า"}  # fmt: skip
    # Staff without a portal account and a representative of another organization are refused.
    matrix.check(lambda c: c.get(url), allowed=leader, wrong_role=people["officer"], out_of_scope=None)
    matrix.check(lambda c: c.post(url, form), allowed=leader, wrong_role=people["officer"], out_of_scope=other,
                 allowed_ok=lambda r: r.status_code == 302)  # fmt: skip
    loan = Loan.objects.get()
    assert (loan.organization, loan.status, loan.current_step, loan.created_by) == (
        org, LoanStatus.REVIEW, "review", leader,
    )  # fmt: skip
    assert loan in selectors.credit_inbox(actor=people["officer"])
    assert loan not in selectors.credit_inbox(actor=people["south_officer"])
    assert AuditEntry.objects.filter(action="lending.portal_apply", object_id=str(loan.pk)).count() == 1
    page = signed_in_client(leader).get(url).content.decode()
    assert loan.number in page
    assert loan.number not in signed_in_client(other).get(url).content.decode()
    # Out of the product's range: a message on the form, nothing written.
    too_big = signed_in_client(leader).post(url, {**form, "principal": "99999999"})
    assert too_big.status_code == 200 and Loan.objects.count() == 1
    assert signed_in_client(leader).post(url, {**form, "product": "x"}).status_code == 200
    assert Loan.objects.count() == 1
    with pytest.raises(PermissionDenied):
        portal.portal_apply(actor=other, organization_id=org.pk, product=product, principal="50000", months=24,
                            purpose="ก")  # fmt: skip
