"""Recurring work kept on schedule in the task queue itself (no cron, no separate scheduler).

A recurring task is queued with ``run_after`` set to its next time; when it has run, it queues its
successor through the same call. ``queue_once`` is that call: it leaves a run already waiting in
the queue as it is (returning when it runs), so starting a schedule twice, or a catch-up run
rescheduling, never doubles it. The worker that ``make run`` starts (``manage.py task_worker``)
picks each run up when its time comes. Used by the nightly e-Audit analytics, the month-end NPL
snapshot and the hourly refresh of the analytics store.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult


def queue_once(task: Any, *, when: datetime, now: datetime | None = None, **kwargs: Any) -> datetime:
    """Queue ``task(**kwargs)`` to run after ``when`` unless a run of it is already waiting for a
    time after ``now``; returns the time the waiting (or new) run is due."""
    now = now or timezone.now()
    waiting = (
        DBTaskResult.objects.filter(
            task_path=task.module_path, status=TaskResultStatus.READY, run_after__gt=now
        )
        .order_by("run_after")
        .values_list("run_after", flat=True)
        .first()
    )
    if waiting is not None:
        return waiting
    task.using(run_after=when).enqueue(**kwargs)
    return when
