"""The team calendar: who is on leave, day by day, in one month.

Who sees which people, and how much:
* HR (``Perm.PEOPLE_VIEW``) sees the units of their HR scope and may pick one unit of it; they see
  the leave type and the reason;
* a unit head sees the people they decide leave for (their unit, the heads of the units below) with
  type and reason;
* any other employee sees the colleagues of their own unit, only that they are away: neither the
  type (sick leave is health data) nor the reason.

Approved leave and leave still awaiting a decision are shown (the latter marked); rejected and
cancelled requests are not. Days off come from the shared working-day calendar (``codi.calendar``).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Q

from codi.calendar.selectors import holiday_list
from codi.identity.models import OrgUnit
from codi.identity.roles import Perm
from codi.people.models import LeaveRequest, LeaveStatus
from codi.people.selectors import _led_by, hr_unit_scope, org_units, own_employee

SHOWN = (LeaveStatus.SUPERVISOR, LeaveStatus.HR, LeaveStatus.APPROVED)


@dataclass(frozen=True)
class Away:
    """One person away on one day (``leave_type`` and ``reason`` blank when the viewer may not see them)."""

    name: str
    unit: str
    leave_type: str
    reason: str
    approved: bool
    request_id: int | None


@dataclass
class Day:
    day: date
    holiday: str = ""
    away: list[Away] = field(default_factory=list)

    @property
    def weekend(self) -> bool:
        return self.day.weekday() >= 5


@dataclass
class TeamMonth:
    year: int
    month: int
    detail: bool  # whether types and reasons are shown
    units: list[OrgUnit]  # the units the viewer may pick (HR); empty otherwise
    unit: OrgUnit | None
    weeks: list[list[Day | None]]  # Monday-first weeks; ``None`` pads days of other months
    days: list[Day]

    @property
    def busy_days(self) -> list[Day]:
        return [d for d in self.days if d.away or d.holiday]


def _scope(actor: Any, unit_id: int | None) -> tuple[Q | None, bool, list[OrgUnit], OrgUnit | None]:
    """(employee condition, detail shown, units to pick from, the unit picked) for the viewer."""
    units = hr_unit_scope(actor, Perm.PEOPLE_VIEW)
    if units is None or units:
        choices = list(org_units(units))
        picked = next((u for u in choices if u.pk == unit_id), None)
        if picked is not None:
            return Q(employee__org_unit_id=picked.pk), True, choices, picked
        return (Q() if units is None else Q(employee__org_unit_id__in=units)), True, choices, None
    own = own_employee(actor)
    if own is None:
        return None, False, [], None
    if own.is_unit_head:
        return _led_by(own), True, [], own.org_unit
    return Q(employee__org_unit_id=own.org_unit_id), False, [], own.org_unit


def team_month(*, actor: Any, year: int, month: int, unit_id: int | None = None) -> TeamMonth | None:
    """The month's calendar for ``actor``; ``None`` when they have no team to see."""
    condition, detail, choices, picked = _scope(actor, unit_id)
    if condition is None:
        return None
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    days = {first + timedelta(days=i): Day(first + timedelta(days=i)) for i in range(last.day)}
    for holiday in holiday_list().filter(date__range=(first, last)):
        days[holiday.date].holiday = holiday.name
    rows = (
        LeaveRequest.objects.filter(condition, status__in=SHOWN, start_date__lte=last, end_date__gte=first)
        .select_related("employee", "employee__org_unit", "leave_type")
        .order_by("employee__first_name_th", "employee__last_name_th", "start_date")
    )
    for r in rows:
        day = max(r.start_date, first)
        while day <= min(r.end_date, last):
            counted = r.leave_type.counts_calendar_days or (day.weekday() < 5 and not days[day].holiday)
            if counted:
                days[day].away.append(
                    Away(
                        name=r.employee.full_name,
                        unit=r.employee.org_unit.name_th,
                        leave_type=r.leave_type.name_th if detail else "",
                        reason=r.reason if detail else "",
                        approved=r.status == LeaveStatus.APPROVED,
                        request_id=r.pk if detail else None,
                    )
                )
            day += timedelta(days=1)
    ordered = list(days.values())
    weeks: list[list[Day | None]] = []
    week: list[Day | None] = [None] * first.weekday()
    for d in ordered:
        week.append(d)
        if len(week) == 7:
            weeks.append(week)
            week = []
    if week:
        weeks.append(week + [None] * (7 - len(week)))
    return TeamMonth(year, month, detail, choices, picked, weeks, ordered)


def shift_month(year: int, month: int, step: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + step
    return index // 12, index % 12 + 1
