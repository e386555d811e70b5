"""Task workers: a worker killed mid-task leaves its task to another (issue 14, failure drill)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from codi.core import workers
from codi.core.models import TaskWorkerHeartbeat
from tests.core.worker_tasks import slow_sum

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
needs_postgresql = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").split(":", 1)[0] not in {"postgres", "postgresql"},
    reason="worker processes share the test database only on PostgreSQL (scripts/with-postgres.sh)",
)


def _running(*, worker_ids: list[str], started_seconds_ago: int) -> DBTaskResult:
    result = DBTaskResult.objects.get(id=slow_sum.enqueue(1, 2, 0).id)
    DBTaskResult.objects.filter(pk=result.pk).update(
        status=TaskResultStatus.RUNNING,
        worker_ids=worker_ids,
        started_at=timezone.now() - timedelta(seconds=started_seconds_ago),
    )
    return result


def test_a_task_of_a_silent_worker_goes_back_in_the_queue():
    lost = _running(worker_ids=["host:1:dead"], started_seconds_ago=60)
    assert workers.tasks_requeue_stalled(stale_seconds=30) == [str(lost.pk)]
    lost.refresh_from_db()
    assert (lost.status, lost.started_at) == (TaskResultStatus.READY, None)


def test_a_task_of_a_live_worker_or_a_fresh_start_stays():
    workers.worker_heartbeat(worker_id="host:2:alive")
    busy = _running(worker_ids=["host:2:alive"], started_seconds_ago=600)
    fresh = _running(worker_ids=["host:3:new"], started_seconds_ago=1)
    assert workers.tasks_requeue_stalled(stale_seconds=30) == []
    assert {r.status for r in DBTaskResult.objects.filter(pk__in=[busy.pk, fresh.pk])} == {
        TaskResultStatus.RUNNING
    }
    TaskWorkerHeartbeat.objects.filter(worker_id="host:2:alive").update(
        seen_at=timezone.now() - timedelta(seconds=31)
    )
    assert workers.tasks_requeue_stalled(stale_seconds=30) == [str(busy.pk)]


def test_a_task_whose_workers_keep_dying_fails_instead_of_looping():
    doomed = _running(worker_ids=[f"host:{i}:x" for i in range(workers.MAX_ATTEMPTS)], started_seconds_ago=60)
    assert workers.tasks_requeue_stalled(stale_seconds=30) == []
    doomed.refresh_from_db()
    assert doomed.status == TaskResultStatus.FAILED
    assert doomed.exception_class_path.endswith("WorkerLostError")


def test_a_worker_back_from_a_lost_database_puts_back_only_its_own_cut_off_task():
    workers.worker_heartbeat(worker_id="host:4:me")
    workers.worker_heartbeat(worker_id="host:5:other")
    mine = _running(worker_ids=["host:4:me"], started_seconds_ago=1)
    theirs = _running(worker_ids=["host:5:other"], started_seconds_ago=1)
    handed_over = _running(worker_ids=["host:4:me", "host:5:other"], started_seconds_ago=1)
    assert workers.tasks_requeue_own(worker_id="host:4:me") == [str(mine.pk)]
    assert DBTaskResult.objects.get(pk=mine.pk).status == TaskResultStatus.READY
    assert {r.status for r in DBTaskResult.objects.filter(pk__in=[theirs.pk, handed_over.pk])} == {
        TaskResultStatus.RUNNING
    }
    worn = _running(worker_ids=["host:4:me"] * workers.MAX_ATTEMPTS, started_seconds_ago=1)
    assert workers.tasks_requeue_own(worker_id="host:4:me") == []
    assert DBTaskResult.objects.get(pk=worn.pk).status == TaskResultStatus.FAILED


def _env() -> dict[str, str]:
    s = connection.settings_dict
    env = dict(os.environ)
    env.update(
        PYTHONPATH=f"{ROOT / 'src'}:{ROOT}",
        DATABASE_URL=f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}",
    )
    return env


def _wait_for(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def _enqueue_slow_sum(env: dict[str, str], seconds: int) -> str:
    enqueue = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            f"from tests.core.worker_tasks import slow_sum;print(slow_sum.enqueue(20, 22, {seconds}).id)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return enqueue.stdout.strip().splitlines()[-1]


@needs_postgresql
def test_kill_9_of_a_worker_mid_task_and_another_worker_finishes_it():
    env = _env()
    task_id = _enqueue_slow_sum(env, 6)
    command = [
        sys.executable,
        "manage.py",
        "task_worker",
        "--heartbeat",
        "0.5",
        "--stale-seconds",
        "3",
        "--interval",
        "0.2",
    ]
    # given a worker that has started the task
    first = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert _wait_for(
            lambda: DBTaskResult.objects.filter(id=task_id, status=TaskResultStatus.RUNNING).exists(), 60
        )
        # when it is killed with no chance to clean up
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    assert DBTaskResult.objects.get(id=task_id).status == TaskResultStatus.RUNNING
    # then a second worker puts it back and runs it to the end
    second = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        assert _wait_for(
            lambda: DBTaskResult.objects.filter(id=task_id, status=TaskResultStatus.SUCCESSFUL).exists(), 90
        )
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
    done = DBTaskResult.objects.get(id=task_id)
    assert done.return_value == 42
    assert len(done.worker_ids) == 2


def _status(task_id: str) -> str:
    return DBTaskResult.objects.get(id=task_id).status


@needs_postgresql
def test_a_worker_stopped_twice_mid_task_exits_at_once_and_puts_the_task_back():
    env = _env()
    task_id = _enqueue_slow_sum(env, 8)
    command = [sys.executable, "manage.py", "task_worker", "--heartbeat", "0.5", "--interval", "0.2"]
    first = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert _wait_for(lambda: _status(task_id) == TaskResultStatus.RUNNING, 60)
        # the first SIGTERM asks it to finish the task; the second stops it now
        first.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        first.send_signal(signal.SIGTERM)
        first.wait(timeout=5)
    finally:
        if first.poll() is None:
            first.kill()
    cut_off = DBTaskResult.objects.get(id=task_id)
    assert cut_off.status == TaskResultStatus.READY, cut_off.exception_class_path
    assert cut_off.started_at is None
    second = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        assert _wait_for(lambda: _status(task_id) == TaskResultStatus.SUCCESSFUL, 90)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
    assert DBTaskResult.objects.get(id=task_id).return_value == 42


@needs_postgresql
def test_stopping_serve_sh_stops_a_worker_busy_with_a_long_task(tmp_path):
    env = _env()
    task_id = _enqueue_slow_sum(env, 600)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env.update(
        BIN=str(Path(sys.executable).parent),
        PORT=str(port),
        WORKERS="1",
        THREADS="1",
        TASK_WORKERS="1",
        STOP_GRACE="2",
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "prometheus"),
    )
    serve = subprocess.Popen(
        ["bash", "scripts/serve.sh"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )

    def group_gone() -> bool:
        try:
            os.killpg(serve.pid, 0)
        except ProcessLookupError:
            return True
        return False

    try:
        assert _wait_for(lambda: _status(task_id) == TaskResultStatus.RUNNING, 90)
        # a supervisor (or a tool) signals the script only, as `make run`'s parent would
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=30)
        # the worker did not stay behind for the ten minutes its task had left
        assert _wait_for(group_gone, 10)
    finally:
        if not group_gone():
            os.killpg(serve.pid, signal.SIGKILL)
    assert _status(task_id) == TaskResultStatus.READY
