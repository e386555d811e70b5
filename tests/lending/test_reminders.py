"""Repayment reminders: due soon and overdue, e-mail to the organization and in-app to the credit
officer, each instalment once per kind however often the command runs."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from codi.lending import messages, reminders, services
from codi.notifications.models import Channel, Notification
from tests.lending.conftest import active_loan

pytestmark = pytest.mark.django_db


def test_due_soon_then_overdue_once_each(books, people, product, org, capsys):
    org.email = "group@example.org"
    org.save(update_fields=["email"])
    loan = active_loan(people, product, org)  # 12,000.00 from 15 Jan 2025: 4,060.00 due 15 Feb
    assert reminders.reminders_send(today=date(2025, 2, 7)).notifications == 0  # 8 days ahead: not yet
    report = reminders.reminders_send(today=date(2025, 2, 8))
    assert report.due_soon == [f"{loan.number}/1"] and report.notifications == 2
    email = Notification.objects.get(channel=Channel.EMAIL)
    assert email.recipient_email == "group@example.org" and email.template_key == messages.DUE_SOON
    assert "4,060.00" in email.body and loan.number in email.subject
    assert Notification.objects.get(channel=Channel.IN_APP).recipient_user == people["officer"]
    call_command("lending_reminders", today="2025-02-09")
    assert "ส่งแจ้งเตือน 0 รายการ" in capsys.readouterr().out
    # Grace of 5 days: 15 Feb + 5 = 20 Feb; overdue from the 21st.
    assert reminders.reminders_send(today=date(2025, 2, 20)).overdue == []
    late = reminders.reminders_send(today=date(2025, 2, 21))
    assert late.overdue == [f"{loan.number}/1"] and late.due_soon == []
    assert reminders.reminders_send(today=date(2025, 2, 22)).notifications == 0
    services.repayment_record(actor=people["cashier"], loan=loan, amount="4060", received_on=date(2025, 2, 25),
                              reference="R1")  # fmt: skip
    march = reminders.reminders_send(today=date(2025, 3, 26))
    # Instalment 1 is paid; 2 (15 Mar) is overdue; 3 (15 Apr) not yet within 7 days.
    assert march.overdue == [f"{loan.number}/2"] and march.due_soon == []
    assert Notification.objects.filter(template_key=messages.OVERDUE).count() == 4
    with pytest.raises(CommandError):
        call_command("lending_reminders", today="2025-13-01")


def test_without_an_email_only_the_officer_is_told(books, people, product, org):
    loan = active_loan(people, product, org)
    report = reminders.reminders_send(today=date(2025, 2, 10))
    assert report.notifications == 1 and report.due_soon == [f"{loan.number}/1"]
    assert not Notification.objects.filter(channel=Channel.EMAIL).exists()
