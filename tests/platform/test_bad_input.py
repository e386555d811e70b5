"""Bad input at start and at run time (issue 14, "Bad input").

- A misconfigured ``DATABASE_URL``, ``CACHE_URL`` or storage setting stops ``manage.py`` and the
  WSGI application (gunicorn) at start with ONE line naming the variable (no traceback, a
  password in the address not shown).
- Redis down at run time (the cache, the API key cache and the rate counter all on a Redis that does
  not answer): a rate-limited API call is refused with 503 problem+json, never a 500 (the counter
  itself refusing is tested in tests/core/test_ratelimit.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client

from codi import config
from codi.identity import services
from tests.permissions import Matrix

ROOT = Path(__file__).resolve().parents[2]
DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "CACHE_URL", "RATELIMIT_URL", "STORAGE_BACKEND", "S3_BUCKET"}
    }
    env.update(PYTHONPATH=str(ROOT / "src"), CODI_VAR_DIR=str(tmp_path), **extra)
    return env


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DATABASE_URL", "mysql://codi@127.0.0.1/codi"),
        ("DATABASE_URL", "postgres://codi:hunter2@127.0.0.1:five/codi"),
        ("DATABASE_URL", "postgres://codi:hunter2@127.0.0.1:5432"),
        ("DATABASE_URL", "127.0.0.1:5432/codi"),
        ("CACHE_URL", "memcached://127.0.0.1:11211"),
        ("CACHE_URL", "redis:///0"),
        ("STORAGE_BACKEND", "ftp"),
        ("STORAGE_BACKEND", "s3"),  # without S3_BUCKET
    ],
)
def test_manage_py_stops_with_one_line_naming_the_variable(tmp_path, name, value):
    done = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT, env=_env(tmp_path, **{name: value}), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode != 0
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("การตั้งค่าไม่ถูกต้อง / configuration error: ")
    assert name in lines[0] or (value == "s3" and "STORAGE_BACKEND=s3" in lines[0])
    assert "hunter2" not in done.stderr


def test_a_good_database_url_is_taken(monkeypatch, tmp_path):
    monkeypatch.setenv("CODI_VAR_DIR", str(tmp_path))
    for url in ("postgres://codi:pw@db.internal:5432/codi", "postgresql:///codi", "sqlite:////var/codi.db"):
        monkeypatch.setenv("DATABASE_URL", url)
        assert config.load().database_url == url


def test_gunicorn_stops_at_start_with_the_line(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "gunicorn", "codi.wsgi:application", "--bind", "127.0.0.1:0", "--workers", "1"],
        cwd=ROOT, env=_env(tmp_path, DATABASE_URL="mysql://codi@127.0.0.1/codi"), capture_output=True,
        text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode != 0
    assert "configuration error: DATABASE_URL must start with sqlite:// or postgres://" in done.stderr


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": DEAD_REDIS}
    }
    settings.RATELIMIT_URL = DEAD_REDIS
    settings.API_KEY_CACHE_SECONDS = 60
    yield
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


@pytest.mark.django_db
def test_redis_down_refuses_a_rate_limited_api_call_with_503_problem_json(redis_down):
    user = Matrix().user("partner_agency", "province", "40")
    _key, raw = services.api_key_create(actor=None, user=user, name="อบจ.ขอนแก่น")
    response = Client(HTTP_HOST="127.0.0.1", HTTP_X_API_KEY=raw).get("/api/v1/communities/organizations")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["status"] == 503
