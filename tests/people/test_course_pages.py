"""HR creates a course and records who completed it through the pages (the training services do
the writes); each problem beside its field with the input kept; refused outside HR's scope; the
certificate e-mailed once through the notification service."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from codi.core.models import AuditEntry
from codi.people import certificate_mail, training
from codi.people.models import Attendance, Course, TrainingCertificate
from tests.permissions import signed_in_client


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _course(org, audience="staff"):
    return training.course_create(
        actor=None, title="ใช้ AI ในงานเอกสาร", competency="ai_work", audience=audience,
        start_date=date(2026, 11, 20), org_unit=org["north"],
    )  # fmt: skip


def test_course_form_checks_each_field_then_creates_and_audits(staff, org):
    hr = signed_in_client(staff["hr_north"])
    url = reverse("people:course_new")
    assert hr.get(url).status_code == 200
    bad = {"title": "รู้เท่าทันสื่อดิจิทัล", "competency": "", "audience": "staff", "start_date": "x", "hours": "abc",
           "org_unit": str(org["north"].pk)}  # fmt: skip
    response = hr.post(url, bad)
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="c-date-error"' in html and 'id="c-hours-error"' in html
    assert 'value="รู้เท่าทันสื่อดิจิทัล"' in html and 'value="abc"' in html
    response = hr.post(url, {**bad, "start_date": "2026-12-01", "hours": "6"})
    assert response.status_code == 400 and 'id="c-comp-error"' in response.content.decode()
    # a unit outside the regional officer's scope
    response = hr.post(url, {**bad, "competency": "digital_literacy", "start_date": "2026-12-01", "hours": "6",
                             "org_unit": str(org["south"].pk)})  # fmt: skip
    assert response.status_code == 400 and 'id="c-unit-error"' in response.content.decode()
    assert not Course.objects.exists()
    good = {**bad, "competency": "digital_literacy", "start_date": "2026-12-01", "hours": "6"}
    response = hr.post(url, good)
    course = Course.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "people:course_attendance", args=[course.pk]
    )
    assert (course.org_unit, course.hours) == (org["north"], 6)
    assert AuditEntry.objects.filter(action="people.course_create", object_id=str(course.pk)).exists()


def test_course_pages_refuse_outside_the_scope(staff, org):
    course = _course(org)
    south_course = training.course_create(
        actor=None, title="ธรรมาภิบาลข้อมูล", competency="data_governance", audience="staff",
        start_date=date(2026, 11, 20), org_unit=org["south"],
    )  # fmt: skip
    for user in (staff["outsider"], staff["north"].user):
        client = signed_in_client(user)
        assert client.get(reverse("people:course_new")).status_code == 403
        assert (
            client.post(
                reverse("people:course_attendance", args=[course.pk]), {"employee_nos": "x"}
            ).status_code
            == 403
        )
    regional = signed_in_client(staff["hr_north"])
    url = reverse("people:course_attendance", args=[south_course.pk])
    assert regional.post(url, {"employee_nos": staff["south"].employee_no}).status_code == 403
    # in their own course, a southern employee is not found in their scope
    response = regional.post(
        reverse("people:course_attendance", args=[course.pk]), {"employee_nos": staff["south"].employee_no}
    )
    assert response.status_code == 400 and 'id="a-nos-error"' in response.content.decode()
    assert not Attendance.objects.exists()


def test_recording_attendance_emails_the_certificate_once(
    staff, org, immediate_tasks, django_capture_on_commit_callbacks
):
    north, head = staff["north"], staff["head"]
    north.user.email, head.user.email = "north@example.org", ""
    north.user.save(update_fields=["email"])
    head.user.save(update_fields=["email"])
    course = _course(org)
    hr = signed_in_client(staff["hr_north"])
    url = reverse("people:course_attendance", args=[course.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = hr.post(
            url, {"employee_nos": f"{north.employee_no}\n{head.employee_no}", "applies_at_work": "1"}
        )
    assert response.status_code == 302
    assert Attendance.objects.filter(course=course, applies_at_work=True).count() == 2
    assert [m.to for m in mail.outbox] == [["north@example.org"]]  # the head has no address
    message = mail.outbox[0]
    cert = TrainingCertificate.objects.get(attendance__employee=north)
    assert cert.code in message.body and course.title in message.subject
    name, content, mimetype = message.attachments[0]
    assert (name, mimetype) == (f"certificate-{cert.code}.pdf", "application/pdf") and content.startswith(
        b"%PDF"
    )
    # recorded again (a retried form) and the service called again: never a second e-mail
    with django_capture_on_commit_callbacks(execute=True):
        hr.post(url, {"employee_nos": north.employee_no})
        assert certificate_mail.certificate_email(attendance=cert.attendance) is None
    assert len(mail.outbox) == 1 and Attendance.objects.filter(course=course).count() == 2
    assert AuditEntry.objects.filter(action="people.certificate_email").count() == 1
    assert 'id="participants"' in hr.get(url).content.decode()


def test_a_leader_is_recorded_by_name_with_the_error_beside_the_field(staff, org):
    course = _course(org, audience="leaders")
    hr = signed_in_client(staff["hr_north"])
    url = reverse("people:course_attendance", args=[course.pk])
    response = hr.post(url, {"leader_name": "  "})
    assert response.status_code == 400 and 'id="a-leader-error"' in response.content.decode()
    assert hr.post(url, {"leader_name": "บุญมี รักถิ่น"}).status_code == 302
    assert Attendance.objects.get(course=course).leader_name == "บุญมี รักถิ่น"
    assert not mail.outbox  # a leader has no address: the certificate prints from the course page
