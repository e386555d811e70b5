"""The demo of payroll's later parts, time and self-service (after ``people_demo_load``), all
through the real services:

* last month's time clock for demo_officer and 29 colleagues of the regional office, imported as a
  CSV file (``attendance.time_clock_import``): most arrive on time, every fifth day one is late,
  and a few days have no entry (absences on the lateness page);
* three staff of the IT unit get a raise dated back to the first of last month, recorded now
  (``services.employee_salary_change``): this month's run settles their back pay;
* last month's approved run is e-mailed (``payslip_mail``): the mailing is opened and its
  notifications queued (the worker delivers them, with the locked PDFs);
* demo_officer asks HR to record a spouse, two children and a parent (``selfservice``).

Idempotent: a second load finds each part and adds nothing.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from codi.identity.models import User
from codi.people import attendance, payslip_mail, selfservice, services
from codi.people.models import ChangeKind, Employee, PayrollRun, PayrollStatus, SalaryChange, TimeClockEntry
from codi.people.services import PeopleError

CLOCK_FILE = "demo-clock.csv"
RAISE_REASON = "เลื่อนขั้นย้อนหลัง (ตัวอย่าง)"
CLOCKED_STAFF = 30
DEPENDANTS = {
    "spouse_name": "สมศรี ใจดี (ตัวอย่าง)",
    "spouse_no_income": "1",
    "children": "ด.ช. ต้นกล้า (ตัวอย่าง), 2016\nด.ญ. ใบข้าว (ตัวอย่าง), 2020",
    "parents": "นางบุญมี ใจดี (ตัวอย่าง)",
}


@dataclass
class TimeDemoSummary:
    clock_entries: int = 0
    raises: int = 0
    payslips_queued: int = 0
    dependants_request: str = ""
    errors: list[str] = field(default_factory=list)


def _clock_lines(staff: list[Employee], first: date, last: date) -> list[str]:
    lines, day, n = [], first, 0
    while day <= last:
        if day.weekday() < 5:
            for i, e in enumerate(staff):
                n += 1
                if n % 37 == 0:
                    continue  # no entry: absent (unless on leave)
                late = (day.day + i) % 5 == 0
                clock_in = f"08:{40 + i % 15:02d}" if late else f"08:{10 + i % 20:02d}"
                lines.append(f"{e.employee_no},{day.isoformat()},{clock_in},16:{30 + i % 25:02d}")
        day += timedelta(days=1)
    return lines


def _clock(hr: User, summary: TimeDemoSummary) -> None:
    if TimeClockEntry.objects.filter(source=CLOCK_FILE).exists():
        return
    first = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    last = timezone.localdate().replace(day=1) - timedelta(days=1)
    officer = Employee.objects.filter(user__username="demo_officer").first()
    staff = list(
        Employee.objects.filter(org_unit__code="REG-NE", is_demo=True, start_date__lte=first)
        .exclude(user__username="demo_officer")
        .order_by("employee_no")[: CLOCKED_STAFF - 1]
    )
    if officer is not None and officer.start_date <= first:
        staff.insert(0, officer)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / CLOCK_FILE
        path.write_text(
            "employee_no,date,in,out\n" + "\n".join(_clock_lines(staff, first, last)) + "\n", encoding="utf-8"
        )
        report = attendance.time_clock_import(actor=hr, path=path, source=CLOCK_FILE)
    if report.errors:
        summary.errors.append(f"time clock: {len(report.errors)} bad rows")
    summary.clock_entries = report.created


def _raises(hr: User, summary: TimeDemoSummary) -> None:
    if SalaryChange.objects.filter(reason=RAISE_REASON).exists():
        return
    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    for employee in Employee.objects.filter(org_unit__code="HQ-IT", is_demo=True).order_by("employee_no")[:3]:
        services.employee_salary_change(
            actor=hr, employee=employee, salary=employee.salary + Decimal("1200.00"), effective_date=last_month,
            reason=RAISE_REASON,
        )  # fmt: skip
        summary.raises += 1


def time_demo_load() -> TimeDemoSummary:
    summary = TimeDemoSummary()
    hr = User.objects.filter(username="demo_hr").first()
    officer = User.objects.filter(username="demo_officer").first()
    if hr is None or officer is None or not Employee.objects.filter(is_demo=True).exists():
        summary.errors.append("demo_hr, demo_officer or the demo staff missing: run load_people_demo first")
        return summary
    try:
        _clock(hr, summary)
        _raises(hr, summary)
        run = (
            PayrollRun.objects.filter(is_demo=True, status=PayrollStatus.APPROVED)
            .order_by("-year", "-month")
            .first()
        )
        if run is not None:
            mailing = payslip_mail.mailing_start(actor=hr, run=run)
            before = mailing.queued
            summary.payslips_queued = payslip_mail.mailing_send(mailing_id=mailing.pk).queued - before
        if not selfservice.my_changes(actor=officer).filter(kind=ChangeKind.DEPENDANTS).exists():
            change = selfservice.change_submit(actor=officer, kind=ChangeKind.DEPENDANTS, values=DEPENDANTS)
            summary.dependants_request = change.proposed_masked
    except PeopleError as exc:
        summary.errors.append(exc.message_en)
    return summary


def describe(summary: TimeDemoSummary) -> list[str]:
    lines = [
        f"time-clock entries imported: {summary.clock_entries}",
        f"back-dated raises: {summary.raises}",
        f"payslip e-mails queued: {summary.payslips_queued}",
        f"dependants request: {summary.dependants_request or 'none'}",
    ]
    return lines + [f"error: {e}" for e in summary.errors]
