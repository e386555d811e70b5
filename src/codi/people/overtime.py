"""Overtime and cost-centre shares: HR records them in their unit's scope; payroll reads them.

Overtime follows the Labour Protection Act B.E. 2541 as CODI applies it to its staff:

* s.61 — overtime on a working day: 1.5× the hourly wage;
* s.62(1) — work on a holiday in normal hours: 1× the hourly wage more (the monthly-paid are
  already paid for the day);
* s.63 — overtime on a holiday: 3× the hourly wage;
* s.65(1) — an employee who acts for the employer (a unit head here) is not paid s.61/s.63
  overtime; holiday work is still paid;
* the Ministerial Regulation on working hours: overtime and holiday work together at most
  36 hours in a week.

The hourly wage is the month ÷ 30 (s.68) ÷ 8 (``codi.people.tax.overtime_pay``). An entry is paid
in the run of the month it was worked, so a month that has an approved run is closed to entries.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum

from codi.calendar.selectors import holiday_dates
from codi.core.audit import audit_record
from codi.identity.models import OrgUnit
from codi.people.models import CostSplit, Employee, OvertimeEntry, OvertimeKind, PayrollRun, PayrollStatus
from codi.people.selectors import can_manage
from codi.people.services import PeopleError

WEEKLY_LIMIT = Decimal("36")
HEAD_EXCLUDED = {OvertimeKind.WORKDAY, OvertimeKind.HOLIDAY_OT}
CENTRE_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-/._]{0,39}$")


def _hours(value: Any) -> Decimal:
    try:
        hours = Decimal(str(value))
    except (InvalidOperation, ValueError):
        hours = Decimal("-1")
    if not hours.is_finite() or hours <= 0 or hours > 12 or hours != hours.quantize(Decimal("0.01")):
        raise PeopleError(
            "ชั่วโมงทำงานล่วงเวลาต้องมากกว่า 0 และไม่เกิน 12 ชั่วโมงต่อวัน",
            "Overtime hours are above 0 and at most 12 a day",
        )
    return hours


def _period_open(work_date: date) -> None:
    closed = PayrollRun.objects.filter(
        year=work_date.year, month=work_date.month, status=PayrollStatus.APPROVED
    ).exists()
    if closed:
        raise PeopleError(
            f"งวดเงินเดือน {work_date.month}/{work_date.year + 543} อนุมัติแล้ว บันทึกค่าล่วงเวลาในงวดนี้ไม่ได้",
            f"The {work_date:%Y-%m} payroll is approved: its overtime is closed",
        )


def overtime_record(
    *,
    actor: Any,
    employee: Employee,
    work_date: date,
    kind: str,
    hours: Any,
    reason: str = "",
    is_demo: bool = False,
) -> OvertimeEntry:
    """One day's overtime of one kind, checked against the calendar, s.65 and the weekly limit."""
    if actor is not None and not can_manage(actor, employee):
        raise PermissionDenied
    if kind not in OvertimeKind.values:
        raise PeopleError("ประเภทค่าล่วงเวลาไม่ถูกต้อง", "Unknown overtime kind")
    amount = _hours(hours)
    if employee.is_unit_head and kind in HEAD_EXCLUDED:
        raise PeopleError(
            "หัวหน้าหน่วยงานไม่มีสิทธิได้ค่าล่วงเวลา (พ.ร.บ.คุ้มครองแรงงาน มาตรา 65(1)) ได้เฉพาะค่าทำงานในวันหยุด",
            "A unit head is not paid overtime (LPA s.65(1)); only holiday work",
        )
    is_holiday = work_date.weekday() >= 5 or work_date in set(holiday_dates())
    if is_holiday != (kind != OvertimeKind.WORKDAY):
        raise PeopleError(
            "วันที่เลือกไม่ตรงกับประเภท (วันทำงาน หรือ วันหยุด ตามปฏิทินกลาง)",
            "The date does not match the kind (working day or holiday, by the shared calendar)",
        )
    if employee.start_date > work_date or (employee.end_date and employee.end_date < work_date):
        raise PeopleError("วันที่อยู่นอกช่วงการจ้างงาน", "The date is outside the employment")
    monday = work_date - timedelta(days=work_date.weekday())
    with transaction.atomic():
        Employee.objects.select_for_update().get(pk=employee.pk)
        _period_open(work_date)
        if OvertimeEntry.objects.filter(employee=employee, work_date=work_date, kind=kind).exists():
            raise PeopleError(
                "มีรายการค่าล่วงเวลาประเภทนี้ของวันนี้แล้ว", "This day already has overtime of this kind"
            )
        week = OvertimeEntry.objects.filter(
            employee=employee, work_date__range=(monday, monday + timedelta(days=6))
        ).aggregate(h=Sum("hours"))["h"] or Decimal("0")
        if week + amount > WEEKLY_LIMIT:
            raise PeopleError(
                f"ทำงานล่วงเวลาและวันหยุดรวมเกิน 36 ชั่วโมงต่อสัปดาห์ (มีแล้ว {week} ชั่วโมง)",
                f"Overtime and holiday work exceed 36 hours in the week ({week} already)",
            )
        entry = OvertimeEntry.objects.create(
            employee=employee, work_date=work_date, kind=kind, hours=amount, reason=reason.strip()[:300],
            created_by=actor if getattr(actor, "pk", None) else None, is_demo=is_demo,
        )  # fmt: skip
        audit_record(
            actor=actor, action="people.overtime_record", object_type="people.OvertimeEntry", object_id=entry.pk,
            changes={"employee": employee.employee_no, "date": work_date, "kind": kind, "hours": amount},
        )  # fmt: skip
    return entry


def overtime_delete(*, actor: Any, entry: OvertimeEntry) -> None:
    """Remove an entry of a month that is not yet paid."""
    if not can_manage(actor, entry.employee):
        raise PermissionDenied
    with transaction.atomic():
        _period_open(entry.work_date)
        audit_record(
            actor=actor, action="people.overtime_delete", object_type="people.OvertimeEntry", object_id=entry.pk,
            changes={"employee": entry.employee.employee_no, "date": entry.work_date, "hours": entry.hours},
        )  # fmt: skip
        entry.delete()


def cost_split_set(*, actor: Any, employee: Employee, shares: list[tuple[str, Any]]) -> list[CostSplit]:
    """Replace the employee's cost-centre shares; they add up to exactly 100 %. An empty list
    charges the whole cost to the employee's own unit again."""
    if actor is not None and not can_manage(actor, employee):
        raise PermissionDenied
    cleaned: dict[str, Decimal] = {}
    for code, percent in shares:
        code = str(code).strip()
        if not CENTRE_CODE.match(code):
            raise PeopleError(f"รหัสศูนย์ต้นทุนไม่ถูกต้อง: {code!r}", f"Invalid cost-centre code: {code!r}")
        try:
            value = Decimal(str(percent))
        except (InvalidOperation, ValueError):
            value = Decimal("-1")
        if not value.is_finite() or value <= 0 or value > 100 or value != value.quantize(Decimal("0.01")):
            raise PeopleError(
                f"สัดส่วนของ {code} ต้องมากกว่า 0 ไม่เกิน 100 ทศนิยมไม่เกิน 2 ตำแหน่ง",
                f"The share of {code} is above 0, at most 100, with at most 2 decimals",
            )
        if code in cleaned:
            raise PeopleError(f"ศูนย์ต้นทุน {code} ซ้ำ", f"Cost centre {code} is listed twice")
        cleaned[code] = value
    if cleaned and sum(cleaned.values()) != 100:
        raise PeopleError(
            f"สัดส่วนรวมต้องเท่ากับร้อยละ 100 (ได้ {sum(cleaned.values())})",
            f"The shares add up to 100 % (they add up to {sum(cleaned.values())})",
        )
    units = set(OrgUnit.objects.filter(code__in=cleaned).values_list("code", flat=True))
    with transaction.atomic():
        CostSplit.objects.filter(employee=employee).delete()
        rows = CostSplit.objects.bulk_create(
            [CostSplit(employee=employee, cost_centre=code, percent=p) for code, p in cleaned.items()]
        )
        audit_record(
            actor=actor, action="people.cost_split_set", object_type="people.Employee", object_id=employee.pk,
            changes={"shares": {c: str(p) for c, p in cleaned.items()}, "projects": sorted(set(cleaned) - units)},
        )  # fmt: skip
    return rows
