"""Tranche, restructuring and write-off pages: refused out of scope and to the wrong role, the
transfer file only to finance staff of the area."""

from __future__ import annotations

from datetime import date

import pytest

from codi.lending import services
from codi.lending.models import ChangeStatus, LoanChange, Tranche
from tests.lending.conftest import make_user
from tests.permissions import signed_in_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def loan(books, people, product, org):
    people["hr"] = make_user("hr_officer")
    loan = services.loan_apply(
        actor=people["officer"], product=product, organization=org, principal="12000", months=3,
        purpose="สร้างบ้าน", applied_on=date(2025, 1, 15),
    )  # fmt: skip
    services.loan_review(actor=people["officer"], loan=loan, decision="pass")
    services.loan_decide(actor=people["committee"], loan=loan, decision="approve")
    return loan


def test_disburse_a_tranche_then_the_next_from_the_page(matrix, people, loan):
    url = f"/lending/loans/{loan.pk}/action/"
    first = {
        "action": "disburse",
        "on": "2025-01-15",
        "amount": "6000",
        "bank_code": "006",
        "account_no": "9801234567",
    }
    matrix.check(lambda c: c.post(url, first), allowed=people["cashier"], wrong_role=people["hr"],
                 out_of_scope=people["south_cashier"], allowed_ok=lambda r: r.status_code == 302)  # fmt: skip
    assert list(Tranche.objects.values_list("n", "amount")) == [(1, 6000)]
    nxt = {"action": "tranche", "on": "2025-02-20", "amount": "6000"}
    matrix.check(lambda c: c.post(url, nxt), allowed=people["cashier"], wrong_role=people["hr"],
                 out_of_scope=people["south_cashier"], allowed_ok=lambda r: r.status_code == 302)  # fmt: skip
    assert Tranche.objects.count() == 2
    # Bad input is a message on the page, never a 500: a tranche above what is left.
    response = signed_in_client(people["cashier"]).post(url, {**nxt, "amount": "abc"}, follow=True)
    assert response.status_code == 200 and Tranche.objects.count() == 2
    page = signed_in_client(people["cashier"]).get(f"/lending/loans/{loan.pk}/").content.decode()
    assert 'id="loan-tranches"' in page and f"{loan.number}-T2" in page
    file_url = f"/lending/loans/{loan.pk}/tranches/2.xml"
    matrix.check(lambda c: c.get(file_url), allowed=people["cashier"], wrong_role=people["hr"],
                 out_of_scope=people["south_cashier"])  # fmt: skip
    assert signed_in_client(people["officer"]).get(file_url).status_code == 403  # reads loans, pays nothing
    body = signed_in_client(people["cashier"]).get(file_url)
    assert body["Content-Type"].startswith("application/xml") and b"pain.001.001.09" in body.content
    assert (
        signed_in_client(people["cashier"]).get(f"/lending/loans/{loan.pk}/tranches/9.xml").status_code == 404
    )


def test_restructure_request_and_decision_from_the_page(matrix, people, loan):
    services.loan_disburse(actor=people["cashier"], loan=loan, disbursed_on=date(2025, 1, 15),
                           bank_code="006", account_no="9801234567")  # fmt: skip
    url = f"/lending/loans/{loan.pk}/action/"
    bad = {
        "action": "change_request",
        "kind": "restructure",
        "on": "2025-05-01",
        "months": "x",
        "reason": "ก",
    }
    response = signed_in_client(people["officer"]).post(url, bad, follow=True)
    assert response.status_code == 200 and not LoanChange.objects.exists()
    ask = {"action": "change_request", "kind": "restructure", "on": "2025-05-01", "months": "6", "rate": "3",
           "reason": "น้ำท่วม"}  # fmt: skip
    matrix.check(lambda c: c.post(url, ask), allowed=people["officer"], wrong_role=people["hr"],
                 out_of_scope=people["south_officer"], allowed_ok=lambda r: r.status_code == 302)  # fmt: skip
    change = LoanChange.objects.get()
    decide = {"action": "change_decide", "change": str(change.pk), "decision": "approve"}
    matrix.check(lambda c: c.post(url, decide), allowed=people["committee"], wrong_role=people["hr"],
                 out_of_scope=people["south_director"], allowed_ok=lambda r: r.status_code == 302)  # fmt: skip
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED
    assert loan.instalments.filter(is_current=True).count() == 6
