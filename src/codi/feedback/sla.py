"""Service levels in working days: weekends and the configured Thai public holidays do not count.

Deadlines fall at the same local (Asia/Bangkok) time of day as the report,
``days`` working days later. A report that arrives on a weekend or holiday
starts counting from the next working day.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.utils import timezone

# (acknowledge, resolve) in working days; a SlaPolicy row overrides a category.
DEFAULT_SLA: dict[str, tuple[int, int]] = {
    "disaster": (1, 5),
    "transparency_corruption": (3, 30),
    "project_finance": (3, 10),
    "housing_land": (3, 20),
    "welfare": (3, 10),
    "livelihood_economy": (3, 20),
    "environment": (3, 20),
    "infrastructure": (3, 20),
    "other": (3, 15),
}


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
