"""Background-task workers that survive one another's death.

django-tasks' database worker marks a task RUNNING when it claims it and never
looks at it again if the process is killed (``kill -9``, out of memory, a lost
machine). Each worker started by ``manage.py task_worker`` therefore writes a
heartbeat row every few seconds; any worker puts back in the queue the RUNNING
tasks whose worker has been silent for ``stale_seconds``. Tasks are written to
be idempotent (they take ids and resume from what the database holds), so
running one again finishes it without duplicates. A task put back
``MAX_ATTEMPTS`` times is marked failed instead of looping for ever.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from codi.core.models import TaskWorkerHeartbeat

log = logging.getLogger("codi.tasks")
MAX_ATTEMPTS = 5


class WorkerLostError(RuntimeError):
    """Recorded on a task whose workers died too many times while running it."""


def worker_new_id() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(4)}"


def worker_heartbeat(*, worker_id: str) -> None:
    """Record that ``worker_id`` is alive now."""
    now = timezone.now()
    updated = TaskWorkerHeartbeat.objects.filter(worker_id=worker_id).update(seen_at=now)
    if not updated:
        TaskWorkerHeartbeat.objects.create(
            worker_id=worker_id,
            hostname=socket.gethostname()[:255],
            pid=os.getpid(),
            started_at=now,
            seen_at=now,
        )


def worker_stopped(*, worker_id: str) -> None:
    TaskWorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def tasks_requeue_stalled(*, stale_seconds: int = 30) -> list[str]:
    """Put RUNNING tasks of silent workers back in the queue; return their ids.

    A worker is silent when it has no heartbeat newer than ``stale_seconds`` (or never
    wrote one, e.g. a plain ``db_worker`` that died — it is given the same grace from the
    task's start).
    """
    cutoff = timezone.now() - timedelta(seconds=stale_seconds)
    alive = set(TaskWorkerHeartbeat.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True))
    requeued: list[str] = []
    with transaction.atomic():
        running = DBTaskResult.objects.select_for_update(skip_locked=True).filter(
            status=TaskResultStatus.RUNNING, started_at__lt=cutoff
        )
        for result in running:
            owner = result.worker_ids[-1] if result.worker_ids else ""
            if owner in alive:
                continue
            if len(result.worker_ids) >= MAX_ATTEMPTS:
                result.set_failed(WorkerLostError(f"workers died {len(result.worker_ids)} times running it"))
                log.error("task %s failed: its workers died %d times", result.id, len(result.worker_ids))
                continue
            result.status = TaskResultStatus.READY
            result.started_at = None
            result.save(update_fields=["status", "started_at"])
            requeued.append(str(result.id))
            log.warning(
                "task %s (%s) put back in the queue: worker %s is gone", result.id, result.task_path, owner
            )
        TaskWorkerHeartbeat.objects.filter(seen_at__lt=cutoff - timedelta(hours=1)).delete()
    return requeued


def tasks_requeue_own(*, worker_id: str, reason: str = "the database was lost") -> list[str]:
    """Put back in the queue the RUNNING tasks of ``worker_id`` itself; return their ids.

    A worker runs one task at a time, so when it is back in its loop after losing the database
    (a PostgreSQL restart) any task still RUNNING under its name was cut off: the result could not
    be written. It goes back in the queue (tasks are idempotent), counted as an attempt like the
    task of a dead worker. The same holds for a task cut off by a forced stop of the worker.
    """
    requeued: list[str] = []
    with transaction.atomic():
        running = DBTaskResult.objects.select_for_update(skip_locked=True).filter(
            status=TaskResultStatus.RUNNING
        )  # few rows; JSON containment is not portable to SQLite, so the owner is checked here
        for result in running:
            if not result.worker_ids or result.worker_ids[-1] != worker_id:
                continue
            if len(result.worker_ids) >= MAX_ATTEMPTS:
                result.set_failed(WorkerLostError(f"cut off {len(result.worker_ids)} times running it"))
                continue
            result.status = TaskResultStatus.READY
            result.started_at = None
            result.save(update_fields=["status", "started_at"])
            requeued.append(str(result.id))
            log.warning("task %s (%s) put back in the queue: %s", result.id, result.task_path, reason)
    return requeued
