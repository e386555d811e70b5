"""Background work: the month-end NPL snapshot, on a schedule kept in the task queue itself.

The platform has no separate scheduler for monthly work: ``npl_snapshot_schedule`` puts
``npl_snapshot_task`` in the queue to run after 02:00 on the first day of the next month
(``run_after``), and the task, once it has run, puts in its successor, so the worker started by
``make run`` (``manage.py task_worker``) takes a snapshot at every month's start without cron. It is
idempotent: a snapshot already waiting in the queue is not queued twice, and a month already taken
is left as it was. The demo loader and ``manage.py lending_npl_snapshot --schedule`` start it.
"""

from __future__ import annotations

from datetime import date, datetime, time

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django_tasks import task

from codi.core.schedule import queue_once
from codi.lending import backfill, history

RUN_AT = time(2, 0)  # local time on the first day of a month


def next_run(now: datetime) -> datetime:
    """02:00 local on the first day of the month after ``now``'s."""
    first = timezone.localtime(now).date().replace(day=1) + relativedelta(months=1)
    return timezone.make_aware(datetime.combine(first, RUN_AT))


def npl_snapshot_schedule(now: datetime | None = None) -> datetime:
    """Queue the next month-start snapshot unless one is already waiting; returns when it runs."""
    now = now or timezone.now()
    return queue_once(npl_snapshot_task, when=next_run(now), now=now)


@task()
def npl_snapshot_task(month_end: str = "") -> str:
    """Take the snapshot of ``month_end`` (YYYY-MM-DD; default the month before today's), rebuilt as
    it stood at the month's end where the book allows (``backfill.snapshot_take_exact``); a month
    already taken is left as it was. Queues the next month's run (a scheduled run only: one given a
    month is a catch-up). Returns the month end taken."""
    day = date.fromisoformat(month_end) if month_end else history.last_closed_month_end(timezone.localdate())
    taken = backfill.snapshot_take_exact(month_end=day)[0].month_end.isoformat()
    if not month_end:
        npl_snapshot_schedule()
    return taken
