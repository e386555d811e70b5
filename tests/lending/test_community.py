"""Baan Mankong housing projects and welfare funds: rules, refusals and the pages' scope."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from stdnum.th import pin

from codi.communities import services as registry
from codi.lending import community, reports
from codi.lending.models_community import CertStatus, Household, MatchingRule
from codi.lending.services import LendingError
from tests.lending.conftest import active_loan, make_user
from tests.permissions import signed_in_client

pytestmark = pytest.mark.django_db
D = Decimal


def person(officer, n, subdistrict="400101"):
    body = f"31006009{n:04d}"
    return registry.person_create(
        actor=officer, national_id=body + pin.calc_check_digit(body), first_name_th=f"สมาชิก{n}",
        last_name_th="บ้านมั่นคง", subdistrict_code=subdistrict,
    )  # fmt: skip


def test_housing_project_households_units_and_subsidies(books, people, product, housing_product, org):
    officer = people["officer"]
    livelihood = active_loan(people, product, org)
    with pytest.raises(LendingError):  # a livelihood loan cannot finance a housing project
        community.housing_project_create(actor=officer, code="BM-1", name_th="บ้านมั่นคงริมคลอง", organization=org,
                                         tenure="coop", households_planned=3, loan=livelihood)  # fmt: skip
    loan = active_loan(people, housing_product, org, principal="600000", months=120)
    project = community.housing_project_create(
        actor=officer, code="BM-1", name_th="บ้านมั่นคงริมคลอง", organization=org, tenure="coop",
        households_planned=3, loan=loan, pms_project_code="P-2568-001",
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        community.housing_project_create(actor=people["south_officer"], code="BM-2", name_th="ก", organization=org,
                                         tenure="lease", households_planned=1)  # fmt: skip
    a, b = person(officer, 1), person(officer, 2)
    first = community.household_add(actor=officer, project=project, person=a, joined_on=date(2025, 2, 1),
                                    plot_no="A-01", area_sqw="20", loan_share="200000")  # fmt: skip
    with pytest.raises(LendingError):  # the plot is taken
        community.household_add(
            actor=officer, project=project, person=b, joined_on=date(2025, 2, 1), plot_no="A-01"
        )
    community.household_add(
        actor=officer, project=project, person=b, joined_on=date(2025, 2, 1), plot_no="A-02"
    )
    other = community.housing_project_create(actor=officer, code="BM-9", name_th="บ้านมั่นคงอีกแห่ง",
                                             organization=org, tenure="lease", households_planned=5)  # fmt: skip
    with pytest.raises(LendingError) as overlap:  # one household, one housing project
        community.household_add(actor=officer, project=other, person=a, joined_on=date(2025, 3, 1))
    assert "BM-1" in overlap.value.message_en and Household.objects.filter(person=a).count() == 1
    community.unit_stage_set(actor=officer, plot=first.plot, stage="structure", on=date(2025, 5, 1))
    with pytest.raises(LendingError):  # never backwards
        community.unit_stage_set(actor=officer, plot=first.plot, stage="foundation", on=date(2025, 6, 1))
    community.subsidy_rule_set(
        actor=None, kind="infrastructure", per_household="25000", effective_from=date(2020, 1, 1)
    )
    community.subsidy_rule_set(
        actor=None, kind="housing", per_household="20000", effective_from=date(2020, 1, 1)
    )
    figures = community.project_figures(project, date(2025, 6, 1))
    # 2 households × (25,000 infrastructure + 20,000 housing + 0 relocation) = 90,000.00.
    assert figures.households == 2 and figures.units_by_stage["structure"] == 1
    assert figures.subsidies == {"infrastructure": D("50000"), "housing": D("40000"), "relocation": D("0.00")}
    assert figures.subsidy_total == D("90000.00")
    people["hr"] = make_user("hr_officer")
    page = signed_in_client(officer).get(f"/lending/housing/?id={project.pk}").content.decode()
    assert "บ้านมั่นคงริมคลอง" in page and "A-01" in page and 'id="housing-households"' in page
    assert (
        signed_in_client(people["south_officer"]).get(f"/lending/housing/?id={project.pk}").status_code == 404
    )
    assert (
        "บ้านมั่นคงริมคลอง"
        not in signed_in_client(people["south_officer"]).get("/lending/housing/").content.decode()
    )
    assert signed_in_client(people["hr"]).get("/lending/housing/").status_code == 403


def test_welfare_fund_contributions_benefits_matching_and_certification(books, people, org):
    officer = people["officer"]
    fund = community.welfare_fund_create(actor=officer, organization=org, name_th="กองทุนสวัสดิการชุมชนตำบลในเมือง",
                                         founded_on=date(2010, 1, 1), monthly_contribution="30")  # fmt: skip
    members = [community.welfare_member_add(actor=officer, fund=fund, person=person(officer, n),
                                            joined_on=date(2024, 1, 1)) for n in (11, 12)]  # fmt: skip
    for month in range(1, 13):  # 2 members × 12 months × 30.00 = 720.00 in 2024
        for m in members:
            community.contribution_record(actor=officer, member=m, month=date(2024, month, 15), amount="30")
    with pytest.raises(LendingError):  # the same month twice
        community.contribution_record(actor=officer, member=members[0], month=date(2024, 1, 1), amount="30")
    MatchingRule.objects.create(effective_from=date(2020, 1, 1), rate=D("1.00"), cap_per_member=D("365"))
    # min(720.00 × 1.00, 2 members × 365.00 = 730.00) = 720.00
    assert community.matching_contribution(fund, 2024) == D("720.00")
    MatchingRule.objects.create(effective_from=date(2024, 1, 1), rate=D("1.00"), cap_per_member=D("300"))
    assert community.matching_contribution(fund, 2024) == D("600.00")  # capped: 2 × 300.00
    with pytest.raises(LendingError):  # more than the fund holds (720.00)
        community.benefit_pay(
            actor=officer, member=members[0], stage="sickness", paid_on=date(2025, 1, 5), amount="721"
        )
    community.benefit_pay(
        actor=officer, member=members[0], stage="birth", paid_on=date(2025, 1, 5), amount="500"
    )
    assert community.fund_balance(fund) == D("220.00")
    with pytest.raises(PermissionDenied):  # the officer records; certification is the approver's
        community.certification_decide(actor=officer, fund=fund, year_be=2567, evidence={})
    partial = {k: "มีหลักฐาน" for k in community.CHECKLIST}
    partial["accounts"] = ""
    cert = community.certification_decide(
        actor=people["committee"], fund=fund, year_be=2567, evidence=partial
    )
    assert cert.status == CertStatus.NOT_CERTIFIED
    full = {k: "รายงานการประชุม" for k in community.CHECKLIST}
    figures = dict.fromkeys(reports.AMOUNTS, "0")
    figures.update(members_0_14="0", members_15_59="1", members_60_plus="1", contributions="720")
    reports.report_submit(actor=officer, fund=fund, year_be=2568, figures=figures)
    assert community.certification_decide(
        actor=people["committee"], fund=fund, year_be=2568, evidence=full
    ).status == (CertStatus.CERTIFIED)
    with pytest.raises(LendingError):
        community.certification_decide(actor=people["committee"], fund=fund, year_be=2568, evidence=full)
    page = signed_in_client(officer).get(f"/lending/welfare/?id={fund.pk}").content.decode()
    assert 'id="fund-balance">220.00' in page and "กองทุนสวัสดิการชุมชนตำบลในเมือง" in page
    assert signed_in_client(people["south_officer"]).get(f"/lending/welfare/?id={fund.pk}").status_code == 404


def test_housing_and_welfare_pages_read_as_thai_to_the_crawler(books, people, housing_product, org):
    from tests.crawl.crawler import ALLOWED_WORDS, page_findings

    officer = people["officer"]
    loan = active_loan(people, housing_product, org, principal="600000", months=120)
    project = community.housing_project_create(actor=officer, code="BM-1", name_th="บ้านมั่นคงริมคลอง",
                                               organization=org, tenure="lease", households_planned=2, loan=loan)  # fmt: skip
    household = community.household_add(actor=officer, project=project, person=person(officer, 31),
                                        joined_on=date(2025, 2, 1), plot_no="1", area_sqw="20")  # fmt: skip
    assert household.plot is not None
    community.unit_stage_set(actor=officer, plot=household.plot, stage="roof", on=date(2025, 5, 1))
    fund = community.welfare_fund_create(actor=officer, organization=org, name_th="กองทุนสวัสดิการ",
                                         founded_on=date(2010, 1, 1), monthly_contribution="30")  # fmt: skip
    member = community.welfare_member_add(
        actor=officer, fund=fund, person=person(officer, 32), joined_on=date(2024, 1, 1)
    )
    community.contribution_record(actor=officer, member=member, month=date(2024, 1, 1), amount="30")
    community.benefit_pay(
        actor=officer, member=member, stage="sickness", paid_on=date(2024, 2, 1), amount="20"
    )
    community.certification_decide(actor=people["committee"], fund=fund, year_be=2567, evidence={})
    usernames = {u.username for u in people.values()}
    findings = []
    for url in ("/lending/housing/", f"/lending/housing/?id={project.pk}", "/lending/welfare/",
                f"/lending/welfare/?id={fund.pk}", f"/lending/loans/{loan.pk}/"):  # fmt: skip
        html = signed_in_client(officer).get(url).content.decode()
        findings += page_findings(url, html, usernames=usernames, allowed=ALLOWED_WORDS)
    assert findings == []


def test_privacy_collector_finds_and_keeps_the_persons_housing_and_welfare_rows(books, people, org):
    from codi.core.personaldata import KEEP, Subject
    from codi.lending.privacy import LendingCollector

    officer = people["officer"]
    someone = person(officer, 41)
    project = community.housing_project_create(actor=officer, code="BM-P", name_th="บ้านมั่นคง", organization=org,
                                               tenure="lease", households_planned=1)  # fmt: skip
    community.household_add(actor=officer, project=project, person=someone, joined_on=date(2025, 1, 1),
                            plot_no="9", area_sqw="20", loan_share="1000")  # fmt: skip
    fund = community.welfare_fund_create(actor=officer, organization=org, name_th="กองทุน",
                                         founded_on=date(2010, 1, 1), monthly_contribution="30")  # fmt: skip
    member = community.welfare_member_add(
        actor=officer, fund=fund, person=someone, joined_on=date(2024, 1, 1)
    )
    community.contribution_record(actor=officer, member=member, month=date(2024, 1, 1), amount="30")
    data = LendingCollector().collect(Subject.of(someone))
    assert data["lending.Household"] == [{"project": "บ้านมั่นคง", "plot": "9", "loan_share": "1000.00",
                                          "joined_on": "2025-01-01"}]  # fmt: skip
    assert data["lending.Contribution"] == [{"month": "2024-01-01", "amount": "30.00"}]
    outcomes = LendingCollector().erase(Subject.of(someone), dry_run=True)
    assert [(o.dataset, o.action) for o in outcomes] == [
        ("lending.Household", KEEP),
        ("lending.WelfareMember", KEEP),
    ]
    assert LendingCollector().collect(Subject.of(person(officer, 42)))["lending.Household"] == []
