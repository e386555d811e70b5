"""A community organization's representative applies for a loan through the portal; it lands at
the credit officer's review step; other organizations' representatives and staff are refused."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from codi.core.models import AuditEntry
from codi.finance import epayment
from codi.lending import portal, selectors, services
from codi.lending.models import Loan, LoanStatus
from tests.factories import OrganizationFactory
from tests.lending.conftest import active_loan
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


def test_the_portal_shows_the_next_instalment_with_a_thai_qr(matrix, books, people, product, org, settings):
    settings.LENDING_BILLER_ID = "099400015836100"
    loan = active_loan(people, product, org)  # 12,000 over 3 months from 15 Jan 2025, equal principal, 6 %
    leader = leader_for(org)
    other = leader_for(OrganizationFactory(subdistrict_id="900101"))
    due = portal.next_due(loan)
    # Instalment 1 (15 Feb 2025): principal 12,000 / 3 = 4,000.00; interest 12,000 × 6 % / 12 = 60.00.
    ref1 = loan.number.replace("-", "")
    assert (due.instalment.n, due.amount, due.ref1, due.ref2) == (1, Decimal("4060.00"), ref1, "1")
    fields = epayment.parse_tlv(due.payload)  # EMVCo fields, CRC checked
    assert (fields["01"], fields["53"], fields["54"], fields["58"]) == ("12", "764", "4060.00", "TH")
    assert fields["30"] == "0016A0000006770101120115099400015836100" + f"02{len(ref1):02d}{ref1}03011"
    url = f"/lending/portal/loans/{loan.pk}/qr/"
    # Staff without a portal account and another organization's representative are refused.
    matrix.check(lambda c: c.get(url), allowed=leader, wrong_role=people["officer"], out_of_scope=other)
    page = signed_in_client(leader).get("/lending/portal/").content.decode()
    assert f'href="{url}"' in page and "4,060.00" in page
    assert url not in signed_in_client(other).get("/lending/portal/").content.decode()
    html = signed_in_client(leader).get(url).content.decode()
    assert due.payload in html and "<svg" in html and 'id="qr-ref1"' in html
    # The bank's notice for that QR comes back with Ref1 as printed and is matched to this loan.
    notice = services.qr_payment_receive(actor=people["cashier"], transaction_id="KTB-1", ref1=due.ref1,
                                         ref2=due.ref2, amount=due.amount, received_on=date(2025, 2, 15))  # fmt: skip
    assert notice.status == "matched" and notice.repayment.loan_id == loan.pk
    # Next: instalment 2 (15 Mar 2025): 4,000.00 + 8,000 × 0.5 % = 40.00 → 4,040.00, overdue by now.
    following = portal.next_due(loan)
    assert (following.instalment.n, following.amount, following.overdue) == (2, Decimal("4040.00"), True)
    # A Ref1 that only looks like a loan number is queued for a person, never guessed.
    queued = services.qr_payment_receive(actor=people["cashier"], transaction_id="KTB-2", ref1="L2568999999",
                                         ref2="1", amount="10", received_on=date(2025, 2, 16))  # fmt: skip
    assert queued.status == "queued" and queued.repayment is None
    # Without a configured biller ID the page shows the references and no code.
    settings.LENDING_BILLER_ID = ""
    html = signed_in_client(leader).get(url).content.decode()
    assert 'id="qr-unavailable"' in html and 'id="qr-code"' not in html and following.ref1 in html
