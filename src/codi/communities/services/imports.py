"""Import jobs: a file is stored encrypted, checked and written by a background task, all or nothing."""

from __future__ import annotations

import hashlib
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import IO, Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from codi.communities.crypto import decrypt_bytes, encrypt_bytes
from codi.communities.importing import MemberImport, OrganizationImport, Outcome, Progress, ProgressCallback
from codi.communities.models import (
    ImportJob,
    ImportKind,
    ImportStatus,
)
from codi.communities.services.common import IMPORT_OBJECT, _require, log
from codi.communities.spreadsheet import FileRefused, sniff_format
from codi.core.audit import audit_record
from codi.identity.roles import Perm

IMPORT_STORAGE_DIR = "communities/imports"


STALE_AFTER = timedelta(minutes=10)  # a running job with no progress for this long has lost its worker


def import_max_bytes() -> int:
    """The largest file accepted: the request-size limit (``MAX_REQUEST_BYTES``) the server enforces anyway."""
    return int(settings.MAX_REQUEST_BYTES)


def _too_large(limit: int) -> FileRefused:
    mb = limit / (1024 * 1024)
    return FileRefused(
        f"ไฟล์ใหญ่เกิน {mb:,.1f} MB กรุณาแบ่งเป็นหลายไฟล์ หรือลบคอลัมน์ที่ไม่ใช้ออก",
        f"The file is larger than {mb:,.1f} MB; split it into several files",
    )


def import_job_create(
    *, actor: Any, kind: str, file_name: str, content: IO[bytes], size: int | None = None
) -> ImportJob:
    """Accept an uploaded file for a dry run: check its type from the content, keep it encrypted, queue the check.

    ``FileRefused`` (nothing stored) for a file that is too large, empty or
    not a spreadsheet, whatever its name says.
    """
    _require(actor, Perm.ORGS_MANAGE)
    if kind not in ImportKind.values:
        raise ValueError(f"unknown import kind {kind!r}")
    limit = import_max_bytes()
    if size is not None and size > limit:
        raise _too_large(limit)
    data = content.read(limit + 1)
    if len(data) > limit:
        raise _too_large(limit)
    file_format = sniff_format(data[:65536])
    digest = hashlib.sha256(data).hexdigest()
    stored = default_storage.save(
        f"{IMPORT_STORAGE_DIR}/{uuid.uuid4().hex}.bin", ContentFile(encrypt_bytes(data))
    )
    with transaction.atomic():
        job = ImportJob.objects.create(
            kind=kind,
            file_name=Path(file_name).name[:255] or "upload",
            file_format=file_format,
            file_size=len(data),
            file_sha256=digest,
            stored_name=stored,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="communities.import_upload",
            object_type=IMPORT_OBJECT,
            object_id=job.pk,
            changes={"kind": kind, "file_name": job.file_name, "file_size": len(data), "file_sha256": digest},
        )
        transaction.on_commit(lambda: _enqueue("import_check_task", job.pk))
    return job


def _enqueue(task_name: str, job_id: int) -> None:
    # cycle: communities.tasks imports these services
    from codi.communities import tasks

    getattr(tasks, task_name).enqueue(job_id=job_id)


def _importer(job: ImportJob, progress: ProgressCallback | None) -> MemberImport | OrganizationImport:
    cls = MemberImport if job.kind == ImportKind.MEMBERS else OrganizationImport
    return cls(actor=job.created_by, progress=progress, error_limit=ImportJob.MAX_STORED_ERRORS)


def _progress(job_id: int) -> ProgressCallback:
    def report(p: Progress) -> None:
        ImportJob.objects.filter(pk=job_id).update(
            processed_rows=p.processed,
            valid_rows=p.valid,
            error_rows=p.error_rows,
            total_rows=p.total,
            heartbeat_at=timezone.now(),
        )

    return report


def _claim(job_id: int, *, from_status: str, to_status: str) -> ImportJob | None:
    """Move a job on, atomically: a second worker (or a repeated task) finds nothing to do."""
    now = timezone.now()
    claimed = ImportJob.objects.filter(pk=job_id, status=from_status).update(
        status=to_status,
        started_at=now,
        heartbeat_at=now,
        phase="reading",
        processed_rows=0,
        finished_at=None,
    )
    if not claimed:
        return None
    return ImportJob.objects.select_related("created_by").get(pk=job_id)


def _finish(
    job: ImportJob, status: str, outcome: Outcome | None, *, message: FileRefused | None = None
) -> None:
    job.status = status
    job.phase = ""
    job.finished_at = timezone.now()
    job.heartbeat_at = job.finished_at
    if outcome is not None:
        job.total_rows = outcome.total
        job.processed_rows = outcome.total
        job.valid_rows = outcome.valid
        job.error_rows = outcome.error_rows
        job.error_count = outcome.error_count
        job.errors = outcome.errors
        job.created_count = outcome.created
        job.updated_count = outcome.updated
        job.unchanged_count = outcome.unchanged
        job.preview = outcome.preview
        job.summary = {**job.summary, **outcome.summary}
    job.message_th = message.th if message else ""
    job.message_en = message.en if message else ""
    job.save()


@contextmanager
def _plain_copy(job: ImportJob) -> Iterator[Path]:
    """The decrypted upload as a temporary file, removed afterwards."""
    with default_storage.open(job.stored_name, "rb") as stored:
        data = decrypt_bytes(stored.read())
    with tempfile.TemporaryDirectory(prefix="codi-import-") as folder:
        path = Path(folder) / f"upload.{job.file_format}"
        path.write_bytes(data)
        del data
        yield path


def _discard_file(job: ImportJob) -> None:
    if job.stored_name:
        default_storage.delete(job.stored_name)
        ImportJob.objects.filter(pk=job.pk).update(stored_name="")
        job.stored_name = ""


def import_job_check(*, job_id: int) -> ImportJob | None:
    """The dry run: read and check every row, record errors and counts; write nothing else."""
    job = _claim(job_id, from_status=ImportStatus.QUEUED, to_status=ImportStatus.CHECKING)
    if job is None:
        return None
    try:
        with _plain_copy(job) as path:
            outcome, _rows = _importer(job, _progress(job.pk)).check(path, job.file_format)
    except FileRefused as refused:
        _finish(job, ImportStatus.INVALID, None, message=refused)
        return job
    except Exception:
        log.exception("import check failed", extra={"import_job": job.pk})
        _finish(job, ImportStatus.FAILED, None, message=_UNEXPECTED)
        return job
    _finish(
        job,
        ImportStatus.CHECKED if outcome.error_rows == 0 and outcome.total else ImportStatus.INVALID,
        outcome,
        message=None if outcome.total else _EMPTY,
    )
    return job


_UNEXPECTED = FileRefused(
    "เกิดข้อผิดพลาดในระบบ ยังไม่มีข้อมูลถูกบันทึก กรุณาลองใหม่", "Unexpected error: nothing was imported; try again"
)


_EMPTY = FileRefused("ไม่มีแถวข้อมูลใต้หัวคอลัมน์", "There are no data rows under the header")


def import_job_request_commit(*, actor: Any, job: ImportJob) -> ImportJob:
    """Queue the import of a file whose dry run found no errors."""
    _require(actor, Perm.ORGS_MANAGE)
    if job.created_by_id != getattr(actor, "pk", None):
        raise PermissionDenied("นำเข้าได้เฉพาะไฟล์ที่คุณอัปโหลด / Only the uploader can import this file")
    with transaction.atomic():
        moved = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.CHECKED).update(
            status=ImportStatus.COMMIT_QUEUED
        )
        if not moved:
            raise ValidationError("ไฟล์นี้ยังไม่ผ่านการตรวจสอบ หรือนำเข้าไปแล้ว / The file is not ready to import")
        audit_record(
            actor=actor,
            action="communities.import_commit_request",
            object_type=IMPORT_OBJECT,
            object_id=job.pk,
            changes={"file_sha256": job.file_sha256},
        )
        transaction.on_commit(lambda: _enqueue("import_commit_task", job.pk))
    job.refresh_from_db()
    return job


def import_job_commit(*, job_id: int) -> ImportJob | None:
    """Check the file again and, when every row passes, write all rows in one transaction (or none)."""
    job = _claim(job_id, from_status=ImportStatus.COMMIT_QUEUED, to_status=ImportStatus.COMMITTING)
    if job is None:
        return None
    importer = _importer(job, _progress(job.pk))
    try:
        with _plain_copy(job) as path:
            checked = importer.check(path, job.file_format, compare=False)
        outcome, rows = checked[0], cast("list[Any]", checked[1])
        if outcome.error_rows or not outcome.total:
            _finish(job, ImportStatus.INVALID, outcome, message=_CHANGED)
            return job
        ImportJob.objects.filter(pk=job.pk).update(phase="writing", heartbeat_at=timezone.now())
        written = importer.write(rows, job_id=job.pk, file_sha256=job.file_sha256)
        del rows
    except FileRefused as refused:
        _finish(job, ImportStatus.FAILED, None, message=refused)
        return job
    except Exception:
        log.exception("import failed", extra={"import_job": job.pk})
        _finish(job, ImportStatus.FAILED, None, message=_UNEXPECTED)
        return job
    written.preview, written.errors = job.preview, []  # the dry run's preview of the same file
    _finish(job, ImportStatus.COMMITTED, written)
    _discard_file(job)
    return job


_CHANGED = FileRefused(
    "พบข้อผิดพลาดเมื่อตรวจสอบซ้ำก่อนบันทึก ยังไม่มีข้อมูลถูกบันทึก",
    "Errors found when the file was checked again before writing: nothing was imported",
)


def import_job_cancel(*, actor: Any, job: ImportJob) -> ImportJob:
    """Drop a checked (or failed) upload and its stored file."""
    if job.created_by_id != getattr(actor, "pk", None):
        raise PermissionDenied("ยกเลิกได้เฉพาะไฟล์ที่คุณอัปโหลด / Only the uploader can cancel this file")
    cancellable = {ImportStatus.CHECKED, ImportStatus.INVALID, ImportStatus.FAILED}
    with transaction.atomic():
        if not ImportJob.objects.filter(pk=job.pk, status__in=cancellable).update(
            status=ImportStatus.CANCELLED
        ):
            raise ValidationError("ยกเลิกไม่ได้ในสถานะนี้ / Cannot cancel in this state")
        audit_record(
            actor=actor, action="communities.import_cancel", object_type=IMPORT_OBJECT, object_id=job.pk
        )
    _discard_file(job)
    job.refresh_from_db()
    return job


def import_job_retry(*, actor: Any, job: ImportJob) -> ImportJob:
    """Check a file again after a failure or a worker that stopped (no progress for ``STALE_AFTER``)."""
    if job.created_by_id != getattr(actor, "pk", None):
        raise PermissionDenied("ทำได้เฉพาะไฟล์ที่คุณอัปโหลด / Only the uploader can do this")
    stale = timezone.now() - STALE_AFTER
    retryable = Q(status=ImportStatus.FAILED) | Q(
        status__in=[ImportStatus.CHECKING, ImportStatus.COMMITTING], heartbeat_at__lt=stale
    )
    if not job.stored_name:
        raise ValidationError("ไม่มีไฟล์ให้ตรวจสอบแล้ว กรุณาอัปโหลดใหม่ / The file is gone; upload it again")
    with transaction.atomic():
        if not ImportJob.objects.filter(retryable, pk=job.pk).update(status=ImportStatus.QUEUED, phase=""):
            raise ValidationError("ยังทำซ้ำไม่ได้ในสถานะนี้ / Cannot retry in this state")
        audit_record(
            actor=actor, action="communities.import_retry", object_type=IMPORT_OBJECT, object_id=job.pk
        )
        transaction.on_commit(lambda: _enqueue("import_check_task", job.pk))
    job.refresh_from_db()
    return job


def import_files_purge(*, older_than: timedelta) -> int:
    """Remove stored uploads of jobs older than ``older_than`` that were never imported."""
    cutoff = timezone.now() - older_than
    count = 0
    for job in (
        ImportJob.objects.filter(created_at__lt=cutoff)
        .exclude(stored_name="")
        .exclude(
            status__in=[
                ImportStatus.CHECKING,
                ImportStatus.COMMITTING,
                ImportStatus.COMMIT_QUEUED,
                ImportStatus.QUEUED,
            ]
        )
    ):
        _discard_file(job)
        count += 1
    return count
