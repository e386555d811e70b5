"""The training certificate e-mailed to the participant when they complete a course.

``certificate_email`` is called in the transaction that records the completion
(``training.attendance_record`` / ``attendance_record_many``): it issues the certificate
(``certificates.certificate_issue``, idempotent) and queues one e-mail through the platform's
notification service, whose delivery attaches the PDF, made then and not stored. The certificate
row keeps the notification's id, locked while it is set, so a repeated call never sends twice.

Sent only to a staff participant whose account has an e-mail address; community leaders are
recorded by name without an address (their certificates print from the course page), and the
demo's courses send nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from codi.core.audit import audit_record
from codi.core.thaidate import thai_date
from codi.notifications.messages import MessageTemplate, register_template
from codi.notifications.models import Channel, Notification
from codi.notifications.services import notification_send, register_attachments
from codi.people.certificates import certificate_issue, certificate_pdf, participant_name
from codi.people.models import Attendance, TrainingCertificate

TEMPLATE_KEY = "people.certificate"


def verify_url(code: str) -> str:
    return str(settings.CODI_PUBLIC_URL).rstrip("/") + reverse("people:certificate_verify", args=[code])


def _attachments(notification: Notification) -> list[tuple[str, bytes, str]]:
    cert = (
        TrainingCertificate.objects.filter(email_notification_id=notification.pk)
        .select_related("attendance", "attendance__course", "attendance__employee")
        .first()
    )
    if cert is None:
        return []
    return [
        (
            f"certificate-{cert.code}.pdf",
            certificate_pdf(cert, verify_url=verify_url(cert.code)),
            "application/pdf",
        )
    ]


def register() -> None:
    """The message template and its attachment, with the notification service (at app start)."""
    register_template(
        MessageTemplate(
            key=TEMPLATE_KEY,
            subject_th="เกียรติบัตรผ่านการอบรม: {{ course }}",
            body_th=(
                "เรียน {{ name }}\n\nขอแสดงความยินดีที่ท่านผ่านการอบรมหลักสูตร {{ course }} ({{ course_date }}) "
                "เกียรติบัตรแนบมากับอีเมลนี้เป็นไฟล์ PDF ตรวจสอบได้ที่ {{ verify_url }} (รหัส {{ code }})\n\n"
                "สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน)"
            ),
            subject_en="Training certificate: {{ course }}",
            body_en=(
                "Dear {{ name }},\n\nCongratulations on completing {{ course }} ({{ course_date }}). Your certificate is "
                "attached as a PDF; it can be checked at {{ verify_url }} (code {{ code }}).\n\n"
                "Community Organizations Development Institute (CODI)"
            ),
        )
    )
    register_attachments(TEMPLATE_KEY, _attachments)


def certificate_email(*, attendance: Attendance) -> Notification | None:
    """Issue the certificate and queue its e-mail, once; None when nothing is (or was already) sent."""
    employee = attendance.employee
    if not attendance.completed or employee is None or attendance.course.is_demo:
        return None
    user = employee.user
    if user is None or not (user.email or "").strip():
        return None
    with transaction.atomic():
        cert = certificate_issue(actor=None, attendance=attendance)
        locked = TrainingCertificate.objects.select_for_update().get(pk=cert.pk)
        if locked.email_notification_id is not None:
            return None
        url = verify_url(locked.code)
        course = attendance.course
        notification = notification_send(
            recipient_user=user, template_key=TEMPLATE_KEY, channel=Channel.EMAIL, link=url,
            context={"name": participant_name(attendance), "course": course.title, "code": locked.code,
                     "course_date": thai_date(course.start_date, full_month=True), "verify_url": url},
        )  # fmt: skip
        locked.email_notification_id = notification.pk
        locked.save(update_fields=["email_notification_id"])
        audit_record(
            actor=None, action="people.certificate_email", object_type="people.Course", object_id=course.pk,
            changes={"attendance": attendance.pk, "code": locked.code, "notification": notification.pk},
        )  # fmt: skip
    return notification
