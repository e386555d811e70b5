"""Run background tasks with a heartbeat, putting back the tasks of workers that died.

The worker outlives a database restart: django-tasks' loop lets the first error of a lost
connection end the process, so ``ReconnectingWorker`` catches it, drops the dead connections,
waits (0.5 s doubling to 10 s) until PostgreSQL answers again, puts back in the queue the task it
was cut off in (tasks are idempotent) and carries on — no supervisor needed.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import InterfaceError, OperationalError, close_old_connections, connection, connections
from django_tasks_db.compat import TaskContext, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from codi.core import workers

RECONNECT_FIRST_S = 0.5
RECONNECT_MAX_S = 10.0


class DatabaseLostError(RuntimeError):
    """The worker's database connection died under it (a restart, a network cut)."""


def _connection_lost() -> bool:
    """Whether the default connection is dead (not merely a query that failed on a live one)."""
    if connection.connection is None:
        return True
    try:
        return not connection.is_usable()
    except Exception:  # whatever the driver raises, the connection is unusable
        return True


def _drop_connections() -> None:
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except Exception:  # closing a dead socket may itself fail; it is gone either way
            conn.connection = None


class ReconnectingWorker(Worker):
    """django-tasks' database worker that survives the loss of its database."""

    reconnects = 0

    def run(self) -> None:
        delay = RECONNECT_FIRST_S
        while True:
            try:
                super().run()
                return
            except (OperationalError, InterfaceError, DatabaseLostError) as exc:
                if not self.running:
                    raise
                self.running_task = False
                self.startup_delay = False
                workers.log.warning("task worker lost the database (%s); reconnecting in %.1f s", exc, delay)
                _drop_connections()
                time.sleep(delay)
                delay = min(delay * 2, RECONNECT_MAX_S)
                try:
                    requeued = workers.tasks_requeue_own(worker_id=self.worker_id)
                except (OperationalError, InterfaceError):
                    continue  # still down: the loop above tries again, waiting longer
                finally:
                    close_old_connections()
                self.reconnects += 1
                delay = RECONNECT_FIRST_S
                workers.log.warning(
                    "task worker reconnected; put back in the queue: %s", requeued or "nothing"
                )

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """Run one task; a task cut off by a lost database is left for ``run`` to put back, not failed."""
        self.running_task = True
        try:
            task = db_task_result.task
            result = db_task_result.task_result
            sender = type(task.get_backend())
            task_started.send(sender=sender, task_result=result)
            args = (TaskContext(task_result=result), *result.args) if task.takes_context else result.args
            try:
                value = task.call(*args, **result.kwargs)
            except (OperationalError, InterfaceError) as exc:
                if _connection_lost():
                    raise DatabaseLostError(str(exc)) from exc
                raise
            db_task_result.set_successful(value)
            task_finished.send(sender=sender, task_result=db_task_result.task_result)
        except DatabaseLostError:
            raise
        except (KeyboardInterrupt, SystemExit):
            # A forced stop (the second Ctrl+C or SIGTERM while a task runs: django-tasks exits at
            # once) cuts the task off; it has not failed. It goes back in the queue (tasks are
            # idempotent) for the next worker, instead of staying FAILED and never finishing.
            try:
                workers.tasks_requeue_own(worker_id=self.worker_id, reason="the worker was stopped")
            except (OperationalError, InterfaceError):  # the heartbeat's silence will hand it over
                workers.log.warning("could not put back the task of a stopped worker", exc_info=True)
            raise
        except BaseException as exc:
            if isinstance(exc, (OperationalError, InterfaceError)) and _connection_lost():
                raise DatabaseLostError(str(exc)) from exc  # e.g. writing the result after a restart
            db_task_result.set_failed(exc)
            try:
                task_finished.send(
                    sender=type(db_task_result.task.get_backend()), task_result=db_task_result.task_result
                )
            except Exception:  # the failure is recorded; a broken task path must not stop the worker
                workers.log.exception("task %s failed and its path no longer loads", db_task_result.id)
        finally:
            self.running_task = False
            self._run_tasks += 1


class Command(BaseCommand):
    help = "Run background tasks (database queue); several may run on several machines."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--queue-name", default="*")
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--heartbeat", type=float, default=5.0, help="seconds between signs of life")
        parser.add_argument(
            "--stale-seconds", type=int, default=30, help="a worker silent this long is taken for dead"
        )
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument("--batch", action="store_true", help="stop when the queue is empty")

    def handle(self, *args: Any, **options: Any) -> None:
        worker_id = workers.worker_new_id()
        workers.worker_heartbeat(worker_id=worker_id)
        requeued = workers.tasks_requeue_stalled(stale_seconds=options["stale_seconds"])
        if requeued:
            self.stderr.write(f"put back in the queue: {', '.join(requeued)}")
        stop = threading.Event()

        def beat() -> None:
            # Its own thread and database connection, so a long task does not look like a dead worker.
            ticks = 0
            while not stop.wait(options["heartbeat"]):
                try:
                    workers.worker_heartbeat(worker_id=worker_id)
                    ticks += 1
                    if ticks % 3 == 0:
                        workers.tasks_requeue_stalled(stale_seconds=options["stale_seconds"])
                except Exception:  # a database restart: try again at the next beat
                    workers.log.warning("heartbeat failed", exc_info=True)
                    _drop_connections()
                finally:
                    close_old_connections()
            connection.close()

        thread = threading.Thread(target=beat, name="codi-heartbeat", daemon=True)
        thread.start()
        worker = ReconnectingWorker(
            queue_names=options["queue_name"].split(","),
            interval=options["interval"],
            batch=options["batch"],
            backend_name="default",
            startup_delay=True,
            max_tasks=options["max_tasks"],
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        worker.configure_signals()
        try:
            worker.run()
        finally:
            stop.set()
            thread.join(timeout=10)
            try:
                workers.worker_stopped(worker_id=worker_id)
            except (OperationalError, InterfaceError):
                workers.log.warning("could not remove the heartbeat of %s (database gone)", worker_id)
