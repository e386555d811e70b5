"""People's background tasks: take an id, call the service (which is safe to run again)."""

from __future__ import annotations

from django_tasks import task

from codi.people import payslip_mail


@task()
def payslip_mail_task(mailing_id: int) -> None:
    payslip_mail.mailing_send(mailing_id=mailing_id)
