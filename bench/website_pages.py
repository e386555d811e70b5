"""website_pages: anonymous home and article pages (cached) vs a static file, one gunicorn, one run.

The server is ``make run``'s (``codi.wsgi:application`` through ``bench.settings``: the production
settings, middleware and URLs) on a fresh SQLite database with the demo website
(``load_website_demo``) and collected static files. 20 clients on one asyncio loop
(``bench/loadgen.py``) drive, in turn: the home page ``/``, a news article, and
``/static/website/site.css`` served by WhiteNoise in the same process (the floor). Anonymous
pages come from the website's page cache (``codi.website.pagecache``) after the warm-up.

Goal (issue 22): home and article p95 < 50 ms warm at 20 clients.
Set ``BENCH_WEBSITE_VAR_DIR`` to a directory that already holds a migrated database with the demo
website to skip the ~3-8 minutes of migrations (Wagtail brings ~200).
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from bench import api_overhead, common, loadgen
from bench.api_overhead import Server, _summary

NAME = "website_pages"
CLIENTS = 20
ROUNDS = 3
PHASE_SECONDS = float(os.environ.get("BENCH_PHASE_SECONDS", "5"))
WARMUP_SECONDS = float(os.environ.get("BENCH_WARMUP_SECONDS", "2"))
GOAL_P95_MS = 50.0
SERVER_ARGS = ["--workers", "3", "--threads", "4"]  # scripts/serve.sh's default shape
ARTICLE = "/news/news-demo-1/"
STATIC = "/static/website/site.css"
ENDPOINTS = {"home": "/", "article": ARTICLE, "static_file": STATIC}


def _fixed(path: str) -> loadgen.PathFor:
    def path_for(index: int, number: int) -> str:
        return path

    return path_for


def _prepare(var_dir: Path) -> None:
    env = common.fresh_env(var_dir)
    common.run_child(["manage.py", "migrate", "--noinput"], env, timeout=900)  # resumes a partial one
    common.run_child(["manage.py", "load_website_demo"], env, timeout=300)
    common.run_child(["manage.py", "collectstatic", "--noinput", "--verbosity", "0"], env, timeout=300)


def _measure(var_dir: Path) -> dict[str, Any]:
    api_overhead.START_TIMEOUT_S = max(api_overhead.START_TIMEOUT_S, 180.0)  # a loaded machine starts slowly
    server = Server("website", SERVER_ARGS, var_dir)
    try:
        server.wait_ready()
        for label, path in ENDPOINTS.items():
            status, body = server.get(path)
            if status != 200 or not body:
                raise RuntimeError(f"{label} {path} answered {status}: {body[:300]!r}")
        cpus = common.usable_cpus()
        for label, path in ENDPOINTS.items():  # warm every worker and thread, fill the page cache
            loadgen.run_phase(
                f"warmup-{label}",
                server.port,
                _fixed(path),
                clients=CLIENTS,
                seconds=WARMUP_SECONDS,
            )
        phases: dict[str, list[loadgen.Phase]] = {label: [] for label in ENDPOINTS}
        cpu_before = time.process_time()
        for label in list(ENDPOINTS) * ROUNDS:  # A/B/C/A/B/C/...: same server, same run
            path = ENDPOINTS[label]
            phases[label].append(
                loadgen.run_phase(
                    label,
                    server.port,
                    _fixed(path),
                    clients=CLIENTS,
                    seconds=PHASE_SECONDS,
                    server_pid=server.proc.pid,
                )
            )
        cached = server.get("/")
        if server.proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited during the run:\n{server.log_path.read_text()[-3000:]}")
    finally:
        server.stop()
    out = {label: _summary(phases[label], cpus) for label in ENDPOINTS}
    floor = out["static_file"]["latency_ms"]["p95"]
    return {
        **out,
        "bench_process_cpu_s": round(time.process_time() - cpu_before, 2),
        "home_served_from_cache_after_warmup": cached[0] == 200,
        "p95_ratio_to_static_file": {
            label: round(out[label]["latency_ms"]["p95"] / floor, 2) if floor else None
            for label in ("home", "article")
        },
        "goals": {
            f"{label}_p95_under_{GOAL_P95_MS:.0f}ms": {
                "value_ms": out[label]["latency_ms"]["p95"],
                "goal_met": out[label]["latency_ms"]["p95"] < GOAL_P95_MS
                and out[label]["requests_failed"] == 0,
            }
            for label in ("home", "article")
        },
    }


def run() -> dict[str, Any]:
    started, load_at_start = time.monotonic(), common.load_average()
    wall_started, cpu_started = time.perf_counter(), time.process_time()
    reuse = os.environ.get("BENCH_WEBSITE_VAR_DIR", "")
    with common.temp_dir(NAME) as tmp:
        var_dir = Path(reuse) if reuse else Path(tmp)
        _prepare(var_dir)
        prepared_s = round(time.perf_counter() - wall_started, 1)
        result = _measure(var_dir)
    return {
        "benchmark": NAME,
        "machine": common.machine_info("sqlite", load_at_start=load_at_start),
        "load_average_at_end": common.load_average(),
        "setup": {
            "endpoints": ENDPOINTS,
            "server": "gunicorn " + " ".join(SERVER_ARGS) + " (codi.wsgi through bench.settings)",
            "database": "SQLite file (WAL) with the demo website",
            "cache": "Redis (CACHE_URL from REDIS_URL)"
            if os.environ.get("REDIS_URL")
            else "locmem (per process)",
            "clients": CLIENTS,
            "order": f"warm-up each, then (home, article, static_file) x {ROUNDS}",
            "phase_seconds": PHASE_SECONDS,
            "prepare_s": prepared_s,
        },
        "result": result,
        "goal_met": all(g["goal_met"] for g in result["goals"].values()),
        "wall_s": round(time.perf_counter() - wall_started, 1),
        "cpu_s_bench_process": round(time.process_time() - cpu_started, 2),
        "elapsed_s": round(time.monotonic() - started, 1),
    }


def summary(result: dict[str, Any]) -> str:
    lines = [
        f"   load average {result['machine'].get('load_average_1m_at_start')} -> {result['load_average_at_end']}"
    ]
    for label in ENDPOINTS:
        s = result["result"][label]
        lat = s["latency_ms"]
        lines.append(
            f"   {label:12} {s['throughput_rps']:7.1f} req/s  p50 {lat['p50']:6.1f}  p95 {lat['p95']:6.1f}  "
            f"p99 {lat['p99']:6.1f} ms  server CPU {s['server_cpu_ms_per_request']} ms/req  failed {s['requests_failed']}"
        )
    lines.append(f"   goal met: {result['goal_met']}")
    return "\n".join(lines)


if __name__ == "__main__":
    outcome = run()
    common.write_result(NAME, outcome)
    print(summary(outcome))
