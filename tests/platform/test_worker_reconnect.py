"""A task worker outlives a PostgreSQL restart (issue 14, bad input / drill).

The test starts a PostgreSQL cluster of its own (the test database's server is not restarted
under the rest of the suite), gives it the two tables a worker needs, starts one
``manage.py task_worker`` and restarts PostgreSQL (``pg_ctl restart -m fast``) twice: once while
the worker waits for work, once in the middle of a task. The same worker process must stay up,
finish the task cut off by the restart (put back in the queue, run again: two claims by the same
worker) and run a task queued after the restart.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PG_BINDIR = os.environ.get("CODI_PG_BINDIR") or next(
    iter(sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)), ""
)

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").split(":", 1)[0] not in {"postgres", "postgresql"}
    or not Path(PG_BINDIR, "initdb").exists(),
    reason="the PostgreSQL run (scripts/with-postgres.sh) only: it needs the server binaries",
)


class Cluster:
    """A throw-away PostgreSQL cluster on a free local port (run as ``postgres`` when we are root)."""

    def __init__(self) -> None:
        self.work = Path(tempfile.mkdtemp(prefix="codi-pg-restart."))
        self.run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.run_as:
            shutil.chown(self.work, "postgres")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"postgres://codi@127.0.0.1:{self.port}/codi"

    def _pg(self, *args: str, timeout: float = 120) -> None:
        subprocess.run([*self.run_as, *args], check=True, timeout=timeout, capture_output=True)

    def start(self) -> None:
        data = str(self.work / "data")
        self._pg(
            f"{PG_BINDIR}/initdb", "-D", data, "-U", "codi", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"
        )
        self._pg(
            f"{PG_BINDIR}/pg_ctl", "-D", data, "-w", "-l", str(self.work / "log"),
            "-o", f"-p {self.port} -k {self.work} -c listen_addresses=127.0.0.1 -c fsync=off",
            "start",
        )  # fmt: skip
        self._pg(f"{PG_BINDIR}/createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "codi", "codi")

    def restart(self) -> None:
        self._pg(
            f"{PG_BINDIR}/pg_ctl", "-D", str(self.work / "data"), "-l", str(self.work / "log"),
            "-m", "fast", "-w", "-t", "60", "restart",
        )  # fmt: skip

    def stop(self) -> None:
        subprocess.run(
            [*self.run_as, f"{PG_BINDIR}/pg_ctl", "-D", str(self.work / "data"), "-m", "immediate", "stop"],
            capture_output=True, timeout=60, check=False,
        )  # fmt: skip
        shutil.rmtree(self.work, ignore_errors=True)

    def query(self, sql: str, params: list[object] | None = None) -> list[tuple[object, ...]]:
        import psycopg

        url = self.url.replace("postgres://", "postgresql://", 1)
        with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
            return list(conn.execute(sql, params).fetchall())


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    pg = Cluster()
    try:
        pg.start()
        yield pg
    finally:
        pg.stop()


def _env(url: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}", "DATABASE_URL": url, "LOG_FORMAT": "plain"}


_SCHEMA = (
    "from django.db import connection\n"
    "from django_tasks_db.models import DBTaskResult\n"
    "from codi.core.models import TaskWorkerHeartbeat\n"
    "with connection.schema_editor() as editor:\n"
    "    editor.create_model(DBTaskResult)\n"
    "    editor.create_model(TaskWorkerHeartbeat)\n"
)


def _enqueue(url: str, a: int, b: int, seconds: float) -> str:
    code = f"from tests.core.worker_tasks import slow_sum;print(slow_sum.enqueue({a}, {b}, {seconds}).id)"
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT, env=_env(url), capture_output=True, text=True, timeout=180, check=True,
    )  # fmt: skip
    return done.stdout.strip().splitlines()[-1]


def _wait_for(predicate: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except Exception:  # the server restarting: ask again
            time.sleep(0.3)
        time.sleep(0.2)
    return False


def _task(pg: Cluster, task_id: str) -> tuple[object, ...]:
    rows = pg.query(
        "SELECT status, return_value, worker_ids FROM django_tasks_database_dbtaskresult WHERE id::text = %s",
        [task_id],
    )
    return rows[0]


def test_the_worker_reconnects_after_postgresql_restarts(cluster: Cluster) -> None:
    env = _env(cluster.url)
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", _SCHEMA],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180, check=True,
    )  # fmt: skip
    log = cluster.work / "worker.log"
    with log.open("wb") as out:
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "task_worker", "--interval", "0.2", "--heartbeat", "0.5",
             "--stale-seconds", "30"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        # given a worker that has run a task
        first = _enqueue(cluster.url, 1, 2, 0)
        assert _wait_for(lambda: _task(cluster, first)[0] == "SUCCESSFUL", 120), log.read_text()
        # when PostgreSQL restarts while it waits for work, then a task is queued
        cluster.restart()
        second = _enqueue(cluster.url, 3, 4, 0)
        # then the same process runs it
        assert _wait_for(lambda: _task(cluster, second)[0] == "SUCCESSFUL", 60), log.read_text()
        assert worker.poll() is None

        # when PostgreSQL restarts in the middle of a task
        third = _enqueue(cluster.url, 20, 22, 4)
        assert _wait_for(lambda: _task(cluster, third)[0] == "RUNNING", 60), log.read_text()
        cluster.restart()
        # then the task, whose result could not be written, is run again by the same worker and finishes
        assert _wait_for(lambda: _task(cluster, third)[0] == "SUCCESSFUL", 90), log.read_text()
        _status, value, worker_ids = _task(cluster, third)
        assert value == 42
        assert isinstance(worker_ids, list) and len(worker_ids) == 2 and len(set(worker_ids)) == 1
        assert worker.poll() is None
        assert "reconnected" in log.read_text()
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
