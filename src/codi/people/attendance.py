"""Attendance from a time clock: a CSV (or .xlsx) export of employee number, date, in and out.

Every row is checked first, and each problem is reported beside the row as it was written (its
line in the file and its cells). A file with any problem stores nothing: the HR officer fixes the
file and sends it again. A clean file is stored in one transaction with one audit entry. Rows are
keyed by employee and date, so importing the same file again changes nothing, and a corrected
export replaces the day it covers. ``dry_run`` checks and counts without storing.

An employee outside the importer's HR scope is reported as not found (the page does not tell
whether the number exists elsewhere).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from codi.core.audit import audit_record
from codi.core.thaidate import thai_date
from codi.people.importing import Column, _Bad, _date, _require_hr, _text, read_rows
from codi.people.models import Employee, TimeClockEntry

CLOCK_COLUMNS = (
    Column("employee_no", "เลขที่พนักงาน"),
    Column("date", "วันที่"),
    Column("in", "เวลาเข้า", False),
    Column("out", "เวลาออก", False),
)
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})(?::(\d{2}))?$")


@dataclass(frozen=True)
class Problem:
    column: str
    message_th: str
    message_en: str


@dataclass
class BadRow:
    """A row as written in the file, with what is wrong with it."""

    line: int
    cells: dict[str, str]
    problems: list[Problem]


@dataclass
class ClockReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    first_date: date | None = None
    last_date: date | None = None
    errors: list[BadRow] = field(default_factory=list)
    written: bool = False


def _time(key: str, value: Any) -> time | None:
    """``8:30``, ``08:30:15`` or ``08.30``; a spreadsheet time or date-time; blank is no scan."""
    if isinstance(value, datetime):
        return value.time().replace(microsecond=0)
    if isinstance(value, time):
        return value.replace(microsecond=0)
    text = _text(value)
    if not text:
        return None
    match = _TIME.match(text)
    if match:
        hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
        if hour < 24 and minute < 60 and second < 60:
            return time(hour, minute, second)
    raise _Bad(key, "เวลาไม่ถูกต้อง (เช่น 08:30)", "not a time (like 08:30)")


def _check(
    raw: dict[str, Any], employees: dict[str, Employee], today: date
) -> tuple[tuple[Employee, date, time | None, time | None] | None, list[tuple[str, str, str]]]:
    """The row's values, or its problems as (key, Thai, English)."""
    problems: list[tuple[str, str, str]] = []
    number = _text(raw.get("employee_no"))
    employee = employees.get(number)
    if not number:
        problems.append(("employee_no", "กรุณาระบุเลขที่พนักงาน", "the employee number is required"))
    elif employee is None:
        problems.append(
            ("employee_no", "ไม่พบพนักงานเลขที่นี้ในหน่วยงานที่คุณดูแล", "no such employee in your HR scope")
        )
    values: dict[str, Any] = {}
    for key, parse in (("date", _date), ("in", _time), ("out", _time)):
        try:
            values[key] = parse(key, raw.get(key))
        except _Bad as bad:
            problems.append((bad.key, bad.th, bad.en))
    day, time_in, time_out = values.get("date"), values.get("in"), values.get("out")
    if day is not None:
        if day > today:
            problems.append(("date", "วันที่ยังมาไม่ถึง", "the date is in the future"))
        elif employee is not None and (
            day < employee.start_date or (employee.end_date is not None and day > employee.end_date)
        ):
            problems.append(("date", "วันที่อยู่นอกช่วงการจ้างงาน", "the date is outside the employment"))
    if "in" in values and "out" in values:
        if time_in is None and time_out is None:
            problems.append(("in", "ไม่มีทั้งเวลาเข้าและเวลาออก", "neither a time in nor a time out"))
        elif time_in is not None and time_out is not None and time_out <= time_in:
            problems.append(("out", "เวลาออกต้องหลังเวลาเข้า", "the time out must be after the time in"))
    if problems or employee is None or day is None:
        return None, problems
    return (employee, day, time_in, time_out), []


def clock_rows_apply(
    *,
    actor: Any,
    rows: list[tuple[int, dict[str, Any]]],
    labels: dict[str, str],
    scope: set[int] | None,
    dry_run: bool = False,
    source: str = "",
    digest: str = "",
) -> ClockReport:
    report = ClockReport(rows=len(rows))
    numbers = {_text(raw.get("employee_no")) for _, raw in rows}
    employees_q = Employee.objects.filter(employee_no__in=numbers)
    if scope is not None:
        employees_q = employees_q.filter(org_unit_id__in=scope)
    employees = {e.employee_no: e for e in employees_q}
    today = timezone.localdate()
    clean: dict[tuple[int, date], tuple[time | None, time | None]] = {}
    first_line: dict[tuple[int, date], int] = {}
    for line, raw in rows:
        values, problems = _check(raw, employees, today)
        if values is not None:
            employee, day, time_in, time_out = values
            key = (employee.pk, day)
            if key in clean:
                problems.append(
                    (
                        "date",
                        f"ซ้ำกับแถวที่ {first_line[key]}",
                        f"the same employee and date as line {first_line[key]}",
                    )
                )
            else:
                clean[key], first_line[key] = (time_in, time_out), line
        if problems:
            report.errors.append(
                BadRow(
                    line=line,
                    cells={k: _text(raw.get(k)) for k in ("employee_no", "date", "in", "out")},
                    problems=[Problem(labels.get(k, k), th, en) for k, th, en in problems],
                )
            )
    if clean:
        days = [day for _, day in clean]
        report.first_date, report.last_date = min(days), max(days)
    if report.errors:
        return report
    with transaction.atomic():
        existing = {
            (e.employee_id, e.date): e
            for e in TimeClockEntry.objects.select_for_update().filter(
                employee_id__in={pk for pk, _ in clean}, date__in={day for _, day in clean}
            )
        }
        new, changed = [], []
        who = actor if getattr(actor, "pk", None) else None
        for (employee_id, day), (time_in, time_out) in clean.items():
            entry = existing.get((employee_id, day))
            if entry is None:
                new.append(
                    TimeClockEntry(employee_id=employee_id, date=day, time_in=time_in, time_out=time_out,
                                   source=source[:200], imported_by=who)
                )  # fmt: skip
            elif (entry.time_in, entry.time_out) != (time_in, time_out):
                entry.time_in, entry.time_out, entry.source, entry.imported_by = (
                    time_in,
                    time_out,
                    source[:200],
                    who,
                )
                entry.imported_at = timezone.now()
                changed.append(entry)
        report.created, report.updated = len(new), len(changed)
        report.unchanged = len(clean) - len(new) - len(changed)
        if dry_run:
            return report
        TimeClockEntry.objects.bulk_create(new, batch_size=1000)
        TimeClockEntry.objects.bulk_update(
            changed, ["time_in", "time_out", "source", "imported_by", "imported_at"], batch_size=1000
        )
        audit_record(
            actor=who, action="people.time_clock_import", object_type="people.TimeClockEntry",
            changes={"source": source, "sha256": digest, "rows": report.rows, "created": report.created,
                     "updated": report.updated, "unchanged": report.unchanged,
                     "from": report.first_date, "to": report.last_date},
        )  # fmt: skip
        report.written = True
    return report


def time_clock_import(*, actor: Any, path: Path, dry_run: bool = False, source: str = "") -> ClockReport:
    """A time-clock export (``CLOCK_COLUMNS``; Thai or English headers) for the actor's HR scope."""
    scope = _require_hr(actor)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    rows, labels = read_rows(path, CLOCK_COLUMNS)
    return clock_rows_apply(
        actor=actor, rows=rows, labels=labels, scope=scope, dry_run=dry_run, source=source or path.name,
        digest=digest,
    )  # fmt: skip


def period_label(report: ClockReport) -> str:
    if report.first_date is None or report.last_date is None:
        return ""
    return f"{thai_date(report.first_date)} – {thai_date(report.last_date)}"
