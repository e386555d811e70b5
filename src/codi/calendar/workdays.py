"""Working-day arithmetic: weekends and the given holidays do not count.

Deadlines fall at the same local (Asia/Bangkok) time of day as the start, ``days`` working days
later. A start on a weekend or holiday starts counting from the next working day. Pure functions:
the holidays come from ``codi.calendar.selectors.holiday_dates``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.utils import timezone


def is_working_day(day: date, holidays: set[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: datetime, days: int, holidays: Iterable[date]) -> datetime:
    """``start`` moved forward by ``days`` working days (local calendar, same time of day)."""
    off = set(holidays)
    local = timezone.localtime(start)
    day = local.date()
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day, off):
            remaining -= 1
    return local.replace(year=day.year, month=day.month, day=day.day)


def working_days_between(start: datetime, end: datetime, holidays: Iterable[date]) -> int:
    """Whole working days from ``start``'s date to ``end``'s date (0 when end is not later)."""
    off = set(holidays)
    first, last = timezone.localtime(start).date(), timezone.localtime(end).date()
    count = 0
    day = first
    while day < last:
        day += timedelta(days=1)
        if is_working_day(day, off):
            count += 1
    return count
