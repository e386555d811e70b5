"""The audit trail: append-only, hash-chained, verifiable, exportable."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from codi.core.audit import MASK, audit_purge, audit_read, audit_record, verify_chain
from codi.core.models import AuditEntry, AuditHead, AuditImmutableError

pytestmark = pytest.mark.django_db


def _three_entries() -> list[AuditEntry]:
    return [
        audit_record(actor=None, action="test.write", object_type="test.thing", object_id=i, changes={"n": i})
        for i in (1, 2, 3)
    ]


def _raw(sql: str, params: list[object]) -> None:
    """Change the table behind the application's back, as an intruder with database access would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditentry DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS core_auditentry_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS core_auditentry_no_delete")
        cursor.execute(sql, params)


def test_entries_chain_each_to_the_one_before():
    first, second, third = _three_entries()
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert AuditHead.objects.get(pk=1).last_hash == third.hash
    assert verify_chain().is_intact


def test_verify_audit_command_passes_on_an_intact_chain(capsys):
    _three_entries()
    call_command("verify_audit")
    assert "intact" in capsys.readouterr().out


def test_altering_an_entry_breaks_the_chain_at_that_entry():
    _, second, _ = _three_entries()
    _raw("UPDATE core_auditentry SET action = %s WHERE id = %s", ["test.forged", second.id])
    with pytest.raises(CommandError, match=f"#{second.id}"):
        call_command("verify_audit")


def test_deleting_an_entry_breaks_the_chain_naming_the_gap():
    _, second, _ = _three_entries()
    _raw("DELETE FROM core_auditentry WHERE id = %s", [second.id])
    report = verify_chain()
    assert not report.is_intact
    assert report.broken_entry_id == second.id
    with pytest.raises(CommandError, match=f"#{second.id}"):
        call_command("verify_audit")


def test_deleting_the_newest_entry_is_detected_through_the_head():
    _, _, third = _three_entries()
    _raw("DELETE FROM core_auditentry WHERE id = %s", [third.id])
    report = verify_chain()
    assert not report.is_intact
    assert report.broken_entry_id == third.id


def test_reordering_entries_breaks_the_chain():
    first, second, _ = _three_entries()
    # Swap the contents of two rows, keeping every row's own hash: the order is now wrong.
    _raw("UPDATE core_auditentry SET id = -1 WHERE id = %s", [first.id])
    _raw("UPDATE core_auditentry SET id = %s WHERE id = %s", [first.id, second.id])
    _raw("UPDATE core_auditentry SET id = %s WHERE id = -1", [second.id])
    report = verify_chain()
    assert not report.is_intact
    assert report.broken_entry_id == first.id
    with pytest.raises(CommandError, match=f"#{first.id}"):
        call_command("verify_audit")


def test_orm_refuses_to_update_or_delete_entries():
    entry = _three_entries()[0]
    entry.action = "changed"
    with pytest.raises(AuditImmutableError):
        entry.save()
    with pytest.raises(AuditImmutableError):
        entry.delete()
    with pytest.raises(AuditImmutableError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="changed")
    with pytest.raises(AuditImmutableError):
        AuditEntry.objects.filter(pk=entry.pk).delete()


@pytest.mark.parametrize("sql", ["UPDATE core_auditentry SET action = 'x'", "DELETE FROM core_auditentry"])
def test_database_refuses_raw_updates_and_deletes(sql):
    _three_entries()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert AuditEntry.objects.count() >= 3


def test_personal_fields_are_masked_in_the_log():
    entry = audit_record(
        actor=None,
        action="test.person_update",
        object_type="test.person",
        object_id=7,
        changes={"phone": ["0812345678", "0899999999"], "name": "สมชาย"},
        personal_fields=["phone"],
    )
    assert entry.changes == {"phone": MASK, "name": "สมชาย"}
    assert "0812345678" not in json.dumps(entry.changes)


def test_reading_personal_data_is_recorded():
    entry = audit_read(actor=None, object_type="test.person", object_id=7, fields=["national_id", "phone"])
    assert entry.action == "personal_data.view"
    assert entry.changes == {"fields": ["national_id", "phone"]}


def test_an_audited_write_rolls_back_with_its_entry():
    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=None, action="test.write", object_type="test.thing")
        raise RuntimeError("the change failed")
    assert AuditEntry.objects.count() == before
    assert verify_chain().is_intact


def test_export_audit_writes_json_lines_since_a_date(tmp_path):
    entries = _three_entries()
    out = tmp_path / "audit.jsonl"
    call_command("export_audit", since=timezone.localdate().isoformat(), output=str(out))
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    exported = [line for line in lines if line["action"] == "test.write"]
    assert [line["id"] for line in exported] == [e.id for e in entries]
    assert exported[0]["hash"] == entries[0].hash


def test_export_audit_rejects_a_bad_date():
    with pytest.raises(CommandError, match="--since"):
        call_command("export_audit", since="25/11/2569")


def test_purge_moves_the_anchor_and_the_chain_stays_verifiable(monkeypatch):
    from codi.core import audit

    long_ago = timezone.now() - timedelta(days=400)
    with monkeypatch.context() as patched:
        patched.setattr(audit.timezone, "now", lambda: long_ago)
        old = [audit_record(actor=None, action="test.old", object_type="test.thing") for _ in range(2)]
    recent = audit_record(actor=None, action="test.recent", object_type="test.thing")

    removed = audit_purge(older_than_days=365)

    assert removed >= 2
    assert not AuditEntry.objects.filter(pk__in=[e.id for e in old]).exists()
    assert AuditEntry.objects.filter(pk=recent.pk).exists()
    assert AuditHead.objects.get(pk=1).anchor_id >= old[-1].id
    assert verify_chain().is_intact
    assert AuditEntry.objects.filter(action="audit.purge").exists()


def test_purge_refuses_less_than_90_days():
    with pytest.raises(ValueError, match="90"):
        audit_purge(older_than_days=30)
