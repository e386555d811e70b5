"""Lending API for tranches, schedule changes, housing projects and welfare funds: each endpoint
refuses anonymous, wrong-role and out-of-scope callers; bad input is a 422 with nothing written."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from stdnum.th import pin

from codi.communities import services as registry
from codi.lending import community, services
from codi.lending import reports as lending_reports
from codi.lending.models import ChangeStatus, LoanChange, LoanStatus, Tranche
from tests.lending.conftest import make_user
from tests.permissions import signed_in_client

pytestmark = pytest.mark.django_db


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.fixture
def loan(books, people, product, org):
    people["hr"] = make_user("hr_officer")
    loan = services.loan_apply(
        actor=people["officer"], product=product, organization=org, principal="12000", months=3,
        purpose="สร้างบ้าน", applied_on=date(2025, 1, 15),
    )  # fmt: skip
    services.loan_review(actor=people["officer"], loan=loan, decision="pass")
    services.loan_decide(actor=people["committee"], loan=loan, decision="approve")
    return services.loan_disburse(actor=people["cashier"], loan=loan, disbursed_on=date(2025, 1, 15),
                                  amount="6000", bank_code="006", account_no="9801234567")  # fmt: skip


def check(matrix, people, call, allowed, out_of_scope, **kw):
    matrix.check(
        call, allowed=people[allowed], wrong_role=people["hr"], out_of_scope=people[out_of_scope], **kw
    )


def test_tranches_list_and_pay(matrix, people, loan):
    url = f"/api/v1/lending/loans/{loan.pk}/tranches"
    check(matrix, people, lambda c: c.get(url), "officer", "south_officer")
    rows = json.loads(signed_in_client(people["officer"]).get(url).content)
    assert [(r["n"], r["amount"]) for r in rows] == [(1, "6000.00")]
    cashier = signed_in_client(people["cashier"])
    too_much = post(cashier, url, {"amount": "7000.00", "paid_on": "2025-02-20"})  # 6,000 left of 12,000
    assert too_much.status_code == 422 and Tranche.objects.count() == 1
    assert post(cashier, url, {"amount": "-1", "paid_on": "2025-02-20"}).status_code == 422
    check(matrix, people, lambda c: post(c, url, {"amount": "6000.00", "paid_on": "2025-02-20"}),
          "cashier", "south_cashier", allowed_ok=lambda r: r.status_code == 201)  # fmt: skip
    # The credit officer reads the loan but pays nothing.
    assert (
        post(signed_in_client(people["officer"]), url, {"amount": "1", "paid_on": "2025-02-21"}).status_code
        == 403
    )
    assert list(Tranche.objects.values_list("n", "amount")) == [
        (1, Decimal("6000.00")),
        (2, Decimal("6000.00")),
    ]


def test_restructure_request_and_decision(matrix, people, loan):
    url = f"/api/v1/lending/loans/{loan.pk}/changes"
    lower = {
        "kind": "restructure",
        "effective_on": "2025-05-01",
        "reason": "น้ำท่วม",
        "months": 6,
        "annual_rate": "3",
        "new_principal": "1000.00",
    }  # lower principal without a write-off
    officer = signed_in_client(people["officer"])
    refused = post(officer, url, lower)
    assert refused.status_code == 422 and "ตัดหนี้สูญ" in json.loads(refused.content)["detail"]
    ask = {
        "kind": "restructure",
        "effective_on": "2025-05-01",
        "reason": "น้ำท่วม",
        "months": 6,
        "annual_rate": "3",
    }
    check(matrix, people, lambda c: post(c, url, ask), "officer", "south_officer",
          allowed_ok=lambda r: r.status_code == 201)  # fmt: skip
    change = LoanChange.objects.get()
    assert change.outstanding == Decimal("6000.00") and change.status == ChangeStatus.PENDING
    check(matrix, people, lambda c: c.get(url), "officer", "south_officer")
    assert json.loads(officer.get(url).content)[0]["id"] == change.pk
    decide = f"{url}/{change.pk}/decision"
    # The officer who asked holds no lending.approve; the approver decides.
    assert post(officer, decide, {"decision": "approve"}).status_code == 403
    assert post(signed_in_client(people["committee"]), decide, {"decision": "maybe"}).status_code == 422
    check(matrix, people, lambda c: post(c, decide, {"decision": "approve"}), "committee", "south_director")
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED and change.decided_by == people["committee"]
    again = post(signed_in_client(people["committee"]), decide, {"decision": "reject", "comment": "ไม่"})
    assert again.status_code == 422  # already decided
    assert (
        post(
            signed_in_client(people["committee"]), f"{url}/999999/decision", {"decision": "approve"}
        ).status_code
        == 404
    )


def test_write_off_request_ends_the_loan_once_approved(people, loan):
    url = f"/api/v1/lending/loans/{loan.pk}/changes"
    created = post(signed_in_client(people["officer"]), url,
                   {"kind": "write_off", "effective_on": "2025-06-01", "reason": "องค์กรเลิกกิจการ"})  # fmt: skip
    assert created.status_code == 201 and json.loads(created.content)["write_off"] == "6000.00"
    done = post(signed_in_client(people["committee"]), f"{url}/{json.loads(created.content)['id']}/decision",
                {"decision": "approve"})  # fmt: skip
    assert done.status_code == 200
    loan.refresh_from_db()
    assert loan.status == LoanStatus.WRITTEN_OFF


def _person(officer, n):
    body = f"31006019{n:04d}"
    return registry.person_create(
        actor=officer, national_id=body + pin.calc_check_digit(body), first_name_th=f"สมาชิก{n}",
        last_name_th="กองทุน", subdistrict_code="400101",
    )  # fmt: skip


def test_housing_projects_and_welfare_funds(matrix, people, org):
    people["hr"] = make_user("hr_officer")
    officer = people["officer"]
    project = community.housing_project_create(actor=officer, code="BM-API", name_th="บ้านมั่นคงทดสอบ",
                                               organization=org, tenure="coop", households_planned=2)  # fmt: skip
    community.household_add(actor=officer, project=project, person=_person(officer, 1), joined_on=date(2025, 2, 1),
                            plot_no="A-01", area_sqw="20", loan_share="150000")  # fmt: skip
    fund = community.welfare_fund_create(actor=officer, organization=org, name_th="กองทุนสวัสดิการทดสอบ",
                                         founded_on=date(2020, 1, 1), monthly_contribution="30")  # fmt: skip
    member = community.welfare_member_add(
        actor=officer, fund=fund, person=_person(officer, 2), joined_on=date(2024, 1, 1)
    )
    community.contribution_record(actor=officer, member=member, month=date(2024, 1, 1), amount="30")
    community.contribution_record(actor=officer, member=member, month=date(2024, 2, 1), amount="30")
    community.benefit_pay(
        actor=officer, member=member, stage="sickness", paid_on=date(2024, 3, 1), amount="20"
    )

    def absent(pk):
        return lambda r: r.status_code == 200 and pk not in [i["id"] for i in json.loads(r.content)["items"]]

    for url, pk in (
        ("/api/v1/lending/housing-projects", project.pk),
        ("/api/v1/lending/welfare-funds", fund.pk),
    ):
        matrix.check(lambda c, url=url: c.get(url), allowed=officer, wrong_role=people["hr"],
                     out_of_scope=people["south_officer"], refused=lambda r, pk=pk: r.status_code == 403 or absent(pk)(r),
                     allowed_ok=lambda r, pk=pk: r.status_code == 200 and not absent(pk)(r))  # fmt: skip
    detail = f"/api/v1/lending/housing-projects/{project.pk}"
    check(matrix, people, lambda c: c.get(detail), "officer", "south_officer")
    body = json.loads(signed_in_client(officer).get(detail).content)
    assert body["households"] == 1 and body["household_rows"][0]["plot_no"] == "A-01"
    assert body["household_rows"][0]["loan_share"] == "150000.00" and "first_name_th" not in json.dumps(body)
    assert [st["phase"] for st in body["stages"]] == ["survey", "design", "loan", "build", "handover"]
    assert body["stages"][0]["is_current"] and not body["stages"][0]["reached_on"]
    fund_url = f"/api/v1/lending/welfare-funds/{fund.pk}?year=2024"
    check(matrix, people, lambda c: c.get(fund_url), "officer", "south_officer")
    figures = dict.fromkeys(("members_0_14", "members_15_59", "members_60_plus"), "3") | dict.fromkeys(
        ("contributions", "other_income", "benefit_birth", "benefit_sickness", "benefit_old_age",
         "benefit_death", "running_costs"), "100"
    )  # fmt: skip
    lending_reports.report_submit(actor=officer, fund=fund, year_be=2567, figures=figures)
    body = json.loads(signed_in_client(officer).get(fund_url).content)
    assert body["balance"] == "40.00" and body["members"] == 1 and body["matching_year"] == 2024
    assert [(r["year_be"], r["members_60_plus"], r["running_costs"]) for r in body["annual_reports"]] == [
        (2567, 3, "100.00")
    ]
    assert signed_in_client(officer).get("/api/v1/lending/welfare-funds/999999").status_code == 404
