"""Repayment reminders through the notification service, once per instalment and kind.

Run daily (cron or the task worker): ``manage.py lending_reminders``. For every unpaid instalment of
the current schedule of an active loan:

- *due soon*: it falls due within ``days_before`` days (default 7) from today;
- *overdue*: its due date plus the product's grace days has passed.

Each goes by e-mail to the borrowing organization (when it has an address) and in-app to the credit
officer who entered the loan. An instalment is reminded once per kind: the notification's link
carries the instalment's row id (a new schedule version has new rows, so a restructured loan is
reminded again), and a reminder already sent for it is never repeated, however often the command
runs. Instalments are locked while reminded, so two runs at once do not both send.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F, Q

from codi.core.audit import audit_record
from codi.core.thaidate import english_date, thai_date
from codi.lending import messages
from codi.lending.models import Instalment, LoanStatus
from codi.notifications.models import Channel, Notification
from codi.notifications.services import notification_send

DAYS_BEFORE = 7


@dataclass
class ReminderReport:
    due_soon: list[str] = field(default_factory=list)  # "loan number/n"
    overdue: list[str] = field(default_factory=list)
    notifications: int = 0


def _link(inst: Instalment) -> str:
    return f"/lending/loans/{inst.loan_id}/?instalment={inst.pk}"


def _send(inst: Instalment, key: str) -> int:
    loan = inst.loan
    unpaid = inst.unpaid + inst.penalty_charged - inst.penalty_paid
    context: dict[str, Any] = {
        "organization": loan.organization.name_th, "number": loan.number, "n": inst.n,
        "due_th": thai_date(inst.due_date, full_month=True), "due_en": english_date(inst.due_date), "amount": f"{unpaid:,.2f}",
    }  # fmt: skip
    link, sent = _link(inst), 0
    if loan.organization.email:
        notification_send(recipient_email=loan.organization.email, template_key=key, context=context,
                          channel=Channel.EMAIL, link=link, language="th")  # fmt: skip
        sent += 1
    if loan.created_by is not None:
        notification_send(recipient_user=loan.created_by, template_key=key, context=context,
                          channel=Channel.IN_APP, link=link)  # fmt: skip
        sent += 1
    return sent


def reminders_send(*, today: date, days_before: int = DAYS_BEFORE) -> ReminderReport:
    """Send the reminders due on ``today`` (module docstring); returns what was sent."""
    report = ReminderReport()
    unpaid = Instalment.objects.filter(is_current=True, loan__status=LoanStatus.ACTIVE).filter(
        Q(principal_paid__lt=F("principal_due")) | Q(interest_paid__lt=F("interest_due"))
    )
    soon = unpaid.filter(due_date__gt=today, due_date__lte=today + timedelta(days=days_before))
    late = unpaid.filter(due_date__lt=today).select_related("loan__product")
    candidates = [(i, messages.DUE_SOON) for i in soon.values_list("pk", flat=True)] + [
        (i.pk, messages.OVERDUE)
        for i in late.only("pk", "due_date", "loan__product__grace_days")
        if i.due_date + timedelta(days=i.loan.product.grace_days) < today
    ]
    for pk, key in candidates:
        with transaction.atomic():
            inst = (
                Instalment.objects.select_for_update(of=("self",))
                .select_related("loan__organization", "loan__created_by")
                .get(pk=pk)
            )
            if Notification.objects.filter(template_key=key, link=_link(inst)).exists():
                continue
            sent = _send(inst, key)
            if not sent:
                continue
            report.notifications += sent
            (report.due_soon if key == messages.DUE_SOON else report.overdue).append(
                f"{inst.loan.number}/{inst.n}"
            )
    if report.notifications:
        audit_record(
            actor=None, action="lending.reminders_send", object_type="lending.Loan", object_id=today.isoformat(),
            changes={"due_soon": report.due_soon[:500], "overdue": report.overdue[:500],
                     "notifications": report.notifications},
        )  # fmt: skip
    return report
