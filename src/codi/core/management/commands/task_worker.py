"""Run background tasks with a heartbeat, putting back the tasks of workers that died."""

from __future__ import annotations

import threading
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Worker

from codi.core import workers


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
                finally:
                    close_old_connections()
            connection.close()

        thread = threading.Thread(target=beat, name="codi-heartbeat", daemon=True)
        thread.start()
        worker = Worker(
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
            workers.worker_stopped(worker_id=worker_id)
