"""Intake, routing, the status flow, SLA escalation (time passed in as ``now``), imports."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from codi.calendar.models import Holiday
from codi.core.models import AuditEntry
from codi.feedback import services
from codi.feedback.models import IntakeChannel, Status, Ticket, TicketEvent
from codi.notifications.models import Channel, Notification

pytestmark = pytest.mark.django_db
BKK = ZoneInfo("Asia/Bangkok")
MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=BKK)


def submit(**kwargs):
    defaults = {
        "text": "ถนนในหมู่บ้านเป็นหลุมเป็นบ่อ ฝนตกน้ำขัง รถล้มบ่อย",
        "channel": IntakeChannel.WEB,
        "subdistrict_code": "400104",
        "has_consent": True,
        "now": MONDAY,
        "link_base": "https://codi.example",
    }
    return services.ticket_submit(**{**defaults, **kwargs})


def test_public_report_is_routed_to_the_officer_of_its_province(
    officer, director, matrix, django_capture_on_commit_callbacks
):
    matrix.user("project_officer", "province", "10")  # Bangkok: not this area

    with django_capture_on_commit_callbacks(execute=True):
        submission = submit(reporter_email="reporter@example.org")
    ticket = submission.ticket

    assert ticket.reference == f"FB-2569-{ticket.pk:06d}"
    assert ticket.region_id == "northeast"
    assert ticket.assigned_to == officer
    assert ticket.status == Status.NEW
    assert ticket.token_hash == services.token_hash(submission.token)
    assert submission.token not in str(Ticket.objects.filter(pk=ticket.pk).values().get())
    assert Notification.objects.filter(recipient_user=officer, channel=Channel.IN_APP).count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["officer40@example.org", "reporter@example.org"]
    reporter_mail = next(m for m in mail.outbox if m.to == ["reporter@example.org"])
    assert f"https://codi.example/feedback/t/{submission.token}/" in reporter_mail.body
    assert AuditEntry.objects.filter(action="feedback.ticket.create", object_id=str(ticket.pk)).exists()


def test_postal_code_places_the_report(officer):
    ticket = submit(subdistrict_code="", postal_code="40000").ticket
    assert ticket.subdistrict_id.startswith("40")
    assert ticket.assigned_to == officer


def test_a_closer_scope_wins_routing(officer, matrix):
    district_officer = matrix.user("project_officer", "district", "4001")
    assert submit().ticket.assigned_to == district_officer


def test_sla_deadlines_count_working_days_and_holidays(officer):
    Holiday.objects.create(date=datetime(2026, 11, 4).date(), name="ทดสอบ")
    ticket = submit(category="welfare").ticket  # 3 working days to acknowledge, 10 to resolve
    assert ticket.acknowledge_due_at == datetime(2026, 11, 6, 9, 0, tzinfo=BKK)  # Tue, (Wed off), Thu, Fri
    assert ticket.resolve_due_at == datetime(2026, 11, 17, 9, 0, tzinfo=BKK)


@pytest.mark.parametrize("text", ["", "   ", "ก" * 5001])
def test_empty_and_overlong_texts_are_refused(officer, text):
    with pytest.raises(ValidationError):
        submit(text=text)
    assert Ticket.objects.count() == 0


def test_html_is_stored_as_received(officer):
    ticket = submit(text="<script>alert('x')</script> ถนนพัง").ticket
    assert Ticket.objects.get(pk=ticket.pk).text == "<script>alert('x')</script> ถนนพัง"


def test_full_status_flow_notifies_the_reporter_each_time(officer, django_capture_on_commit_callbacks):
    ticket = submit(reporter_email="r@example.org").ticket
    flow = [Status.TRIAGED, Status.ASSIGNED, Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED]

    for step, status in enumerate(flow, start=1):
        with django_capture_on_commit_callbacks(execute=True):
            services.ticket_transition(
                actor=officer, ticket_id=ticket.pk, to_status=status, now=MONDAY + timedelta(hours=step)
            )

    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED
    assert ticket.acknowledged_at == MONDAY + timedelta(hours=1)
    reporter_mails = [m for m in mail.outbox if m.to == ["r@example.org"]]
    assert len(reporter_mails) == len(flow)
    assert "ปิดเรื่อง" in reporter_mails[-1].subject
    assert (
        list(ticket.events.filter(kind=TicketEvent.Kind.STATUS).values_list("to_status", flat=True)) == flow
    )
    assert AuditEntry.objects.filter(
        action="feedback.ticket.status", object_id=str(ticket.pk)
    ).count() == len(flow)


def test_transitions_the_flow_does_not_allow_are_refused(officer):
    ticket = submit().ticket
    with pytest.raises(ValidationError):
        services.ticket_transition(actor=officer, ticket_id=ticket.pk, to_status=Status.RESOLVED)
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW


def test_reopen_after_resolution(officer):
    ticket = submit().ticket
    for status in (Status.TRIAGED, Status.ASSIGNED, Status.IN_PROGRESS, Status.RESOLVED):
        services.ticket_transition(actor=officer, ticket_id=ticket.pk, to_status=status, now=MONDAY)

    services.ticket_transition(
        actor=officer, ticket_id=ticket.pk, to_status=Status.IN_PROGRESS, note="ยังไม่เสร็จ", now=MONDAY
    )

    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS
    assert ticket.resolved_at is None
    assert ticket.events.filter(kind=TicketEvent.Kind.REOPENED).count() == 1
    assert AuditEntry.objects.filter(action="feedback.ticket.reopen").count() == 1


def test_staff_outside_the_area_cannot_move_a_ticket(officer, matrix):
    ticket = submit().ticket
    outsider = matrix.user("project_officer", "province", "50")
    with pytest.raises(PermissionDenied):
        services.ticket_transition(actor=outsider, ticket_id=ticket.pk, to_status=Status.TRIAGED)


def test_escalation_when_sla_passes(officer, director):
    ticket = submit(category="welfare").ticket  # acknowledge by Thu 5 Nov 09:00, resolve by Mon 16 Nov

    assert services.tickets_escalate_overdue(now=datetime(2026, 11, 5, 8, 59, tzinfo=BKK)).escalated == []
    first = services.tickets_escalate_overdue(now=datetime(2026, 11, 5, 9, 1, tzinfo=BKK))
    again = services.tickets_escalate_overdue(now=datetime(2026, 11, 5, 10, 0, tzinfo=BKK))
    late = services.tickets_escalate_overdue(now=datetime(2026, 11, 16, 9, 1, tzinfo=BKK))

    ticket.refresh_from_db()
    assert first.escalated == [ticket.reference]
    assert again.escalated == []
    assert late.escalated == [ticket.reference]
    assert ticket.escalation_level == 2
    assert (
        Notification.objects.filter(recipient_user=director, template_key="feedback.escalated").count() == 2
    )
    assert ticket.events.filter(kind=TicketEvent.Kind.ESCALATED).count() == 2


def test_resolved_tickets_are_not_escalated(officer):
    ticket = submit().ticket
    for status in (Status.TRIAGED, Status.ASSIGNED, Status.IN_PROGRESS, Status.RESOLVED):
        services.ticket_transition(actor=officer, ticket_id=ticket.pk, to_status=status, now=MONDAY)
    assert services.tickets_escalate_overdue(now=MONDAY + timedelta(days=90)).escalated == []


def test_the_same_problem_reported_twice_joins_one_cluster(officer):
    first = submit(text="ถนนหน้าวัดบ้านโนนสูงเป็นหลุมลึก รถจักรยานยนต์ล้มบ่อย ขอให้ซ่อมด่วน").ticket
    second = submit(text="ถนนหน้าวัดบ้านโนนสูง เป็นหลุมลึกมาก รถจักรยานยนต์ล้มบ่อย ขอให้ซ่อมด่วนครับ").ticket
    other = submit(text="กองทุนสวัสดิการจ่ายเงินค่าทำศพล่าช้าสามเดือน").ticket
    assert second.cluster == first
    assert other.cluster is None


def test_import_of_social_posts_skips_posts_already_in(officer):
    rows = [
        {"id": "p1", "text": "น้ำประปาไม่ไหลสามวันแล้ว", "postal_code": "40000"},
        {"id": "p2", "text": "", "subdistrict_code": "400104"},
        {"id": "p3", "text": "ขอบคุณทีมงาน", "subdistrict_code": "999999"},
    ]
    first = services.tickets_import_posts(actor=officer, rows=rows, source="fb")
    second = services.tickets_import_posts(actor=officer, rows=rows[:1], source="fb")

    assert (first.created, first.skipped, len(first.errors)) == (1, 0, 2)
    assert (second.created, second.skipped) == (0, 1)
    assert Ticket.objects.get().external_id == "fb:p1"
