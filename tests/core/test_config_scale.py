"""Settings for several processes: cache and counter addresses, sessions, optional LDAP (issue 14)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from codi import config

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def env(monkeypatch, tmp_path):
    monkeypatch.setenv("CODI_VAR_DIR", str(tmp_path))
    for name in ("CACHE_URL", "RATELIMIT_URL", "SESSION_ENGINE"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize(
    "value", ["redis://127.0.0.1:6379/0", "rediss://cache.example:6380/1", "locmem://", "db://"]
)
def test_cache_addresses_that_work_are_taken(env, value):
    env.setenv("CACHE_URL", value)
    assert config.load().cache_url == value


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CACHE_URL", "memcached://x"),
        ("CACHE_URL", "redis:///0"),
        ("RATELIMIT_URL", "127.0.0.1:6379"),
        ("SESSION_ENGINE", "file"),
    ],
)
def test_a_wrong_cache_counter_or_session_setting_names_the_variable(env, name, value):
    env.setenv(name, value)
    with pytest.raises(config.ConfigError, match=name):
        config.load()


def _settings_of(extra_env: dict[str, str], code: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v for k, v in os.environ.items() if k not in {"CACHE_URL", "RATELIMIT_URL", "DATABASE_URL"}
    }
    environment.update(PYTHONPATH=str(ROOT / "src"), CODI_VAR_DIR=str(tmp_path), **extra_env)
    program = "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'codi.settings'\n" + code
    return subprocess.run(
        [sys.executable, "-c", program],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


def test_a_redis_cache_url_shares_the_cache_the_counters_and_can_hold_sessions(tmp_path):
    done = _settings_of(
        {"CACHE_URL": "redis://127.0.0.1:6379/2", "SESSION_ENGINE": "cached_db"},
        "from django.conf import settings as s\n"
        "print(s.CACHES['default']['BACKEND'], s.RATELIMIT_URL, s.SESSION_ENGINE)",
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://127.0.0.1:6379/2",
        "django.contrib.sessions.backends.cached_db",
    ]


def test_without_redis_the_counters_live_in_the_database(tmp_path):
    done = _settings_of(
        {},
        "from codi.core import ratelimit\nimport django; django.setup()\nprint(ratelimit.backend_name())",
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "database"


def test_ldap_configured_without_the_extra_fails_at_start_with_one_clear_line(tmp_path):
    # given python-ldap is not installed (hidden from this process)
    done = _settings_of(
        {"CODI_LDAP_URI": "ldap://127.0.0.1:389"},
        "import sys; sys.modules['ldap'] = None\nimport django; django.setup()",
        tmp_path,
    )
    assert done.returncode != 0
    last = done.stderr.strip().splitlines()[-1]
    assert "CODI_LDAP_URI" in last and "pip install -e '.[ldap]'" in last and "LDAP" in last


def test_the_web_app_does_not_import_ldap(tmp_path):
    done = _settings_of(
        {}, "import django; django.setup()\nimport codi.urls, sys\nprint('ldap' in sys.modules)", tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
