"""Breach register with its 72-hour clock; retention jobs; the processing register export."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from codi.communities.models import Person
from codi.core.models import AuditEntry
from codi.feedback.models import Ticket
from codi.notifications.models import Notification
from codi.privacy import exporting, selectors, services
from codi.privacy.models import RetentionRun

pytestmark = pytest.mark.django_db


def test_breach_clock_is_72_hours_and_shows_on_the_dashboard_when_overdue(dpo, seeded):
    discovered = timezone.now() - timedelta(hours=80)
    breach = services.breach_record(
        actor=dpo,
        title="แล็ปท็อปหาย",
        description="เครื่องของเจ้าหน้าที่หายพร้อมไฟล์สมาชิก",
        discovered_at=discovered,
        affected_records=120,
        persons=[seeded.person],
    )
    assert breach.regulator_due_at == discovered + timedelta(hours=72)
    services.breach_assess(actor=dpo, breach=breach, risk_level="high", assessment="เลขบัตรประชาชนรั่ว")
    board = selectors.dashboard(actor=dpo)
    assert [(c.kind, c.object_id, c.is_overdue) for c in board["overdue"]] == [("breach", breach.pk, True)]
    with pytest.raises(ValidationError, match="Past 72 hours"):
        services.breach_notify_regulator(actor=dpo, breach=breach, reference="PDPC-1")
    services.breach_notify_regulator(actor=dpo, breach=breach, reference="PDPC-1", late_reason="พบช้า")
    assert selectors.dashboard(actor=dpo)["overdue"] == []


def test_high_risk_breach_notifies_persons_with_a_contact(dpo, seeded):
    breach = services.breach_record(
        actor=dpo, title="t", description="d", discovered_at=timezone.now(), persons=[seeded.person]
    )
    with pytest.raises(ValidationError, match="risk is high"):
        services.breach_notify_subjects(actor=dpo, breach=breach)
    services.breach_assess(actor=dpo, breach=breach, risk_level="high", assessment="a")
    services.breach_notify_subjects(actor=dpo, breach=breach)
    breach.refresh_from_db()
    assert (breach.subjects_notified, breach.subjects_without_contact) == (1, 0)
    assert Notification.objects.filter(template_key="privacy.breach_subject").count() == 2  # e-mail and LINE
    assert AuditEntry.objects.filter(action="privacy.breach.notify_subjects").count() == 1


def test_retention_dry_run_counts_and_the_run_anonymises(dpo, seeded):
    # given a report closed two years ago
    Ticket.objects.filter(pk=seeded.ticket.pk).update(
        status="closed", closed_at=timezone.now() - timedelta(days=730)
    )
    dry = services.retention_run(actor=dpo, dry_run=True)
    counts = {row["rule"]: row["count"] for row in dry.report}
    assert counts == {"feedback_reporter_contact": 1, "dropped_out_members": 0, "notification_addresses": 0}
    assert Ticket.objects.get(pk=seeded.ticket.pk).reporter_email != ""
    run = services.retention_run(actor=dpo, dry_run=False)
    ticket = Ticket.objects.get(pk=seeded.ticket.pk)
    assert (run.total, ticket.reporter_name, ticket.reporter_email, ticket.reporter_phone) == (1, "", "", "")
    assert "เลขบัตร" in ticket.text and seeded.person.national_id not in ticket.text


def test_dropped_out_member_is_anonymised_after_the_configured_years(dpo, seeded):
    seeded.project.delete()
    seeded.membership.started_on = timezone.localdate() - timedelta(days=4000)
    seeded.membership.ended_on = timezone.localdate() - timedelta(days=3 * 365)
    seeded.membership.save()
    assert services.retention_run(actor=dpo, dry_run=False).report[1]["count"] == 0  # default 10 years
    services.retention_policy_set(actor=dpo, rule="dropped_out_members", days=2 * 365)
    assert services.retention_run(actor=dpo, dry_run=False).report[1]["count"] == 1
    person = Person.objects.get(pk=seeded.person.pk)
    assert (person.first_name_th, person.national_id, person.phone) == ("(ลบข้อมูลแล้ว)", "", "")


def test_run_retention_command_reports(capsys):
    call_command("run_retention", "--dry-run")
    out = capsys.readouterr().out
    assert "feedback_reporter_contact: anonymise 0 × feedback.Ticket older than 365 days" in out
    assert "DRY RUN, nothing changed: 0 records" in out
    assert RetentionRun.objects.get().is_dry_run


def test_processing_register_derives_data_categories_and_exports_xlsx(dpo):
    services.activity_save(
        actor=dpo,
        name_th="ทะเบียนสมาชิกองค์กรชุมชน",
        name_en="Community member registry",
        purpose="member_registry",
        lawful_basis="ภารกิจของรัฐ ม.24(4)",
        data_subjects="สมาชิกองค์กรชุมชน",
        datasets=["communities.Person", "nosuch.Model"],
        retention="10 ปี",
    )
    rows = selectors.ropa_rows(actor=dpo)
    assert rows[0]["undocumented"] == ["nosuch.Model"]
    assert "communities.Person.national_id (National ID)" in rows[0]["data_categories"]
    book = load_workbook(io.BytesIO(exporting.ropa_xlsx(rows)))
    sheet = book.active
    assert sheet["A1"].value == "ชื่อกิจกรรม / Activity"
    assert sheet["A2"].value == "ทะเบียนสมาชิกองค์กรชุมชน / Community member registry"
    assert sheet.max_row == 2


def test_requests_due_within_a_week_remind_the_dpo_once_a_day_and_show_as_clocks(dpo, seeded):
    from tests.privacy.conftest import NATIONAL_ID

    received = timezone.now() - timedelta(days=25)
    request = services.dsr_create(
        actor=dpo,
        kind="access",
        national_id=NATIONAL_ID,
        requester_name="x",
        channel="web",
        received_at=received,
    )
    assert services.dsr_remind_due() == 1
    assert services.dsr_remind_due() == 0  # not again the same day
    assert Notification.objects.filter(recipient_user=dpo, template_key="privacy.dsr_due").count() == 1
    assert request.events.filter(kind="reminder").count() == 1
    later = timezone.now() + timedelta(days=10)
    assert [(c.kind, c.is_overdue) for c in selectors.dashboard(actor=dpo, now=later)["overdue"]] == [
        ("dsr", True)
    ]


def test_privacy_setup_adds_notices_and_register_once(dpo, capsys):
    call_command("privacy_setup")
    call_command("privacy_setup")
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "privacy notices added: 5, register entries added: 4",
        "privacy notices added: 0, register entries added: 0",
    ]
    rows = selectors.ropa_rows(actor=dpo)
    assert all(not row["undocumented"] for row in rows)
    assert "communities.Person.national_id (National ID)" in rows[0]["data_categories"]
