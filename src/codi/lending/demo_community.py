"""Demo Baan Mankong projects and welfare funds, loaded by ``load_lending_demo`` after the loans.

Three housing projects, one on each of the first demo housing loans, with eight registry households
each (demo persons registered through codi.communities), plots and units at every construction
stage, the project stages (survey to handover) at different points, and the subsidy rule table;
three welfare funds of demo organizations with ten members, a year of contributions, benefits by
life stage, the matching rule, last year's annual report (two of them: the third has not filed, so
it is not certified) and a certification. Run once:
nothing is added when a demo housing project exists.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from stdnum.th import pin

from codi.communities import services as registry
from codi.communities.models import Organization
from codi.identity.models import User
from codi.lending import community, reports
from codi.lending.models import Loan, ProductKind
from codi.lending.models_community import STAGE_ORDER, HousingProject, MatchingRule, WelfareFund
from codi.lending.models_reports import PHASE_ORDER, ProjectStage, WelfareReport

FIRST_NAMES = ["สมชาย", "สมหญิง", "บุญมี", "มาลี", "ประเสริฐ", "วันเพ็ญ", "สุรชัย", "อำไพ", "ทองดี", "จันทร์เพ็ญ"]


def _person(officer: User, serial: int, subdistrict: str) -> object:
    body = f"390{serial:09d}"
    return registry.person_create(
        actor=officer, national_id=body + pin.calc_check_digit(body),
        first_name_th=FIRST_NAMES[serial % len(FIRST_NAMES)], last_name_th="ตัวอย่างชุมชน",
        subdistrict_code=subdistrict, birth_year=1950 + serial % 50, is_demo=True,
    )  # fmt: skip


def _stages(officer: User, project: HousingProject, loan: Loan, today: date, reached: int) -> None:
    """The first ``reached`` project stages reached (survey and design before the loan, building and
    handover after its disbursement), the others planned."""
    disbursed = loan.disbursed_on or today
    days = [disbursed - relativedelta(months=4), disbursed - relativedelta(months=2), disbursed,
            disbursed + relativedelta(months=2), disbursed + relativedelta(months=12)]  # fmt: skip
    for k, (phase, day) in enumerate(zip(PHASE_ORDER, days, strict=True)):
        if k < reached and day <= today:
            reports.stage_reach(actor=officer, project=project, phase=phase, reached_on=day)
        else:
            reports.stage_plan(actor=officer, project=project, phase=phase, planned_on=max(day, today))


def community_demo_load(*, officer: User, committee: User, today: date) -> tuple[int, int]:
    """Returns (housing projects, welfare funds) created."""
    if HousingProject.objects.filter(is_demo=True).exists():
        return 0, 0
    for kind, amount in (("infrastructure", "25000"), ("housing", "20000"), ("relocation", "18000")):
        community.subsidy_rule_set(
            actor=None, kind=kind, per_household=amount, effective_from=date(2020, 1, 1)
        )
    if not MatchingRule.objects.exists():
        MatchingRule.objects.create(effective_from=date(2020, 1, 1), rate=1, cap_per_member=365)
    serial = 0
    loans = Loan.objects.filter(is_demo=True, product__kind=ProductKind.HOUSING, disbursed_on__isnull=False)
    projects = 0
    for i, loan in enumerate(loans.select_related("organization").order_by("pk")[:3]):
        org = loan.organization
        project = community.housing_project_create(
            actor=officer, code=f"BMK-DEMO-{i + 1}", name_th=f"บ้านมั่นคง{org.name_th} (ตัวอย่าง)",
            organization=org, tenure=["coop", "lease", "purchase"][i], households_planned=10, loan=loan,
            is_demo=True,
        )  # fmt: skip
        share = (loan.principal / 8).quantize(Decimal("0.01"))
        for h in range(8):
            serial += 1
            household = community.household_add(
                actor=officer, project=project, person=_person(officer, serial, org.subdistrict_id),
                joined_on=loan.applied_on, plot_no=f"{i + 1}-{h + 1:02d}", area_sqw="20", loan_share=share,
            )  # fmt: skip
            stages = STAGE_ORDER[: 1 + (h % len(STAGE_ORDER))]
            assert household.plot is not None
            for k, stage in enumerate(stages):
                on = min(today, (loan.disbursed_on or today) + relativedelta(months=2 * (k + 1)))
                community.unit_stage_set(actor=officer, plot=household.plot, stage=stage, on=on)
        _stages(officer, project, loan, today, reached=3 + i)
        projects += 1
    funds = 0
    taken = set(WelfareFund.objects.values_list("organization_id", flat=True))
    orgs = Organization.objects.filter(is_demo=True).exclude(pk__in=taken).order_by("pk")[:3]
    for org in orgs:
        fund = community.welfare_fund_create(
            actor=officer, organization=org, name_th=f"กองทุนสวัสดิการชุมชน{org.name_th} (ตัวอย่าง)",
            founded_on=date(2012, 4, 1), monthly_contribution="30", is_demo=True,
        )  # fmt: skip
        members = []
        for _m in range(10):
            serial += 1
            person = _person(officer, serial, org.subdistrict_id)
            members.append(community.welfare_member_add(actor=officer, fund=fund, person=person,
                                                        joined_on=date(2020, 1, 1)))  # fmt: skip
        start = today.replace(day=1) - relativedelta(months=12)
        for k in range(12):
            for member in members:
                community.contribution_record(actor=officer, member=member, month=start + relativedelta(months=k),
                                              amount="30")  # fmt: skip
        paid = (("birth", "500"), ("sickness", "300"), ("old_age", "600"), ("death", "2000"))
        for member, (benefit, amount) in zip(members, paid, strict=False):
            community.benefit_pay(actor=officer, member=member, stage=benefit, paid_on=today, amount=amount)
        evidence = {key: "รายงานการประชุมและบัญชีกองทุน (ตัวอย่าง)" for key in community.CHECKLIST}
        if funds < 2:  # the third fund has not filed its report: not certified
            reports.report_submit(actor=officer, fund=fund, year_be=today.year + 542, figures={
                "members_0_14": 2 + funds, "members_15_59": 5, "members_60_plus": 3, "contributions": "3600",
                "other_income": "1500", "benefit_birth": "500", "benefit_sickness": "300", "benefit_old_age": "600",
                "benefit_death": "2000", "running_costs": "250",
            })  # fmt: skip
        community.certification_decide(
            actor=committee, fund=fund, year_be=today.year + 542, evidence=evidence
        )
        funds += 1
    return projects, funds


def demo_stages_reached() -> int:
    return ProjectStage.objects.filter(project__is_demo=True, reached_on__isnull=False).count()


def demo_reports() -> int:
    return WelfareReport.objects.filter(fund__is_demo=True).count()
