"""Baan Mankong project stages and welfare funds' annual reports: rules, refusals, audit, scope."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation
from django.utils.html import escape

from codi.core.models import AuditEntry
from codi.lending import community, reports
from codi.lending.models_community import CertStatus
from codi.lending.models_reports import Phase, ProjectStage, WelfareReport
from codi.lending.services import LendingError
from tests.factories import OrganizationFactory
from tests.lending.conftest import active_loan, make_user
from tests.permissions import signed_in_client
from tests.projects.factories import leader_for

pytestmark = pytest.mark.django_db
D = Decimal


def thai(label) -> str:
    """A label as a Thai page shows it."""
    with translation.override("th"):
        return escape(str(label))


FIGURES = {
    "members_0_14": "12", "members_15_59": "30", "members_60_plus": "8", "contributions": "18,000.00",
    "other_income": "2000", "benefit_birth": "1000", "benefit_sickness": "3500", "benefit_old_age": "4800",
    "benefit_death": "6000", "running_costs": "700.50",
}  # fmt: skip


def test_project_stages_run_in_order_and_the_current_one_is_the_first_not_reached(
    books, people, housing_product, org
):
    officer = people["officer"]
    project = community.housing_project_create(actor=officer, code="BM-S", name_th="บ้านมั่นคงริมคลอง",
                                               organization=org, tenure="coop", households_planned=4)  # fmt: skip
    assert reports.current_phase([]) == "survey"
    reports.stage_plan(actor=officer, project=project, phase="design", planned_on=date(2025, 3, 1))
    with pytest.raises(LendingError):  # design before the survey
        reports.stage_reach(actor=officer, project=project, phase="design", reached_on=date(2025, 3, 1))
    with pytest.raises(PermissionDenied):  # another region's officer
        reports.stage_reach(
            actor=people["south_officer"], project=project, phase="survey", reached_on=date(2025, 1, 10)
        )
    with pytest.raises(LendingError):  # not in the future
        reports.stage_reach(actor=officer, project=project, phase="survey",
                            reached_on=timezone.localdate() + timedelta(days=1))  # fmt: skip
    reports.stage_reach(actor=officer, project=project, phase="survey", reached_on=date(2025, 1, 10))
    again = reports.stage_reach(actor=officer, project=project, phase="survey", reached_on=date(2025, 1, 10))
    assert ProjectStage.objects.filter(project=project).count() == 2 and again.reached_on == date(2025, 1, 10)
    with pytest.raises(LendingError):  # before the survey was reached
        reports.stage_reach(actor=officer, project=project, phase="design", reached_on=date(2025, 1, 9))
    reports.stage_reach(actor=officer, project=project, phase="design", reached_on=date(2025, 3, 5))
    with pytest.raises(LendingError):  # a reached stage keeps its plan
        reports.stage_plan(actor=officer, project=project, phase="design", planned_on=date(2025, 4, 1))
    with pytest.raises(LendingError):  # the loan stage needs a disbursed housing loan
        reports.stage_reach(actor=officer, project=project, phase="loan", reached_on=date(2025, 4, 1))
    rows = reports.stage_rows(project)
    assert [(r.phase, r.is_current) for r in rows] == [
        ("survey", False), ("design", False), ("loan", True), ("build", False), ("handover", False)
    ]  # fmt: skip
    assert rows[1].planned_on == date(2025, 3, 1) and rows[1].reached_on == date(2025, 3, 5)
    project.loan = active_loan(people, housing_product, org, principal="600000", months=120,
                               start=date(2025, 4, 1))  # fmt: skip
    project.save()
    for phase, day in (
        ("loan", date(2025, 4, 1)),
        ("build", date(2025, 6, 1)),
        ("handover", date(2025, 12, 1)),
    ):
        reports.stage_reach(actor=officer, project=project, phase=phase, reached_on=day)
    assert reports.current_phase(project.stages.all()) is None
    assert (
        AuditEntry.objects.filter(action="lending.project_stage_reach", object_id=str(project.pk)).count()
        == 5
    )


def test_welfare_report_filed_once_a_year_and_read_by_certification(books, people, org):
    officer, committee = people["officer"], people["committee"]
    fund = community.welfare_fund_create(actor=officer, organization=org, name_th="กองทุนสวัสดิการตำบล",
                                         founded_on=date(2015, 6, 1), monthly_contribution="30")  # fmt: skip
    with pytest.raises(PermissionDenied):  # outside the area, and no portal account of the organization
        reports.report_submit(actor=people["south_officer"], fund=fund, year_be=2567, figures=FIGURES)
    for bad, field in (({"members_0_14": "-1"}, "members"), ({"contributions": "1.234"}, "amount"),
                       ({"benefit_death": "abc"}, "amount")):  # fmt: skip
        with pytest.raises(LendingError) as refused:
            reports.report_submit(actor=officer, fund=fund, year_be=2567, figures={**FIGURES, **bad})
        assert field in refused.value.message_en.lower()
    with pytest.raises(LendingError):  # before the fund was founded (2558)
        reports.report_submit(actor=officer, fund=fund, year_be=2557, figures=FIGURES)
    with pytest.raises(LendingError):  # a year not yet begun
        reports.report_submit(
            actor=officer, fund=fund, year_be=timezone.localdate().year + 544, figures=FIGURES
        )
    assert not WelfareReport.objects.exists()
    report = reports.report_submit(actor=officer, fund=fund, year_be=2567, figures=FIGURES)
    # 12 + 30 + 8 = 50 members; income 18,000 + 2,000 = 20,000.00;
    # spending 1,000 + 3,500 + 4,800 + 6,000 + 700.50 = 16,000.50; surplus 3,999.50.
    assert (report.members, report.income, report.spending, report.surplus) == (
        50,
        D("20000.00"),
        D("16000.50"),
        D("3999.50"),
    )
    # 12/50 = 24.00 %, 30/50 = 60.00 %, 8/50 = 16.00 %
    assert reports.age_shares(report) == {"members_0_14": D("24.00"), "members_15_59": D("60.00"),
                                          "members_60_plus": D("16.00")}  # fmt: skip
    assert reports.report_submit(actor=officer, fund=fund, year_be=2567, figures=FIGURES).pk == report.pk
    with pytest.raises(LendingError):  # different figures for a filed year
        reports.report_submit(
            actor=officer, fund=fund, year_be=2567, figures={**FIGURES, "running_costs": "1"}
        )
    assert WelfareReport.objects.get().running_costs == D("700.50")
    assert AuditEntry.objects.filter(action="lending.welfare_report_submit").count() == 1
    everything = {k: "มีหลักฐาน" for k in community.CHECKLIST}
    without = community.certification_decide(actor=committee, fund=fund, year_be=2566, evidence=everything)
    assert without.status == CertStatus.NOT_CERTIFIED and without.evidence["report"] == ""  # no 2566 report
    cert = community.certification_decide(actor=committee, fund=fund, year_be=2567, evidence=everything)
    assert cert.status == CertStatus.CERTIFIED
    assert "สมาชิก 50 คน" in cert.evidence["report"] and "16,000.50" in cert.evidence["report"]


def test_welfare_report_page_files_shows_and_refuses_outside_the_area(books, people, org):
    officer = people["officer"]
    fund = community.welfare_fund_create(actor=officer, organization=org, name_th="กองทุนสวัสดิการตำบล",
                                         founded_on=date(2015, 6, 1), monthly_contribution="30")  # fmt: skip
    url = f"/lending/welfare/?id={fund.pk}"
    client = signed_in_client(officer)
    page = client.get(url).content.decode()
    assert 'id="welfare-report-form"' in page and 'id="welfare-report-table"' in page
    bad = client.post(url, {**FIGURES, "year_be": "2567", "contributions": "12x"})
    html = bad.content.decode()
    assert bad.status_code == 200 and 'id="wr-contributions-error"' in html and 'value="12x"' in html
    assert 'value="700.50"' in html and 'value="2000"' in html  # the other inputs kept as typed
    assert not WelfareReport.objects.exists()
    done = client.post(url, {**FIGURES, "year_be": "2567"})
    assert done.status_code == 302 and WelfareReport.objects.get().members == 50
    table = client.get(url).content.decode()
    table = table[table.index('id="welfare-report-table"') :]
    table = table[: table.index("</table>")]
    # 2567: benefits 1,000 + 3,500 + 4,800 + 6,000 = 15,300.00; surplus 20,000.00 - 16,000.50 = 3,999.50
    assert all(text in table for text in ("2567", "12 (24.00 %)", "20,000.00", "15,300.00", "3,999.50"))
    clash = client.post(url, {**FIGURES, "year_be": "2567", "running_costs": "1"}).content.decode()
    assert 'id="wr-year_be-error"' in clash and WelfareReport.objects.count() == 1
    # Outside the area: the fund is not found; an approver of the area reads but may not file.
    south = signed_in_client(people["south_officer"])
    assert south.get(url).status_code == 404
    assert south.post(url, {**FIGURES, "year_be": "2566"}).status_code == 404
    committee = signed_in_client(people["committee"])
    assert 'id="welfare-report-form"' not in committee.get(url).content.decode()
    assert committee.post(url, {**FIGURES, "year_be": "2566"}).status_code == 403
    assert signed_in_client(make_user("hr_officer")).get(url).status_code == 403
    assert WelfareReport.objects.count() == 1


def test_housing_page_shows_the_current_stage_and_records_stages_in_the_area(
    books, people, housing_product, org
):
    officer = people["officer"]
    loan = active_loan(people, housing_product, org, principal="600000", months=120, start=date(2025, 4, 1))
    project = community.housing_project_create(actor=officer, code="BM-P1", name_th="บ้านมั่นคงริมคลอง",
                                               organization=org, tenure="coop", households_planned=4, loan=loan)  # fmt: skip
    reports.stage_reach(actor=officer, project=project, phase="survey", reached_on=date(2025, 1, 10))
    url = f"/lending/housing/?id={project.pk}"
    client = signed_in_client(officer)
    listing = client.get("/lending/housing/").content.decode()
    assert f'class="current-stage">{thai(Phase.DESIGN.label)}<' in listing
    bad = client.post(url, {"phase": "build", "what": "reach", "on": "2025-06-01", "note": "เสาเข็ม"})
    html = bad.content.decode()
    assert bad.status_code == 200 and 'id="hs-error"' in html and 'value="เสาเข็ม"' in html
    assert client.post(url, {"phase": "design", "what": "reach", "on": "2025-03-01"}).status_code == 302
    assert client.post(url, {"phase": "build", "what": "plan", "on": "2025-08-01"}).status_code == 302
    page = client.get(url).content.decode()
    stages = page[page.index('id="housing-project-stages"') :]
    stages = stages[: stages.index("</ol>")]
    current = stages[stages.index('aria-current="step"') :]
    assert current.startswith(
        f'aria-current="step" class="current"><strong>{thai(Phase.LOAN.label)}</strong>'
    )
    assert [r.phase for r in reports.stage_rows(project) if r.is_current] == ["loan"]
    assert stages.count('aria-current="step"') == 1
    assert ProjectStage.objects.get(project=project, phase="build").planned_on == date(2025, 8, 1)
    south = signed_in_client(people["south_officer"])
    assert south.get(url).status_code == 404
    assert south.post(url, {"phase": "loan", "what": "reach", "on": "2025-04-01"}).status_code == 404
    committee = signed_in_client(people["committee"])
    assert 'id="housing-stage-form"' not in committee.get(url).content.decode()
    assert committee.post(url, {"phase": "loan", "what": "reach", "on": "2025-04-01"}).status_code == 403
    assert not ProjectStage.objects.filter(project=project, phase="loan").exists()


def test_the_funds_representative_files_its_report_through_the_portal(books, people, org):
    fund = community.welfare_fund_create(actor=people["officer"], organization=org, name_th="กองทุนสวัสดิการตำบล",
                                         founded_on=date(2015, 6, 1), monthly_contribution="30")  # fmt: skip
    leader, other = leader_for(org), leader_for(OrganizationFactory())
    url = f"/lending/portal/welfare/?id={fund.pk}"
    assert fund.name_th in signed_in_client(leader).get("/lending/portal/welfare/").content.decode()
    assert signed_in_client(leader).post(url, {**FIGURES, "year_be": "2567"}).status_code == 302
    report = WelfareReport.objects.get()
    assert (report.submitted_by, report.members) == (leader, 50)
    # Another organization's representative does not see the fund; staff without a portal account are refused.
    assert fund.name_th not in signed_in_client(other).get("/lending/portal/welfare/").content.decode()
    assert signed_in_client(other).post(url, {**FIGURES, "year_be": "2566"}).status_code == 404
    assert signed_in_client(people["committee"]).get(url).status_code == 403
    assert WelfareReport.objects.count() == 1
