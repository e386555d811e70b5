"""Background work: the hourly refresh of the analytics store, kept on schedule in the task queue
(``codi.core.schedule``). Incremental, so a run with nothing new costs a few fingerprint queries.

``marts_schedule`` queues ``refresh_marts_task`` for the start of the next hour unless a run is
already waiting; each scheduled run queues the next, so the worker started by ``make run`` keeps
the marts fresh (the freshness page says "up to date" within 26 hours of a refresh).
``manage.py marts_refresh --schedule`` starts it; `make run` does so after its first build.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django_tasks import task

from codi.core.schedule import queue_once
from codi.insights.marts import store


def next_run(now: datetime) -> datetime:
    """The start of the hour after ``now``'s."""
    return now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)


def marts_schedule(now: datetime | None = None) -> datetime:
    """Queue the next hourly refresh unless one is already waiting; returns when it runs."""
    now = now or timezone.now()
    return queue_once(refresh_marts_task, when=next_run(now), now=now, scheduled=True)


@task()
def refresh_marts_task(full: bool = False, scheduled: bool = False) -> int:
    """Refresh every mart; a scheduled run queues the next hour's. Returns the rows written."""
    written = sum(r.added_rows for r in store.refresh(full=full))
    if scheduled:
        marts_schedule()
    return written
