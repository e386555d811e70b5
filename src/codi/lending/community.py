"""Writes and reads of Baan Mankong housing projects and community welfare funds.

Every write needs ``lending.manage`` in the area of the project's or fund's organization, is
validated, runs in one transaction and is audited. Refused with a Thai and English message
(nothing written): a household already in another housing project, a person outside the
registry's area of the project's province, a plot taken, a housing loan of another organization,
a construction stage going backwards, a benefit above what the fund holds, a certification whose
year is already decided.

Matching contribution of a year = min(members' contributions × rate, members × cap) with the rule
in force on 1 January of that year, rounded half-up to the satang. A fund is certified for good
management only when every checklist item has evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet, Sum

from codi.core.audit import audit_record
from codi.identity.roles import Perm
from codi.identity.selectors import scoped
from codi.lending import schedule
from codi.lending.models import ZERO, Loan, ProductKind
from codi.lending.models_community import (
    STAGE_ORDER,
    BenefitPaid,
    Certification,
    CertStatus,
    Contribution,
    Household,
    HousingPlot,
    HousingProject,
    HousingUnit,
    LifeStage,
    MatchingRule,
    SubsidyKind,
    SubsidyRule,
    Tenure,
    WelfareFund,
    WelfareMember,
)
from codi.lending.models_reports import WelfareReport
from codi.lending.services import LendingError, _require, _user

CHECKLIST: dict[str, str] = {
    "committee": "มีคณะกรรมการบริหารกองทุนที่มาจากสมาชิกและประชุมสม่ำเสมอ",
    "rules": "มีระเบียบกองทุนเป็นลายลักษณ์อักษรและสมาชิกรับรู้",
    "accounts": "บัญชีรับจ่ายเป็นปัจจุบันและตรวจสอบได้",
    "report": "รายงานผลการดำเนินงานประจำปีต่อสมาชิก",
    "benefits": "จ่ายสวัสดิการตามระเบียบครบทุกช่วงวัย",
}


def _money(value: Decimal | str) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise LendingError("จำนวนเงินไม่ถูกต้อง", "Invalid amount") from None
    if not number.is_finite() or number != number.quantize(Decimal("0.01")) or number < 0:
        raise LendingError("จำนวนเงินไม่ถูกต้อง", "Invalid amount")
    return number.quantize(Decimal("0.01"))


# --- Baan Mankong ---------------------------------------------------------------------------


def housing_project_create(
    *,
    actor: Any,
    code: str,
    name_th: str,
    organization: Any,
    tenure: str,
    households_planned: int,
    loan: Loan | None = None,
    pms_project_code: str = "",
    is_demo: bool = False,
) -> HousingProject:
    _require(actor, Perm.LENDING_MANAGE, organization.subdistrict_id)
    if tenure not in Tenure.values or not code.strip() or not name_th.strip() or households_planned < 1:
        raise LendingError("กรุณาระบุรหัส ชื่อ รูปแบบการถือครองที่ดิน และจำนวนครัวเรือน",
                           "Code, name, land tenure and households are required")  # fmt: skip
    if loan is not None and (
        loan.organization_id != organization.pk or loan.product.kind != ProductKind.HOUSING
    ):
        raise LendingError(
            "สินเชื่อที่เชื่อมโยงต้องเป็นสินเชื่อที่อยู่อาศัยขององค์กรเดียวกัน",
            "The linked loan must be a housing loan of the same organization",
        )
    with transaction.atomic():
        if HousingProject.objects.filter(code=code.strip()).exists():
            raise LendingError(f"มีโครงการรหัส {code} แล้ว", f"Project {code} already exists")
        project = HousingProject.objects.create(
            code=code.strip(), name_th=name_th.strip(), organization=organization,
            subdistrict_id=organization.subdistrict_id, loan=loan, pms_project_code=pms_project_code.strip(),
            tenure=tenure, households_planned=households_planned, is_demo=is_demo, created_by=_user(actor),
        )  # fmt: skip
        audit_record(
            actor=actor, action="lending.housing_project_create", object_type="lending.HousingProject",
            object_id=project.pk, changes={"code": project.code, "loan": loan.pk if loan else None},
        )  # fmt: skip
    return project


def household_add(
    *,
    actor: Any,
    project: HousingProject,
    person: Any,
    joined_on: date,
    plot_no: str = "",
    area_sqw: Decimal | str = "0",
    loan_share: Decimal | str = "0",
) -> Household:
    """A registry person's household joins the project, with its plot when one is allotted."""
    _require(actor, Perm.LENDING_MANAGE, project.subdistrict_id)
    if person.subdistrict_id[:2] != project.subdistrict_id[:2]:
        raise LendingError("สมาชิกต้องอยู่ในจังหวัดเดียวกับโครงการ", "The member must live in the project's province")
    share, area = _money(loan_share), _money(area_sqw)
    with transaction.atomic():
        other = Household.objects.filter(person=person).select_related("project").first()
        if other is not None:
            raise LendingError(
                f"{person.full_name} เป็นครัวเรือนในโครงการ {other.project.name_th} อยู่แล้ว",
                f"This person is already a household of project {other.project.code}",
            )
        plot = None
        if plot_no.strip():
            plot, _created = HousingPlot.objects.get_or_create(
                project=project, plot_no=plot_no.strip(), defaults={"area_sqw": area}
            )
            if Household.objects.filter(plot=plot).exists():
                raise LendingError(f"แปลง {plot_no} มีครัวเรือนแล้ว", f"Plot {plot_no} is taken")
        try:
            with transaction.atomic():
                household = Household.objects.create(
                    project=project, person=person, plot=plot, loan_share=share, joined_on=joined_on
                )
        except IntegrityError:  # a concurrent request added the same person first
            raise LendingError("บุคคลนี้เป็นครัวเรือนในโครงการอื่นแล้ว", "Already a household elsewhere") from None
        audit_record(
            actor=actor, action="lending.household_add", object_type="lending.HousingProject",
            object_id=project.pk, changes={"person": person.pk, "plot": plot_no, "share": share},
        )  # fmt: skip
    return household


def unit_stage_set(
    *, actor: Any, plot: HousingPlot, stage: str, on: date, photo_note: str = ""
) -> HousingUnit:
    """Construction progress of the unit on a plot; a stage never goes backwards."""
    _require(actor, Perm.LENDING_MANAGE, plot.project.subdistrict_id)
    if stage not in STAGE_ORDER:
        raise LendingError("ขั้นตอนการก่อสร้างไม่ถูกต้อง", "Unknown construction stage")
    with transaction.atomic():
        unit = HousingUnit.objects.select_for_update().filter(plot=plot).first()
        if unit is not None and STAGE_ORDER.index(stage) < STAGE_ORDER.index(unit.stage):  # type: ignore[arg-type]
            raise LendingError("ขั้นตอนการก่อสร้างย้อนกลับไม่ได้", "A construction stage cannot go backwards")
        unit, _created = HousingUnit.objects.update_or_create(
            plot=plot, defaults={"stage": stage, "stage_on": on, "photo_note": photo_note.strip()[:300]}
        )
        audit_record(
            actor=actor, action="lending.unit_stage_set", object_type="lending.HousingPlot", object_id=plot.pk,
            changes={"stage": stage, "on": on.isoformat()},
        )  # fmt: skip
    return unit


def subsidy_rule_set(
    *, actor: Any, kind: str, per_household: Decimal | str, effective_from: date
) -> SubsidyRule:
    if kind not in SubsidyKind.values:
        raise LendingError("ประเภทเงินอุดหนุนไม่ถูกต้อง", "Unknown subsidy kind")
    amount = _money(per_household)
    with transaction.atomic():
        rule, _c = SubsidyRule.objects.update_or_create(
            kind=kind, effective_from=effective_from, defaults={"per_household": amount}
        )
        audit_record(actor=actor, action="lending.subsidy_rule_set", object_type="lending.SubsidyRule",
                     object_id=rule.pk, changes={"kind": kind, "amount": amount})  # fmt: skip
    return rule


def housing_projects(*, actor: Any) -> QuerySet[HousingProject]:
    return (
        scoped(HousingProject.objects.all(), actor, Perm.LENDING_VIEW)
        .select_related("organization", "loan", "subdistrict__district__province")
        .annotate(n_households=Count("households", distinct=True))
    )


@dataclass
class ProjectFigures:
    households: int
    plots: int
    units_by_stage: dict[str, int]
    subsidies: dict[str, Decimal]
    subsidy_total: Decimal


def project_figures(project: HousingProject, as_of: date) -> ProjectFigures:
    """Households, plots, units by stage and the subsidies due under the rules in force on ``as_of``."""
    households = project.households.count()
    stages = dict(
        HousingUnit.objects.filter(plot__project=project).values_list("stage").annotate(n=Count("pk"))
    )
    subsidies: dict[str, Decimal] = {}
    for kind in SubsidyKind.values:
        rule = (
            SubsidyRule.objects.filter(kind=kind, effective_from__lte=as_of)
            .order_by("-effective_from")
            .first()
        )
        subsidies[kind] = (rule.per_household if rule else ZERO) * households
    return ProjectFigures(
        households=households, plots=project.plots.count(),
        units_by_stage={s: stages.get(s, 0) for s in STAGE_ORDER}, subsidies=subsidies,
        subsidy_total=sum(subsidies.values(), ZERO),
    )  # fmt: skip


# --- welfare funds --------------------------------------------------------------------------


def welfare_fund_create(
    *, actor: Any, organization: Any, name_th: str, founded_on: date, monthly_contribution: Decimal | str,
    is_demo: bool = False,
) -> WelfareFund:  # fmt: skip
    _require(actor, Perm.LENDING_MANAGE, organization.subdistrict_id)
    amount = _money(monthly_contribution)
    if not name_th.strip() or amount <= 0:
        raise LendingError("กรุณาระบุชื่อกองทุนและเงินสมทบต่อเดือน", "Name and monthly contribution are required")
    with transaction.atomic():
        if WelfareFund.objects.filter(organization=organization).exists():
            raise LendingError("องค์กรนี้มีกองทุนสวัสดิการแล้ว", "The organization already has a welfare fund")
        fund = WelfareFund.objects.create(
            organization=organization, subdistrict_id=organization.subdistrict_id, name_th=name_th.strip(),
            founded_on=founded_on, monthly_contribution=amount, is_demo=is_demo,
        )  # fmt: skip
        audit_record(actor=actor, action="lending.welfare_fund_create", object_type="lending.WelfareFund",
                     object_id=fund.pk, changes={"name": fund.name_th})  # fmt: skip
    return fund


def welfare_member_add(*, actor: Any, fund: WelfareFund, person: Any, joined_on: date) -> WelfareMember:
    _require(actor, Perm.LENDING_MANAGE, fund.subdistrict_id)
    with transaction.atomic():
        if WelfareMember.objects.filter(fund=fund, person=person).exists():
            raise LendingError("เป็นสมาชิกกองทุนนี้อยู่แล้ว", "Already a member of this fund")
        member = WelfareMember.objects.create(fund=fund, person=person, joined_on=joined_on)
        audit_record(actor=actor, action="lending.welfare_member_add", object_type="lending.WelfareFund",
                     object_id=fund.pk, changes={"person": person.pk})  # fmt: skip
    return member


def contribution_record(
    *, actor: Any, member: WelfareMember, month: date, amount: Decimal | str
) -> Contribution:
    _require(actor, Perm.LENDING_MANAGE, member.fund.subdistrict_id)
    value = _money(amount)
    if value <= 0:
        raise LendingError("จำนวนเงินต้องมากกว่าศูนย์", "The amount must be more than zero")
    with transaction.atomic():
        if Contribution.objects.filter(member=member, month=month.replace(day=1)).exists():
            raise LendingError("บันทึกเงินสมทบเดือนนี้แล้ว", "This month's contribution is already recorded")
        row = Contribution.objects.create(member=member, month=month.replace(day=1), amount=value)
        audit_record(actor=actor, action="lending.contribution_record", object_type="lending.WelfareFund",
                     object_id=member.fund_id, changes={"member": member.pk, "month": row.month.isoformat(),
                                                        "amount": value})  # fmt: skip
    return row


def fund_balance(fund: WelfareFund) -> Decimal:
    paid_in = Contribution.objects.filter(member__fund=fund).aggregate(s=Sum("amount"))["s"] or ZERO
    paid_out = BenefitPaid.objects.filter(member__fund=fund).aggregate(s=Sum("amount"))["s"] or ZERO
    return paid_in - paid_out


def benefit_pay(
    *, actor: Any, member: WelfareMember, stage: str, paid_on: date, amount: Decimal | str
) -> BenefitPaid:
    _require(actor, Perm.LENDING_MANAGE, member.fund.subdistrict_id)
    if stage not in LifeStage.values:
        raise LendingError("ประเภทสวัสดิการไม่ถูกต้อง", "Unknown benefit")
    value = _money(amount)
    with transaction.atomic():
        fund = WelfareFund.objects.select_for_update().get(pk=member.fund_id)
        balance = fund_balance(fund)
        if value <= 0 or value > balance:
            raise LendingError(
                f"จ่ายสวัสดิการได้ไม่เกินยอดเงินกองทุน {balance:,.2f} บาท",
                f"A benefit is at most the fund's balance of {balance:,.2f} baht",
            )
        row = BenefitPaid.objects.create(member=member, stage=stage, paid_on=paid_on, amount=value)
        audit_record(actor=actor, action="lending.benefit_pay", object_type="lending.WelfareFund",
                     object_id=fund.pk, changes={"member": member.pk, "stage": stage, "amount": value})  # fmt: skip
    return row


def matching_contribution(fund: WelfareFund, year: int) -> Decimal:
    """The matching contribution for calendar ``year`` (module docstring)."""
    rule = (
        MatchingRule.objects.filter(effective_from__lte=date(year, 1, 1)).order_by("-effective_from").first()
    )
    if rule is None:
        return ZERO
    rows = Contribution.objects.filter(member__fund=fund, month__year=year)
    paid = rows.aggregate(s=Sum("amount"))["s"] or ZERO
    members = rows.values("member").distinct().count()
    return schedule.half_up(min(paid * rule.rate, rule.cap_per_member * members))


def certification_decide(
    *, actor: Any, fund: WelfareFund, year_be: int, evidence: dict[str, str]
) -> Certification:
    """Record the year's checklist; certified only when every item has evidence. The annual-report
    item reads the fund's filed report of the year (its figures become the evidence); without one
    it is not met, whatever was typed."""
    _require(actor, Perm.LENDING_APPROVE, fund.subdistrict_id)
    clean = {key: str(evidence.get(key, "")).strip()[:500] for key in CHECKLIST}
    report = WelfareReport.objects.filter(fund=fund, year_be=year_be).first()
    clean["report"] = (  # met only by the fund's filed annual report of the year (codi.lending.reports)
        f"รายงานประจำปี {year_be}: สมาชิก {report.members} คน รายรับ {report.income:,.2f} บาท "
        f"รายจ่าย {report.spending:,.2f} บาท (ส่งเมื่อ {report.submitted_at:%Y-%m-%d})"
        if report is not None
        else ""
    )
    status = CertStatus.CERTIFIED if all(clean.values()) else CertStatus.NOT_CERTIFIED
    with transaction.atomic():
        if Certification.objects.filter(fund=fund, year_be=year_be).exists():
            raise LendingError(f"พิจารณาการรับรองปี {year_be} แล้ว", f"Year {year_be} is already decided")
        cert = Certification.objects.create(
            fund=fund, year_be=year_be, evidence=clean, status=status, decided_by=actor
        )
        audit_record(actor=actor, action="lending.certification_decide", object_type="lending.WelfareFund",
                     object_id=fund.pk, changes={"year": year_be, "status": status})  # fmt: skip
    return cert


def welfare_funds(*, actor: Any) -> QuerySet[WelfareFund]:
    return (
        scoped(WelfareFund.objects.all(), actor, Perm.LENDING_VIEW)
        .select_related("organization", "subdistrict__district__province")
        .annotate(n_members=Count("members", distinct=True))
    )
