"""Reads of the working-day calendar."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import QuerySet

from codi.calendar import workdays
from codi.calendar.models import Holiday


def holiday_dates() -> list[date]:
    """Every day off in the calendar (public holidays loaded and CODI closures)."""
    return list(Holiday.objects.values_list("date", flat=True))


def holiday_list(*, year: int | None = None) -> QuerySet[Holiday]:
    rows = Holiday.objects.all()
    return rows.filter(date__year=year) if year is not None else rows


def add_working_days(start: datetime, days: int) -> datetime:
    """``start`` plus ``days`` working days of CODI's calendar."""
    return workdays.add_working_days(start, days, holiday_dates())


def working_days_between(start: datetime, end: datetime) -> int:
    return workdays.working_days_between(start, end, holiday_dates())
