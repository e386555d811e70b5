"""Typed settings from the environment, and the production check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from codi import config

ROOT = Path(__file__).resolve().parents[2]


def test_defaults_use_sqlite_under_var(monkeypatch, tmp_path):
    monkeypatch.setenv("CODI_VAR_DIR", str(tmp_path))
    for name in ("DATABASE_URL", "SECRET_KEY", "SESSION_IDLE_SECONDS", "AUDIT_RETENTION_DAYS"):
        monkeypatch.delenv(name, raising=False)
    cfg = config.load()
    assert cfg.database_url == f"sqlite:///{tmp_path / 'codi.sqlite3'}"
    assert cfg.session_idle_seconds == 1800
    assert cfg.audit_retention_days == 365


def test_secret_key_is_generated_once_and_kept(monkeypatch, tmp_path):
    monkeypatch.setenv("CODI_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = config.load().secret_key
    assert len(first) >= 50
    assert config.load().secret_key == first
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("AUDIT_RETENTION_DAYS", "30", "at least 90"),
        ("SESSION_IDLE_SECONDS", "soon", "whole number"),
        ("DEBUG", "maybe", "true or false"),
    ],
)
def test_bad_values_are_refused_with_the_variable_named(monkeypatch, tmp_path, name, value, message):
    monkeypatch.setenv("CODI_VAR_DIR", str(tmp_path))
    monkeypatch.setenv(name, value)
    with pytest.raises(config.ConfigError, match=f"{name} must be.*{message}|{name}.*{message}"):
        config.load()


def test_check_deploy_passes_with_the_documented_production_environment(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "PYTHONPATH": str(ROOT / "src"),
        "CODI_VAR_DIR": str(tmp_path),
        "SECRET_KEY": "a-production-secret-" + "x" * 50,
        "ALLOWED_HOSTS": "platform.codi.or.th",
        "CSRF_TRUSTED_ORIGINS": "https://platform.codi.or.th",
        "SECURE_COOKIES": "true",
        "SECURE_SSL_REDIRECT": "true",
        "HSTS_SECONDS": "31536000",
        "HSTS_PRELOAD": "true",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_importing_the_web_app_does_not_load_heavy_libraries():
    code = (
        "import django, sys; django.setup(); import codi.urls; "
        "heavy = [m for m in ('geothai', 'pythainlp', 'pytesseract', 'shapely') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "DJANGO_SETTINGS_MODULE": "codi.settings"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
