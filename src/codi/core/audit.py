"""The audit trail: record writes and reads of personal data, verify the chain.

Every service calls ``audit_record`` inside its own transaction, so the audit
row commits or rolls back with the change it describes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.dispatch import Signal
from django.utils import timezone

from codi.core import context
from codi.core.models import GENESIS_HASH, AuditEntry, AuditHead

MASK = "•••"

# Sent after each entry is appended (``object_type``, ``action``): a write that bypasses the models'
# own signals (a bulk ``update()``) is still audited, so listeners that keep derived copies (the
# website's live blocks) hear of it here.
recorded = Signal()


def _plain(value: Any) -> Any:
    """Turn a value into something JSON keeps exactly (Decimal and dates as text)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def entry_digest(entry: AuditEntry) -> str:
    """SHA-256 over the entry's content and the previous hash, in a canonical form."""
    payload = {
        "id": entry.id,
        "created_at": entry.created_at.astimezone(UTC).isoformat(),
        "actor_id": entry.actor_id,
        "actor_label": entry.actor_label,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "changes": entry.changes,
        "ip": entry.ip,
        "request_id": entry.request_id,
        "prev_hash": entry.prev_hash,
    }
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def mask_changes(changes: Mapping[str, Any], personal_fields: Iterable[str]) -> dict[str, Any]:
    """Replace the values of personal fields so the log shows that they changed, not to what."""
    hidden = set(personal_fields)
    return {key: (MASK if key in hidden else _plain(value)) for key, value in changes.items()}


_HEAD_SQL = "SELECT last_id, last_hash FROM core_audithead WHERE id = 1"
_HEAD_SQL_POSTGRES = _HEAD_SQL + " FOR UPDATE"
_INSERT_SQL = (
    "INSERT INTO core_auditentry (id, created_at, actor_id, actor_label, action, object_type, object_id,"
    " changes, ip, request_id, prev_hash, hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)
_INSERT_SQL_POSTGRES = _INSERT_SQL.replace("%s, %s, %s, %s, %s)", "%s::jsonb, %s::inet, %s, %s, %s)")


def audit_record(
    *,
    actor: Any,
    action: str,
    object_type: str,
    object_id: object = "",
    changes: Mapping[str, Any] | None = None,
    personal_fields: Iterable[str] = (),
) -> AuditEntry:
    """Append one entry to the chain, in the caller's transaction.

    ``actor`` is a user (or ``None`` for the system); ``changes`` maps field
    names to values or ``[old, new]`` pairs; fields named in
    ``personal_fields`` are masked.
    """
    ctx = context.current()
    actor_id = getattr(actor, "pk", None) if actor is not None else None
    actor_label = (
        actor.get_username() if actor_id is not None else ("system" if actor is None else "anonymous")
    )
    # Three plain statements instead of ORM calls: the audit row is written on every
    # service write, and the ORM's per-call overhead was several times the insert itself.
    is_postgres = connection.vendor == "postgresql"
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(_HEAD_SQL_POSTGRES if is_postgres else _HEAD_SQL)
        last_id, last_hash = cursor.fetchone()
        entry = AuditEntry(
            id=last_id + 1,
            created_at=timezone.now(),
            actor_id=actor_id,
            actor_label=actor_label,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            changes=mask_changes(changes or {}, personal_fields),
            ip=ctx.ip,
            request_id=ctx.request_id,
            prev_hash=last_hash,
        )
        entry.hash = entry_digest(entry)
        cursor.execute(
            _INSERT_SQL_POSTGRES if is_postgres else _INSERT_SQL,
            [
                entry.id,
                connection.ops.adapt_datetimefield_value(entry.created_at),
                entry.actor_id,
                entry.actor_label,
                entry.action,
                entry.object_type,
                entry.object_id,
                json.dumps(entry.changes, ensure_ascii=False),
                entry.ip,
                entry.request_id,
                entry.prev_hash,
                entry.hash,
            ],
        )
        cursor.execute(
            "UPDATE core_audithead SET last_id = %s, last_hash = %s WHERE id = 1", [entry.id, entry.hash]
        )
    entry._state.adding = False
    recorded.send(sender=AuditEntry, object_type=object_type, action=action)
    return entry


def audit_read(*, actor: Any, object_type: str, object_id: object, fields: Iterable[str]) -> AuditEntry:
    """Record that ``actor`` saw the unmasked personal ``fields`` of an object."""
    return audit_record(
        actor=actor,
        action="personal_data.view",
        object_type=object_type,
        object_id=object_id,
        changes={"fields": sorted(fields)},
    )


@dataclass(frozen=True)
class ChainReport:
    is_intact: bool
    checked: int
    broken_entry_id: int | None = None
    reason: str = ""


def _entries() -> Iterator[AuditEntry]:
    return AuditEntry.objects.order_by("id").iterator(chunk_size=2000)


def verify_chain() -> ChainReport:
    """Walk the chain from its anchor; report the first entry that does not fit."""
    head = AuditHead.objects.get(pk=1)
    expected_prev = head.anchor_hash
    expected_id = head.anchor_id + 1
    checked = 0
    for entry in _entries():
        if entry.id != expected_id:
            reason = f"entry #{expected_id} is missing (found #{entry.id} next)"
            return ChainReport(False, checked, expected_id, reason)
        if entry.prev_hash != expected_prev:
            reason = f"entry #{entry.id} does not follow the entry before it (deleted, inserted or reordered)"
            return ChainReport(False, checked, entry.id, reason)
        if entry_digest(entry) != entry.hash:
            return ChainReport(
                False, checked, entry.id, f"entry #{entry.id} was altered after it was written"
            )
        expected_prev = entry.hash
        expected_id += 1
        checked += 1
    if head.last_id != expected_id - 1 or head.last_hash != expected_prev:
        reason = f"entries after #{expected_id - 1} up to #{head.last_id} were removed"
        return ChainReport(False, checked, expected_id, reason)
    return ChainReport(True, checked)


_SQLITE_TRIGGERS = {
    "core_auditentry_no_update": "BEFORE UPDATE",
    "core_auditentry_no_delete": "BEFORE DELETE",
}


def sqlite_trigger_sql() -> list[str]:
    return [
        f"CREATE TRIGGER IF NOT EXISTS {name} {when} ON core_auditentry "
        "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;"
        for name, when in _SQLITE_TRIGGERS.items()
    ]


def audit_purge(*, older_than_days: int, actor: Any = None) -> int:
    """Remove entries older than the retention period and move the chain's anchor.

    The database refuses deletes on the audit table; this is the one path that
    lifts the guard, inside one transaction, and logs that it did so.
    """
    if older_than_days < 90:
        raise ValueError("audit entries must be kept at least 90 days (Computer Crime Act)")
    cutoff = timezone.now() - timedelta(days=older_than_days)
    with transaction.atomic():
        head = AuditHead.objects.select_for_update().get(pk=1)
        last_old = AuditEntry.objects.filter(created_at__lt=cutoff).order_by("-id").first()
        if last_old is None:
            return 0
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL codi.audit_purge = 'on'")
            else:
                for name in _SQLITE_TRIGGERS:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute("DELETE FROM core_auditentry WHERE id <= %s", [last_old.id])
            removed = cursor.rowcount
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL codi.audit_purge = 'off'")
            else:
                for statement in sqlite_trigger_sql():
                    cursor.execute(statement)
        AuditHead.objects.filter(pk=head.pk).update(anchor_id=last_old.id, anchor_hash=last_old.hash)
        audit_record(
            actor=actor,
            action="audit.purge",
            object_type="core.auditentry",
            changes={"removed": removed, "up_to_id": last_old.id, "older_than_days": older_than_days},
        )
    return removed


__all__ = [
    "GENESIS_HASH",
    "ChainReport",
    "audit_purge",
    "audit_read",
    "audit_record",
    "entry_digest",
    "verify_chain",
]
