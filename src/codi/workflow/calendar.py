"""Working-day arithmetic for process SLAs: the one place codi.workflow reads the calendar.

For now it wraps ``codi.feedback.sla`` and the holidays feedback keeps; the integrator switches
this module to the ``codi.calendar`` app without touching its callers.
"""

from __future__ import annotations

from datetime import date, datetime

from codi.feedback.models import Holiday
from codi.feedback.sla import add_working_days as _add_working_days


def holidays() -> list[date]:
    return list(Holiday.objects.values_list("date", flat=True))


def add_working_days(start: datetime, days: int) -> datetime:
    """``start`` moved forward by ``days`` working days (weekends and public holidays skipped)."""
    return _add_working_days(start, days, holidays())


def due_date(opened_at: datetime, days: int) -> date:
    """The due date of a step opened at ``opened_at`` with an SLA of ``days`` working days."""
    return add_working_days(opened_at, days).date()
