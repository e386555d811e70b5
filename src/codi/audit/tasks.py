"""Background work: the scheduled analytics run, kept on schedule in the task queue itself
(idempotent: a flag already in the queue is refreshed, never duplicated).

The platform has no separate scheduler: ``analytics_schedule`` queues ``analytics_run_task`` to run
after 01:00 the next night (``run_after``), and each scheduled run queues the next, so the worker
started by ``make run`` (``manage.py task_worker``) runs every rule nightly without cron. A run
already waiting is not queued twice. ``manage.py audit_run --schedule`` and the e-Audit demo start it.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone
from django_tasks import task

from codi.audit import services
from codi.audit.models import AnalyticsRun
from codi.core.schedule import queue_once

RUN_AT = time(1, 0)  # local time, every night


def next_run(now: datetime) -> datetime:
    """01:00 local on the day after ``now``'s."""
    day = timezone.localtime(now).date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, RUN_AT))


def analytics_schedule(now: datetime | None = None) -> datetime:
    """Queue the next nightly run unless one is already waiting; returns when it runs."""
    now = now or timezone.now()
    return queue_once(analytics_run_task, when=next_run(now), now=now, scheduled=True)


@task()
def analytics_run_task(scheduled: bool = False) -> int:
    """Run every enabled rule; a scheduled run queues the next night's. Returns the new exceptions."""
    new = services.analytics_run(actor=None, trigger=AnalyticsRun.Trigger.SCHEDULED).new
    if scheduled:
        analytics_schedule()
    return new
