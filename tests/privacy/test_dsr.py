"""Data-subject requests: the export finds the person everywhere; erasure leaves only what a rule keeps."""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from codi.communities.crypto import EncryptedTextField
from codi.communities.models import Membership, Person
from codi.core.audit import verify_chain
from codi.core.models import AuditEntry
from codi.privacy import collectors, selectors, services
from codi.privacy.models import DataSubjectRequest, RequestKind, RequestStatus
from tests.privacy.conftest import (
    ADDRESS,
    EMAIL,
    FIRST_NAME,
    LAST_NAME,
    LINE_ID,
    NATIONAL_ID,
    PHONE,
    make_project,
)

pytestmark = pytest.mark.django_db

NEEDLES = [
    NATIONAL_ID,
    "3-1006-00498-76-" + NATIONAL_ID[-1],
    FIRST_NAME,
    LAST_NAME,
    PHONE,
    "081-234-5679",
    ADDRESS,
    EMAIL,
    LINE_ID,
]


def scan_database(needles: list[str]) -> set[tuple[str, str]]:
    """Every (table, first column value) whose row holds a needle: raw SQL over every table, and
    the decrypted values of every encrypted column (ciphertext hides them from the raw scan)."""
    hits: set[tuple[str, str]] = set()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (table names from the database itself)
            for row in cursor.fetchall():
                blob = " ".join(str(v) for v in row)
                if any(n in blob for n in needles):
                    hits.add((table, str(row[0])))
    tables = set(connection.introspection.table_names())
    for model in apps.get_models():
        if model._meta.db_table not in tables:
            continue
        encrypted = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        for obj in model.objects.only("pk", *encrypted):
            if any(n in (getattr(obj, f) or "") for f in encrypted for n in needles):
                hits.add((model._meta.db_table, str(obj.pk)))
    return hits


def _ids(export: dict, module: str, label: str) -> set:
    return {row["id"] for row in export["sources"][module][label]}


def test_export_holds_every_record_and_erase_leaves_only_what_a_rule_keeps(seeded, tmp_path):
    # given one person in organizations, projects, feedback, notifications and the audit log
    person_id = seeded.person.pk
    audit_ids = (
        set(
            AuditEntry.objects.filter(object_type="communities.person", object_id=str(person_id)).values_list(
                "id", flat=True
            )
        )
        | set(
            AuditEntry.objects.filter(
                object_type="feedback.ticket", object_id=str(seeded.ticket.pk)
            ).values_list("id", flat=True)
        )
        | set(
            AuditEntry.objects.filter(
                action="communities.membership_add", object_id=str(seeded.organization.pk)
            ).values_list("id", flat=True)
        )
    )
    assert len(audit_ids) == 3  # person created, membership added, ticket created
    assert scan_database(NEEDLES)  # the scan does find the person before the erasure

    # when the DPO exports everything about the person
    output = tmp_path / "export.json"
    call_command("dsr_export", "--national-id", NATIONAL_ID, "--output", str(output))
    export = json.loads(output.read_text(encoding="utf-8"))

    # then every seeded record is in it
    assert _ids(export, "communities", "communities.Person") == {person_id}
    assert export["sources"]["communities"]["communities.Person"][0]["national_id"] == NATIONAL_ID
    assert _ids(export, "communities", "communities.Membership") == {seeded.membership.pk}
    assert _ids(export, "communities", "communities.Organization") == {seeded.organization.pk}
    assert _ids(export, "communities", "communities.ImportJob") == {seeded.import_job.pk}
    assert _ids(export, "projects", "projects.Project") == {seeded.project.pk}
    assert _ids(export, "feedback", "feedback.Ticket") == {seeded.ticket.pk}
    assert _ids(export, "notifications", "notifications.Notification") == seeded.notification_ids
    assert audit_ids <= _ids(export, "audit", "core.AuditEntry")
    assert DataSubjectRequest.objects.get().status == RequestStatus.COMPLETED

    # when the DPO erases the person
    call_command("dsr_erase", "--national-id", NATIONAL_ID)

    # then nothing of the person is left, except in records a named rule keeps
    erase = DataSubjectRequest.objects.get(kind=RequestKind.ERASURE)
    kept = {
        (apps.get_model(o["dataset"])._meta.db_table, o["record"])
        for o in erase.result["outcomes"]
        if o["action"] == "keep"
    }
    assert all(o["rule"] for o in erase.result["outcomes"] if o["action"] == "keep")
    hits = scan_database(NEEDLES)
    assert hits <= kept, f"personal data left outside retained records: {sorted(hits - kept)}"
    # the audit entries are kept (audit_log rule) and hold only masked values: the scan found none there
    assert not {h for h in hits if h[0] == "core_auditentry"}
    assert set(erase.result["rules"]) == {"audit_log", "dsr_record"}
    assert not Membership.objects.filter(person_id=person_id).exists()
    seeded.project.refresh_from_db()
    assert seeded.project.contact_person_id is None
    assert verify_chain().is_intact


def test_a_funded_project_keeps_the_contact_identity_under_the_named_rule(seeded, dpo):
    # given the person is also the contact of a project that was paid
    funded = make_project(seeded.organization, seeded.person, status="in_progress")

    # when the erasure is planned (dry run) and then done
    plan = services.person_erase(actor=dpo, person=seeded.person, dry_run=True)
    result = services.person_erase(actor=dpo, person=seeded.person, dry_run=False)

    # then the plan and the result agree, and the funded project and the identity are kept by project_finance
    assert [o.as_dict() for o in plan.outcomes] == [o.as_dict() for o in result.outcomes]
    kept = {(o.dataset, o.record): o.rule for o in result.outcomes if o.action == "keep"}
    assert kept[("projects.Project", str(funded.pk))] == "project_finance"
    assert kept[("communities.Person", str(seeded.person.pk))] == "project_finance"
    person = Person.objects.get(pk=seeded.person.pk)
    assert (person.first_name_th, person.national_id, person.phone, person.address) == (
        FIRST_NAME,
        NATIONAL_ID,
        "",
        "",
    )
    funded.refresh_from_db()
    assert funded.contact_person_id == seeded.person.pk


def test_dry_run_prints_the_plan_and_changes_nothing(seeded, capsys):
    before = AuditEntry.objects.count()
    call_command("dsr_erase", "--national-id", NATIONAL_ID, "--dry-run")
    out = capsys.readouterr().out
    assert f"would anonymise communities.Person #{seeded.person.pk}" in out
    assert "would keep core.AuditEntry" in out and "rule audit_log" in out
    assert "DRY RUN, nothing changed" in out
    assert AuditEntry.objects.count() == before
    assert DataSubjectRequest.objects.count() == 0
    assert Person.objects.get(pk=seeded.person.pk).first_name_th == FIRST_NAME


@pytest.mark.parametrize("command", ["dsr_export", "dsr_erase"])
def test_unknown_person_is_refused_and_nothing_is_written(seeded, command, tmp_path):
    before = AuditEntry.objects.count()
    output = tmp_path / "out.json"
    args = ["--national-id", "1101700207366"] + (["--output", str(output)] if command == "dsr_export" else [])
    with pytest.raises(CommandError, match="No person with this national ID"):
        call_command(command, *args)
    assert not output.exists()
    assert AuditEntry.objects.count() == before
    assert DataSubjectRequest.objects.count() == 0


def test_a_malformed_national_id_is_refused_with_the_reason(seeded):
    with pytest.raises(CommandError, match=r"check digit|valid national ID"):
        call_command("dsr_erase", "--national-id", NATIONAL_ID[:-1] + str((int(NATIONAL_ID[-1]) + 1) % 10))


REFUSALS = {  # in the language of the page (Thai unless the person chose English)
    "กรุณาระบุเลขประจำตัวประชาชน",
    "เลขตรวจสอบไม่ถูกต้อง",
    "ต้องมี 13 หลัก",
    "รูปแบบเลขประจำตัวประชาชนไม่ถูกต้อง",
}


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="0123456789- xX", max_size=20))
def test_dsr_national_id_input_is_either_valid_or_refused_with_a_reason(raw):
    problem = selectors.national_id_problem(raw)
    digits = "".join(ch for ch in raw if ch.isdigit())
    if problem is None:
        assert len(digits) == 13
        total = sum(int(d) * (13 - i) for i, d in enumerate(digits[:12]))
        assert (11 - total % 11) % 10 == int(digits[12])
    else:
        assert problem in REFUSALS


@settings(max_examples=40, deadline=None)
@given(st.from_regex(r"[1-8][0-9]{11}", fullmatch=True), st.integers(min_value=1, max_value=9))
def test_a_valid_id_passes_and_any_other_check_digit_is_refused(body, shift):
    from stdnum.th import pin

    check = pin.calc_check_digit(body)
    assert selectors.national_id_problem(body + check) is None
    wrong = str((int(check) + shift) % 10)
    assert selectors.national_id_problem(body + wrong) == "เลขตรวจสอบไม่ถูกต้อง"


def test_nothing_is_released_before_the_identity_is_verified(seeded, dpo):
    request = services.dsr_create(
        actor=dpo,
        kind=RequestKind.ACCESS,
        national_id=NATIONAL_ID,
        requester_name="นางสมหญิง",
        channel="in_person",
    )
    with pytest.raises(ValidationError, match="identity must be verified"):
        services.dsr_access(actor=dpo, request=request)
    services.dsr_verify_identity(actor=dpo, request=request, method="บัตรประชาชนตัวจริง")
    export = services.dsr_access(actor=dpo, request=request)
    assert export["counts"]["communities.Person"] == 1
    assert (request.due_at - request.received_at).days == 30


def test_extension_moves_the_clock_and_is_recorded(seeded, dpo):
    request = services.dsr_create(
        actor=dpo, kind=RequestKind.ERASURE, national_id=NATIONAL_ID, requester_name="x", channel="web"
    )
    due = request.due_at
    request = services.dsr_extend(actor=dpo, request=request, days=15, reason="ต้องตรวจสอบกับสำนักการเงิน")
    assert (request.due_at - due).days == 15
    assert request.extension_count == 1
    assert request.events.filter(kind="extended").get().note == "+15: ต้องตรวจสอบกับสำนักการเงิน"


def test_subject_matches_reports_by_phone_in_any_format(seeded):
    subject = collectors.Subject.of(seeded.person)
    assert subject.ticket_ids == {seeded.ticket.pk}
    assert subject.emails == {EMAIL}
    assert subject.line_ids == {LINE_ID}


def test_an_organization_contact_change_is_masked_in_the_audit_log_and_kept(seeded, officer, dpo):
    # given the organization's contact e-mail is changed to the person's (organization contacts are
    # often a person's own, so the service masks phone, e-mail, LINE and address in the audit entry)
    from codi.communities import services as communities

    communities.organization_update(actor=officer, organization=seeded.organization, changes={"email": EMAIL})
    entry = AuditEntry.objects.filter(action="communities.organization_update").get()
    assert EMAIL not in str(entry.changes)

    # when the erasure is planned, the entry is kept under the audit rule, with nothing flagged
    plan = services.person_erase(actor=dpo, person=seeded.person, dry_run=True)
    kept = [o for o in plan.outcomes if o.dataset == "core.AuditEntry" and o.record == str(entry.id)]
    assert all((o.action, o.rule) == ("keep", "audit_log") for o in kept)
    assert all("WARNING" not in o.reason for o in kept)
