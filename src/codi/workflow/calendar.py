"""Working-day arithmetic for process SLAs: the one place codi.workflow reads the calendar.

The holidays and the arithmetic are ``codi.calendar``'s (Thai public holidays from the
``holidays`` package plus CODI's own days), the same calendar feedback SLAs and projects use.
"""

from __future__ import annotations

from datetime import date, datetime

from codi.calendar import selectors as calendar


def holidays() -> list[date]:
    return calendar.holiday_dates()


def add_working_days(start: datetime, days: int) -> datetime:
    """``start`` moved forward by ``days`` working days (weekends and public holidays skipped)."""
    return calendar.add_working_days(start, days)


def due_date(opened_at: datetime, days: int) -> date:
    """The due date of a step opened at ``opened_at`` with an SLA of ``days`` working days."""
    return add_working_days(opened_at, days).date()
