"""Lateness and absence, per employee and month, from the imported time-clock entries.

* **The rule** (``AttendanceRule``, a dated table): the working day's start and the grace minutes;
  the latest rule valid on the day applies, the unit's own before the general one. The seeded
  general rule is 08:30 with 15 minutes' grace, editable by HR.
* **Late**: a clock-in after the start plus the grace; the minutes late count from the start
  (08:50 against 08:30 + 15 is 20 minutes late, 08:45 is on time).
* **Absent**: a working day of the shared calendar (``codi.calendar``: Monday to Friday, not a
  holiday) inside the employment, up to today, with no clock-in and no approved leave covering it.

Only employees who used the time clock in the month are counted (someone never on the clock is
not absent every day: their attendance is not kept by the clock).
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone

from codi.calendar.selectors import holiday_list
from codi.identity.roles import Perm
from codi.people.models import AttendanceRule, Employee, LeaveRequest, LeaveStatus, TimeClockEntry
from codi.people.selectors import hr_unit_scope, own_employee


@dataclass(frozen=True)
class Rule:
    valid_from: date
    unit_id: int | None
    start: time
    grace: int


@dataclass
class MonthRow:
    employee_id: int
    employee_no: str
    name: str
    unit: str
    working_days: int = 0
    present: int = 0
    leave_days: int = 0
    late_days: list[tuple[date, int]] = field(default_factory=list)  # (day, minutes late)
    absent_days: list[date] = field(default_factory=list)

    @property
    def late_count(self) -> int:
        return len(self.late_days)

    @property
    def late_minutes(self) -> int:
        return sum(minutes for _day, minutes in self.late_days)


def rules() -> list[Rule]:
    return [
        Rule(r.valid_from, r.org_unit_id, r.start_time, r.grace_minutes)
        for r in AttendanceRule.objects.order_by("valid_from", "pk")
    ]


def rule_on(day: date, unit_id: int, table: list[Rule]) -> Rule | None:
    """The unit's latest rule valid on ``day``, else the general one's."""
    own = [r for r in table if r.unit_id == unit_id and r.valid_from <= day]
    general = [r for r in table if r.unit_id is None and r.valid_from <= day]
    pick = own or general
    return max(pick, key=lambda r: r.valid_from) if pick else None


def minutes_late(clock_in: time, rule: Rule) -> int:
    """Minutes after the start when past the grace, else 0."""
    start = datetime.combine(date.min, rule.start)
    arrived = datetime.combine(date.min, clock_in.replace(second=0, microsecond=0))
    late = int((arrived - start).total_seconds() // 60)
    return late if late > rule.grace else 0


def _scope(actor: Any) -> Q | None:
    """HR see the units of their scope; anyone else with an employee record, only themself."""
    units = hr_unit_scope(actor, Perm.PEOPLE_VIEW)
    if units is None:
        return Q()
    if units:
        return Q(org_unit_id__in=units)
    own = own_employee(actor)
    return Q(pk=own.pk) if own is not None else None


def can_view(actor: Any) -> bool:
    return _scope(actor) is not None


def month_report(*, actor: Any, year: int, month: int, unit_id: int | None = None) -> list[MonthRow] | None:
    """One row per employee on the clock in the month (scoped to ``actor``); ``None``: refused."""
    condition = _scope(actor)
    if condition is None:
        return None
    first = date(year, month, 1)
    last = min(date(year, month, calendar.monthrange(year, month)[1]), timezone.localdate())
    if last < first:
        return []
    people = Employee.objects.filter(condition, clock_entries__date__range=(first, last)).distinct()
    if unit_id is not None:
        people = people.filter(org_unit_id=unit_id)
    staff = list(
        people.select_related("org_unit")
        .only("employee_no", "first_name_th", "last_name_th", "org_unit__name_th", "start_date", "end_date")
        .order_by("employee_no")
    )
    ids = [e.pk for e in staff]
    holidays = set(holiday_list().filter(date__range=(first, last)).values_list("date", flat=True))
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    working = [d for d in days if d.weekday() < 5 and d not in holidays]
    clock: dict[int, dict[date, time | None]] = defaultdict(dict)
    for employee_id, day, clock_in in TimeClockEntry.objects.filter(
        employee_id__in=ids, date__range=(first, last)
    ).values_list("employee_id", "date", "time_in"):
        clock[employee_id][day] = clock_in
    on_leave: dict[int, set[date]] = defaultdict(set)
    for employee_id, start, end in LeaveRequest.objects.filter(
        employee_id__in=ids, status=LeaveStatus.APPROVED, start_date__lte=last, end_date__gte=first
    ).values_list("employee_id", "start_date", "end_date"):
        day = max(start, first)
        while day <= min(end, last):
            on_leave[employee_id].add(day)
            day += timedelta(days=1)
    table = rules()
    out = []
    for e in staff:
        row = MonthRow(e.pk, e.employee_no, e.full_name, e.org_unit.name_th)
        for day in working:
            if day < e.start_date or (e.end_date is not None and day > e.end_date):
                continue
            row.working_days += 1
            clock_in = clock[e.pk].get(day)
            if clock_in is not None:
                row.present += 1
                rule = rule_on(day, e.org_unit_id, table)
                late = minutes_late(clock_in, rule) if rule is not None else 0
                if late:
                    row.late_days.append((day, late))
            elif day in on_leave[e.pk]:
                row.leave_days += 1
            else:
                row.absent_days.append(day)
        out.append(row)
    return out
