"""drill: scale-out and failure drill on PostgreSQL + Redis (`make drill`, not part of `make test`).

Run under ``scripts/with-postgres.sh scripts/with-redis.sh`` (``make drill`` does): a fresh
database on that PostgreSQL server, ``CACHE_URL`` set to that Redis (cache and every shared
counter, API rate limits included).

1. **Scale-out** — the same bounded load (CLIENTS clients on 127.0.0.1: the partner API list
   with an API key, and the Thai sign-in page) against gunicorn with 1 app process, then
   with 2, in the same run; the figure is the throughput ratio 2 / 1 (and each p95).
2. **Failure** — 2 app processes + 2 task workers under the same load: a task worker is
   ``kill -9``-ed while it runs a task, and one gunicorn worker is ``kill -9``-ed. Afterwards:
   the answers other than 200 during the load, whether every task finished exactly once more
   (``worker_ids`` shows the hand-over) and whether ``verify_audit`` passes.

Results: ``bench/results/drill.json``. Figures are ratios within this one run, on whatever the
machine's cores give (the load generator shares them).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import common, drill_failures, drill_work, loadgen

NAME = "drill"
ORGS = int(os.environ.get("DRILL_ORGS", "2000"))
CLIENTS = int(os.environ.get("DRILL_CLIENTS", "10"))
PHASE_SECONDS = float(os.environ.get("DRILL_PHASE_SECONDS", "15"))
ROUNDS = 3
TASK_SECONDS = 8.0
TASKS = 2


def _list_path(index: int, number: int) -> str:
    if number % 4 == 3:
        return "/accounts/login/"
    return f"/api/v1/communities/organizations?page={(index + number) % 10 + 1}&page_size=50"


class Processes:
    """gunicorn (``workers`` processes) and ``task_workers`` task workers, started and stopped here."""

    def __init__(self, env: dict[str, str], var_dir: Path, *, workers: int, task_workers: int) -> None:
        self.port = common.free_port()
        prom = var_dir / f"prom-{workers}-{time.monotonic_ns()}"
        prom.mkdir(parents=True)
        self.env = {**env, "PROMETHEUS_MULTIPROC_DIR": str(prom)}
        self.log = (var_dir / f"server-{workers}.log").open("ab")
        self.server = subprocess.Popen(
            [common.PYTHON, "-m", "gunicorn", "codi.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(workers), "--threads", "4", "--worker-class", "gthread", "--timeout", "60",
             "--log-level", "warning"],
            cwd=common.REPO, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        self.task_workers = [self.start_task_worker() for _ in range(task_workers)]

    def start_task_worker(self) -> subprocess.Popen[bytes]:
        """One ``task_worker`` (also how the drill stands in for systemd restarting a killed one)."""
        return subprocess.Popen(
            [common.PYTHON, "manage.py", "task_worker", "--interval", "0.5", "--heartbeat", "1",
             "--stale-seconds", "5"],
            cwd=common.REPO, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip

    def kill_task_worker(self, pid: int) -> bool:
        """``kill -9`` the task worker ``pid`` (when it is one of ours) and start another in its place."""
        for index, proc in enumerate(self.task_workers):
            if proc.pid == pid and proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                proc.wait(timeout=10)
                self.task_workers[index] = self.start_task_worker()
                return True
        return False

    def respawn_dead_task_workers(self) -> list[int]:
        dead = [p.pid for p in self.task_workers if p.poll() is not None]
        self.task_workers = [p if p.poll() is None else self.start_task_worker() for p in self.task_workers]
        return dead

    def wait_ready(self) -> None:
        import http.client

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not start")

    def app_worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.server.pid}/task/{self.server.pid}/children")
        return [int(p) for p in children.read_text().split()] if children.exists() else []

    def stop(self) -> None:
        for proc in [self.server, *self.task_workers]:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in [self.server, *self.task_workers]:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
        self.log.close()


def _phase_summary(phase: loadgen.Phase) -> dict[str, Any]:
    return {
        "seconds": round(phase.seconds, 2),
        "requests_ok": phase.ok,
        "statuses": {str(k): v for k, v in sorted(phase.statuses.items())},
        "connection_errors": phase.errors,
        "throughput_rps": round(phase.ok / phase.seconds, 1) if phase.seconds else 0.0,
        "p50_ms": round(common.percentile(phase.latencies_s, 50) * 1000, 1),
        "p95_ms": round(common.percentile(phase.latencies_s, 95) * 1000, 1),
    }


def _phases_summary(phases: list[loadgen.Phase]) -> dict[str, Any]:
    merged = loadgen.Phase("merged")
    for phase in phases:
        merged.seconds += phase.seconds
        merged.latencies_s.extend(phase.latencies_s)
        merged.statuses.update(phase.statuses)
        merged.errors += phase.errors
    summary = _phase_summary(merged)
    summary["rounds_rps"] = [round(p.ok / p.seconds, 1) if p.seconds else 0.0 for p in phases]
    return summary


def _load(procs: Processes, label: str, key: str, seconds: float) -> loadgen.Phase:
    return loadgen.run_phase(
        label, procs.port, _list_path, headers={"X-API-Key": key}, clients=CLIENTS, seconds=seconds
    )


_TASKS_SQL = (
    "SELECT id, status, return_value, worker_ids FROM django_tasks_database_dbtaskresult "
    "WHERE id::text = ANY(%s)"
)


def _tasks(env: dict[str, str], ids: list[str]) -> list[tuple[Any, ...]]:
    import psycopg

    url = env["DATABASE_URL"].replace("postgres://", "postgresql://", 1)
    with psycopg.connect(url, autocommit=True) as conn:
        return list(conn.execute(_TASKS_SQL, [ids]).fetchall())


def _running_worker_pid(env: dict[str, str], task_name: str) -> int | None:
    """The pid of the task worker running a task whose path ends with ``task_name``, if any."""
    import psycopg

    url = env["DATABASE_URL"].replace("postgres://", "postgresql://", 1)
    sql = (
        "SELECT worker_ids FROM django_tasks_database_dbtaskresult "
        "WHERE status = 'RUNNING' AND task_path LIKE %s ORDER BY started_at DESC LIMIT 1"
    )
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            row = conn.execute(sql, [f"%{task_name}"]).fetchone()
    except psycopg.Error:
        return None
    if not row or not row[0]:
        return None
    return int(row[0][-1].split(":")[1])


def _kill_import_mid_write(
    procs: Processes, env: dict[str, str], job_id: int, events: list[str], out: dict[str, Any]
) -> None:
    """Queue the import, then ``kill -9`` the task worker once it is half-way through (or writing)."""
    drill_failures.import_commit(env, job_id)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:  # read straight from the table: a child process per look is too slow to catch the write
            rows = _sql(env, _IMPORT_SQL, [job_id])
        except Exception:  # a query during the load may time out: look again
            time.sleep(0.1)
            continue
        status, phase, processed, total_rows = rows[0]
        state = {"status": status, "phase": phase, "processed_rows": processed, "total_rows": total_rows}
        total = state["total_rows"] or drill_failures.IMPORT_ROWS
        if state["status"] != "committing":
            if state["status"] in {"committed", "failed", "invalid"}:
                out["missed"] = f"the import ended ({state['status']}) before it could be interrupted"
                return
            time.sleep(0.05)
            continue
        if state["phase"] == "writing" or state["processed_rows"] >= total // 2:
            pid = _running_worker_pid(env, "import_commit_task")
            if pid is not None and procs.kill_task_worker(pid):
                events.append(
                    f"kill -9 task worker {pid} during the member import ({state['phase']}, "
                    f"{state['processed_rows']}/{total} rows read)"
                )
                out["killed_at"] = state
                return
        time.sleep(0.1)
    out["missed"] = "the import did not reach the point to interrupt within 300 s"


def _sql(env: dict[str, str], sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    import psycopg

    url = env["DATABASE_URL"].replace("postgres://", "postgresql://", 1)
    with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
        return list(conn.execute(sql, params).fetchall())


_SECTIONS_SQL = (
    "SELECT count(*) FILTER (WHERE embedding IS NOT NULL), count(*) FROM search_chunk "
    "WHERE source = 'knowledge.section'"
)
_IMPORT_SQL = "SELECT status, phase, processed_rows, total_rows FROM communities_importjob WHERE id = %s"
_VERSION_SQL = "SELECT status FROM documents_documentversion WHERE id = %s"


def _kill_task_when(
    procs: Processes, env: dict[str, str], task_name: str, ready: Any, what: str, events: list[str],
    out: dict[str, Any],
) -> None:  # fmt: skip
    """``kill -9`` the task worker running ``task_name`` once ``ready()`` says it is mid-way."""
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        try:
            point = ready()
        except Exception:  # a query during the load may time out: look again
            point = None
        if point == "done":
            out["missed"] = f"{what} ended before it could be interrupted"
            return
        if point:
            pid = _running_worker_pid(env, task_name)
            if pid is not None and procs.kill_task_worker(pid):
                events.append(f"kill -9 task worker {pid} during {what} ({point})")
                out["killed_at"] = point
                return
        time.sleep(0.1)
    out["missed"] = f"{what} did not reach the point to interrupt within 240 s"


def _window_d(
    procs: Processes, env: dict[str, str], key: str, work: dict[str, Any], events: list[str]
) -> tuple[list[loadgen.Phase], dict[str, Any]]:
    """Statute embedding and document OCR interrupted by ``kill -9``; a gunicorn worker killed while
    installments are paid through the API. Returns the load phases and what each interruption hit."""
    import threading

    started = drill_work.start(env, work["officer_id"])
    version_id = started["version_id"]

    def embedding_midway() -> str | None:
        done, total = _sql(env, _SECTIONS_SQL)[0]
        if total and done >= total:
            return "done"
        return f"{done}/{total} sections embedded" if done > 0 else None

    def ocr_midway() -> str | None:
        rows = _sql(env, _VERSION_SQL, [version_id])
        status = rows[0][0] if rows else ""
        if status in {"indexed", "failed", "thumbnail"}:
            return "done"
        return "status ocr" if status == "ocr" else None

    hits: dict[str, Any] = {"embedding": {}, "ocr": {}, "disbursements": {}}
    threads = [
        threading.Thread(
            target=_kill_task_when,
            args=(
                procs,
                env,
                "embed_task",
                embedding_midway,
                "a statute embedding batch",
                events,
                hits["embedding"],
            ),
            daemon=True,
        ),
        threading.Thread(
            target=_kill_task_when,
            args=(procs, env, "process_version_task", ocr_midway, "a document OCR", events, hits["ocr"]),
            daemon=True,
        ),
    ]

    def pay() -> None:
        def kill_app_worker() -> None:
            pids = procs.app_worker_pids()
            if pids:
                os.kill(pids[0], signal.SIGKILL)
                events.append(f"kill -9 gunicorn worker {pids[0]} during installment disbursements")

        timer = threading.Timer(1.0, kill_app_worker)
        timer.start()
        hits["disbursements"].update(
            drill_work.disburse_all(procs.port, work["finance_key"], work["payments"])
        )
        timer.join()

    threads.append(threading.Thread(target=pay, daemon=True))
    for thread in threads:
        thread.start()
    phases = [_load(procs, "kills-embed-ocr-pay", key, 5)]
    while any(t.is_alive() for t in threads) and sum(p.seconds for p in phases) < 240:
        phases.append(_load(procs, "kills-embed-ocr-pay", key, 5))
    for thread in threads:
        thread.join(timeout=30)
    hits["started"] = started
    return phases, hits


def _wait_work_done(
    env: dict[str, str], procs: Processes, work: dict[str, Any], hits: dict[str, Any]
) -> dict[str, Any]:
    """Wait (bounded) for the interrupted embedding and OCR to finish after their hand-over; check them."""
    embed_task, version_id = hits["started"]["embed_task"], hits["started"]["version_id"]
    installments = [p[1] for p in work["payments"]]
    deadline = time.monotonic() + float(os.environ.get("DRILL_WORK_WAIT_S", "420"))
    while time.monotonic() < deadline:
        procs.respawn_dead_task_workers()
        try:
            rows = _tasks(env, [embed_task])
            done, total = _sql(env, _SECTIONS_SQL)[0]
            status = _sql(env, _VERSION_SQL, [version_id])[0][0]
        except Exception:  # look again
            time.sleep(1)
            continue
        if (
            rows
            and rows[0][1] in {"SUCCESSFUL", "FAILED"}
            and done >= total
            and status in {"indexed", "failed"}
        ):
            break
        time.sleep(1)
    after = drill_work.state(env, version_id, installments)
    embed_rows = _tasks(env, [embed_task])
    embed = {
        "interrupted": hits["embedding"],
        "task_status": embed_rows[0][1] if embed_rows else None,
        "workers_that_ran_it": len(embed_rows[0][3]) if embed_rows else 0,
        "sections_before": work["sections"],
        "sections_after": after["sections"],
        "sections_embedded": after["sections_embedded"],
    }
    embed["finished"] = (
        embed["task_status"] == "SUCCESSFUL" and after["sections_embedded"] == after["sections"]
    )
    embed["no_duplicate_rows"] = after["sections"] == work["sections"] == after["section_ids_distinct"]
    ocr = {"interrupted": hits["ocr"], **(after["ocr"] or {})}
    ocr["finished"] = ocr.get("status") == "indexed" and ocr.get("ocr_pages") == ocr.get("pages")
    ocr["no_duplicate_rows"] = ocr.get("process_audit_entries") == 1 and ocr.get("document_chunks") == 1
    pay = {**hits["disbursements"]}
    pay.update(
        {k: after[k] for k in after if k.startswith(("disburs", "installments", "budget"))},
        installments=len(installments),
    )
    pay["every_disbursement_exactly_once"] = (
        after["disbursement_rows"] == len(installments) == after["installments_marked_disbursed"]
        and after["installments_paid_more_than_once"] == 0
        and after["disburse_audit_entries"] == len(installments)
        and after["disbursed_total"] == after["installments_total"] == after["budget_lines_disbursed_total"]
    )
    return {"statute_embedding": embed, "document_ocr": ocr, "disbursements": pay}


def _enqueue(env: dict[str, str]) -> list[str]:
    code = (
        "from bench.drill_tasks import slow_sum\n"
        f"print(','.join(str(slow_sum.enqueue(i, 1, {TASK_SECONDS}).id) for i in range({TASKS})))"
    )
    out = common.run_child(["manage.py", "shell", "-c", code], env, timeout=120)
    return out.strip().splitlines()[-1].split(",")


def _failure_drill(env: dict[str, str], var_dir: Path, key: str) -> dict[str, Any]:
    import threading

    work = drill_work.prepare(env)  # Acts (lexical), projects at the payment step, a finance API key
    procs = Processes(env, var_dir, workers=2, task_workers=2)
    events: list[str] = []
    statuses_by_window: dict[str, loadgen.Phase] = {}
    try:
        procs.wait_ready()
        # The member import: uploaded, then dry-run by the task workers before the load starts.
        prepared = drill_failures.import_prepare(env, var_dir)
        job_id = prepared["job_id"]
        task_ids = _enqueue(env)
        # Wait until a task worker runs a task, then kill it with no chance to clean up.
        killed_task_worker = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and killed_task_worker is None:
            running = [(r[0], r[3]) for r in _tasks(env, task_ids) if r[1] == "RUNNING"]
            for _task_id, worker_ids in running:
                pid = int(worker_ids[-1].split(":")[1])
                if procs.kill_task_worker(pid):
                    killed_task_worker = pid
                    events.append(f"kill -9 task worker {pid} while it ran task {_task_id}")
                    break
            time.sleep(0.2)

        # Window A: the load; a backup; one gunicorn worker killed a third of the way in; the member
        # import queued and its task worker killed half-way. Runs until the import kill is done.
        archive = var_dir / "drill-backup.tar.gz"
        backup = drill_failures.backup_start(env, archive)

        def kill_app_worker() -> None:
            pids = procs.app_worker_pids()
            if pids:
                os.kill(pids[0], signal.SIGKILL)
                events.append(f"kill -9 gunicorn worker {pids[0]} under load")

        import_kill: dict[str, Any] = {}
        importer = threading.Thread(
            target=_kill_import_mid_write, args=(procs, env, job_id, events, import_kill), daemon=True
        )
        importer.start()
        timer = threading.Timer(PHASE_SECONDS / 3, kill_app_worker)
        timer.start()
        window_a = [_load(procs, "failure", key, PHASE_SECONDS)]
        timer.join()
        while importer.is_alive() and sum(p.seconds for p in window_a) < 240:
            window_a.append(_load(procs, "failure", key, 5))
        importer.join(timeout=60)
        backup_out, backup_err = backup.communicate(timeout=600)
        events.append(f"backup taken under load: exit {backup.returncode}")

        # Window B: PostgreSQL restarted once under load.
        restart: dict[str, Any] = {}
        restarter = threading.Thread(target=lambda: restart.update(drill_failures.postgres_restart()))
        restarter.start()
        window_b = [_load(procs, "postgres-restart", key, 8)]
        restarter.join(timeout=120)
        events.append(f"PostgreSQL restarted ({restart.get('seconds')} s, ok {restart.get('restarted')})")
        # Window C: the load after the restart.
        window_c = [_load(procs, "after-restart", key, PHASE_SECONDS / 2)]
        dead = procs.respawn_dead_task_workers()
        if dead:
            events.append(f"task workers that exited on their own and were started again: {dead}")

        # Window D: statute embedding and document OCR killed mid-way, a gunicorn worker killed during
        # installment disbursements through the API.
        window_d, hits = _window_d(procs, env, key, work, events)

        # The interrupted import: nothing of it written, the job waiting for a retry; then retried.
        time.sleep(7)  # the killed task's heartbeat goes stale after 5 s: it is handed over and re-run
        after_kill = drill_failures.import_state(env, job_id)
        if after_kill["status"] == "committed":  # the kill came too late (see "missed"): nothing to resume
            final = after_kill
        else:
            try:
                drill_failures.import_resume(env, job_id)
            except RuntimeError as exc:
                import_kill["resume_error"] = str(exc)[-500:]
            rechecked = drill_failures.import_wait(env, job_id, {"checked", "invalid", "failed"}, timeout=600)
            if rechecked["status"] == "checked":
                drill_failures.import_commit(env, job_id)
            final = drill_failures.import_wait(env, job_id, {"committed", "invalid", "failed"}, timeout=600)

        # Every slow task finishes (a surviving worker takes over the killed one's task).
        deadline = time.monotonic() + 90
        rows: list[tuple[Any, ...]] = []
        while time.monotonic() < deadline:
            rows = _tasks(env, task_ids)
            if all(r[1] == "SUCCESSFUL" for r in rows):
                break
            time.sleep(0.5)
        tasks = [
            {"id": str(r[0]), "status": r[1], "return_value": r[2], "workers_that_ran_it": len(r[3])}
            for r in rows
        ]
        interrupted_work = _wait_work_done(env, procs, work, hits)
        app_workers_after = len(procs.app_worker_pids())
        live_counts = drill_failures.live_counts(env)
    finally:
        procs.stop()
    audit = subprocess.run(
        [common.PYTHON, "manage.py", "verify_audit"], cwd=common.REPO, env=env, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    restored = (
        drill_failures.backup_restore_check(env, var_dir, archive)
        if backup.returncode == 0
        else {"restored": False, "backup_output": (backup_out + backup_err)[-600:]}
    )
    statuses_by_window = {
        "a_kills_backup_import": _merge(window_a),
        "b_postgres_restart": _merge(window_b),
        "c_after_restart": _merge(window_c),
        "d_kills_embed_ocr_disburse": _merge(window_d),
    }
    windows = {name: _phase_summary(phase) for name, phase in statuses_by_window.items()}
    five_xx = {
        name: sum(n for s, n in p.statuses.items() if s >= 500) for name, p in statuses_by_window.items()
    }
    persons_before = prepared["persons_before"]
    return {
        "events": events,
        "load_windows": windows,
        "answers_5xx": five_xx,
        "no_5xx_outside_the_restart_window": all(
            n == 0 for w, n in five_xx.items() if w != "b_postgres_restart"
        ),
        "postgres_restart": restart,
        "gunicorn_workers_after": app_workers_after,
        "tasks": tasks,
        "every_task_finished": all(t["status"] == "SUCCESSFUL" for t in tasks) and len(tasks) == TASKS,
        "task_killed_mid_run_was_handed_over": any(t["workers_that_ran_it"] == 2 for t in tasks),
        "member_import": {
            "rows": drill_failures.IMPORT_ROWS,
            "dry_run": prepared["check"]["status"],
            "interrupted": import_kill,
            "after_kill": after_kill,
            "nothing_written_by_the_killed_import": after_kill["persons"] == persons_before,
            "resumable": after_kill["status"] == "committing",
            "after_retry": final,
            "every_row_once": final["status"] == "committed"
            and final["persons"] - persons_before == drill_failures.IMPORT_ROWS,
        },
        **interrupted_work,
        "backup_under_load": {
            "archive_bytes": archive.stat().st_size if archive.exists() else 0,
            **restored,
            "live_counts_at_end": live_counts,
        },
        "verify_audit_ok": audit.returncode == 0,
    }


def _merge(phases: list[loadgen.Phase]) -> loadgen.Phase:
    merged = loadgen.Phase(phases[0].label if phases else "")
    for phase in phases:
        merged.seconds += phase.seconds
        merged.latencies_s.extend(phase.latencies_s)
        merged.statuses.update(phase.statuses)
        merged.errors += phase.errors
    return merged


def run() -> dict[str, Any]:
    database_url, redis_url = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")) or not redis_url:
        raise SystemExit("run under scripts/with-postgres.sh scripts/with-redis.sh (make drill)")
    started, load_at_start = time.monotonic(), common.load_average()
    with common.temp_dir(NAME) as tmp:
        var_dir = Path(tmp)

        def drill(env: dict[str, str]) -> dict[str, Any]:
            env.update(CACHE_URL=redis_url, LOG_LEVEL="WARNING", LOG_FORMAT="plain", DEBUG="false")
            seeded = common.last_json_line(
                common.run_child(["-m", "bench.seed", "--orgs", str(ORGS)], env, timeout=600)
            )
            key = seeded["api_key"]
            # Both servers run at once (the idle one costs nothing) and the phases alternate
            # 1, 2, 1, 2 …, so a change in the machine's other load falls on both alike.
            servers = {n: Processes(env, var_dir, workers=n, task_workers=0) for n in (1, 2)}
            phases: dict[int, list[loadgen.Phase]] = {1: [], 2: []}
            try:
                for n, procs in servers.items():
                    procs.wait_ready()
                    _load(procs, f"warmup-{n}", key, 3)
                for _ in range(ROUNDS):
                    for n, procs in servers.items():
                        phases[n].append(_load(procs, f"scale-{n}", key, PHASE_SECONDS / ROUNDS))
            finally:
                for procs in servers.values():
                    procs.stop()
            scale: dict[str, Any] = {f"app_processes_{n}": _phases_summary(p) for n, p in phases.items()}
            one, two = scale["app_processes_1"], scale["app_processes_2"]
            scale["throughput_ratio_2_to_1"] = (
                round(two["throughput_rps"] / one["throughput_rps"], 3) if one["throughput_rps"] else None
            )
            scale["p95_ratio_2_to_1"] = round(two["p95_ms"] / one["p95_ms"], 3) if one["p95_ms"] else None
            return {"seeded": seeded | {"api_key": "(not kept)"}, "scale_out": scale,
                    "failure": _failure_drill(env, var_dir, key)}  # fmt: skip

        body = common.with_postgres_database(database_url, var_dir, drill)
    return {
        "benchmark": NAME,
        "machine": common.machine_info("postgresql", load_at_start=load_at_start),
        "setup": {
            "database": "fresh database on a throw-away PostgreSQL cluster (scripts/with-postgres.sh)",
            "cache_and_counters": "throw-away redis-server (scripts/with-redis.sh) as CACHE_URL",
            "load": f"{CLIENTS} clients, 3 of 4 requests GET the API organization list (API key), 1 of 4 "
            "the sign-in page; bench/loadgen.py in this process",
            "phase_seconds": PHASE_SECONDS,
            "scale_out_order": f"both servers up; (1 process, 2 processes) x {ROUNDS}, "
            f"{PHASE_SECONDS / ROUNDS:.0f} s each",
            "gunicorn": "gthread, 4 threads per process",
            "task": f"bench.drill_tasks.slow_sum ({TASK_SECONDS:.0f} s, idempotent), {TASKS} enqueued",
            "member_import": f"{drill_failures.IMPORT_ROWS} rows (DRILL_IMPORT_ROWS), workbook from "
            "codi.communities.generator, uploaded and checked by the task workers",
            "window_d": f"the bundled Acts' sections embedded (embed_task) and a 4-page scanned PDF OCR-ed, "
            f"each task worker kill -9-ed mid-way; {drill_work.DISBURSEMENTS} installments paid through the API "
            "by 3 clients (idempotency key, retried when the request is lost) while a gunicorn worker is "
            "kill -9-ed 1 s in",
        },
        **body,
        "elapsed_s": round(time.monotonic() - started, 1),
    }


def main() -> None:
    result = run()
    path = common.write_result(NAME, result)
    scale, failure = result["scale_out"], result["failure"]
    print(
        f"drill: 1 app process {scale['app_processes_1']['throughput_rps']} req/s "
        f"(p95 {scale['app_processes_1']['p95_ms']} ms), 2 processes {scale['app_processes_2']['throughput_rps']} "
        f"req/s (p95 {scale['app_processes_2']['p95_ms']} ms): ratio {scale['throughput_ratio_2_to_1']}\n"
        f"failure: {'; '.join(failure['events'])}; 5xx {failure['answers_5xx']}; tasks finished "
        f"{failure['every_task_finished']}, handed over {failure['task_killed_mid_run_was_handed_over']}; "
        f"import {json.dumps({k: v for k, v in failure['member_import'].items() if isinstance(v, bool)})}; "
        f"backup restored {failure['backup_under_load'].get('restored')}, audit there "
        f"{failure['backup_under_load'].get('verify_audit_ok_on_restored')}; verify_audit {failure['verify_audit_ok']}\n"
        f"written to {path}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
