"""Backups: database and media in one archive with checksums; restore verifies everything first.

The round trip runs the real commands in subprocesses against a database of
their own: a SQLite file under a temporary CODI_VAR_DIR, or, when the suite runs
on PostgreSQL, a fresh database created on the same server and dropped after.
Archive checks that refuse before anything is touched run in-process.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import secrets
import subprocess
import sys
import tarfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from codi.core.backup import backup_verify

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "long-enough-pass-2569"
REPORT = "docs/รายงานประจำปี.pdf"
REPORT_BYTES = b"%PDF-1.4\n" + bytes(range(256)) * 4
CORRUPT = "ไฟล์สำรองเสียหาย / backup archive is corrupt: "
UNSAFE = "ไฟล์สำรองไม่ปลอดภัย / unsafe backup archive: "

STATE = """
import json
from codi.core.models import AuditEntry
from codi.identity.models import User
print(json.dumps({
    "users": sorted(User.objects.values_list("username", flat=True)),
    "audit": list(AuditEntry.objects.order_by("id").values_list("action", flat=True)),
}))
"""


@dataclass
class Site:
    """A CODI installation of its own, driven through manage.py."""

    var_dir: Path
    env: dict[str, str]

    @property
    def media(self) -> Path:
        return self.var_dir / "media"

    @property
    def database_member(self) -> str:
        is_postgres = self.env.get("DATABASE_URL", "").startswith("postgres")
        return "database.pgdump" if is_postgres else "database.sqlite3"

    def manage(self, *args: str, answer: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=REPO,
            env=self.env,
            input=answer,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    def ok(self, *args: str, answer: str | None = None) -> str:
        done = self.manage(*args, answer=answer)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def python(self, code: str) -> str:
        return self.ok("shell", "--no-imports", "--verbosity", "0", "-c", code)

    def add_user(self, username: str) -> None:
        self.python(
            "from codi.identity.services import user_create\n"
            f"user_create(actor=None, username={username!r}, password={PASSWORD!r})\n"
        )

    def state(self) -> dict[str, Any]:
        """Users, audit actions in order, and every media file with its content."""
        found: dict[str, Any] = json.loads(self.python(STATE).strip().splitlines()[-1])
        found["media"] = {
            path.relative_to(self.media).as_posix(): path.read_bytes()
            for path in sorted(self.media.rglob("*"))
            if path.is_file()
        }
        return found


@contextmanager
def _site(var_dir: Path) -> Iterator[Site]:
    """A migrated installation under ``var_dir`` with a database of its own."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "MEDIA_ROOT", "SECRET_KEY"}}
    env.update({"CODI_VAR_DIR": str(var_dir), "PYTHONPATH": str(REPO / "src"), "LOG_FORMAT": "plain"})
    server_url = os.environ.get("DATABASE_URL", "")
    if not server_url.startswith("postgres"):
        site = Site(var_dir=var_dir, env=env)
        site.ok("migrate", "--noinput", "--verbosity", "0")
        yield site
        return

    import psycopg
    from psycopg import sql

    name = f"codi_backup_test_{secrets.token_hex(4)}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    env["DATABASE_URL"] = urlunsplit(urlsplit(server_url)._replace(path=f"/{name}"))
    try:
        site = Site(var_dir=var_dir, env=env)
        site.ok("migrate", "--noinput", "--verbosity", "0")
        yield site
    finally:
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    with _site(tmp_path / "var") as made:
        yield made


@dataclass
class Changed:
    """A site backed up to ``archive``, then changed: ``state`` is how it looks now."""

    site: Site
    archive: Path
    state: dict[str, Any]


@pytest.fixture(scope="module")
def changed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Changed]:
    with _site(tmp_path_factory.mktemp("changed") / "var") as site:
        site.add_user("somchai")
        (site.media / "docs").mkdir(parents=True)
        (site.media / REPORT).write_bytes(REPORT_BYTES)
        archive = site.var_dir / "before.tar.gz"
        site.ok("backup", "--output", str(archive))
        (site.media / REPORT).unlink()
        site.add_user("after_backup")
        yield Changed(site=site, archive=archive, state=site.state())


def _members(archive: Path) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    with tarfile.open(archive, "r:gz") as tar:
        for info in tar:
            content = tar.extractfile(info)
            assert content is not None
            found[info.name] = content.read()
    return found


def _repack(source: Path, target: Path, *, change: Callable[[str, bytes], bytes]) -> None:
    """Write ``source``'s members into ``target`` unchanged except through ``change``."""
    with tarfile.open(target, "w:gz") as tar:
        for name, data in _members(source).items():
            data = change(name, data)
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def _flip_byte(member: str) -> Callable[[str, bytes], bytes]:
    def change(name: str, data: bytes) -> bytes:
        if name != member:
            return data
        middle = len(data) // 2
        return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]

    return change


# --- round trip -------------------------------------------------------------------


def test_backup_then_restore_brings_back_the_database_and_the_media_files(site: Site):
    # given: a user (with its audit entry) and an uploaded file with a Thai name
    site.add_user("somchai")
    (site.media / "docs").mkdir(parents=True)
    (site.media / REPORT).write_bytes(REPORT_BYTES)

    # when: backed up to the default place
    out = site.ok("backup")

    # then: one owner-only archive under var/backups, members listed with their checksums
    (archive,) = (site.var_dir / "backups").iterdir()
    assert re.fullmatch(r"codi-\d{8}-\d{6}\.tar\.gz", archive.name)
    assert str(archive) in out
    assert archive.stat().st_mode & 0o777 == 0o600
    members = _members(archive)
    assert sorted(members) == sorted([site.database_member, "manifest.json", f"media/{REPORT}"])
    manifest = json.loads(members["manifest.json"])
    assert manifest["format_version"] == 1
    assert manifest["vendor"] == ("postgresql" if site.database_member == "database.pgdump" else "sqlite")
    core_migrations = Path(__file__).resolve().parents[2] / "src" / "codi" / "core" / "migrations"
    assert manifest["migrations"]["latest"]["core"] == max(p.stem for p in core_migrations.glob("0*.py"))
    assert manifest["members"] == [
        {
            "name": name,
            "sha256": hashlib.sha256(members[name]).hexdigest(),
            "size": len(members[name]),
        }
        for name in [site.database_member, f"media/{REPORT}"]
    ]
    assert site.state()["audit"] == ["identity.user_create", "ops.backup"]

    # when: the data changes, the file is deleted and another appears, then the archive is restored
    site.python("from codi.identity.models import User\nUser.objects.filter(username='somchai').delete()\n")
    site.add_user("after_backup")
    (site.media / REPORT).unlink()
    (site.media / "stray.txt").write_text("not in the backup")
    restored = site.ok("restore", str(archive), "--yes")

    # then: exactly the backed-up data and files, and the restore continues the restored chain
    assert "กู้คืนแล้ว / restored" in restored
    assert site.state() == {
        "users": ["somchai"],
        "audit": ["identity.user_create", "ops.restore"],
        "media": {REPORT: REPORT_BYTES},
    }
    assert "audit chain intact: 2 entries verified" in site.ok("verify_audit")
    assert [p.name for p in site.var_dir.iterdir() if p.name.startswith(".codi-")] == []


# --- refusals that leave everything as it was ---------------------------------------


@pytest.mark.parametrize("member", ["database", f"media/{REPORT}"])
def test_restore_refuses_a_tampered_archive_naming_the_member_and_changes_nothing(
    changed: Changed, tmp_path: Path, member: str
):
    name = changed.site.database_member if member == "database" else member
    tampered = tmp_path / "tampered.tar.gz"
    _repack(changed.archive, tampered, change=_flip_byte(name))

    done = changed.site.manage("restore", str(tampered), "--yes")

    assert done.returncode == 1
    assert f"{CORRUPT}{name} checksum mismatch" in done.stderr
    assert changed.site.state() == changed.state
    assert [p.name for p in changed.site.var_dir.iterdir() if p.name.startswith(".codi-")] == []


def test_restore_answered_no_changes_nothing(changed: Changed):
    done = changed.site.manage("restore", str(changed.archive), answer="no\n")

    assert done.returncode == 0, done.stderr
    assert "Type 'yes' to continue" in done.stdout
    assert "ยกเลิก ไม่มีการเปลี่ยนแปลง / cancelled, nothing was changed" in done.stdout
    assert changed.site.state() == changed.state
    assert f"media/{REPORT}" not in changed.state["media"]


# --- archive checks (in-process: refused before any database or file is touched) -----


def _archive(
    path: Path,
    files: dict[str, bytes],
    *,
    listed: list[str] | None = None,
    vendor: str | None = None,
    links: dict[str, tuple[bytes, str]] | None = None,
) -> Path:
    """An archive holding ``files`` (and ``links``: name → (tar type, target)), with a manifest
    that lists ``listed`` (default: every file) with their true checksums."""
    vendor = vendor or connection.vendor
    manifest = {
        "format_version": 1,
        "created_at": "2026-11-25T09:00:00+07:00",
        "vendor": vendor,
        "migrations": {},
        "members": [
            {
                "name": name,
                "sha256": hashlib.sha256(files.get(name, b"")).hexdigest(),
                "size": len(files.get(name, b"")),
            }
            for name in (listed if listed is not None else list(files))
        ],
    }
    with tarfile.open(path, "w:gz") as tar:
        for name, data in {**files, "manifest.json": json.dumps(manifest).encode()}.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for name, (kind, target) in (links or {}).items():
            info = tarfile.TarInfo(name)
            info.type = kind
            info.linkname = target
            tar.addfile(info)
    return path


def _database_member(vendor: str | None = None) -> str:
    return {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}[vendor or connection.vendor]


@pytest.fixture
def media_root(tmp_path: Path, settings: Any) -> Path:
    settings.MEDIA_ROOT = tmp_path / "site" / "media"
    settings.MEDIA_ROOT.mkdir(parents=True)
    (settings.MEDIA_ROOT / "kept.txt").write_text("kept")
    return settings.MEDIA_ROOT


def _untouched(media_root: Path) -> bool:
    site = media_root.parent
    return sorted(p.name for p in site.iterdir()) == ["media"] and [p.name for p in media_root.iterdir()] == [
        "kept.txt"
    ]


def test_a_well_formed_archive_verifies(media_root: Path, tmp_path: Path):
    archive = _archive(tmp_path / "good.tar.gz", {_database_member(): b"db", "media/a.txt": b"a"})

    manifest = backup_verify(archive=archive)

    assert [m.name for m in manifest.members] == [_database_member(), "media/a.txt"]
    assert manifest.media_files == 1
    assert _untouched(media_root)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("../evil.txt", "'../evil.txt' points outside the archive (..)"),
        ("media/../../evil.txt", "'media/../../evil.txt' points outside the archive (..)"),
        ("/tmp/evil.txt", "'/tmp/evil.txt' is an absolute or malformed path"),
    ],
)
def test_restore_refuses_a_member_outside_the_archive(
    media_root: Path, tmp_path: Path, name: str, message: str
):
    archive = _archive(tmp_path / "evil.tar.gz", {_database_member(): b"db", name: b"owned"})

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive), yes=True)

    assert str(refused.value) == UNSAFE + message
    assert not (tmp_path / "evil.txt").exists()
    assert not Path("/tmp/evil.txt").exists()
    assert _untouched(media_root)


@pytest.mark.parametrize("kind", [tarfile.SYMTYPE, tarfile.LNKTYPE])
def test_restore_refuses_links(media_root: Path, tmp_path: Path, kind: bytes):
    archive = _archive(
        tmp_path / "link.tar.gz",
        {_database_member(): b"db"},
        links={"media/passwd": (kind, "/etc/passwd")},
    )

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive), yes=True)

    assert str(refused.value) == UNSAFE + "'media/passwd' is a link"
    assert _untouched(media_root)


@pytest.mark.parametrize(
    ("files", "listed", "detail"),
    [
        ({"media/a.txt": b"a"}, ["media/a.txt", "media/gone.txt"], "media/gone.txt is missing"),
        (
            {"media/a.txt": b"a", "media/extra.txt": b"x"},
            ["media/a.txt"],
            "media/extra.txt is not listed in the manifest",
        ),
    ],
)
def test_restore_refuses_missing_and_extra_members(
    media_root: Path, tmp_path: Path, files: dict[str, bytes], listed: list[str], detail: str
):
    db = _database_member()
    archive = _archive(tmp_path / "a.tar.gz", {db: b"db", **files}, listed=[db, *listed])

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive), yes=True)

    assert str(refused.value) == CORRUPT + detail
    assert _untouched(media_root)


def test_restore_refuses_an_archive_without_a_manifest(media_root: Path, tmp_path: Path):
    archive = tmp_path / "bare.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo(_database_member())
        info.size = 2
        tar.addfile(info, io.BytesIO(b"db"))

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive), yes=True)

    assert str(refused.value) == CORRUPT + "manifest.json is missing"
    assert _untouched(media_root)


def test_restore_refuses_a_file_that_is_not_an_archive(media_root: Path, tmp_path: Path):
    archive = tmp_path / "notes.tar.gz"
    archive.write_text("just text")

    with pytest.raises(CommandError, match=re.escape(CORRUPT + "not a readable .tar.gz archive")):
        call_command("restore", str(archive), yes=True)

    assert _untouched(media_root)


def test_restore_refuses_an_archive_from_another_database_vendor(media_root: Path, tmp_path: Path):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    archive = _archive(tmp_path / "other.tar.gz", {_database_member(other): b"db"}, vendor=other)

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive), yes=True)

    assert str(refused.value) == (
        "ไฟล์สำรองนี้มาจากฐานข้อมูลต่างชนิด / backup was taken from another database: "
        f"the archive holds {other}, this installation uses {connection.vendor}"
    )
    assert _untouched(media_root)
