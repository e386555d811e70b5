"""Shared helpers: machine facts, a fresh data directory, percentiles, writing results."""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
PYTHON = sys.executable


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


def usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def machine_info(database_vendor: str, *, load_at_start: float | None = None) -> dict[str, Any]:
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(),
        "cpu_usable": usable_cpus(),
        "cpu_model": cpu_model(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "django": _version("django"),
        "django_ninja": _version("django-ninja"),
        "gunicorn": _version("gunicorn"),
        "database_vendor": database_vendor,
        # Other work on the machine skews every figure: the 1-minute load average before the benchmark
        # started (anything well above 0 is someone else's) and when it ended (its own load included).
        "load_average_1m_at_start": load_at_start,
        "load_average_1m_at_end": load_average(),
    }


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (``pct`` in 0..100) of unsorted values; NaN when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def write_result(name: str, result: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def fresh_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """The environment for a child process: its own data directory and SQLite file, bench on the path."""
    env = dict(os.environ)
    env.update(
        {
            "CODI_VAR_DIR": str(var_dir),
            "DATABASE_URL": f"sqlite:///{var_dir / 'codi.sqlite3'}",
            "PYTHONPATH": os.pathsep.join(
                [
                    str(REPO / "src"),
                    str(REPO),
                    *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep)),
                ]
            ),
            "DJANGO_SETTINGS_MODULE": "codi.settings",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    env.update(extra)
    return env


def temp_dir(prefix: str) -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix=f"codi-bench-{prefix}-")


def run_child(args: list[str], env: dict[str, str], *, timeout: float) -> str:
    """Run a Python child (``python ARGS``) in the repo root; return its stdout, raise with its stderr."""
    done = subprocess.run(
        [PYTHON, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr[-4000:]}")
    return done.stdout


def last_json_line(output: str) -> dict[str, Any]:
    for line in reversed(output.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise RuntimeError(f"no JSON result in child output:\n{output[-2000:]}")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def with_postgres_database(url: str, var_dir: Path, worker: Callable[[dict[str, str]], Any]) -> Any:
    """Run ``worker(env)`` against a fresh, throw-away database on the PostgreSQL server at ``url``."""
    import secrets
    from urllib.parse import urlparse, urlunparse

    import psycopg

    name = f"codi_bench_{secrets.token_hex(4)}"
    parsed = urlparse(url)
    admin = urlunparse(parsed._replace(scheme="postgresql"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        return worker(fresh_env(var_dir, DATABASE_URL=urlunparse(parsed._replace(path=f"/{name}"))))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def time_rounds(
    calls: dict[str, Callable[[], Any]], rounds: int, *, warmup: int = 3
) -> dict[str, dict[str, list[float]]]:
    """Call each function ``warmup`` times, then ``rounds`` times, interleaved (a, b, a, b, …, so that
    a load spike on the machine falls on both); per name the wall-clock and CPU seconds of each call."""
    for _ in range(warmup):
        for call in calls.values():
            call()
    times: dict[str, dict[str, list[float]]] = {name: {"wall": [], "cpu": []} for name in calls}
    for _ in range(rounds):
        for name, call in calls.items():
            started, started_cpu = time.perf_counter(), time.process_time()
            call()
            times[name]["wall"].append(time.perf_counter() - started)
            times[name]["cpu"].append(time.process_time() - started_cpu)
    return times


def ms_percentiles(values: Sequence[float], digits: int = 1) -> dict[str, float]:
    """``{"p50": …, "p95": …}`` in milliseconds of durations in seconds."""
    return {
        "p50": round(percentile(values, 50) * 1000, digits),
        "p95": round(percentile(values, 95) * 1000, digits),
    }


def sqlite_worker(name: str, option: str, count: int) -> dict[str, Any]:
    """Run ``python -m bench.NAME --worker --OPTION COUNT`` on a fresh SQLite database in a child
    process; return the child's JSON result."""
    with temp_dir(name) as tmp:
        output = run_child(
            ["-m", f"bench.{name}", "--worker", f"--{option}", str(count)], fresh_env(Path(tmp)), timeout=3600
        )
    return last_json_line(output)


def worker_cli(name: str, option: str, default: int, worker: Callable[[int], dict[str, Any]]) -> None:
    """The child side of :func:`sqlite_worker`: parse ``--worker --OPTION N``, print the JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    parser.add_argument(f"--{option}", type=int, default=default)
    args = parser.parse_args()
    if not args.worker:
        parser.error(f"run it with python -m bench.run {name}")
    print(json.dumps(worker(getattr(args, option))))


def on_each_database(
    name: str, worker: Callable[[dict[str, str]], Any], *, vendors: Sequence[str] = ("sqlite", "postgresql")
) -> dict[str, Any]:
    """Run ``worker(env)`` on a fresh SQLite file and, where ``DATABASE_URL`` names a PostgreSQL server,
    on a throw-away database there; the figures per vendor that ran."""
    databases: dict[str, Any] = {}
    with temp_dir(name) as tmp:
        if "sqlite" in vendors:
            databases["sqlite"] = worker(fresh_env(Path(tmp)))
        url = os.environ.get("DATABASE_URL", "")
        if url.startswith("postgres") and "postgresql" in vendors:
            databases["postgresql"] = with_postgres_database(url, Path(tmp), worker)
    return databases
