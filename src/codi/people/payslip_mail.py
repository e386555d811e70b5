"""Payslips by e-mail once a run is approved: each employee with an e-mail address gets their
payslip as a password-protected PDF, through the platform's notification service.

``mailing_start`` (HR, organisation-wide like the run) opens one ``PayslipMailing`` per run and
queues ``payslip_mail_task`` after commit; the task (``mailing_send``) works through the payslips
in batches, each batch in one transaction: a ``PayslipEmail`` row (one per payslip, unique) and a
queued e-mail notification. Running it again, or starting the mailing again, sends nothing twice:
a payslip with its row is skipped. The mailing shows its progress (queued of total, and from the
notification service how many were delivered or failed); its start and its end are audited, and
the notification service audits each message.

The PDF is made when the e-mail is delivered, never stored, and locked (AES-256, pypdf) with the
last six digits of the employee's national ID — the convention Thai employers use for e-mailed
payslips, so the password is something the employee has and an intercepted copy does not say.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from codi.core.audit import audit_record
from codi.notifications.messages import MessageTemplate, register_template
from codi.notifications.models import Channel, Notification
from codi.notifications.services import notification_send, register_attachments
from codi.people.models import MailingStatus, PayrollRun, PayrollStatus, Payslip, PayslipEmail, PayslipMailing
from codi.people.payroll import _require_hr
from codi.people.payslips import THAI_MONTHS, payslip_pdf
from codi.people.services import PeopleError

TEMPLATE_KEY = "people.payslip"
BATCH = 200
PASSWORD_DIGITS = 6


def password_for(national_id: str) -> str:
    """The PDF's password: the last six digits of the national ID."""
    digits = "".join(ch for ch in national_id if ch.isdigit())
    return digits[-PASSWORD_DIGITS:]


def _attachments(notification: Notification) -> list[tuple[str, bytes, str]]:
    """The payslip of the e-mail, made now and locked (delivery calls this; nothing is stored)."""
    sent = PayslipEmail.objects.filter(notification_id=notification.pk).first()
    if sent is None:
        return []
    slip = Payslip.objects.select_related("run", "employee", "employee__org_unit").get(pk=sent.payslip_id)
    pdf = payslip_pdf(slip, password=password_for(slip.employee.national_id))
    return [(f"payslip-{slip.run.period}.pdf", pdf, "application/pdf")]


def register() -> None:
    """The message template and its attachment, with the notification service (at app start)."""
    register_template(
        MessageTemplate(
            key=TEMPLATE_KEY,
            subject_th="สลิปเงินเดือน {{ month_th }} {{ year_be }}",
            body_th=(
                "เรียน {{ name }}\n\nสลิปเงินเดือนประจำเดือน{{ month_th }} พ.ศ. {{ year_be }} (วันที่จ่าย {{ pay_date }}) "
                "แนบมากับอีเมลนี้เป็นไฟล์ PDF ที่ล็อกด้วยรหัสผ่าน: เลขประจำตัวประชาชน 6 หลักสุดท้ายของท่าน\n\n"
                "สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน)"
            ),
            subject_en="Payslip {{ year }}-{{ month }}",
            body_en=(
                "Dear {{ name }},\n\nYour payslip for {{ year }}-{{ month }} (paid on {{ pay_date }}) is attached as a "
                "PDF locked with a password: the last six digits of your national ID.\n\n"
                "Community Organizations Development Institute (CODI)"
            ),
        )
    )
    register_attachments(TEMPLATE_KEY, _attachments)


def mailing_start(*, actor: Any, run: PayrollRun) -> PayslipMailing:
    """Open (or return) the run's mailing and queue its sending; only for an approved run."""
    _require_hr(actor)
    if run.status != PayrollStatus.APPROVED:
        raise PeopleError("ส่งสลิปทางอีเมลได้เมื่ออนุมัติงวดแล้ว", "Payslips are e-mailed once the run is approved")
    with transaction.atomic():
        mailing, created = PayslipMailing.objects.get_or_create(
            run=run, defaults={"started_by": actor, "total": run.payslips.count()}
        )
        if created:
            audit_record(
                actor=actor, action="people.payslip_mailing_start", object_type="people.PayrollRun",
                object_id=run.pk, changes={"period": run.period, "payslips": mailing.total},
            )  # fmt: skip
        if mailing.status != MailingStatus.DONE:
            mailing_id = mailing.pk
            transaction.on_commit(lambda: _enqueue(mailing_id))
    return mailing


def _enqueue(mailing_id: int) -> None:
    # cycle: people.tasks imports this module
    from codi.people.tasks import payslip_mail_task

    payslip_mail_task.enqueue(mailing_id=mailing_id)


def _send_batch(mailing: PayslipMailing) -> int:
    """Queue the next batch of payslips not yet e-mailed; how many were taken (0: none left)."""
    with transaction.atomic():
        locked = PayslipMailing.objects.select_for_update().select_related("run").get(pk=mailing.pk)
        run = locked.run
        slips = list(
            Payslip.objects.filter(run=run, email__isnull=True)
            .select_related("employee", "employee__user")
            .defer(
                "employee__national_id", "employee__bank_account", "employee__address", "employee__birth_date"
            )
            .order_by("pk")[:BATCH]
        )
        for slip in slips:
            user = slip.employee.user
            address = (user.email if user is not None else "").strip()
            row = PayslipEmail.objects.create(payslip=slip)
            if not address:
                locked.without_email += 1
                continue
            notification = notification_send(
                recipient_user=user, template_key=TEMPLATE_KEY, channel=Channel.EMAIL,
                context={"name": slip.employee.full_name, "month_th": THAI_MONTHS[run.month], "year_be": run.year + 543,
                         "month": f"{run.month:02d}", "year": run.year, "pay_date": run.pay_date.isoformat()},
            )  # fmt: skip
            row.notification_id = notification.pk
            row.save(update_fields=["notification_id"])
            locked.queued += 1
        locked.status = MailingStatus.RUNNING if slips else MailingStatus.DONE
        if not slips and locked.finished_at is None:
            locked.finished_at = timezone.now()
            audit_record(
                actor=None, action="people.payslip_mailing_done", object_type="people.PayrollRun", object_id=run.pk,
                changes={"queued": locked.queued, "without_email": locked.without_email},
            )  # fmt: skip
        locked.save()
    return len(slips)


def mailing_send(*, mailing_id: int) -> PayslipMailing:
    """Work through the mailing to its end (the background task); safe to run again."""
    mailing = PayslipMailing.objects.get(pk=mailing_id)
    while _send_batch(mailing):
        pass
    return PayslipMailing.objects.get(pk=mailing_id)


def mailing_progress(mailing: PayslipMailing) -> dict[str, int]:
    """Queued, delivered and failed so far (from the notification service), of the total."""
    ids = PayslipEmail.objects.filter(payslip__run_id=mailing.run_id, notification_id__isnull=False).values(
        "notification_id"
    )
    by_status = dict(
        Notification.objects.filter(pk__in=ids).values_list("status").annotate(n=Count("pk")).order_by()
    )
    done = mailing.queued + mailing.without_email
    return {
        "total": mailing.total,
        "done": done,
        "percent": round(100 * done / mailing.total) if mailing.total else 100,
        "queued": mailing.queued,
        "without_email": mailing.without_email,
        "sent": by_status.get("sent", 0),
        "failed": by_status.get("failed", 0),
        "waiting": by_status.get("pending", 0),
        "skipped": by_status.get("skipped", 0),
    }
