"""Training certificates: a Thai PDF per participant (staff or community leader) whose name reads
back from the PDF, a verification code that the public page resolves (name shortened), a zip of
a course's certificates, and refusals for people outside the scope."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from codi.core.models import AuditEntry
from codi.people import certificates, training
from codi.people.models import Competency, CourseAudience, TrainingCertificate
from tests.permissions import signed_in_client


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _courses(org, staff):
    course = training.course_create(
        actor=None, title="ทักษะดิจิทัลพื้นฐาน", competency=Competency.DIGITAL_LITERACY,
        audience=CourseAudience.STAFF, start_date=date(2026, 11, 2), org_unit=org["hr"],
    )  # fmt: skip
    mine = training.attendance_record(
        actor=None, course=course, employee=staff["north"], applies_at_work=True
    )
    south = training.attendance_record(actor=None, course=course, employee=staff["south"])
    leaders = training.course_create(
        actor=None, title="ผู้นำชุมชนยุคดิจิทัล", competency=Competency.DIGITAL_LITERACY,
        audience=CourseAudience.LEADERS, start_date=date(2026, 12, 1), org_unit=org["north"],
    )  # fmt: skip
    leader = training.attendance_record(actor=None, course=leaders, leader_name="บุญมี รักถิ่น")
    return course, mine, south, leaders, leader


def test_own_certificate_pdf_reads_back_and_verifies_publicly(org, staff):
    course, mine, _south, _leaders, _leader = _courses(org, staff)
    client = signed_in_client(staff["north"].user)
    response = client.get(reverse("people:certificate_pdf", args=[mine.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    employee = staff["north"]
    assert f"{employee.first_name_th} {employee.last_name_th}" in text
    assert course.title in text
    cert = TrainingCertificate.objects.get(attendance=mine)
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{10}", cert.code) and cert.code in text
    # the same certificate on a second print, audited once
    client.get(reverse("people:certificate_pdf", args=[mine.pk]))
    assert TrainingCertificate.objects.count() == 1
    assert AuditEntry.objects.filter(action="people.certificate_issue").count() == 1
    # public: anyone, signed in or not, checks the code; the surname is cut to its initial
    page = Client(HTTP_HOST="127.0.0.1").get(reverse("people:certificate_verify", args=[cert.code.lower()]))
    body = page.content.decode()
    assert page.status_code == 200 and course.title in body
    assert (
        f"{employee.first_name_th} {employee.last_name_th[0]}." in body and employee.last_name_th not in body
    )
    missing = Client(HTTP_HOST="127.0.0.1").get(reverse("people:certificate_verify", args=["AAAAAAAAAA"]))
    assert missing.status_code == 404 and course.title not in missing.content.decode()


def test_another_employee_and_outsider_refused(org, staff):
    _course, mine, south, _leaders, leader = _courses(org, staff)
    for user in (staff["south"].user, staff["outsider"]):
        assert (
            signed_in_client(user).get(reverse("people:certificate_pdf", args=[mine.pk])).status_code == 403
        )
    # the northern HR officer prints neither the south's certificate nor a course run outside the north
    north_hr = signed_in_client(staff["hr_north"])
    assert north_hr.get(reverse("people:certificate_pdf", args=[south.pk])).status_code == 403
    assert not TrainingCertificate.objects.exists()
    assert certificates.can_print(staff["hr_north"], leader)  # the leaders' course was run by the north


def test_course_zip_holds_a_certificate_per_participant_in_scope(org, staff):
    course, _mine, _south, leaders, _leader = _courses(org, staff)
    hr = signed_in_client(staff["hr_all"])
    response = hr.get(reverse("people:course_certificates", args=[leaders.pk]))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    (name,) = archive.namelist()
    assert "บุญมี รักถิ่น" in _text(archive.read(name))
    # the northern officer gets only the northern staff member's certificate of the staff course
    data, count = certificates.course_certificates_zip(
        actor=staff["hr_north"], course=course, verify_url=lambda code: f"https://codi.example/v/{code}/"
    )
    assert count == 1 and len(zipfile.ZipFile(io.BytesIO(data)).namelist()) == 1
    assert signed_in_client(staff["north"].user).get(
        reverse("people:course_certificates", args=[course.pk])
    ).status_code == 403  # fmt: skip
