"""Backups: the database and the media files in one archive with checksums, and restoring it.

An archive is a ``.tar.gz`` holding

- ``manifest.json``: format version, creation time, database vendor, a summary of
  the applied Django migrations, and every other member's SHA-256 and size;
- ``database.sqlite3`` (a consistent copy made with SQLite's backup API, safe while
  the server runs in WAL mode) or ``database.pgdump`` (``pg_dump --format=custom``);
- ``media/…``: every uploaded file: each regular file under ``settings.MEDIA_ROOT`` when
  the media store is local, or every object of the store (``STORAGE_BACKEND=s3``: an
  S3-compatible bucket) copied into the archive. A store that cannot list its files is
  refused with a Thai / English message rather than backed up without its files.

Restoring first extracts the archive into a staging folder while checking every
member's name (no absolute paths, no ``..``, no links), SHA-256 and size against the
manifest, that nothing is missing or extra, and that the archive was taken from the
same database vendor. Only when all of that holds is anything live replaced: the
database (SQLite backup API into the configured file, or ``pg_restore --clean``),
then the contents of ``MEDIA_ROOT`` (or of the object store: archived objects are
written back and objects the archive does not hold are deleted). Both operations append an audit entry; the
restore's entry is written after the database is restored, so it continues the
restored chain.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import posixpath
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from psycopg.conninfo import make_conninfo

from codi.core.audit import audit_record

FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
MEDIA_PREFIX = "media/"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
_CHUNK = 1024 * 1024
_MANIFEST_MAX_BYTES = 64 * 1024 * 1024
# libpq connection keywords that may arrive in DATABASES[...]["OPTIONS"] (from DATABASE_URL's query).
_LIBPQ_OPTIONS = (
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "sslpassword",
    "connect_timeout",
    "application_name",
    "target_session_attrs",
    "options",
)


class BackupError(Exception):
    """A backup or restore cannot go on; the message is Thai / English."""


class BackupCorruptError(BackupError):
    """The archive does not match its manifest (or is not a readable archive)."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"ไฟล์สำรองเสียหาย / backup archive is corrupt: {detail}")


class BackupUnsafeError(BackupError):
    """A member of the archive would land outside the restore folder, or is a link or device."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"ไฟล์สำรองไม่ปลอดภัย / unsafe backup archive: {detail}")


@dataclass(frozen=True)
class Member:
    """One file in the archive as the manifest lists it."""

    name: str
    sha256: str
    size: int


@dataclass(frozen=True)
class Manifest:
    format_version: int
    created_at: str
    vendor: str
    migrations: dict[str, Any]
    members: tuple[Member, ...]

    @property
    def database_member(self) -> str:
        return DATABASE_MEMBERS[self.vendor]

    @property
    def media_files(self) -> int:
        return sum(1 for member in self.members if member.name.startswith(MEDIA_PREFIX))

    def as_json(self) -> dict[str, Any]:
        return {
            "format_version": self.format_version,
            "created_at": self.created_at,
            "vendor": self.vendor,
            "migrations": self.migrations,
            "members": [{"name": m.name, "sha256": m.sha256, "size": m.size} for m in self.members],
        }


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    sha256: str
    manifest: Manifest


@dataclass(frozen=True)
class VerifiedBackup:
    """An archive whose every member checked out, extracted into ``staging``."""

    archive: Path
    manifest: Manifest
    staging: Path

    @property
    def database_file(self) -> Path:
        return self.staging / "files" / self.manifest.database_member

    @property
    def media_dir(self) -> Path:
        return self.staging / "files" / "media"


@dataclass(frozen=True)
class RestoreResult:
    manifest: Manifest
    media_files: int
    pending_migrations: int


# --- helpers ----------------------------------------------------------------------


def _db_settings(database: str) -> dict[str, Any]:
    return dict(settings.DATABASES[database])


def database_vendor(*, database: str = "default") -> str:
    """``sqlite`` or ``postgresql`` from the configured engine; anything else is refused."""
    engine = str(_db_settings(database)["ENGINE"])
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"ฐานข้อมูลชนิดนี้สำรองไม่ได้ / cannot back up a database with engine {engine}")


def _sha256_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


class _HashingReader:
    """Wrap a binary file so whatever tarfile reads from it is hashed and counted."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


def _find_pg_tool(name: str) -> str:
    """``name`` on PATH, else the newest ``/usr/lib/postgresql/*/bin/name``."""
    found = shutil.which(name)
    if found:
        return found

    def version(path: Path) -> tuple[int, ...]:
        digits = path.parent.parent.name.split(".")
        return tuple(int(d) for d in digits if d.isdigit())

    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=version)
    if candidates:
        return str(candidates[-1])
    raise BackupError(
        f"ไม่พบโปรแกรม {name} / {name} not found on PATH or under /usr/lib/postgresql/*/bin "
        "(install the postgresql-client package)"
    )


def _pg_connection(database: str) -> tuple[str, dict[str, str]]:
    """A libpq connection string (without the password) and the environment carrying the password."""

    db = _db_settings(database)
    params: dict[str, Any] = {"dbname": db["NAME"]}
    for key in ("HOST", "PORT", "USER"):
        if db.get(key):
            params[key.lower()] = str(db[key])
    options = db.get("OPTIONS") or {}
    for key in _LIBPQ_OPTIONS:
        if options.get(key) not in (None, ""):
            params[key] = str(options[key])
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return make_conninfo("", **params), env


def _run_pg_tool(args: list[str], *, env: Mapping[str, str], what: str) -> None:
    completed = subprocess.run(args, env=dict(env), capture_output=True, text=True, check=False)  # noqa: S603
    if completed.returncode != 0:
        detail = (completed.stderr or completed.stdout).strip()
        raise BackupError(f"{what} ไม่สำเร็จ / {what} failed (exit {completed.returncode}): {detail}")


def _migration_summary(database: str) -> dict[str, Any]:
    applied = MigrationRecorder(connections[database]).applied_migrations()
    latest: dict[str, str] = {}
    for app, name in applied:
        if name > latest.get(app, ""):
            latest[app] = name
    return {"applied": len(applied), "latest": dict(sorted(latest.items()))}


def _pending_migrations(database: str) -> int:
    connection = connections[database]
    executor = MigrationExecutor(connection)
    targets = executor.loader.graph.leaf_nodes()
    return len(executor.migration_plan(targets))


def default_backup_path() -> Path:
    """``<CODI_VAR_DIR>/backups/codi-YYYYMMDD-HHMMSS.tar.gz`` in local time."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "backups" / f"codi-{stamp}.tar.gz"


def _media_files(media_root: Path, *, skip: set[Path]) -> Iterator[tuple[Path, str]]:
    """Every regular file under ``media_root`` (links are not followed) with its archive name.

    Paths in ``skip`` (the archive being written and its work folder, should they
    lie under ``MEDIA_ROOT``) are left out.
    """
    if not media_root.is_dir():
        return
    for folder, dirnames, filenames in os.walk(media_root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if (Path(folder) / d).resolve() not in skip)
        for filename in sorted(filenames):
            path = Path(folder) / filename
            if path.is_symlink() or not path.is_file() or path.resolve() in skip:
                continue
            yield path, MEDIA_PREFIX + path.relative_to(media_root).as_posix()


# --- the media store ----------------------------------------------------------------


class MediaStoreError(BackupError):
    """The media store is not local and cannot be listed or copied."""

    def __init__(self, store: Storage, detail: str) -> None:
        kind = f"{type(store).__module__}.{type(store).__qualname__}"
        super().__init__(
            f"สำรอง/กู้คืนไฟล์จากที่เก็บ {kind} ไม่ได้ (ไม่ได้ทำอะไรกับข้อมูล) / "
            f"the media store {kind} cannot be backed up or restored here (nothing was changed): {detail}"
        )


def media_store() -> Storage:
    """The storage uploaded files are saved to (``STORAGES['default']``)."""
    return storages["default"]


def _is_local(store: Storage) -> bool:
    return isinstance(store, FileSystemStorage)


def _store_names(store: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in ``store`` under ``folder``, sorted, folders walked depth-first."""
    try:
        dirnames, filenames = store.listdir(folder)
    except NotImplementedError as exc:
        raise MediaStoreError(store, "it cannot list its files") from exc
    for filename in sorted(filenames):
        if filename:
            yield posixpath.join(folder, filename) if folder else filename
    for dirname in sorted(dirnames):
        if dirname:
            yield from _store_names(store, posixpath.join(folder, dirname) if folder else dirname)


def _store_check(store: Storage) -> None:
    """Refuse before anything is written when the store cannot be listed or read."""
    if _is_local(store):
        return
    for method in ("listdir", "_open", "_save", "delete", "exists"):
        if getattr(type(store), method) is getattr(Storage, method, None):
            raise MediaStoreError(store, f"it does not implement {method.lstrip('_')}()")
    try:  # one listing now, so a store that refuses it is refused before the database is dumped
        store.listdir("")
    except NotImplementedError as exc:
        raise MediaStoreError(store, "it cannot list its files") from exc
    except Exception as exc:  # the store's client error (unreachable, no permission): named
        raise MediaStoreError(store, f"it cannot be listed ({type(exc).__name__}: {exc})") from exc


def _add_store_object(tar: tarfile.TarFile, *, store: Storage, name: str) -> Member:
    """Copy one object of a non-local store into the archive, hashing it on the way."""
    try:
        with store.open(name, "rb") as raw:
            data = raw.read()
    except (OSError, ValueError) as exc:
        raise MediaStoreError(store, f"{name!r} could not be read ({exc})") from exc
    except Exception as exc:  # the store's client error (botocore, ...): named, not a 500
        raise MediaStoreError(store, f"{name!r} could not be read ({type(exc).__name__}: {exc})") from exc
    info = tarfile.TarInfo(MEDIA_PREFIX + name)
    info.size = len(data)
    info.mode = 0o644
    info.mtime = int(timezone.now().timestamp())
    tar.addfile(info, io.BytesIO(data))
    return Member(name=info.name, sha256=hashlib.sha256(data).hexdigest(), size=len(data))


def _add_file(tar: tarfile.TarFile, *, name: str, path: Path) -> Member:
    info = tar.gettarinfo(str(path), arcname=name)
    info.mode = 0o644
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with path.open("rb") as raw:
        reader = _HashingReader(raw)
        tar.addfile(info, reader)
    return Member(name=name, sha256=reader.digest.hexdigest(), size=reader.size)


def _add_bytes(tar: tarfile.TarFile, *, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o644
    info.mtime = int(timezone.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


# --- backup -----------------------------------------------------------------------


def _dump_database(*, target: Path, vendor: str, database: str) -> None:
    if vendor == "sqlite":
        source_name = str(_db_settings(database)["NAME"])
        if not Path(source_name).is_file():
            raise BackupError(f"ไม่พบฐานข้อมูล / database file not found: {source_name}")
        # One backup step copies every page under one read transaction: a consistent
        # snapshot even while other processes write (WAL mode).
        with (
            closing(sqlite3.connect(source_name, timeout=30)) as source,
            closing(sqlite3.connect(str(target))) as copy,
        ):
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
        return
    conninfo, env = _pg_connection(database)
    args = [_find_pg_tool("pg_dump"), "--format=custom", "--no-password", f"--file={target}", conninfo]
    _run_pg_tool(args, env=env, what="pg_dump")


def backup_create(*, output: Path | None = None, database: str = "default") -> BackupResult:
    """Write the database and every media file into one ``.tar.gz`` with a manifest of checksums.

    The archive is written under a temporary name and renamed into place when
    complete, readable by its owner only (it holds personal data). One audit entry
    ``ops.backup`` is appended afterwards.
    """
    vendor = database_vendor(database=database)
    store = media_store()
    _store_check(store)
    path = Path(output) if output is not None else default_backup_path()
    path = path.absolute()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    media_root = Path(settings.MEDIA_ROOT).absolute()
    created_at = timezone.localtime().isoformat()
    migrations = _migration_summary(database)

    with tempfile.TemporaryDirectory(prefix=".codi-backup-", dir=path.parent) as work:
        dump = Path(work) / DATABASE_MEMBERS[vendor]
        _dump_database(target=dump, vendor=vendor, database=database)
        partial = Path(work) / "archive.tar.gz"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle, tarfile.open(fileobj=handle, mode="w:gz") as tar:
            members = [_add_file(tar, name=DATABASE_MEMBERS[vendor], path=dump)]
            if _is_local(store):
                skip = {path.resolve(), Path(work).resolve()}
                for file_path, name in _media_files(media_root, skip=skip):
                    members.append(_add_file(tar, name=name, path=file_path))
            else:  # an object store: every object is copied into the archive
                for name in _store_names(store):
                    members.append(_add_store_object(tar, store=store, name=name))
            manifest = Manifest(
                format_version=FORMAT_VERSION,
                created_at=created_at,
                vendor=vendor,
                migrations=migrations,
                members=tuple(members),
            )
            blob = json.dumps(manifest.as_json(), ensure_ascii=False, indent=2).encode("utf-8")
            _add_bytes(tar, name=MANIFEST_NAME, data=blob)
        os.replace(partial, path)

    sha256, size = _sha256_file(path)
    audit_record(
        actor=None,
        action="ops.backup",
        object_type="ops.backup",
        object_id=path.name,
        changes={
            "archive": str(path),
            "sha256": sha256,
            "size": size,
            "vendor": vendor,
            "media_files": manifest.media_files,
            "media_store": "local" if _is_local(store) else type(store).__name__,
            "created_at": created_at,
        },
    )
    return BackupResult(path=path, size=size, sha256=sha256, manifest=manifest)


# --- verify -----------------------------------------------------------------------


def _safe_member_name(info: tarfile.TarInfo) -> str:
    """The member's name when it is a plain file that stays inside the archive; refuse anything else."""
    name = info.name
    if not name or name.startswith("/") or "\\" in name or "\x00" in name:
        raise BackupUnsafeError(f"{name!r} is an absolute or malformed path")
    parts = name.split("/")
    if ".." in parts:
        raise BackupUnsafeError(f"{name!r} points outside the archive (..)")
    if info.issym() or info.islnk():
        raise BackupUnsafeError(f"{name!r} is a link")
    if not info.isreg():
        raise BackupUnsafeError(f"{name!r} is not a regular file")
    if posixpath.normpath(name) != name or "" in parts or "." in parts:
        raise BackupUnsafeError(f"{name!r} is not a normalized path")
    if name == MANIFEST_NAME or name in DATABASE_MEMBERS.values():
        return name
    if name.startswith(MEDIA_PREFIX) and len(name) > len(MEDIA_PREFIX):
        return name
    raise BackupCorruptError(f"{name} is not a member a backup archive holds")


def _parse_manifest(blob: bytes) -> Manifest:
    try:
        raw = json.loads(blob.decode("utf-8"))
        members = tuple(
            Member(name=str(m["name"]), sha256=str(m["sha256"]).lower(), size=int(m["size"]))
            for m in raw["members"]
        )
        manifest = Manifest(
            format_version=int(raw["format_version"]),
            created_at=str(raw["created_at"]),
            vendor=str(raw["vendor"]),
            migrations=dict(raw.get("migrations") or {}),
            members=members,
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupCorruptError(f"{MANIFEST_NAME} is unreadable ({exc})") from exc
    if manifest.format_version != FORMAT_VERSION:
        raise BackupError(
            "รูปแบบไฟล์สำรองไม่รองรับ / unsupported backup format version "
            f"{manifest.format_version} (this version reads {FORMAT_VERSION})"
        )
    if manifest.vendor not in DATABASE_MEMBERS:
        raise BackupCorruptError(f"{MANIFEST_NAME} names an unknown database vendor {manifest.vendor!r}")
    return manifest


def _extract(tar: tarfile.TarFile, *, files: Path) -> tuple[dict[str, Member], bytes | None]:
    """Copy every member into ``files`` while hashing it; return what was found and the manifest."""
    found: dict[str, Member] = {}
    manifest_blob: bytes | None = None
    root = files.resolve()
    for info in tar:
        name = _safe_member_name(info)
        if name in found or (name == MANIFEST_NAME and manifest_blob is not None):
            raise BackupCorruptError(f"{name} appears more than once")
        source = tar.extractfile(info)
        if source is None:  # pragma: no cover - regular files always have content
            raise BackupCorruptError(f"{name} has no content")
        if name == MANIFEST_NAME:
            if info.size > _MANIFEST_MAX_BYTES:
                raise BackupCorruptError(f"{MANIFEST_NAME} is implausibly large ({info.size} bytes)")
            manifest_blob = source.read()
            continue
        target = files.joinpath(*name.split("/"))
        if root not in target.resolve().parents:
            raise BackupUnsafeError(f"{name!r} points outside the archive")
        digest = hashlib.sha256()
        size = 0
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("xb") as out:
                while chunk := source.read(_CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
        except OSError as exc:
            raise BackupCorruptError(f"{name} cannot be extracted ({exc})") from exc
        found[name] = Member(name=name, sha256=digest.hexdigest(), size=size)
    return found, manifest_blob


def _compare(manifest: Manifest, found: Mapping[str, Member]) -> None:
    listed = {member.name: member for member in manifest.members}
    if len(listed) != len(manifest.members):
        raise BackupCorruptError(f"{MANIFEST_NAME} lists a member twice")
    for name, expected in listed.items():
        actual = found.get(name)
        if actual is None:
            raise BackupCorruptError(f"{name} is missing")
        if actual.size != expected.size:
            raise BackupCorruptError(
                f"{name} size mismatch (manifest {expected.size} bytes, archive {actual.size})"
            )
        if actual.sha256 != expected.sha256:
            raise BackupCorruptError(f"{name} checksum mismatch")
    extra = sorted(set(found) - set(listed))
    if extra:
        raise BackupCorruptError(f"{extra[0]} is not listed in the manifest")
    if manifest.database_member not in listed:
        raise BackupCorruptError(f"{manifest.database_member} is missing")
    foreign = sorted((set(DATABASE_MEMBERS.values()) - {manifest.database_member}) & set(listed))
    if foreign:
        raise BackupCorruptError(f"{foreign[0]} does not belong in a {manifest.vendor} backup")


@contextmanager
def backup_open(*, archive: Path, database: str = "default") -> Iterator[VerifiedBackup]:
    """Extract ``archive`` into a staging folder and check it completely; remove the folder on exit.

    Raises ``BackupError`` (naming the member at fault) when the archive is not
    readable, holds an unsafe or unexpected member, does not match its manifest,
    or was taken from another database vendor. Nothing outside the staging
    folder is written.
    """
    archive = Path(archive).absolute()
    if not archive.is_file():
        raise BackupError(f"ไม่พบไฟล์สำรอง / backup archive not found: {archive}")
    vendor = database_vendor(database=database)
    media_root = Path(settings.MEDIA_ROOT).absolute()
    media_root.parent.mkdir(parents=True, exist_ok=True)
    # Staged next to MEDIA_ROOT so the media move is a rename on the same file system.
    staging = Path(tempfile.mkdtemp(prefix=".codi-restore-", dir=media_root.parent))
    try:
        files = staging / "files"
        files.mkdir()
        try:
            with tarfile.open(archive, mode="r:gz") as tar:
                found, manifest_blob = _extract(tar, files=files)
        except (tarfile.TarError, EOFError, OSError) as exc:
            raise BackupCorruptError(f"not a readable .tar.gz archive ({exc})") from exc
        if manifest_blob is None:
            raise BackupCorruptError(f"{MANIFEST_NAME} is missing")
        manifest = _parse_manifest(manifest_blob)
        _compare(manifest, found)
        if manifest.vendor != vendor:
            raise BackupError(
                "ไฟล์สำรองนี้มาจากฐานข้อมูลต่างชนิด / backup was taken from another database: "
                f"the archive holds {manifest.vendor}, this installation uses {vendor}"
            )
        yield VerifiedBackup(archive=archive, manifest=manifest, staging=staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def backup_verify(*, archive: Path, database: str = "default") -> Manifest:
    """Check ``archive`` completely (see ``backup_open``) and return its manifest."""
    with backup_open(archive=archive, database=database) as verified:
        return verified.manifest


# --- restore ----------------------------------------------------------------------


def _restore_database(*, verified: VerifiedBackup, database: str) -> None:
    connections[database].close()
    connections.close_all()
    if verified.manifest.vendor == "sqlite":
        target = str(_db_settings(database)["NAME"])
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        with (
            closing(sqlite3.connect(str(verified.database_file))) as source,
            closing(sqlite3.connect(target, timeout=30)) as live,
        ):
            source.backup(live)
        return
    conninfo, env = _pg_connection(database)
    args = [
        _find_pg_tool("pg_restore"),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
        "--exit-on-error",
        "--no-password",
        f"--dbname={conninfo}",
        str(verified.database_file),
    ]
    _run_pg_tool(args, env=env, what="pg_restore")


def _replace_media(*, source: Path, media_root: Path, staging: Path) -> int:
    """Make ``media_root`` hold exactly what ``source`` holds; return the number of files.

    The old contents are moved aside first (into the staging folder, removed with
    it) and moved back should the new ones fail to move in.
    """
    media_root.mkdir(parents=True, exist_ok=True)
    old = staging / "old-media"
    old.mkdir()
    new_children = sorted(source.iterdir()) if source.is_dir() else []
    count = sum(1 for child in new_children for p in [child, *child.rglob("*")] if p.is_file())
    moved_out: list[str] = []
    moved_in: list[str] = []
    try:
        for child in sorted(media_root.iterdir()):
            shutil.move(str(child), str(old / child.name))
            moved_out.append(child.name)
        for child in new_children:
            shutil.move(str(child), str(media_root / child.name))
            moved_in.append(child.name)
    except OSError as exc:
        for name in moved_in:
            shutil.move(str(media_root / name), str(source / name))
        for name in moved_out:
            shutil.move(str(old / name), str(media_root / name))
        raise BackupError(
            "กู้คืนฐานข้อมูลแล้ว แต่คืนไฟล์สื่อไม่สำเร็จ (ไฟล์เดิมยังอยู่) / the database was restored "
            f"but the media files could not be replaced (the old ones were kept): {exc}"
        ) from exc
    return count


def _replace_store_objects(*, source: Path, store: Storage) -> int:
    """Make a non-local ``store`` hold exactly the archived files: write each back, delete the rest."""
    archived = (
        sorted(p.relative_to(source).as_posix() for p in source.rglob("*") if p.is_file())
        if source.is_dir()
        else []
    )
    try:
        for name in archived:
            if store.exists(name):
                store.delete(name)
            with (source / name).open("rb") as handle:
                saved = store.save(name, File(handle, name=posixpath.basename(name)))
            if saved != name:
                raise MediaStoreError(store, f"{name!r} was saved as {saved!r}")
        keep = set(archived)
        for name in list(_store_names(store)):
            if name not in keep:
                store.delete(name)
    except MediaStoreError:
        raise
    except Exception as exc:  # the store's client error: named, the database is already restored
        raise BackupError(
            "กู้คืนฐานข้อมูลแล้ว แต่คืนไฟล์ในที่เก็บไม่สำเร็จ ให้กู้คืนซ้ำ / the database was restored "
            f"but the media store could not be brought back; run the restore again: {type(exc).__name__}: {exc}"
        ) from exc
    return len(archived)


def backup_restore(*, verified: VerifiedBackup, database: str = "default") -> RestoreResult:
    """Replace the database and the contents of ``MEDIA_ROOT`` with a verified archive's.

    SQLite: Django's connections are closed and the archived database is copied
    over the configured file with SQLite's backup API. PostgreSQL: ``pg_restore
    --clean --if-exists --no-owner --single-transaction``. The ``ops.restore``
    audit entry is appended after the database is restored, continuing the
    restored chain.
    """
    manifest = verified.manifest
    store = media_store()
    _store_check(store)
    _restore_database(verified=verified, database=database)
    if _is_local(store):
        media_root = Path(settings.MEDIA_ROOT).absolute()
        media_files = _replace_media(
            source=verified.media_dir, media_root=media_root, staging=verified.staging
        )
    else:
        media_files = _replace_store_objects(source=verified.media_dir, store=store)
    pending = _pending_migrations(database)
    audit_record(
        actor=None,
        action="ops.restore",
        object_type="ops.backup",
        object_id=verified.archive.name,
        changes={
            "archive": str(verified.archive),
            "backup_created_at": manifest.created_at,
            "vendor": manifest.vendor,
            "media_files": media_files,
            "restored_at": timezone.localtime().isoformat(),
        },
    )
    return RestoreResult(manifest=manifest, media_files=media_files, pending_migrations=pending)


__all__ = [
    "BackupCorruptError",
    "BackupError",
    "BackupResult",
    "BackupUnsafeError",
    "Manifest",
    "MediaStoreError",
    "Member",
    "RestoreResult",
    "VerifiedBackup",
    "backup_create",
    "backup_open",
    "backup_restore",
    "backup_verify",
    "default_backup_path",
    "media_store",
]
