"""The notification service: in-app inbox, e-mail delivery with retries, preferences, LINE off by default."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from codi.notifications import services
from codi.notifications.messages import MessageTemplate, register_template
from codi.notifications.models import Channel, DeliveryStatus, Notification, Preference
from tests.permissions import Matrix, signed_in_client

pytestmark = pytest.mark.django_db


class BrokenBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("smtp down")


@pytest.fixture(autouse=True)
def tasks_inline(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _send(user, channel=Channel.IN_APP, **kwargs):
    return services.notification_send(
        recipient_user=user,
        template_key="generic",
        context={"subject": "เรื่องทดสอบ", "body": "<b>ข้อความ</b>"},
        channel=channel,
        **kwargs,
    )


def test_in_app_message_shows_in_the_inbox_until_read(matrix: Matrix):
    user = matrix.user("community_leader", "subdistrict", "400104")
    note = _send(user)
    client = signed_in_client(user)

    page = client.get("/notifications/").content.decode()
    assert note.status == DeliveryStatus.SENT
    assert "เรื่องทดสอบ" in page and "&lt;b&gt;" in page
    assert client.get("/api/v1/notifications/unread-count").json() == {"unread": 1}

    client.post("/notifications/read/", {"id": note.pk})
    assert client.get("/api/v1/notifications/unread-count").json() == {"unread": 0}


def test_email_is_delivered_after_commit_with_a_delivery_log(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        note = services.notification_send(
            recipient_email="someone@example.org",
            template_key="generic",
            context={"subject": "S", "body": "B"},
            channel=Channel.EMAIL,
        )
    note.refresh_from_db()
    assert note.status == DeliveryStatus.SENT
    assert [m.to for m in mail.outbox] == [["someone@example.org"]]
    assert note.delivery_attempts.get().is_success


def test_failed_email_is_retried_then_given_up(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.notifications.test_notifications.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        note = services.notification_send(
            recipient_email="x@example.org",
            template_key="generic",
            context={"subject": "S", "body": "B"},
            channel=Channel.EMAIL,
        )
    for _ in range(services.MAX_ATTEMPTS):
        services.notification_deliver(notification_id=note.pk)
    note.refresh_from_db()
    assert note.status == DeliveryStatus.FAILED
    assert note.attempts == services.MAX_ATTEMPTS
    assert "smtp down" in note.last_error


def test_switched_off_channel_is_skipped(matrix: Matrix):
    user = matrix.user("project_officer", "province", "40")
    Preference.objects.create(user=user, is_email_enabled=False)
    user.email = "o@example.org"
    user.save()
    assert _send(user, channel=Channel.EMAIL).status == DeliveryStatus.SKIPPED
    assert mail.outbox == []


def test_line_is_off_by_default(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        note = services.notification_send(
            recipient_line_id="U1",
            template_key="generic",
            context={"subject": "S", "body": "B"},
            channel=Channel.LINE,
        )
    note.refresh_from_db()
    assert note.status == DeliveryStatus.SKIPPED
    assert "not configured" in note.last_error


def test_english_template(matrix: Matrix):
    user = matrix.user("executive", "country")
    Preference.objects.create(user=user, language="en")
    register_template(
        MessageTemplate(
            key="test.hello",
            subject_th="สวัสดี {{ n }}",
            body_th="ไทย",
            subject_en="Hello {{ n }}",
            body_en="English",
        )
    )
    english = services.notification_send(
        recipient_user=user, template_key="test.hello", context={"n": 1}, channel=Channel.IN_APP
    )
    thai = services.notification_send(
        recipient_email="a@example.org", template_key="test.hello", context={"n": 2}, channel=Channel.EMAIL
    )
    assert (english.language, english.subject, english.body) == ("en", "Hello 1", "English")
    assert (thai.language, thai.subject, thai.body) == ("th", "สวัสดี 2", "ไทย")


def test_inbox_matrix(matrix: Matrix):
    owner = matrix.user("project_officer", "province", "40")
    note = _send(owner)
    matrix.check(
        lambda c: c.get("/api/v1/notifications"),
        allowed=owner,
        wrong_role=None,  # every signed-in person has an inbox ...
        out_of_scope=matrix.user("project_officer", "province", "10"),  # ... and never sees another's
        allowed_ok=lambda r: [i["id"] for i in r.json()["items"]] == [note.pk],
        refused=lambda r: r.status_code == 200 and r.json()["items"] == [],
    )


def test_nobody_marks_another_persons_message_read(matrix: Matrix):
    owner = matrix.user("project_officer", "province", "40")
    note = _send(owner)
    other = signed_in_client(matrix.user("project_officer", "province", "10"))
    assert other.post(f"/api/v1/notifications/{note.pk}/read").json() == {"marked": 0}
    assert Notification.objects.get(pk=note.pk).read_at is None


def test_preferences_page_saves(matrix: Matrix):
    user = matrix.user("community_leader", "subdistrict", "400104")
    response = signed_in_client(user).post("/notifications/preferences/", {"in_app": "on", "language": "en"})
    preference = Preference.objects.get(user=user)
    assert response.status_code == 302
    assert (preference.is_email_enabled, preference.is_in_app_enabled, preference.language) == (
        False,
        True,
        "en",
    )
