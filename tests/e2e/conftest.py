"""The real server for end-to-end tests: gunicorn, as ``make run`` starts it, on a database of its own.

One server per test session, shared by the browser journeys and schemathesis. On SQLite its
database lives in a temporary ``CODI_VAR_DIR``; when ``DATABASE_URL`` points at PostgreSQL, a
fresh database is created on that server and dropped afterwards. The test process itself never
touches that database (these tests do not use pytest-django's ``db`` fixture): everything goes
through HTTP or through ``manage.py`` subprocesses that share the server's environment.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORD = "codi-demo-2569"
# Settings the developer's shell may carry that must not leak into the test server.
_SCRUBBED_ENV = (
    "DATABASE_URL",
    "CODI_VAR_DIR",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "MEDIA_ROOT",
    "EMAIL_URL",
    "SECURE_COOKIES",
    "SECURE_SSL_REDIRECT",
    "HSTS_SECONDS",
    "CACHE_URL",
    "PROMETHEUS_MULTIPROC_DIR",
    "SESSION_IDLE_SECONDS",
    "API_RATE_LIMIT_PER_MINUTE",
)


@dataclass(frozen=True)
class Server:
    base_url: str
    env: dict[str, str]
    log: Path

    def manage(self, *args: str, timeout: float = 120) -> str:
        """Run ``manage.py`` against the server's database; return its standard output."""
        return _run_manage(self.env, *args, timeout=timeout)

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# Set-up commands (migrate, load_demo) get 900 s (Wagtail brings 211 migrations); CODI_E2E_MANAGE_TIMEOUT raises it on a loaded machine.
MANAGE_TIMEOUT = float(os.environ.get("CODI_E2E_MANAGE_TIMEOUT", "900"))


def _run_manage(env: dict[str, str], *args: str, timeout: float = MANAGE_TIMEOUT) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(
            f"manage.py {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}",
            pytrace=False,
        )
    return result.stdout


@dataclass
class _PostgresDatabase:
    admin_url: str
    name: str
    url: str

    @classmethod
    def create(cls, admin_url: str) -> _PostgresDatabase:
        import psycopg

        name = f"codi_e2e_{secrets.token_hex(4)}"
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        parts = urlsplit(admin_url)
        return cls(admin_url=admin_url, name=name, url=urlunsplit(parts._replace(path="/" + name)))

    def drop(self) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [self.name],
            )
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}"')


def _wait_healthy(proc: subprocess.Popen[bytes], url: str, log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text(errors="replace")[-4000:]
            pytest.fail(f"gunicorn exited with {proc.returncode} before answering:\n{tail}", pytrace=False)
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:  # noqa: S310 (localhost)
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    pytest.fail(f"gunicorn did not answer {url}/healthz within {timeout} s", pytrace=False)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    # gunicorn was started in a session of its own: its process group is the master and its workers.
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


@pytest.fixture(scope="session")
def e2e_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Migrate, load areas and demo data into a fresh database, then serve it with gunicorn."""
    var_dir = tmp_path_factory.mktemp("e2e-var")
    env = {key: value for key, value in os.environ.items() if key not in _SCRUBBED_ENV}
    env.update(
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])),
        DJANGO_SETTINGS_MODULE="codi.settings",
        CODI_VAR_DIR=str(var_dir),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DEBUG="false",
        LOG_FORMAT="plain",
        LOG_LEVEL="WARNING",
    )
    database: _PostgresDatabase | None = None
    outer_url = os.environ.get("DATABASE_URL", "")
    if outer_url.startswith("postgres"):
        database = _PostgresDatabase.create(outer_url)
        env["DATABASE_URL"] = database.url

    proc: subprocess.Popen[bytes] | None = None
    try:
        # collectstatic needs no database: run it while the migrations run.
        static = subprocess.Popen(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        _run_manage(env, "migrate", "--noinput", timeout=900)  # Wagtail (codi.website) adds ~200 migrations
        _, static_err = static.communicate(timeout=120)
        if static.returncode != 0:
            pytest.fail(f"collectstatic failed:\n{static_err.decode(errors='replace')}", pytrace=False)
        _run_manage(env, "load_areas")
        _run_manage(env, "load_demo")

        prometheus_dir = var_dir / "prometheus"
        prometheus_dir.mkdir()
        port = _free_port()
        base_url = f"http://127.0.0.1:{port}"
        log = var_dir / "gunicorn.log"
        with log.open("wb") as log_file:
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "codi.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "2",
                    "--access-logfile",
                    "-",
                    "--log-level",
                    "warning",
                    "--timeout",
                    "60",
                ],
                cwd=ROOT,
                env={**env, "PROMETHEUS_MULTIPROC_DIR": str(prometheus_dir)},
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        _wait_healthy(proc, base_url, log)
        yield Server(base_url=base_url, env=env, log=log)
    finally:
        if proc is not None:
            _stop(proc)
        if database is not None:
            database.drop()


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """Debian's chromium; ``make test`` installs it. A missing browser is a failure, never a skip."""
    if not CHROMIUM.is_file() or not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} is missing: the end-to-end tests drive Debian's chromium "
            "(run `make deps`, or `apt-get install chromium`). Never `playwright install`.",
            pytrace=False,
        )
    return CHROMIUM


@pytest.fixture(scope="module")
def browser(chromium_path: Path) -> Iterator[Browser]:
    # Module scope, not session: while Playwright's sync API is running, the main thread has an
    # event loop, and Django refuses ORM calls made outside a test's own connection (the PostgreSQL
    # concurrency tests after the e2e modules failed with SynchronousOnlyOperation).
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser: Browser, e2e_server: Server) -> Iterator[Page]:
    """A fresh browser profile (no cookies) per test, Thai first like a CODI officer's browser."""
    context = browser.new_context(base_url=e2e_server.base_url, locale="th-TH", timezone_id="Asia/Bangkok")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()
