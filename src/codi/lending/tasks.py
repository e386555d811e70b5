"""Background work: the month-end NPL snapshot (a scheduler enqueues it in a month's first days)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django_tasks import task

from codi.lending import history


@task()
def npl_snapshot_task(month_end: str = "") -> str:
    """Take the snapshot of ``month_end`` (YYYY-MM-DD; default the month before today's); a month
    already taken is left as it was. Returns the month end taken."""
    day = date.fromisoformat(month_end) if month_end else history.last_closed_month_end(timezone.localdate())
    return history.snapshot_take(month_end=day).month_end.isoformat()
