"""The labelled demo data set of community projects (``manage.py load_projects_demo``).

About 5,000 projects over every province (so every CODI region) and every status, with
what each status implies: approved amounts (some reduced, with a reason), three
installments, disbursements, progress reports with expenses and indicator values, fund
returns, and the step history with one open step and its due date (some overdue). Budget
lines are written last, their committed / disbursed / returned totals computed from the
rows just made, so the running totals equal the rows they summarise.

Rows are written with ``bulk_create`` (the services' one-project-at-a-time path with an
audit entry each would take minutes); one audit entry records the load. Everything is
``is_demo=True`` and generated from a fixed seed; a second run finds the demo projects and
adds nothing. The demo community leader (``demo_leader``) is given a portal account for the
organization in ตำบลท่าพระ (400104) that leads the most demo projects.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import cast

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from codi.areas.models import Province, Subdistrict
from codi.communities.models import Organization, OrgType
from codi.core.audit import audit_record
from codi.core.thaidate import ce_year, fiscal_year_be
from codi.identity.models import User
from codi.projects.demo_lessons import LESSON_CODE_PREFIX, LESSON_PROJECTS, LessonProject
from codi.projects.models import (
    BeneficiaryGroup,
    BudgetCategory,
    BudgetItem,
    BudgetLine,
    Disbursement,
    ExpenseLine,
    FundReturn,
    Indicator,
    IndicatorPeriod,
    Installment,
    PortalAccount,
    Program,
    ProgressReport,
    Project,
    ProjectArea,
    ProjectStatus,
    ProjectStep,
    ReportIndicatorValue,
    Result,
)
from codi.projects.workflow import STEPS, engine_state_for_path

DEMO_SEED = 2569
DEMO_PROJECTS = 5000
LEADER_USERNAME = "demo_leader"
LEADER_SUBDISTRICT = "400104"
PAYER_USERNAME = "demo_finance"

# code, kind, Thai name, English name, indicator code, indicator name, unit
PROGRAMS = [
    ("BMK", "housing", "โครงการบ้านมั่นคง", "Baan Mankong housing", "HOUSING_UNITS", "บ้านที่สร้างหรือซ่อมแล้ว", "หลัง"),
    ("WELFARE", "welfare", "กองทุนสวัสดิการชุมชน", "Community welfare funds", "WELFARE_MEMBERS", "สมาชิกกองทุนสวัสดิการ", "คน"),
    ("COUNCIL", "council", "พัฒนาสภาองค์กรชุมชน", "Community council development", "COUNCIL_PLANS", "แผนพัฒนาตำบลที่จัดทำ", "แผน"),
    ("LAND", "land", "ที่ดินและเกษตรกรรมยั่งยืน", "Land and agriculture", "FARM_RAI", "พื้นที่เกษตรยั่งยืน", "ไร่"),
    ("DISASTER", "disaster", "ฟื้นฟูผู้ประสบภัยพิบัติ", "Disaster relief", "HOUSEHOLDS_RELIEVED", "ครัวเรือนที่ได้รับการฟื้นฟู", "ครัวเรือน"),
    ("ECONOMY", "economy", "เศรษฐกิจชุมชน", "Community economy", "ENTERPRISES", "กลุ่มอาชีพที่มีรายได้เพิ่ม", "กลุ่ม"),
]  # fmt: skip

STATUS_WEIGHTS = [
    (ProjectStatus.DRAFT, 6),
    (ProjectStatus.SUBMITTED, 3),
    (ProjectStatus.SCREENING, 5),
    (ProjectStatus.COMMITTEE, 5),
    (ProjectStatus.APPROVAL, 4),
    (ProjectStatus.REVISION, 4),
    (ProjectStatus.REJECTED, 4),
    (ProjectStatus.APPROVED, 6),
    (ProjectStatus.AGREEMENT_SIGNED, 6),
    (ProjectStatus.IN_PROGRESS, 30),
    (ProjectStatus.FINAL_REPORT, 8),
    (ProjectStatus.CLOSED, 16),
    (ProjectStatus.CANCELLED, 3),
]
TOPICS = ["ซ่อมแซมบ้าน", "สร้างบ้านใหม่", "กองทุนสวัสดิการ", "แผนพัฒนาตำบล", "เกษตรอินทรีย์", "ฟื้นฟูหลังน้ำท่วม",
          "ตลาดชุมชน", "ท่องเที่ยวชุมชน", "ป่าชุมชน", "ธนาคารข้าว", "แปรรูปผลผลิต", "น้ำเพื่อการเกษตร"]  # fmt: skip
APPROVED_STATUSES = {
    ProjectStatus.APPROVED,
    ProjectStatus.AGREEMENT_SIGNED,
    ProjectStatus.IN_PROGRESS,
    ProjectStatus.FINAL_REPORT,
    ProjectStatus.CLOSED,
    ProjectStatus.CANCELLED,
}
ZERO = Decimal("0.00")
# The demo leader's extra projects, so every step is due somewhere a demo user can act on it:
# (status, installments paid, state of the last report, final report accepted).
LEADER_EXTRA: list[tuple[str, int, str | None, bool]] = [
    (ProjectStatus.IN_PROGRESS, 3, None, False),  # final report due (leader)
    (ProjectStatus.IN_PROGRESS, 2, "submitted", False),  # report to review (officer)
    (ProjectStatus.IN_PROGRESS, 1, "accepted", False),  # installment to pay (finance)
    (ProjectStatus.IN_PROGRESS, 2, None, False),  # second progress report due (leader)
    (ProjectStatus.FINAL_REPORT, 3, None, True),  # closure due (officer)
]


@dataclass
class DemoProjectsSummary:
    projects: int
    budget_lines: int
    installments: int
    disbursements: int
    reports: int
    steps: int
    portal_organization: int | None


def projects_demo_load(*, count: int = DEMO_PROJECTS, today: date | None = None) -> DemoProjectsSummary:
    """Create the demo projects unless they exist; return what was made (zeros on a second run).

    A demo database loaded before the closed lesson projects existed (``demo_lessons``) gets only
    those added, so that its project pages have past projects to recommend."""
    demo = Project.objects.filter(is_demo=True)
    only_lessons = demo.exists()
    if only_lessons and demo.filter(code__startswith=LESSON_CODE_PREFIX).exists():
        return DemoProjectsSummary(0, 0, 0, 0, 0, 0, _portal_for_leader())
    payer = (
        User.objects.filter(username=PAYER_USERNAME).first() or User.objects.filter(is_superuser=True).first()
    )
    if payer is None:
        raise RuntimeError(
            "ไม่พบผู้ใช้ demo_finance: เรียก manage.py load_demo ก่อน / run manage.py load_demo first"
        )
    with transaction.atomic():
        builder = _Builder(random.Random(DEMO_SEED), today or timezone.localdate(), payer)  # noqa: S311
        summary = builder.build(count, only_lessons=only_lessons)
        if only_lessons and summary.projects == 0:  # nothing to top up: a plain second run
            summary.portal_organization = _portal_for_leader()
            return summary
        summary.portal_organization = _portal_for_leader()
        audit_record(
            actor=None,
            action="demo.load",
            object_type="projects.project",
            changes={"projects": summary.projects, "budget_lines": summary.budget_lines},
        )
    return summary


def _portal_for_leader() -> int | None:
    leader = User.objects.filter(username=LEADER_USERNAME).first()
    if leader is None:
        return None
    org_id = (
        Project.objects.filter(is_demo=True, subdistrict_id=LEADER_SUBDISTRICT)
        .order_by()
        .values("lead_organization_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "lead_organization_id")
        .values_list("lead_organization_id", flat=True)
        .first()
    )
    if org_id is None:
        return None
    PortalAccount.objects.get_or_create(user=leader, organization_id=org_id)
    return org_id


def _aware(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


class _Builder:
    def __init__(self, rng: random.Random, today: date, payer: User) -> None:
        self.rng = rng
        self.today = today
        self.payer = payer
        self.current_fy = fiscal_year_be(today)

    # -- reference rows --------------------------------------------------------------------------

    def _programs(self) -> list[Program]:
        programs = []
        for code, kind, name_th, name_en, *_ in PROGRAMS:
            program, _ = Program.objects.get_or_create(
                code=code, defaults={"kind": kind, "name_th": name_th, "name_en": name_en}
            )
            programs.append(program)
        return programs

    def _organizations(self) -> dict[str, list[tuple[int, str]]]:
        """Demo organizations by province; one is added where a province has none."""
        by_province: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for pk, code in (
            Organization.objects.filter(is_demo=True).order_by("pk").values_list("pk", "subdistrict_id")
        ):
            by_province[code[:2]].append((pk, code))
        missing = []
        subdistricts: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for code, name in Subdistrict.objects.order_by("code").values_list("code", "name_th"):
            subdistricts[code[:2]].append((code, name))
        for province in Province.objects.order_by("code").values_list("code", flat=True):
            if by_province.get(province) or not subdistricts.get(province):
                continue
            code, name = self.rng.choice(subdistricts[province])
            missing.append(
                Organization(
                    name_th=f"สภาองค์กรชุมชนตำบล{name}",
                    org_type=OrgType.COUNCIL,
                    registration_no=f"DEMO-PMS-{province}",
                    subdistrict_id=code,
                    is_demo=True,
                )
            )
        for org in Organization.objects.bulk_create(missing):
            by_province[org.subdistrict_id[:2]].append((org.pk, org.subdistrict_id))
        return by_province

    # -- the projects ---------------------------------------------------------------------------

    def build(self, count: int, *, only_lessons: bool = False) -> DemoProjectsSummary:
        rng = self.rng
        programs = self._programs()
        indicator_of = {
            p.code: (ind_code, ind_name, unit)
            for p, (*_, ind_code, ind_name, unit) in zip(programs, PROGRAMS, strict=True)
        }
        orgs = self._organizations()
        region_of = dict(Province.objects.values_list("code", "region_id"))
        provinces = sorted(p for p in orgs if region_of.get(p))
        # Khon Kaen (40) weighs more so the demo officer and leader see full lists.
        weights = [12 if p == "40" else 1 for p in provinces]
        statuses = [s for s, _ in STATUS_WEIGHTS]
        status_weights = [w for _, w in STATUS_WEIGHTS]
        years = [self.current_fy - 2, self.current_fy - 1, self.current_fy]
        leader_orgs = [o for o in orgs.get("40", []) if o[1] == LEADER_SUBDISTRICT]
        # The last plans are the closed projects that taught a lesson (demo_lessons), near the leader.
        neighbours = [o for o in orgs.get("40", []) if o[1][:4] == LEADER_SUBDISTRICT[:4]] or orgs.get(
            "40", []
        )
        first_lesson = count - len(LESSON_PROJECTS) if neighbours and count >= 60 else count
        program_by_code = {p.code: p for p in programs}

        plans: list[_Plan] = []
        for i in range(count):
            lesson = LESSON_PROJECTS[i - first_lesson] if i >= first_lesson else None
            if lesson is not None:
                org_id, subdistrict = neighbours[(i - first_lesson) % len(neighbours)]
                program = program_by_code[lesson.program]
                plans.append(
                    _Plan(
                        index=i,
                        program=program,
                        region=region_of[subdistrict[:2]],
                        fiscal_year=years[0],
                        org_id=org_id,
                        subdistrict=subdistrict,
                        status=ProjectStatus.CLOSED,
                        lesson=lesson,
                    )
                )
                continue
            if leader_orgs and i < len(statuses) + len(LEADER_EXTRA):
                # The demo leader's organization: one project in every status, and one at each
                # in-progress step (a progress report and a final report due from the leader, a
                # report to review for the officer, an installment to pay for finance).
                org_id, subdistrict = leader_orgs[0]
                status = statuses[i] if i < len(statuses) else LEADER_EXTRA[i - len(statuses)][0]
            else:
                province = rng.choices(provinces, weights)[0]
                org_id, subdistrict = rng.choice(orgs[province])
                status = rng.choices(statuses, status_weights)[0]
            program = rng.choice(programs)
            fy = years[-1] if status in (ProjectStatus.DRAFT, ProjectStatus.SUBMITTED) else rng.choice(years)
            if status == ProjectStatus.CLOSED and fy == years[-1]:
                fy = years[0]
            fixed = None
            if leader_orgs and len(statuses) <= i < len(statuses) + len(LEADER_EXTRA):
                fixed = LEADER_EXTRA[i - len(statuses)][1:]
            elif (
                leader_orgs
                and i < len(statuses)
                and status
                in (
                    ProjectStatus.IN_PROGRESS,
                    ProjectStatus.FINAL_REPORT,
                )
            ):
                fixed = (1, None, False) if status == ProjectStatus.IN_PROGRESS else (3, None, False)
            plans.append(
                _Plan(
                    fixed=fixed,
                    index=i,
                    program=program,
                    region=region_of[subdistrict[:2]],
                    fiscal_year=fy,
                    org_id=org_id,
                    subdistrict=subdistrict,
                    status=status,
                )
            )

        if only_lessons:
            plans = [p for p in plans if p.lesson is not None]
            if not plans:
                return DemoProjectsSummary(0, 0, 0, 0, 0, 0, None)
        lines = {
            (p.program.pk, p.region, p.fiscal_year): BudgetLine(
                program=p.program, region_id=p.region, fiscal_year=p.fiscal_year, allocated=ZERO, is_demo=True
            )
            for p in plans
        }
        if only_lessons:  # the lines of the demo loaded before are reused
            for line in BudgetLine.objects.filter(
                program__in=[p.program for p in plans], fiscal_year__in={p.fiscal_year for p in plans}
            ):
                key = (line.program_id, line.region_id, line.fiscal_year)
                if key in lines:
                    lines[key] = line
        BudgetLine.objects.bulk_create([line for line in lines.values() if line.pk is None], batch_size=500)

        projects = [self._project(p, lines[(p.program.pk, p.region, p.fiscal_year)]) for p in plans]
        Project.objects.bulk_create(projects, batch_size=500)
        ProjectArea.objects.bulk_create(
            (ProjectArea(project=pr, subdistrict_id=pr.subdistrict_id) for pr in projects), batch_size=1000
        )
        self._framework(projects, plans, indicator_of)
        counts = self._money_and_steps(projects, plans)
        self._balance_lines(list(lines.values()))
        return DemoProjectsSummary(
            projects=len(projects),
            budget_lines=len(lines),
            installments=counts["installments"],
            disbursements=counts["disbursements"],
            reports=counts["reports"],
            steps=counts["steps"],
            portal_organization=None,
        )

    def _project(self, plan: _Plan, line: BudgetLine) -> Project:
        rng = self.rng
        requested = Decimal(rng.randrange(50, 2000) * 1000)
        start = date(ce_year(plan.fiscal_year) - 1, 10, 1) + timedelta(days=rng.randrange(0, 200))
        approved = None
        reason = ""
        if plan.status in APPROVED_STATUSES:
            approved = requested
            if rng.random() < 0.25:
                approved = (requested * Decimal(rng.choice(["0.7", "0.8", "0.9"]))).quantize(Decimal("1000"))
                reason = "ปรับลดตามวงเงินคงเหลือของภาคและความเหมาะสมของกิจกรรม"
        topic = rng.choice(TOPICS)
        households = rng.randrange(10, 300)
        details: dict[str, object] = {}
        if plan.program.kind == "housing":
            details = {
                "housing_units": rng.randrange(10, 120),
                "land_tenure": rng.choice(["เช่า", "ซื้อ", "สิทธิอาศัย"]),
            }
        elif plan.program.kind == "welfare":
            details = {"members": rng.randrange(100, 3000), "benefits": "เกิด แก่ เจ็บ ตาย"}
        plan.start = start
        lesson = plan.lesson
        return Project(
            code=lesson.code if lesson else f"DEMO-{plan.fiscal_year}-{plan.index + 1:05d}",
            program=plan.program,
            budget_line=line,
            fiscal_year=plan.fiscal_year,
            subdistrict_id=plan.subdistrict,
            lead_organization_id=plan.org_id,
            title=f"{plan.program.name_th}: {lesson.topic} {lesson.title}"
            if lesson
            else f"{plan.program.name_th}: {topic} (ตัวอย่าง {plan.index + 1:05d})",
            rationale=lesson.rationale if lesson else "ชุมชนร่วมกันสำรวจปัญหาและจัดทำข้อเสนอผ่านเวทีประชาคม",
            objectives=lesson.objectives if lesson else "1. แก้ปัญหาที่ชุมชนระบุ 2. สร้างการจัดการตนเองของชุมชน",
            start_date=start,
            end_date=start + timedelta(days=330),
            requested_amount=requested,
            approved_amount=approved,
            reduction_reason=reason,
            co_funding_amount=Decimal(rng.randrange(0, 50) * 1000),
            co_funding_source="สมทบจากสมาชิกและท้องถิ่น" if rng.random() < 0.5 else "",
            households=households,
            persons=households * rng.randrange(2, 5),
            type_details=details,
            status=plan.status,
            submitted_at=None if plan.status == ProjectStatus.DRAFT else _aware(start - timedelta(days=60)),
            approved_at=_aware(start - timedelta(days=20)) if approved is not None else None,
            closed_at=_aware(start + timedelta(days=340)) if plan.status == ProjectStatus.CLOSED else None,
            is_demo=True,
            created_by=None,
        )

    def _framework(
        self, projects: list[Project], plans: list[_Plan], indicator_of: dict[str, tuple[str, str, str]]
    ) -> None:
        rng = self.rng
        results = Result.objects.bulk_create(
            (Result(project=p, title="ชุมชนมีความมั่นคงและจัดการตนเองได้") for p in projects), batch_size=1000
        )
        indicators = []
        for result, plan in zip(results, plans, strict=True):
            code, name, unit = indicator_of[plan.program.code]
            indicators.append(Indicator(result=result, code=code, name=name, unit=unit))
        Indicator.objects.bulk_create(indicators, batch_size=1000)
        periods = []
        items = []
        groups = []
        for project, indicator, plan in zip(projects, indicators, plans, strict=True):
            plan.indicator = indicator
            assert project.start_date is not None and project.end_date is not None
            periods.append(
                IndicatorPeriod(
                    indicator=indicator,
                    period_start=project.start_date,
                    period_end=project.end_date,
                    target=Decimal(rng.randrange(5, 100)),
                )
            )
            first = (project.requested_amount * Decimal("0.6")).quantize(Decimal("1"))
            items.append(
                BudgetItem(
                    project=project,
                    category=BudgetCategory.CONSTRUCTION,
                    description="วัสดุและค่าแรง",
                    amount=first,
                )
            )
            items.append(
                BudgetItem(
                    project=project,
                    category=BudgetCategory.TRAINING,
                    description="ประชุมและอบรม",
                    amount=project.requested_amount - first,
                )
            )
            groups.append(
                BeneficiaryGroup(
                    project=project,
                    group=rng.choice(BeneficiaryGroup.Group.values),
                    households=project.households,
                    persons=project.persons,
                )
            )
        IndicatorPeriod.objects.bulk_create(periods, batch_size=1000)
        BudgetItem.objects.bulk_create(items, batch_size=1000)
        BeneficiaryGroup.objects.bulk_create(groups, batch_size=1000)

    def _money_and_steps(self, projects: list[Project], plans: list[_Plan]) -> dict[str, int]:
        rng = self.rng
        installments: list[Installment] = []
        per_project: list[list[Installment]] = []
        for project, plan in zip(projects, plans, strict=True):
            rows: list[Installment] = []
            if project.approved_amount is not None:
                total = project.approved_amount
                first = (total * Decimal("0.4")).quantize(Decimal("1"))
                amounts = [first, first, total - 2 * first]
                paid = self._paid_count(plan)
                for n, amount in enumerate(amounts, start=1):
                    status = "disbursed" if n <= paid else "planned"
                    if plan.status == ProjectStatus.CANCELLED and n > paid:
                        status = "cancelled"
                    due = plan.start + timedelta(days=110 * (n - 1))
                    if status == "planned":  # installments still to pay fall due from today on
                        due = max(due, self.today + timedelta(days=45 * (n - paid)))
                    rows.append(
                        Installment(
                            project=project,
                            number=n,
                            amount=amount,
                            conditions="ลงนามสัญญาแล้ว" if n == 1 else f"รายงานงวดที่ {n - 1} ได้รับการตรวจรับ",
                            due_date=due,
                            status=status,
                            is_demo=True,
                        )
                    )
            per_project.append(rows)
            installments.extend(rows)
        Installment.objects.bulk_create(installments, batch_size=1000)

        disbursements = [
            Disbursement(
                installment=inst,
                budget_line_id=cast(int, inst.project.budget_line_id),
                amount=inst.amount,
                idempotency_key=f"demo-{inst.project.code}-{inst.number}",
                paid_at=_aware(inst.due_date or self.today),
                paid_by=self.payer,
                reference=f"DEMO{inst.pk:08d}",
            )
            for inst in installments
            if inst.status == "disbursed"
        ]
        Disbursement.objects.bulk_create(disbursements, batch_size=1000)

        reports: list[ProgressReport] = []
        report_plans: list[tuple[ProgressReport, _Plan, Installment]] = []
        steps: list[ProjectStep] = []
        returns: list[FundReturn] = []
        for project, plan, rows in zip(projects, plans, per_project, strict=True):
            paid_rows = [r for r in rows if r.status == "disbursed"]
            report_states = self._report_states(plan, len(paid_rows))
            for inst, state in zip(paid_rows, report_states, strict=False):
                if state is None:
                    continue
                is_final = inst.number == len(rows) and plan.status in (
                    ProjectStatus.FINAL_REPORT,
                    ProjectStatus.CLOSED,
                )
                when = inst.due_date or self.today
                report = ProgressReport(
                    project=project,
                    installment=inst,
                    is_final=is_final,
                    narrative="ดำเนินกิจกรรมตามแผน ชุมชนร่วมประชุมและลงแรง",
                    status=state,
                    submitted_at=_aware(when + timedelta(days=90)),
                    reviewed_at=_aware(when + timedelta(days=100)) if state == "accepted" else None,
                    review_comment="ตรวจรับแล้ว" if state == "accepted" else "",
                )
                reports.append(report)
                report_plans.append((report, plan, inst))
            if (plan.status == ProjectStatus.CLOSED and rng.random() < 0.2) or (
                plan.status == ProjectStatus.CANCELLED and paid
            ):
                returns.append(
                    FundReturn(
                        project=project,
                        budget_line_id=cast(int, project.budget_line_id),
                        amount=Decimal(rng.randrange(1, 20) * 1000),
                        reason="เงินเหลือจ่ายคืนกองทุน"
                        if plan.status == ProjectStatus.CLOSED
                        else "ยกเลิกโครงการ คืนเงินงวดที่ไม่ได้ใช้",
                        recorded_by=self.payer,
                    )
                )
            steps.extend(self._steps(project, plan, rows))
        ProgressReport.objects.bulk_create(reports, batch_size=1000)
        expenses = []
        values = []
        for report, plan, inst in report_plans:
            expenses.append(
                ExpenseLine(
                    report=report,
                    spent_on=(inst.due_date or self.today) + timedelta(days=30),
                    description="ค่าวัสดุก่อสร้าง",
                    category=BudgetCategory.CONSTRUCTION,
                    amount=(inst.amount * Decimal("0.9")).quantize(Decimal("0.01")),
                )
            )
            values.append(
                ReportIndicatorValue(
                    report=report, indicator=plan.indicator, value=Decimal(rng.randrange(1, 30))
                )
            )
        ExpenseLine.objects.bulk_create(expenses, batch_size=1000)
        ReportIndicatorValue.objects.bulk_create(values, batch_size=1000)
        FundReturn.objects.bulk_create(returns, batch_size=1000)
        ProjectStep.objects.bulk_create(steps, batch_size=1000)
        open_steps = {s.project_id: s for s in steps if s.completed_at is None}
        for project, plan in zip(projects, plans, strict=True):
            step = open_steps.get(project.pk)
            project.current_step = step.task_key if step else ""
            project.current_step_due = step.due_date if step else None
            # The engine's own state for this path (one engine run per distinct path, shared).
            project.workflow_state = engine_state_for_path(
                tuple(plan.path), cancelled=plan.status == ProjectStatus.CANCELLED
            )
        Project.objects.bulk_update(
            projects, ["current_step", "current_step_due", "workflow_state"], batch_size=500
        )
        return {
            "installments": len(installments),
            "disbursements": len(disbursements),
            "reports": len(reports),
            "steps": len(steps),
        }

    def _paid_count(self, plan: _Plan) -> int:
        if plan.status in (ProjectStatus.APPROVED, ProjectStatus.AGREEMENT_SIGNED):
            return 0
        if plan.status == ProjectStatus.IN_PROGRESS:
            plan.paid = plan.fixed[0] if plan.fixed else self.rng.choice([1, 1, 2, 2, 3])
            return plan.paid
        if plan.status == ProjectStatus.FINAL_REPORT:
            # A third of the final reports are accepted already: the closure step is open.
            plan.final_accepted = plan.fixed[2] if plan.fixed else self.rng.random() < 1 / 3
            return 3
        if plan.status == ProjectStatus.CANCELLED:
            return self.rng.choice([0, 1])
        return 3  # final report, closed

    def _report_states(self, plan: _Plan, paid: int) -> list[str | None]:
        """Report state per paid installment (``None``: no report yet)."""
        accepted: list[str | None] = ["accepted"]
        if plan.status == ProjectStatus.CLOSED:
            return accepted * paid
        if plan.status == ProjectStatus.FINAL_REPORT:
            return accepted * (paid - 1) + ["accepted" if plan.final_accepted else "submitted"]
        if plan.status == ProjectStatus.IN_PROGRESS:
            if paid == 3:  # the last tranche paid: the final report is being written
                return ["accepted", "accepted", None]
            plan.last_report = (
                plan.fixed[1] if plan.fixed else self.rng.choice([None, "submitted", "accepted"])
            )
            return accepted * (paid - 1) + [plan.last_report]
        if plan.status == ProjectStatus.CANCELLED:
            return [None] * paid
        return []

    def _steps(self, project: Project, plan: _Plan, rows: list[Installment]) -> list[ProjectStep]:
        """The path through the BPMN process this status implies; the last step stays open."""
        status = plan.status
        path: list[tuple[str, str]] = [("draft", "submitted")]
        if status == ProjectStatus.DRAFT:
            path = [("draft", "")]
        elif status == ProjectStatus.REVISION:
            path += [("screening", "revise"), ("draft", "")]
        elif status in (ProjectStatus.SUBMITTED, ProjectStatus.SCREENING):
            path += [("screening", "")]
        elif status == ProjectStatus.REJECTED:
            path += [("screening", "pass"), ("committee", "reject")]
        else:
            path += [
                ("screening", "pass"),
                ("committee", "recommend" if status != ProjectStatus.COMMITTEE else ""),
            ]
            if status != ProjectStatus.COMMITTEE:
                path += [("approval", "approve" if status != ProjectStatus.APPROVAL else "")]
            if status not in (ProjectStatus.COMMITTEE, ProjectStatus.APPROVAL):
                path += [("agreement", "signed" if status != ProjectStatus.APPROVED else "")]
                paid = sum(1 for r in rows if r.status == "disbursed")
                if status == ProjectStatus.AGREEMENT_SIGNED:
                    path += [("disburse", "")]
                for n in range(1, paid + 1):
                    path += [("disburse", "paid")]
                    last = n == len(rows)
                    if last:
                        break
                    if n < paid:
                        path += [("progress_report", "submitted"), ("report_review", "accept")]
                if status == ProjectStatus.IN_PROGRESS:
                    if paid == len(rows):
                        path += [("final_report", "")]
                    elif plan.last_report is None:
                        path += [("progress_report", "")]
                    elif plan.last_report == "submitted":
                        path += [("progress_report", "submitted"), ("report_review", "")]
                    else:
                        path += [
                            ("progress_report", "submitted"),
                            ("report_review", "accept"),
                            ("disburse", ""),
                        ]
                elif status == ProjectStatus.FINAL_REPORT and plan.final_accepted:
                    path += [("final_report", "submitted"), ("final_review", "accept"), ("closure", "")]
                elif status == ProjectStatus.FINAL_REPORT:
                    path += [("final_report", "submitted"), ("final_review", "")]
                elif status == ProjectStatus.CLOSED:
                    path += [("final_report", "submitted"), ("final_review", "accept"), ("closure", "closed")]
                elif status == ProjectStatus.CANCELLED:
                    path += [("closure", "cancelled")]
        closed = status in (ProjectStatus.CLOSED, ProjectStatus.REJECTED, ProjectStatus.CANCELLED)
        plan.path = [(key, outcome) for key, outcome in path if outcome != "cancelled"]
        assert project.start_date is not None
        opened = project.start_date - timedelta(days=90)
        steps = []
        for i, (key, outcome) in enumerate(path):
            step_def = STEPS[key]  # the BPMN task's name and role, as the services record them
            name, role = step_def.name_th, step_def.role
            is_open = i == len(path) - 1 and not closed
            due = opened + timedelta(days=14)
            if is_open:
                # Some open steps are overdue, most are due in the coming weeks.
                opened = self.today - timedelta(days=self.rng.randrange(1, 40))
                due = opened + timedelta(days=self.rng.choice([7, 14, 30, 45]))
            steps.append(
                ProjectStep(
                    project=project,
                    task_key=key,
                    name=name,
                    role=role,
                    opened_at=_aware(opened),
                    due_date=due,
                    completed_at=None if is_open else _aware(opened + timedelta(days=7)),
                    outcome="" if is_open else (outcome or "done"),
                )
            )
            opened = opened + timedelta(days=10)
        return steps

    def _balance_lines(self, lines: list[BudgetLine]) -> None:
        """Set each line's running totals from the rows, and an allocation that covers them."""
        committed: dict[int, Decimal] = defaultdict(lambda: ZERO)
        approved = (
            Project.objects.filter(is_demo=True, approved_amount__isnull=False)
            .exclude(status=ProjectStatus.CANCELLED)
            .order_by()
            .values("budget_line_id")
            .annotate(total=Sum("approved_amount"))
        )
        for row in approved:
            committed[row["budget_line_id"]] += row["total"]
        paid_live = (
            Disbursement.objects.filter(installment__project__is_demo=True)
            .exclude(installment__project__status=ProjectStatus.CANCELLED)
            .order_by()
            .values("budget_line_id")
            .annotate(total=Sum("amount"))
        )
        for row in paid_live:
            committed[row["budget_line_id"]] -= row["total"]
        disbursed = dict(
            Disbursement.objects.filter(budget_line__is_demo=True)
            .order_by()
            .values("budget_line_id")
            .annotate(total=Sum("amount"))
            .values_list("budget_line_id", "total")
        )
        returned = dict(
            FundReturn.objects.filter(budget_line__is_demo=True)
            .order_by()
            .values("budget_line_id")
            .annotate(total=Sum("amount"))
            .values_list("budget_line_id", "total")
        )
        for line in lines:
            line.committed = committed[line.pk]
            line.disbursed = disbursed.get(line.pk, ZERO)
            line.returned = returned.get(line.pk, ZERO)
            used = line.committed + line.disbursed - line.returned
            headroom = Decimal(self.rng.randrange(2, 20) * 1_000_000)
            line.allocated = max(used, ZERO) + headroom
        BudgetLine.objects.bulk_update(
            lines, ["allocated", "committed", "disbursed", "returned"], batch_size=500
        )


@dataclass
class _Plan:
    index: int
    program: Program
    region: str
    fiscal_year: int
    org_id: int
    subdistrict: str
    status: str
    start: date = date(2000, 1, 1)
    indicator: Indicator | None = None
    paid: int = 0
    last_report: str | None = None
    path: list[tuple[str, str]] = field(default_factory=list)
    fixed: tuple[int, str | None, bool] | None = None  # LEADER_EXTRA's last three fields
    lesson: LessonProject | None = None  # one of the closed projects that taught a lesson
    final_accepted: bool = False
