"""api_overhead: the organization list (API key, region scope, paginated, 10,000 rows) vs a bare view.

Both endpoints are served by one gunicorn, started like ``make run`` starts it
(``codi.wsgi:application``, access log, prometheus multiprocess directory), with
``DJANGO_SETTINGS_MODULE=bench.settings``: the production settings whose URL
configuration adds ``/bench/bare``. So both requests pass the identical
middleware stack on the identical server. 20 clients on one asyncio loop in
this process drive it; the load generator shares the machine's cores with the
server (its CPU time is reported per phase).

Goals (issue): list p95 < 100 ms, and list throughput >= 50 % of the bare view's, on 2 cores.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench import common, loadgen

NAME = "api_overhead"
ORGS = 10_000
REGION = "northeast"
PAGE_SIZE = 50
PAGES = 20
CLIENTS = 20
ROUNDS = 3
PHASE_SECONDS = float(os.environ.get("BENCH_PHASE_SECONDS", "5"))  # x ROUNDS = 15 s per endpoint
WARMUP_SECONDS = float(os.environ.get("BENCH_WARMUP_SECONDS", "2"))
GOAL_P95_MS = 100.0
GOAL_RATIO = 0.5
START_TIMEOUT_S = 30.0
# To measure a candidate fix without editing src/: point these at your own settings or WSGI module.
SETTINGS_MODULE = os.environ.get("BENCH_SETTINGS_MODULE", "bench.settings")
WSGI_APP = os.environ.get("BENCH_WSGI_APP", "codi.wsgi:application")

# The same server configuration serves both endpoints; each is tried in turn.
# "sync-4" is exactly what `make run` starts (WORKERS=4, sync workers).
SERVER_CONFIGS: dict[str, list[str]] = {
    "sync-4": ["--workers", "4"],
    "gthread-3x4": ["--workers", "3", "--threads", "4"],
    "gthread-2x4": ["--workers", "2", "--threads", "4"],
}


def _list_path(index: int, number: int) -> str:
    page = (index + number) % PAGES + 1
    return f"/api/v1/communities/organizations?page={page}&page_size={PAGE_SIZE}"


def _schema_path(index: int, number: int) -> str:
    page = (index + number) % PAGES + 1
    return f"/bench/api/list-schema?page={page}&page_size={PAGE_SIZE}"


def _bare_path(index: int, number: int) -> str:
    return "/bench/bare"


def _one_path(index: int, number: int) -> str:
    return "/bench/api/one"


class Server:
    """One gunicorn process group, started by this benchmark and stopped by it."""

    def __init__(self, name: str, args: list[str], var_dir: Path) -> None:
        self.name = name
        self.port = common.free_port()
        prom = var_dir / f"prometheus-{name}"
        shutil.rmtree(prom, ignore_errors=True)
        prom.mkdir(parents=True)
        env = common.fresh_env(
            var_dir,
            DJANGO_SETTINGS_MODULE=SETTINGS_MODULE,
            PROMETHEUS_MULTIPROC_DIR=str(prom),
            DEBUG="false",
            # Under scripts/with-redis.sh (`make bench`): Redis for the cache and the rate counter,
            # as production runs it; else the defaults (per-process cache, counter in the database).
            **({"CACHE_URL": os.environ["REDIS_URL"]} if os.environ.get("REDIS_URL") else {}),
        )
        self.log_path = var_dir / f"server-{name}.log"
        command = [
            common.PYTHON,
            "-m",
            "gunicorn",
            WSGI_APP,
            "--bind",
            f"127.0.0.1:{self.port}",
            *args,
            "--access-logfile",
            str(var_dir / f"access-{name}.log"),
            "--log-level",
            "warning",
            "--timeout",
            "60",
        ]
        self.command = command
        self._log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            command,
            cwd=common.REPO,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request("GET", path, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                if self.get("/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn ({self.name}) did not start:\n{self.log_path.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
        self._log.close()


def _summary(phases: list[loadgen.Phase], cpus: int) -> dict[str, Any]:
    latencies = [x for p in phases for x in p.latencies_s]
    seconds = sum(p.seconds for p in phases)
    ok = sum(p.ok for p in phases)
    client_cpu = sum(p.client_cpu_s for p in phases)
    server_cpu = [p.server_cpu_s for p in phases]
    statuses: Counter[int] = Counter()
    for p in phases:
        statuses.update(p.statuses)
    server_total = (
        sum(s for s in server_cpu if s is not None) if all(s is not None for s in server_cpu) else None
    )
    failed = sum(p.errors for p in phases) + sum(n for s, n in statuses.items() if s != 200)
    return {
        "requests_ok": ok,
        "requests_failed": failed,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "connections": sum(p.connections for p in phases),
        "seconds": round(seconds, 2),
        "throughput_rps": round(ok / seconds, 1) if seconds else 0.0,
        "latency_ms": {
            "p50": round(common.percentile(latencies, 50) * 1000, 2),
            "p95": round(common.percentile(latencies, 95) * 1000, 2),
            "p99": round(common.percentile(latencies, 99) * 1000, 2),
            "max": round(max(latencies, default=float("nan")) * 1000, 2),
        },
        "mean_body_bytes": round(sum(p.body_bytes for p in phases) / max(1, ok)),
        # Share of the machine's CPU time (cores x seconds) used by each side during the phases:
        # well under 1.0 together means other processes on the machine took the rest.
        "cpu_share": {
            "load_generator": round(client_cpu / (seconds * cpus), 3) if seconds else None,
            "server": round(server_total / (seconds * cpus), 3)
            if seconds and server_total is not None
            else None,
        },
        # Server CPU per answered request: much less sensitive to other load than req/s or latency.
        "server_cpu_ms_per_request": round(server_total / ok * 1000, 2)
        if ok and server_total is not None
        else None,
        "phases": [
            {
                "seconds": round(p.seconds, 2),
                "throughput_rps": round(p.ok / p.seconds, 1) if p.seconds else 0.0,
                "p95_ms": round(common.percentile(p.latencies_s, 95) * 1000, 2),
            }
            for p in phases
        ],
    }


def _measure(
    config: str, args: list[str], var_dir: Path, api_key: str, expected_count: int
) -> dict[str, Any]:
    server = Server(config, args, var_dir)
    try:
        server.wait_ready()
        auth = {"X-API-Key": api_key}
        status, body = server.get(_list_path(0, 0), auth)
        if status != 200 or json.loads(body).get("count") != expected_count:
            raise RuntimeError(f"list endpoint answered {status}: {body[:500]!r}")
        status, body = server.get("/bench/bare")
        if status != 200:
            raise RuntimeError(f"bare endpoint answered {status}: {body[:500]!r}")
        status, body = server.get("/bench/api/one", auth)
        if status != 200 or not json.loads(body).get("item"):
            raise RuntimeError(f"authenticated one-row endpoint answered {status}: {body[:500]!r}")
        cpus = common.usable_cpus()
        endpoints = {
            "list": (_list_path, auth),
            "list_schema": (_schema_path, auth),
            "auth_one": (_one_path, auth),
            "bare": (_bare_path, {}),
        }
        for label, (path_for, headers) in endpoints.items():  # warm every worker and the caches
            loadgen.run_phase(
                f"warmup-{label}",
                server.port,
                path_for,
                headers=headers,
                clients=CLIENTS,
                seconds=WARMUP_SECONDS,
            )
        phases: dict[str, list[loadgen.Phase]] = {label: [] for label in endpoints}
        for label in list(endpoints) * ROUNDS:  # A/B/C/A/B/C/...: one server, one run
            path_for, headers = endpoints[label]
            phases[label].append(
                loadgen.run_phase(
                    label,
                    server.port,
                    path_for,
                    headers=headers,
                    clients=CLIENTS,
                    seconds=PHASE_SECONDS,
                    server_pid=server.proc.pid,
                )
            )
        if server.proc.poll() is not None:
            raise RuntimeError(
                f"gunicorn ({config}) exited during the run:\n{server.log_path.read_text()[-3000:]}"
            )
    finally:
        server.stop()
    listed, bare = _summary(phases["list"], cpus), _summary(phases["bare"], cpus)
    one = _summary(phases["auth_one"], cpus)
    schema = _summary(phases["list_schema"], cpus)
    ratio = listed["throughput_rps"] / bare["throughput_rps"] if bare["throughput_rps"] else 0.0
    fair = listed["throughput_rps"] / one["throughput_rps"] if one["throughput_rps"] else 0.0
    return {
        "server": {"config": config, "gunicorn_args": args, "command": " ".join(server.command[2:])},
        "list": listed,
        "auth_one": one,
        "bare": bare,
        # The list as it was (a schema object per row, @paginate), measured in the same rounds.
        "list_schema_before": schema,
        "values_rows_vs_schema": {
            "throughput_ratio": round(listed["throughput_rps"] / schema["throughput_rps"], 3)
            if schema["throughput_rps"]
            else None,
            "p95_ms": [schema["latency_ms"]["p95"], listed["latency_ms"]["p95"]],
            "server_cpu_ms_per_request": [
                schema["server_cpu_ms_per_request"],
                listed["server_cpu_ms_per_request"],
            ],
        },
        "throughput_ratio_list_to_bare": round(ratio, 3),
        # The fair baseline: the same authentication and scope, one row instead of a page.
        "fair_baseline": {
            "throughput_ratio_list_to_auth_one": round(fair, 3),
            "p95_ratio_list_to_auth_one": round(listed["latency_ms"]["p95"] / one["latency_ms"]["p95"], 3)
            if one["latency_ms"]["p95"]
            else None,
            "server_cpu_ms_per_request": {
                "list": listed["server_cpu_ms_per_request"],
                "auth_one": one["server_cpu_ms_per_request"],
                "bare": bare["server_cpu_ms_per_request"],
            },
        },
        "goals": {
            "list_p95_under_100ms": {
                "value_ms": listed["latency_ms"]["p95"],
                "goal_met": listed["latency_ms"]["p95"] < GOAL_P95_MS and listed["requests_failed"] == 0,
            },
            "list_at_least_half_of_bare_throughput": {
                "value": round(ratio, 3),
                "goal_met": ratio >= GOAL_RATIO,
            },
        },
    }


def run() -> dict[str, Any]:
    started, load_at_start = time.monotonic(), common.load_average()
    configs = os.environ.get("BENCH_SERVER_CONFIGS", ",".join(SERVER_CONFIGS)).split(",")
    with common.temp_dir(NAME) as tmp:
        var_dir = Path(tmp)
        seeded = common.last_json_line(
            common.run_child(
                ["-m", "bench.seed", "--orgs", str(ORGS), "--region", REGION],
                common.fresh_env(var_dir),
                timeout=300,
            )
        )
        runs: list[dict[str, Any]] = []
        for name in configs:
            if name not in SERVER_CONFIGS:
                raise ValueError(f"unknown server config {name!r}; known: {', '.join(SERVER_CONFIGS)}")
            try:
                runs.append(
                    _measure(name, SERVER_CONFIGS[name], var_dir, seeded["api_key"], seeded["in_scope"])
                )
            except (RuntimeError, OSError, ValueError) as exc:  # report it; the other configs still run
                runs.append(
                    {"server": {"config": name, "gunicorn_args": SERVER_CONFIGS[name]}, "error": str(exc)}
                )
    measured = [r for r in runs if "error" not in r]
    if not measured:
        raise RuntimeError(
            "no server configuration could be measured:\n" + "\n".join(r["error"] for r in runs)
        )
    best = max(measured, key=lambda r: (r["list"]["throughput_rps"], -r["list"]["latency_ms"]["p95"]))
    return {
        "benchmark": NAME,
        "machine": common.machine_info("sqlite", load_at_start=load_at_start),
        "setup": {
            "endpoint": f"GET /api/v1/communities/organizations?page=1..{PAGES}&page_size={PAGE_SIZE}",
            "auth": "X-API-Key (role project_officer, scope region:northeast)",
            "organizations": seeded["orgs"],
            "organizations_in_scope": seeded["in_scope"],
            "bare_endpoint": "GET /bench/bare (bench/bare_urls.py: JsonResponse of a fixed 50-item page)",
            "auth_one_endpoint": (
                "GET /bench/api/one (bench/bare_urls.py: the same X-API-Key auth and rate counter, "
                "one organization row through the same region scope)"
            ),
            "database": "fresh SQLite file (WAL) in a temporary CODI_VAR_DIR",
            "cache": "Redis (CACHE_URL from REDIS_URL)" if os.environ.get("REDIS_URL") else "locmem",
            "clients": CLIENTS,
            "load_generator": (
                "bench/loadgen.py: asyncio, one process, keep-alive when the server allows it; "
                "it shares the machine's cores with the server"
            ),
            "order": f"warm-up each, then (list, list_schema, auth_one, bare) x {ROUNDS}",
            "list_schema_endpoint": (
                "GET /bench/api/list-schema (bench/bare_urls.py): the same list the way it was served "
                "before (@paginate + OrganizationOut per row), the before of the .values() change"
            ),
            "phase_seconds": PHASE_SECONDS,
            "warmup_seconds": WARMUP_SECONDS,
        },
        "selected_config": best["server"]["config"],
        "selection_rule": "highest list throughput among the server configs tried",
        "result": best,
        "goal_met": all(g["goal_met"] for g in best["goals"].values()),
        "all_configs": runs,
        "elapsed_s": round(time.monotonic() - started, 1),
    }


def summary(result: dict[str, Any]) -> str:
    lines = []
    for r in result["all_configs"]:
        if "error" in r:
            lines.append(f"   server {r['server']['config']}: could not be measured: {r['error'][:300]}")
            continue
        chosen = " (selected)" if r["server"]["config"] == result["selected_config"] else ""
        lines.append(f"   server {r['server']['config']}{chosen}:")
        for label in ("list", "list_schema_before", "auth_one", "bare"):
            s = r[label]
            lat = s["latency_ms"]
            lines.append(
                f"     {label:8} {s['throughput_rps']:7.1f} req/s  p50 {lat['p50']:6.1f}  p95 {lat['p95']:6.1f}  "
                f"p99 {lat['p99']:6.1f} ms  server CPU {s['server_cpu_ms_per_request']} ms/req  failed {s['requests_failed']}"
            )
        lines.append(
            f"     list/bare throughput {r['throughput_ratio_list_to_bare']:.2f}; list/auth_one "
            f"{r['fair_baseline']['throughput_ratio_list_to_auth_one']:.2f} (p95 ratio "
            f"{r['fair_baseline']['p95_ratio_list_to_auth_one']})"
        )
    return "\n".join(lines)
