"""Shared counters: one limit for every process and thread, in the database or in a real Redis.

The Redis cases run against the redis-server that `scripts/with-redis.sh` starts (`make test`
wraps the test run in it and sets REDIS_URL); without it they are skipped.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import uuid
from pathlib import Path

import pytest
from django.db import connection

from codi.core import ratelimit

REDIS_URL = os.environ.get("REDIS_URL", "")
ROOT = Path(__file__).resolve().parents[2]
# Long enough that no test run straddles two windows.
FOREVER = 10**9

needs_redis = pytest.mark.skipif(not REDIS_URL, reason="no redis-server (run under scripts/with-redis.sh)")
BACKENDS = ["database", pytest.param("redis", marks=needs_redis)]


@pytest.fixture
def backend(request, settings):
    settings.RATELIMIT_URL = REDIS_URL if request.param == "redis" else ""
    assert ratelimit.backend_name() == request.param
    return request.param


def _scope() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


@pytest.mark.django_db
@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
def test_a_counter_counts_per_identifier_and_can_be_reset(backend):
    scope = _scope()
    counts = [ratelimit.hit(scope, "10.0.0.1", limit=2, window_seconds=FOREVER).count for _ in range(3)]
    assert counts == [1, 2, 3]
    usage = ratelimit.peek(scope, "10.0.0.1", limit=2, window_seconds=FOREVER)
    assert (usage.count, usage.is_reached, usage.is_exceeded) == (3, True, True)
    assert ratelimit.peek(scope, "10.0.0.2", limit=2, window_seconds=FOREVER).count == 0
    ratelimit.reset(scope, "10.0.0.1", window_seconds=FOREVER)
    assert ratelimit.peek(scope, "10.0.0.1", limit=2, window_seconds=FOREVER).count == 0


@pytest.mark.django_db
def test_the_database_store_keeps_no_address_in_clear_and_sweeps_ended_windows():
    from codi.core.models import RateCounter

    scope = _scope()
    ratelimit.hit(scope, "203.0.113.7", limit=5, window_seconds=1)
    assert not RateCounter.objects.filter(key__contains="203.0.113.7").exists()
    assert RateCounter.objects.filter(key__startswith=f"codi:rl:{scope}:").count() == 1
    # given the window has ended, when the next window's first hit comes, then the old row is swept
    RateCounter.objects.filter(key__startswith=f"codi:rl:{scope}:").update(expires_at="2000-01-01T00:00Z")
    ratelimit.hit(_scope(), "203.0.113.7", limit=5, window_seconds=FOREVER)
    assert not RateCounter.objects.filter(key__startswith=f"codi:rl:{scope}:").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
def test_threads_share_one_limit(backend):
    if backend == "database" and connection.vendor == "sqlite":
        # The in-memory test database of SQLite locks whole tables between threads instead of
        # waiting; a real SQLite file waits (busy_timeout) — the three-process test covers that.
        pytest.skip("SQLite's in-memory test database; see test_three_processes_share_one_limit")
    # given 6 threads sending 20 hits each against a limit of 50
    scope = _scope()
    allowed: list[int] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            n = sum(
                1
                for _ in range(20)
                if not ratelimit.hit(scope, "shared", limit=50, window_seconds=FOREVER).is_exceeded
            )
            allowed.append(n)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then exactly 50 were let through in all, and all 120 were counted
    assert errors == []
    assert sum(allowed) == 50
    assert ratelimit.peek(scope, "shared", limit=50, window_seconds=FOREVER).count == 120


_CHILD = textwrap.dedent(
    """
    import os, sys
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "codi.settings")
    import django
    django.setup()
    from codi.core import ratelimit
    if sys.argv[1] == "create":
        from django.db import connection
        from codi.core.models import RateCounter
        with connection.schema_editor() as editor:
            editor.create_model(RateCounter)
        sys.exit(0)
    scope, hits = sys.argv[1], int(sys.argv[2])
    allowed = sum(
        1 for _ in range(hits) if not ratelimit.hit(scope, "shared", limit=50, window_seconds=10**9).is_exceeded
    )
    print(allowed)
    """
)


def _child_env(database_url: str, ratelimit_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"CACHE_URL", "RATELIMIT_URL"}}
    env.update(PYTHONPATH=str(ROOT / "src"), DATABASE_URL=database_url, RATELIMIT_URL=ratelimit_url)
    return env


def _database_url_of_the_test_database(tmp_path: Path, ratelimit_url: str) -> str:
    """The test database itself on PostgreSQL; on SQLite (in memory) a file with the counter table."""
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        return f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
    url = f"sqlite:///{tmp_path / 'counters.sqlite3'}"
    subprocess.run(
        [sys.executable, "-c", _CHILD, "create"],
        env=_child_env(url, ratelimit_url),
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    return url


@pytest.mark.django_db
@pytest.mark.parametrize("backend", BACKENDS, indirect=True)
def test_three_processes_share_one_limit(backend, tmp_path, settings):
    # given three separate Python processes, 30 hits each, against one limit of 50
    database_url = _database_url_of_the_test_database(tmp_path, settings.RATELIMIT_URL)
    scope = _scope()
    env = _child_env(database_url, settings.RATELIMIT_URL)
    children = [
        subprocess.Popen(
            [sys.executable, "-c", _CHILD, scope, "30"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [child.communicate(timeout=180) for child in children]
    assert [child.returncode for child in children] == [0, 0, 0], [err[-2000:] for _, err in outputs]
    # then 50 were let through in all — not 50 per process
    assert sum(int(out.strip().splitlines()[-1]) for out, _ in outputs) == 50


def test_an_unreachable_redis_refuses_instead_of_letting_calls_through(settings):
    settings.RATELIMIT_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    with pytest.raises(ratelimit.RateLimitUnavailableError):
        ratelimit.hit(_scope(), "x", limit=5, window_seconds=60)
    with pytest.raises(ratelimit.RateLimitUnavailableError):
        ratelimit.peek(_scope(), "x", limit=5, window_seconds=60)
