"""The demo of back pay, payslip e-mail, the time clock and dependants: loaded through the
services by ``load_people_demo``, its output checked against the rows, and idempotent."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from codi.identity.models import User
from codi.people import backpay, lateness, payroll, selfservice
from codi.people.models import PayrollRun, PayslipEmail, TimeClockEntry
from tests.people.test_demo_training import demo_world  # noqa: F401 — the demo's units and accounts


def test_time_demo_through_the_services(demo_world):  # noqa: F811
    for user in User.objects.filter(username__startswith="demo_"):
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    out = StringIO()
    call_command("load_people_demo", stdout=out, stderr=out)
    text = out.getvalue()
    assert "error" not in text
    entries = TimeClockEntry.objects.count()
    assert entries > 0 and f"time-clock entries imported: {entries}" in text
    assert "back-dated raises: 3" in text
    # the five linked demo accounts have an address: five e-mails; everyone else is counted without one
    assert "payslip e-mails queued: 5" in text
    run = PayrollRun.objects.get(is_demo=True)
    assert PayslipEmail.objects.filter(payslip__run=run).count() == run.employee_count
    hr = User.objects.get(username="demo_hr")
    last = timezone.localdate().replace(day=1) - timedelta(days=1)
    rows = lateness.month_report(actor=hr, year=last.year, month=last.month)
    assert (
        len(rows) == 30 and sum(r.late_count for r in rows) > 0 and sum(len(r.absent_days) for r in rows) > 0
    )
    today = timezone.localdate()
    owed = backpay.pending(PayrollRun(year=today.year, month=today.month), payroll.sso_rates())
    assert sorted(line.salary for back in owed.values() for line in back.lines) == [120_000] * 3
    waiting = list(selfservice.change_inbox(actor=hr))
    assert [c.kind for c in waiting] == [
        "dependants"
    ] and f"dependants request: {waiting[0].proposed_masked}" in text
    again = StringIO()
    call_command("load_people_demo", stdout=again, stderr=again)
    repeat = again.getvalue()
    assert "time-clock entries imported: 0" in repeat and "back-dated raises: 0" in repeat
    assert "payslip e-mails queued: 0" in repeat and TimeClockEntry.objects.count() == entries
