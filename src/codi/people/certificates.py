"""Training completion certificates: one A4 PDF per participant (Sarabun, through ``codi.core.pdf``).

Each certificate gets a random verification code once (``certificate_issue``, idempotent); the
PDF prints the code and a QR code of the public verify page (``/people/certificates/verify/<code>/``),
which shows the course, the date and the holder's name shortened to the first name and the initial
of the surname, enough to match the paper and no more. A course's certificates download together
as a zip (``course_certificates_zip``).

Who may print: HR over the participant's unit (staff) or over the unit that ran the course
(community leaders), and a staff participant their own.
"""

from __future__ import annotations

import io
import secrets
import zipfile
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from codi.core.audit import audit_record
from codi.core.pdf import render_pdf
from codi.core.thaidate import thai_date
from codi.identity.roles import Perm
from codi.people.models import Attendance, Course, TrainingCertificate
from codi.people.selectors import hr_unit_scope

# no 0/O, 1/I: the code is typed from paper
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


def participant_name(attendance: Attendance) -> str:
    employee = attendance.employee
    if employee is not None:
        return f"{employee.first_name_th} {employee.last_name_th}"
    return attendance.leader_name


def short_name(name: str) -> str:
    """ "สมชาย ใจดี" → "สมชาย ใ."; the verify page shows no more of a name than this."""
    parts = name.split()
    if len(parts) < 2:
        return parts[0] if parts else ""
    return f"{parts[0]} {parts[-1][0]}."


def can_manage_course(actor: Any, course: Course) -> bool:
    units = hr_unit_scope(actor, Perm.PEOPLE_MANAGE)
    return units is None or (course.org_unit_id is not None and course.org_unit_id in units)


def can_print(actor: Any, attendance: Attendance) -> bool:
    if actor is None:
        return True
    employee = attendance.employee
    if (
        employee is not None
        and employee.user_id is not None
        and employee.user_id == getattr(actor, "pk", None)
    ):
        return True
    units = hr_unit_scope(actor, Perm.PEOPLE_MANAGE)
    if units is None:
        return True
    if employee is not None:
        return employee.org_unit_id in units
    return attendance.course.org_unit_id is not None and attendance.course.org_unit_id in units


def _new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def certificate_issue(*, actor: Any, attendance: Attendance) -> TrainingCertificate:
    """The participant's certificate, made on first call (a later call returns the same one)."""
    if not can_print(actor, attendance):
        raise PermissionDenied
    existing = TrainingCertificate.objects.filter(attendance=attendance).first()
    if existing is not None:
        return existing
    for _try in range(5):
        try:
            with transaction.atomic():
                cert = TrainingCertificate.objects.create(
                    attendance=attendance, code=_new_code(), issued_on=timezone.localdate()
                )
                audit_record(actor=actor, action="people.certificate_issue", object_type="people.Course",
                             object_id=attendance.course_id, changes={"attendance": attendance.pk,
                                                                       "code": cert.code})  # fmt: skip
            return cert
        except IntegrityError:
            existing = TrainingCertificate.objects.filter(attendance=attendance).first()
            if existing is not None:  # issued at the same moment by another request
                return existing
    raise RuntimeError("no free certificate code")  # pragma: no cover — 32**10 codes


def _qr_data_uri(url: str) -> str:
    import segno  # heavy: the QR encoder, only when a certificate is printed

    return str(segno.make(url, error="m").svg_data_uri(scale=4, border=2))


def certificate_pdf(cert: TrainingCertificate, *, verify_url: str) -> bytes:
    attendance = cert.attendance
    course = attendance.course
    return render_pdf(
        "people/certificate_pdf.html",
        {
            "name": participant_name(attendance),
            "course": course,
            "course_date": thai_date(course.start_date, full_month=True),
            "issued": thai_date(cert.issued_on, full_month=True),
            "organization": attendance.organization_name,
            "code": cert.code,
            "verify_url": verify_url,
            "qr": _qr_data_uri(verify_url),
        },
    )


def course_certificates_zip(*, actor: Any, course: Course, verify_url: Any) -> tuple[bytes, int]:
    """All participants' certificates of a course in one zip (``verify_url(code)`` → the URL);
    returns the zip and the number of PDFs."""
    if actor is not None and hr_unit_scope(actor, Perm.PEOPLE_MANAGE) == set():
        raise PermissionDenied
    out = io.BytesIO()
    count = 0
    rows = Attendance.objects.filter(course=course, completed=True).select_related("employee", "course")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for attendance in rows:
            if actor is not None and not can_print(actor, attendance):
                continue
            cert = certificate_issue(actor=actor, attendance=attendance)
            pdf = certificate_pdf(cert, verify_url=verify_url(cert.code))
            archive.writestr(f"certificate-{attendance.pk}-{cert.code}.pdf", pdf)
            count += 1
    return out.getvalue(), count


@dataclass(frozen=True)
class Verified:
    code: str
    holder: str
    course: str
    course_date: date
    hours: int
    issued_on: date


def certificate_verify(code: str) -> Verified | None:
    """What the public verify page shows for a code (None: no such certificate)."""
    code = code.strip().upper()
    if not code or len(code) > 20:
        return None
    cert = (
        TrainingCertificate.objects.filter(code=code)
        .select_related("attendance__course", "attendance__employee")
        .first()
    )
    if cert is None:
        return None
    course = cert.attendance.course
    return Verified(cert.code, short_name(participant_name(cert.attendance)), course.title,
                    course.start_date, course.hours, cert.issued_on)  # fmt: skip
