"""A partner's API rate limit holds across two gunicorn workers (issue 12 item 4, issue 14 item 3).

Reproduction of the finding "an API key limited to 5/minute served 11 of 12" with several
workers and a per-process cache. Needs the workers to share the test database: PostgreSQL
(scripts/with-postgres.sh); the Redis case also needs scripts/with-redis.sh.
"""

# ruff: noqa: S310 — the test only opens http://127.0.0.1 addresses it builds itself
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL", "")
ON_POSTGRES = os.environ.get("DATABASE_URL", "").split(":", 1)[0] in {"postgres", "postgresql"}

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not ON_POSTGRES, reason="gunicorn workers share the test database only on PostgreSQL"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, key: str) -> int:
    request = urllib.request.Request(url, headers={"X-API-Key": key, "Host": "127.0.0.1"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


@pytest.mark.parametrize(
    "store", ["database", pytest.param("redis", marks=pytest.mark.skipif(not REDIS_URL, reason="no redis"))]
)
def test_an_api_key_limited_to_5_a_minute_gets_5_of_12_through_two_workers(store, tmp_path):
    s = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if k not in {"CACHE_URL", "RATELIMIT_URL"}}
    env.update(
        PYTHONPATH=str(ROOT / "src"),
        DATABASE_URL=f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}",
        RATELIMIT_URL=REDIS_URL if store == "redis" else "",
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path),
        LOG_LEVEL="WARNING",
    )
    suffix = os.urandom(4).hex()
    made = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from codi.identity import services\n"
            f"u = services.user_create(actor=None, username='partner{suffix}', password='Partner-pass-2026-x',"
            " name_th='ระบบคู่ค้า')\n"
            "print(services.api_key_create(actor=None, user=u, name='drill', rate_limit_per_minute=5)[1])",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert made.returncode == 0, made.stderr[-2000:]
    key = made.stdout.strip().splitlines()[-1]
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "codi.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--threads", "2", "--worker-class", "gthread", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.3)
        # Twelve calls inside one minute window (wait for a fresh window when close to its end).
        if time.time() % 60 > 50:
            time.sleep(61 - time.time() % 60)
        statuses = [_get(f"{base}/api/v1/identity/me", key) for _ in range(12)]
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert statuses.count(200) == 5, statuses
    assert statuses.count(429) == 7, statuses
