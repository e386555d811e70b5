"""The people demo (after ``load_demo`` and ``load_finance_demo``): CODI-like staff in the demo units,
leave requests at every step, last month's payroll approved and posted, training against the plan.

Reproducible (seeded), marked ``is_demo``, and idempotent: a second load adds nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from codi.areas.selectors import region_list
from codi.communities.selectors import organization_list
from codi.core.thaidate import fiscal_year_be
from codi.finance import ledger
from codi.identity.models import OrgUnit, User
from codi.people import importing, leave, payroll, training
from codi.people.models import Competency, CourseAudience, Employee, LeaveType
from codi.people.services import PeopleError

DEMO_SEED = 2570
# About 1,000 staff, as the issue asks, in the demo's units (most of them in the regional office).
STAFF_PER_UNIT = {"HQ": 60, "HQ-IT": 120, "HQ-FIN": 150, "HQ-HR": 70, "HQ-AUDIT": 50, "REG-NE": 550}
FIRST = ["สมชาย", "สมหญิง", "วิภาวดี", "ประเสริฐ", "อรุณี", "สุรเชษฐ์", "กนกวรรณ", "ธนพล", "จันทร์เพ็ญ", "ณัฐวุฒิ",
         "พรทิพย์", "อนุชา", "รัตนา", "ชยพล", "ศิริพร", "วีระ", "มาลัย", "ปิยะ", "นงลักษณ์", "เกียรติศักดิ์"]  # fmt: skip
LAST = ["ใจดี", "รักชุมชน", "ศรีสุข", "บุญมา", "แก้วมณี", "ทองคำ", "พัฒนกิจ", "มั่นคง", "สายทอง", "วงศ์ใหญ่"]
POSITIONS = [("นักพัฒนาชุมชน", "ปฏิบัติการ", "28000"), ("นักพัฒนาชุมชน", "ชำนาญการ", "38000"),
             ("เจ้าหน้าที่บริหารงานทั่วไป", "ปฏิบัติการ", "22000"), ("นักวิชาการเงินและบัญชี", "ชำนาญการ", "36000"),
             ("นักวิชาการคอมพิวเตอร์", "ชำนาญการ", "42000"), ("ผู้อำนวยการฝ่าย", "บริหาร", "75000")]  # fmt: skip
# The regional office's staff work in its CODI region (the KPI breakdown by region).
REGIONAL_OFFICE = ("REG-NE", "northeast")
# Demo accounts (from load_demo) who are also employees: username → (unit, head of the unit)
LINKED = {"demo_executive": ("HQ", True), "demo_director": ("REG-NE", True), "demo_officer": ("REG-NE", False),
          "demo_hr": ("HQ-HR", False), "demo_finance": ("HQ-FIN", False)}  # fmt: skip


def national_id(n: int, seed: int = DEMO_SEED) -> str:
    body = f"3{seed:04d}{n:07d}"
    check = (11 - sum(int(d) * (13 - i) for i, d in enumerate(body)) % 11) % 10
    return body + str(check)


def employee_rows(
    count: int, unit_codes: list[str], *, prefix: str = "D", linked: dict[str, tuple[str, bool]] | None = None,
    seed: int = DEMO_SEED,
) -> list[tuple[int, dict[str, Any]]]:  # fmt: skip
    """``count`` reproducible employee rows as the import reads them, spread evenly over ``unit_codes``
    (the linked accounts first, in their units)."""
    rng = random.Random(seed)  # noqa: S311 — reproducible demo data, not security
    born = random.Random(seed + 1)  # noqa: S311 — its own stream: the other columns stay as they were
    queue = [(code, name, head) for name, (code, head) in (linked or {}).items() if code in unit_codes]
    rows = []
    for n in range(1, count + 1):
        code, username, head = queue.pop(0) if queue else (unit_codes[(n - 1) % len(unit_codes)], "", False)
        title, level, salary = POSITIONS[5] if head else rng.choice(POSITIONS[:5])
        children = ";".join(str(y) for y in sorted(rng.sample(range(2008, 2024), rng.choice([0, 0, 1, 2]))))
        rows.append((n + 1, {
            "employee_no": f"{prefix}{n:05d}", "first_name_th": rng.choice(FIRST), "last_name_th": rng.choice(LAST) + " (ตัวอย่าง)",
            "employment_type": "employee", "position": title, "level": level, "org_unit": code,
            "salary": str(int(salary) + 500 * rng.randrange(0, 9)), "start_date": date(2015 + rng.randrange(10), rng.randrange(1, 13), 1),
            "national_id": national_id(n, seed), "bank_code": "006", "bank_account": f"98{seed % 100:02d}{n:07d}",
            "spouse": "1" if rng.random() < 0.3 else "0", "children_birth_years": children,
            "parents": str(rng.choice([0, 0, 1, 2])), "pvd_rate": rng.choice(["0", "3", "5"]), "pvd_employer_rate": "5",
            "monthly_allowance": rng.choice(["0", "0", "1500"]), "monthly_deduction": rng.choice(["0", "0", "500", "2000"]),
            "is_unit_head": "1" if head else "0", "username": username,
            # born 1965-1990: 15 or older at any start date from 2015, 12+ years before any child
            "birth_date": date(1965 + born.randrange(26), born.randrange(1, 13), born.randrange(1, 29)),
        }))  # fmt: skip
    return rows


@dataclass
class PeopleDemoSummary:
    employees_created: int = 0
    leave_by_status: dict[str, int] = field(default_factory=dict)
    payroll_run: str = ""
    journal_entry: str = ""
    courses_created: int = 0
    errors: list[str] = field(default_factory=list)


def _employees(units: dict[str, OrgUnit]) -> int:
    """The staff through the employee import (checked and written in bulk, one audit entry);
    names of the linked demo accounts come from the accounts."""
    users = dict(User.objects.filter(username__in=LINKED).values_list("username", "name_th"))
    linked = {name: where for name, where in LINKED.items() if name in users}
    codes = [code for code, count in STAFF_PER_UNIT.items() for _ in range(count)]
    rows = employee_rows(len(codes), codes, linked=linked)
    regional = region_list().filter(code=REGIONAL_OFFICE[1]).exists()
    for _line, row in rows:
        if row["username"] and users[row["username"]]:
            row["first_name_th"] = users[row["username"]].split(" ")[0]
        if regional and row["org_unit"] == REGIONAL_OFFICE[0]:
            row["region"] = REGIONAL_OFFICE[1]
    report = importing.employee_rows_apply(actor=None, rows=rows, is_demo=True, source="load_people_demo")
    if report.errors:
        raise PeopleError("ข้อมูลตัวอย่างไม่ผ่านการตรวจ", "; ".join(str(e) for e in report.errors[:5]))
    return report.created


def _next_weekday(day: date, offset: int) -> date:
    day += timedelta(days=offset)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _leave(summary: PeopleDemoSummary) -> None:
    today = timezone.localdate()
    officer = Employee.objects.filter(user__username="demo_officer").first()
    director = User.objects.filter(username="demo_director").first()
    hr = User.objects.filter(username="demo_hr").first()
    if officer is None or director is None or hr is None:
        summary.errors.append("demo_officer, demo_director or demo_hr missing: run load_demo first")
        return
    vacation, sick, personal = (LeaveType.objects.get(code=c) for c in ("vacation", "sick", "personal"))
    plans = [  # (type, start offset in days, length, how far it goes)
        (vacation, 14, 2, "supervisor"), (sick, -20, 1, "approved"), (personal, 30, 1, "hr"), (vacation, 45, 1, "rejected"),
    ]  # fmt: skip
    for leave_type, offset, length, goal in plans:
        start = _next_weekday(today, offset)
        end = _next_weekday(start, length - 1)
        if fiscal_year_be(start) != fiscal_year_be(end):
            continue
        try:
            request = leave.leave_request_create(
                actor=officer.user, employee=officer, leave_type=leave_type, start_date=start, end_date=end,
                reason="ข้อมูลตัวอย่าง", is_demo=True,
            )  # fmt: skip
            if goal in {"hr", "approved"}:
                request = leave.leave_decide(actor=director, request=request, decision="approve")
            if goal == "approved":
                request = leave.leave_decide(actor=hr, request=request, decision="approve")
            if goal == "rejected":
                request = leave.leave_decide(
                    actor=director, request=request, decision="reject", comment="ช่วงงานเร่งด่วน"
                )
            summary.leave_by_status[request.status] = summary.leave_by_status.get(request.status, 0) + 1
        except PeopleError as exc:
            summary.errors.append(exc.message_en)


def _payroll(summary: PeopleDemoSummary) -> None:
    hr = User.objects.filter(username="demo_hr").first()
    approver = User.objects.filter(username="demo_executive").first()
    if hr is None or approver is None:
        summary.errors.append("demo_hr or demo_executive missing: run load_demo first")
        return
    first_of_month = timezone.localdate().replace(day=1)
    pay_date = first_of_month - timedelta(days=5)  # the 25th or so of last month
    ledger.chart_load(actor=None)
    ledger.fiscal_year_ensure(actor=None, year_be=ledger.fiscal_year_of(pay_date))
    try:
        run = payroll.payroll_run_create(
            actor=hr, year=pay_date.year, month=pay_date.month, pay_date=pay_date, is_demo=True
        )
        run = payroll.payroll_submit(actor=hr, run=run)
        run = payroll.payroll_approve(actor=approver, run=run, decision="approve")
        summary.payroll_run, summary.journal_entry = run.period, run.journal_entry_number
    except (PeopleError, ledger.FinanceError) as exc:
        summary.errors.append(getattr(exc, "message_en", str(exc)))


def _training(rng: random.Random, summary: PeopleDemoSummary) -> None:
    today = timezone.localdate()
    start_of_year = training._fy_bounds(training.current_fiscal_year(today))[0]
    staff = list(
        Employee.objects.filter(is_demo=True)
        .defer("national_id", "bank_account", "birth_date")
        .order_by("employee_no")
    )
    courses: list[tuple[str, str, str, float]] = [
        ("ทักษะดิจิทัลพื้นฐานสำหรับบุคลากร", Competency.DIGITAL_LITERACY, CourseAudience.STAFF, 0.6),
        ("ธรรมาภิบาลข้อมูลและ PDPA", Competency.DATA_GOVERNANCE, CourseAudience.STAFF, 0.4),
        ("การใช้ AI สร้างเนื้อหาและงานเอกสาร", Competency.AI_WORK, CourseAudience.STAFF, 0.25),
        ("ผู้นำชุมชนยุคดิจิทัล รุ่นที่ 1", Competency.DIGITAL_LITERACY, CourseAudience.LEADERS, 0.0),
    ]
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=("HQ-HR", REGIONAL_OFFICE[0]))}
    # the leaders' organizations: read from the registry as the demo executive sees it (country-wide)
    executive = User.objects.filter(username="demo_executive").first()
    organizations = list(organization_list(actor=executive)[:25]) if executive is not None else []
    for index, (title, competency, audience, share) in enumerate(courses):
        leaders = audience == CourseAudience.LEADERS
        course = training.course_create(
            actor=None, title=title, competency=competency, audience=audience,
            start_date=min(start_of_year + timedelta(days=20 * (index + 1)), today), is_demo=True,
            org_unit=units.get(REGIONAL_OFFICE[0] if leaders else "HQ-HR"),
        )  # fmt: skip
        summary.courses_created += 1
        if leaders:
            for i in range(40):
                training.attendance_record(
                    actor=None, course=course, leader_name=f"{rng.choice(FIRST)} ผู้นำที่ {i + 1}",
                    organization=organizations[i % len(organizations)] if organizations else None,
                )  # fmt: skip
        else:
            chosen = rng.sample(staff, int(len(staff) * share))
            training.attendance_record_many(
                actor=None, course=course, participants=[(e, rng.random() < 0.8) for e in chosen]
            )


def people_demo_load() -> PeopleDemoSummary:
    """Create the demo once; a second call finds it and adds nothing."""
    summary = PeopleDemoSummary()
    if Employee.objects.filter(is_demo=True).exists():
        return summary
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=STAFF_PER_UNIT)}
    missing = sorted(set(STAFF_PER_UNIT) - set(units))
    if missing:
        summary.errors.append(f"org units missing ({', '.join(missing)}): run load_demo first")
        return summary
    rng = random.Random(DEMO_SEED)  # noqa: S311 — reproducible demo data, not security
    with transaction.atomic():
        summary.employees_created = _employees(units)
        _training(rng, summary)
    _leave(summary)
    _payroll(summary)
    return summary


def describe(summary: PeopleDemoSummary) -> list[str]:
    lines = [
        f"employees created: {summary.employees_created}",
        "leave requests: "
        + (", ".join(f"{k} {v}" for k, v in sorted(summary.leave_by_status.items())) or "none"),
        f"payroll run: {summary.payroll_run or 'none'} (journal entry {summary.journal_entry or '-'})",
        f"courses created: {summary.courses_created}",
    ]
    return lines + [f"error: {e}" for e in summary.errors]
