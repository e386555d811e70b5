"""Object storage (issue 14, item 4): STORAGE_BACKEND settings, and backups of a non-local media store.

- Settings: ``local`` (default) keeps files under MEDIA_ROOT; ``s3`` configures django-storages'
  S3 backend from the S3_* variables; a wrong value, or ``s3`` without a bucket, stops start-up
  naming the variable.
- Backups: with the media in an S3-compatible bucket, every object is copied into the archive
  and a restore writes them back (deleting objects the archive does not hold). The bucket is a
  real S3-compatible server: moto's ``moto_server`` (a wheel, in the test extra) on a free port.
- A store that cannot list its files is refused with a Thai / English message before anything
  is written.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.storage import InMemoryStorage

from codi import config
from codi.core import backup
from tests.core.test_backup import Site, _site

REPO = Path(__file__).resolve().parents[2]
BUCKET = "codi-media-test"
SCAN = "documents/2569/สแกน-หนังสือ.pdf"
SCAN_BYTES = b"%PDF-1.7\n" + os.urandom(3000)
NOTE = "notes/readme.txt"
S3_VARIABLES = (
    "STORAGE_BACKEND",
    "S3_BUCKET",
    "S3_ENDPOINT_URL",
    "S3_REGION",
    "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY",
    "S3_PREFIX",
    "S3_ADDRESSING_STYLE",
    "S3_URL_EXPIRE_SECONDS",
)


# --- settings ---------------------------------------------------------------------------------


@pytest.fixture
def env(monkeypatch, tmp_path):
    monkeypatch.setenv("CODI_VAR_DIR", str(tmp_path))
    for name in S3_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def _settings(extra: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in S3_VARIABLES and k != "DATABASE_URL"}
    environment.update(PYTHONPATH=str(REPO / "src"), CODI_VAR_DIR=str(tmp_path), **extra)
    code = (
        "import os, json; os.environ['DJANGO_SETTINGS_MODULE'] = 'codi.settings'\n"
        "from django.conf import settings as s\n"
        "print(json.dumps({'storages': s.STORAGES, 'backend': s.STORAGE_BACKEND}))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=120, cwd=REPO
    )


def test_local_storage_is_the_default(env):
    assert config.load().storage_backend == "local"
    # the value the README used to show still means local
    env.setenv("STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage")
    assert config.load().storage_backend == "local"


def test_s3_settings_come_from_the_s3_variables(tmp_path):
    done = _settings(
        {
            "STORAGE_BACKEND": "s3",
            "S3_BUCKET": "codi-media",
            "S3_ENDPOINT_URL": "https://minio.internal:9000",
            "S3_REGION": "ap-southeast-1",
            "S3_ACCESS_KEY_ID": "AKIDEXAMPLE",
            "S3_SECRET_ACCESS_KEY": "not-a-real-secret",
            "S3_PREFIX": "/uploads/",
            "S3_URL_EXPIRE_SECONDS": "120",
        },
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["backend"] == "s3"
    default = found["storages"]["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"] == {
        "bucket_name": "codi-media",
        "endpoint_url": "https://minio.internal:9000",
        "region_name": "ap-southeast-1",
        "access_key": "AKIDEXAMPLE",
        "secret_key": "not-a-real-secret",
        "location": "uploads",
        "addressing_style": "path",
        "querystring_auth": True,
        "querystring_expire": 120,
        "default_acl": None,
        "file_overwrite": False,
    }


def test_local_settings_use_the_file_system(tmp_path):
    done = _settings({}, tmp_path)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["storages"]["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"STORAGE_BACKEND": "ftp"}, "STORAGE_BACKEND"),
        ({"STORAGE_BACKEND": "s3"}, "S3_BUCKET"),
        ({"STORAGE_BACKEND": "s3", "S3_BUCKET": "b", "S3_ENDPOINT_URL": "minio:9000"}, "S3_ENDPOINT_URL"),
        ({"STORAGE_BACKEND": "s3", "S3_BUCKET": "b", "S3_ADDRESSING_STYLE": "dns"}, "S3_ADDRESSING_STYLE"),
        (
            {"STORAGE_BACKEND": "s3", "S3_BUCKET": "b", "S3_URL_EXPIRE_SECONDS": "soon"},
            "S3_URL_EXPIRE_SECONDS",
        ),
    ],
)
def test_a_wrong_storage_setting_stops_start_up_naming_the_variable(env, variables, named):
    for name, value in variables.items():
        env.setenv(name, value)
    with pytest.raises(config.ConfigError, match=named):
        config.load()


def test_s3_without_the_extra_fails_at_start_with_one_clear_line(tmp_path):
    environment = {k: v for k, v in os.environ.items() if k not in S3_VARIABLES and k != "DATABASE_URL"}
    environment.update(
        PYTHONPATH=str(REPO / "src"), CODI_VAR_DIR=str(tmp_path), STORAGE_BACKEND="s3", S3_BUCKET="b"
    )
    code = (
        "import sys, os; sys.modules['storages'] = None\n"
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'codi.settings'\nimport django; django.setup()"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=120, cwd=REPO
    )
    assert done.returncode != 0
    last = done.stderr.strip().splitlines()[-1]
    assert "STORAGE_BACKEND=s3" in last and "pip install -e '.[s3]'" in last and "S3" in last


# --- a store that cannot be listed is refused ---------------------------------------------------


class UnlistableStorage(InMemoryStorage):
    """A store that can save and open files but cannot list them (as some object stores are set up)."""

    def listdir(self, path):
        raise NotImplementedError("listing is not allowed")


@pytest.mark.django_db
def test_backup_of_a_store_that_cannot_list_its_files_is_refused_in_thai_and_english(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "tests.platform.test_object_storage.UnlistableStorage"},
    }
    backup.media_store().save("a.txt", io.BytesIO(b"x"))
    with pytest.raises(backup.MediaStoreError) as refused:
        backup.backup_create(output=tmp_path / "out.tar.gz")
    message = str(refused.value)
    assert "สำรอง/กู้คืนไฟล์จากที่เก็บ" in message
    assert "cannot be backed up or restored here (nothing was changed)" in message
    assert "UnlistableStorage" in message
    assert not (tmp_path / "out.tar.gz").exists()
    assert list(tmp_path.iterdir()) == []  # no partial archive, no work folder


def test_an_in_memory_store_lists_nested_names(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    store = backup.media_store()
    for name in ("b.txt", "x/y/z.txt", "a/1.txt"):
        store.save(name, io.BytesIO(name.encode()))
    assert list(backup._store_names(store)) == ["b.txt", "a/1.txt", "x/y/z.txt"]


# --- a real S3-compatible server ----------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = shutil.which("moto_server", path=str(Path(sys.executable).parent)) or shutil.which("moto_server")
    if server is None:
        pytest.fail("moto_server not installed: pip install -e '.[test]' (moto[s3,server])")
    port = _free_port()
    log = (tmp_path_factory.mktemp("moto") / "log").open("wb")
    proc = subprocess.Popen(
        [server, "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert proc.poll() is None, "moto_server exited"
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


def _bucket(url: str):
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=BUCKET)
    return client


def _objects(client) -> dict[str, bytes]:
    listed = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    return {o["Key"]: client.get_object(Bucket=BUCKET, Key=o["Key"])["Body"].read() for o in listed}


@pytest.fixture
def s3_site(s3_server: str, tmp_path: Path) -> Iterator[tuple[Site, object]]:
    client = _bucket(s3_server)
    with _site(tmp_path / "var") as site:
        site.env.update(
            STORAGE_BACKEND="s3",
            S3_BUCKET=BUCKET,
            S3_ENDPOINT_URL=s3_server,
            S3_REGION="us-east-1",
            S3_ACCESS_KEY_ID="testing",
            S3_SECRET_ACCESS_KEY="testing",
            S3_PREFIX="media",
        )
        yield site, client
    for key in _objects(client):
        client.delete_object(Bucket=BUCKET, Key=key)
    client.delete_bucket(Bucket=BUCKET)


def test_backup_copies_the_bucket_into_the_archive_and_restore_puts_it_back(s3_site):
    site, client = s3_site
    # given: two uploads saved through the platform's storage (so under the S3_PREFIX)
    site.python(
        "from django.core.files.base import ContentFile\n"
        "from django.core.files.storage import default_storage as s\n"
        f"assert s.save({SCAN!r}, ContentFile({SCAN_BYTES!r})) == {SCAN!r}\n"
        f"assert s.save({NOTE!r}, ContentFile(b'hello')) == {NOTE!r}\n"
    )
    assert sorted(_objects(client)) == sorted([f"media/{NOTE}", f"media/{SCAN}"])
    assert not (site.var_dir / "media").exists()  # nothing went to the local disk

    # when: backed up
    archive = site.var_dir / "with-bucket.tar.gz"
    site.ok("backup", "--output", str(archive))

    # then: the objects are in the archive with their checksums
    with tarfile.open(archive, "r:gz") as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
        scan = tar.extractfile(f"media/{SCAN}").read()  # type: ignore[union-attr]
    assert scan == SCAN_BYTES
    listed = {m["name"]: m for m in manifest["members"]}
    assert listed[f"media/{SCAN}"]["sha256"] == hashlib.sha256(SCAN_BYTES).hexdigest()
    assert f"media/{NOTE}" in listed

    # when: an object is deleted, one is overwritten and a stray one appears, then restored
    client.delete_object(Bucket=BUCKET, Key=f"media/{SCAN}")
    client.put_object(Bucket=BUCKET, Key=f"media/{NOTE}", Body=b"changed")
    client.put_object(Bucket=BUCKET, Key="media/stray.txt", Body=b"not in the backup")
    site.ok("restore", str(archive), "--yes")

    # then: the bucket holds exactly what was backed up
    assert _objects(client) == {f"media/{SCAN}": SCAN_BYTES, f"media/{NOTE}": b"hello"}
    assert "audit chain intact" in site.ok("verify_audit")
