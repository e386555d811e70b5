"""scale_out: throughput of the same load with 1 and with 2 app processes, PostgreSQL + Redis, same run.

``make bench`` runs under ``scripts/with-redis.sh`` on SQLite; this benchmark needs PostgreSQL (two
app processes writing one SQLite file would measure SQLite's lock), so ``run()`` starts itself again
under ``scripts/with-postgres.sh`` (a throw-away cluster) unless ``DATABASE_URL`` is already
PostgreSQL. Both gunicorns (1 process x 4 threads, 2 processes x 4 threads) are up at once and the
rounds alternate 1, 2, 1, 2 … so a change in the machine's other load falls on both alike.

The load is the drill's mix (``bench/drill.py``): ``SCALE_CLIENTS`` clients, 3 of 4 requests the
partner API's organization list (API key, region scope, pages of 50), 1 of 4 the Thai sign-in page.
"Where the time goes": each server's CPU time per answered request, and the shares of the
machine's CPU taken by the servers, by the load generator and by everything else (other work on a
shared machine, PostgreSQL, Redis). There is no target ratio in the issue: the figure is reported;
``goal_met`` is that every request of both configurations was answered 200.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import common, loadgen

NAME = "scale_out"
ORGS = int(os.environ.get("SCALE_ORGS", "2000"))
CLIENTS = int(os.environ.get("SCALE_CLIENTS", "10"))
ROUNDS = int(os.environ.get("SCALE_ROUNDS", "3"))
PHASE_SECONDS = float(os.environ.get("SCALE_PHASE_SECONDS", "6"))


def _measure(env: dict[str, str], var_dir: Path) -> dict[str, Any]:
    from bench import drill

    seeded = common.last_json_line(
        common.run_child(["-m", "bench.seed", "--orgs", str(ORGS)], env, timeout=600)
    )
    key = seeded["api_key"]
    servers = {n: drill.Processes(env, var_dir, workers=n, task_workers=0) for n in (1, 2)}
    phases: dict[int, list[loadgen.Phase]] = {1: [], 2: []}
    try:
        for n, procs in servers.items():
            procs.wait_ready()
            loadgen.run_phase(f"warmup-{n}", procs.port, drill._list_path, headers={"X-API-Key": key},
                              clients=CLIENTS, seconds=3)  # fmt: skip
        for _ in range(ROUNDS):
            for n, procs in servers.items():
                phases[n].append(
                    loadgen.run_phase(
                        f"scale-{n}",
                        procs.port,
                        drill._list_path,
                        headers={"X-API-Key": key},
                        clients=CLIENTS,
                        seconds=PHASE_SECONDS,
                        server_pid=procs.server.pid,
                    )
                )
    finally:
        for procs in servers.values():
            procs.stop()
    cpus = common.usable_cpus()
    out: dict[str, Any] = {}
    for n, runs in phases.items():
        summary = drill._phases_summary(runs)
        seconds = sum(p.seconds for p in runs)
        server_cpu = sum(p.server_cpu_s or 0.0 for p in runs)
        client_cpu = sum(p.client_cpu_s for p in runs)
        summary["server_cpu_ms_per_request"] = (
            round(server_cpu / summary["requests_ok"] * 1000, 2) if summary["requests_ok"] else None
        )
        summary["cpu_share"] = {
            "app_processes": round(server_cpu / (seconds * cpus), 3),
            "load_generator": round(client_cpu / (seconds * cpus), 3),
            "everything_else": round(max(0.0, 1 - (server_cpu + client_cpu) / (seconds * cpus)), 3),
        }
        out[f"app_processes_{n}"] = summary
    one, two = out["app_processes_1"], out["app_processes_2"]
    out["throughput_ratio_2_to_1"] = (
        round(two["throughput_rps"] / one["throughput_rps"], 3) if one["throughput_rps"] else None
    )
    out["p95_ratio_2_to_1"] = round(two["p95_ms"] / one["p95_ms"], 3) if one["p95_ms"] else None
    out["seeded"] = {"orgs": seeded["orgs"], "in_scope": seeded["in_scope"]}
    return out


def _inner() -> None:
    database_url, redis_url = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    with common.temp_dir(NAME) as tmp:
        var_dir = Path(tmp)

        def work(env: dict[str, str]) -> dict[str, Any]:
            env.update(LOG_LEVEL="WARNING", LOG_FORMAT="plain", DEBUG="false")
            if redis_url:
                env["CACHE_URL"] = redis_url
            return _measure(env, var_dir)

        print(json.dumps(common.with_postgres_database(database_url, var_dir, work)))


def run() -> dict[str, Any]:
    started, load_at_start = time.monotonic(), common.load_average()
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        command = [common.PYTHON, "-m", "bench.scale_out", "--inner"]
    else:
        command = [
            str(common.REPO / "scripts" / "with-postgres.sh"),
            common.PYTHON,
            "-m",
            "bench.scale_out",
            "--inner",
        ]
    if not os.environ.get("REDIS_URL"):
        command = [str(common.REPO / "scripts" / "with-redis.sh"), *command]
    done = subprocess.run(command, cwd=common.REPO, capture_output=True, text=True, timeout=1800, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"scale_out failed ({done.returncode}):\n{done.stderr[-3000:]}")
    body = common.last_json_line(done.stdout)
    failed = sum(
        sum(n for s, n in body[k]["statuses"].items() if s != "200") + body[k]["connection_errors"]
        for k in ("app_processes_1", "app_processes_2")
    )
    return {
        "benchmark": NAME,
        "machine": common.machine_info("postgresql", load_at_start=load_at_start),
        "setup": {
            "database": "fresh database on a throw-away PostgreSQL cluster (scripts/with-postgres.sh)",
            "cache_and_counters": "Redis (scripts/with-redis.sh) as CACHE_URL",
            "organizations": ORGS,
            "load": f"{CLIENTS} clients, 3 of 4 requests GET the API organization list (API key), 1 of 4 "
            "the sign-in page; bench/loadgen.py in this process",
            "gunicorn": "gthread, 4 threads per process; 1 process vs 2 processes, both up at once",
            "order": f"warm-up each, then (1, 2) x {ROUNDS}, {PHASE_SECONDS:.0f} s each",
        },
        **body,
        "requests_failed": failed,
        "goal_met": failed == 0,
        "elapsed_s": round(time.monotonic() - started, 1),
    }


def summary(result: dict[str, Any]) -> str:
    lines = []
    for n in (1, 2):
        s = result[f"app_processes_{n}"]
        lines.append(
            f"   {n} app process{'es' if n > 1 else ''}: {s['throughput_rps']} req/s, p95 {s['p95_ms']} ms, "
            f"server CPU {s['server_cpu_ms_per_request']} ms/req, CPU shares {s['cpu_share']}"
        )
    lines.append(
        f"   throughput 2/1: {result['throughput_ratio_2_to_1']}; p95 2/1: {result['p95_ratio_2_to_1']}"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    if sys.argv[1:] == ["--inner"]:
        _inner()
    else:
        result = run()
        print(common.write_result(NAME, result))
        print(summary(result))
