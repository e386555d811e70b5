"""Management commands end to end: classify_feedback on a small CSV, feedback_escalate with --now."""

from __future__ import annotations

import csv
from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from codi.feedback import nlp, services
from codi.feedback.models import IntakeChannel, Ticket


def test_classify_feedback_labels_a_csv(tmp_path):
    source = tmp_path / "in.csv"
    target = tmp_path / "out.csv"
    rows = [
        {"id": "1", "text": "น้ำท่วมบ้านเรือนเสียหายหนัก ต้องการความช่วยเหลือ"},
        {"id": "2", "text": "ขอบคุณเจ้าหน้าที่มากครับ ประทับใจ"},
        {"id": "3", "text": ""},
        {"id": "4", "text": "<script>x</script> 😀"},
    ]
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "text"])
        writer.writeheader()
        writer.writerows(rows)

    call_command("classify_feedback", "--input", str(source), "--output", str(target), stdout=StringIO())

    with target.open(encoding="utf-8") as handle:
        out = list(csv.DictReader(handle))
    assert [r["id"] for r in out] == ["1", "2", "3", "4"]
    assert list(out[0].keys()) == ["id", "text", "sentiment", "topic"]
    assert all(r["sentiment"] in nlp.SENTIMENTS and r["topic"] in nlp.TOPICS for r in out)
    assert out[0]["topic"] == "disaster"
    assert out[1]["sentiment"] == "pos"


def test_classify_feedback_needs_a_text_column(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("id,message\n1,x\n", encoding="utf-8")
    with pytest.raises(CommandError, match="no 'text' column"):
        call_command("classify_feedback", "--input", str(source), "--output", str(tmp_path / "o.csv"))


@pytest.mark.django_db
def test_feedback_escalate_command_uses_the_given_time(settings, officer):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    created = datetime(2026, 11, 2, 9, 0, tzinfo=ZoneInfo("Asia/Bangkok"))
    ticket = services.ticket_submit(
        text="ถนนพัง", channel=IntakeChannel.WEB, subdistrict_code="400104", category="welfare", now=created
    ).ticket
    out = StringIO()

    call_command("feedback_escalate", "--now", "2026-11-04T09:00:00+07:00", stdout=out)
    call_command("feedback_escalate", "--now", "2026-11-05T09:01:00+07:00", stdout=out)

    assert out.getvalue().splitlines() == ["escalated 0: ", f"escalated 1: {ticket.reference}"]
    assert Ticket.objects.get(pk=ticket.pk).escalation_level == 1


@pytest.mark.django_db
def test_load_feedback_demo_runs_once(settings, officer):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    call_command("load_feedback_demo", "--count", "8", stdout=StringIO())
    call_command("load_feedback_demo", "--count", "8", stdout=StringIO())
    assert Ticket.objects.filter(is_demo=True).count() == 8
    assert Ticket.objects.filter(is_demo=False).count() == 0


class FakeCrawler:
    """A live connector as a deployment would configure one (no network here)."""

    name = "crawler"

    def fetch(self) -> bytes:
        return b'[{"id": "c1", "text": "\\u0e16\\u0e19\\u0e19\\u0e1e\\u0e31\\u0e07", "postal_code": "40000"}]'

    def parse(self, payload: bytes):
        from codi.feedback.connectors import SocialExportConnector

        return SocialExportConnector().parse(payload)


@pytest.mark.django_db
def test_feedback_pull_runs_configured_connectors_once_per_post(settings, officer):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.FEEDBACK_CONNECTORS = ["tests.feedback.test_commands.FakeCrawler"]
    out = StringIO()
    call_command("feedback_pull", stdout=out)
    call_command("feedback_pull", stdout=out)
    assert out.getvalue().splitlines() == [
        "crawler: 1 created, 0 skipped, 0 errors",
        "crawler: 0 created, 1 skipped, 0 errors",
    ]
    assert Ticket.objects.get().external_id == "crawler:c1"
