"""Payslips by e-mail after approval: a locked PDF each, through notifications, once, audited."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from pypdf import PdfReader

from codi.core.models import AuditEntry
from codi.people import payroll, payslip_mail
from codi.people.models import MailingStatus, PayslipEmail
from tests.permissions import signed_in_client


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _approved_run(staff):
    run = payroll.payroll_run_create(actor=staff["hr_all"], year=2026, month=12, pay_date=date(2026, 12, 25))
    run = payroll.payroll_submit(actor=staff["hr_all"], run=run)
    return payroll.payroll_approve(actor=staff["approver"], run=run, decision="approve")


def test_each_employee_with_an_address_gets_their_locked_payslip_once(
    staff, books, immediate_tasks, django_capture_on_commit_callbacks
):
    for key, address in (("north", "north@example.org"), ("head", "head@example.org")):
        user = staff[key].user
        user.email = address
        user.save(update_fields=["email"])
    staff["south"].user.email = ""
    staff["south"].user.save(update_fields=["email"])
    run = _approved_run(staff)
    with django_capture_on_commit_callbacks(execute=True):
        mailing = payslip_mail.mailing_start(actor=staff["hr_all"], run=run)
    mailing.refresh_from_db()
    assert (mailing.status, mailing.total, mailing.queued, mailing.without_email) == (
        MailingStatus.DONE,
        3,
        2,
        1,
    )
    assert sorted(m.to[0] for m in mail.outbox) == ["head@example.org", "north@example.org"]
    message = next(m for m in mail.outbox if m.to == ["north@example.org"])
    assert "6 หลักสุดท้าย" in message.body
    name, content, mimetype = message.attachments[0]
    assert (name, mimetype) == ("payslip-2026-12.pdf", "application/pdf")
    reader = PdfReader(BytesIO(content))
    assert reader.is_encrypted
    assert not reader.decrypt("000000")
    assert reader.decrypt(staff["north"].national_id[-6:])
    assert staff["north"].employee_no in reader.pages[0].extract_text()
    progress = payslip_mail.mailing_progress(mailing)
    assert (progress["sent"], progress["done"], progress["percent"]) == (2, 3, 100)
    # started again, or the task run again: nothing is sent twice
    with django_capture_on_commit_callbacks(execute=True):
        payslip_mail.mailing_start(actor=staff["hr_all"], run=run)
        payslip_mail.mailing_send(mailing_id=mailing.pk)
    assert len(mail.outbox) == 2 and PayslipEmail.objects.count() == 3
    actions = set(AuditEntry.objects.filter(object_id=str(run.pk)).values_list("action", flat=True))
    assert {"people.payslip_mailing_start", "people.payslip_mailing_done"} <= actions


def test_only_an_approved_run_and_only_organisation_wide_hr(staff, books):
    run = payroll.payroll_run_create(actor=staff["hr_all"], year=2026, month=12, pay_date=date(2026, 12, 25))
    with pytest.raises(payroll.PeopleError):
        payslip_mail.mailing_start(actor=staff["hr_all"], run=run)
    with pytest.raises(PermissionDenied):
        payslip_mail.mailing_start(actor=staff["hr_north"], run=run)
    for key in ("hr_north", "outsider"):
        client = signed_in_client(staff[key])
        assert client.get(f"/people/payroll/{run.pk}/email/").status_code == 403
        assert client.post(f"/people/payroll/{run.pk}/email/").status_code == 403
    page = signed_in_client(staff["hr_all"]).get(f"/people/payroll/{run.pk}/email/")
    assert page.status_code == 200 and b"<button>" not in page.content.split(b'<main id="content">')[-1]
