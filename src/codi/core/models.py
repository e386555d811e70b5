"""Core data: the hash-chained, append-only audit trail."""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models

GENESIS_HASH = "0" * 64


class AuditImmutableError(Exception):
    """Raised on any attempt to change or remove an audit entry through the ORM."""


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditImmutableError("audit entries are append-only / บันทึกตรวจสอบแก้ไขไม่ได้")

    def delete(self) -> NoReturn:
        raise AuditImmutableError("audit entries are append-only / บันทึกตรวจสอบลบไม่ได้")


class AuditEntry(models.Model):
    """One event: who did what to which object, when, from where.

    ``id`` is assigned by ``codi.core.audit`` (not the database sequence) so
    the hash can cover it; ``hash`` = SHA-256 over the entry's fields and the
    previous entry's hash.
    """

    id = models.BigIntegerField(primary_key=True)
    created_at = models.DateTimeField(db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=100, db_index=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    changes = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = "audit entry"
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"#{self.id} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditImmutableError("audit entries are append-only / บันทึกตรวจสอบแก้ไขไม่ได้")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditImmutableError("audit entries are append-only / บันทึกตรวจสอบลบไม่ได้")


class AuditHead(models.Model):
    """The chain's single head row: locked by every writer so entries form one line.

    ``anchor_hash`` is the ``prev_hash`` the oldest kept entry must carry; it
    moves forward only when entries past the retention period are purged.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    anchor_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    anchor_id = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"audit head at #{self.last_id}"


class RateCounter(models.Model):
    """One fixed-window counter of the database-backed rate limiter (``codi.core.ratelimit``).

    Used when no Redis is configured: every process on the machine (gunicorn workers,
    task workers) counts in the same row, incremented by one atomic upsert.
    """

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key} = {self.count}"


class TaskWorkerHeartbeat(models.Model):
    """A background-task worker's sign of life; tasks held by a silent worker are put back in the queue."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} seen {self.seen_at:%H:%M:%S}"
