"""The training demo loader (``load_training_demo``): its output, the rows it wrote through the
services, and a second run that adds nothing. A small world (not the 1,000-employee people demo):
two demo courses with their participants and a unit head with a demo account."""

from __future__ import annotations

from datetime import date
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from codi.identity.models import User
from codi.people import evaluation, training
from codi.people.models import (
    Competency,
    Course,
    CourseAudience,
    CourseEvaluation,
    SupervisorAssessment,
    TrainingCertificate,
)
from tests.factories import UserFactory
from tests.people.conftest import hire


def test_load_training_demo_output_and_idempotence(org):
    out = StringIO()
    call_command("load_training_demo", stdout=out, stderr=out)
    assert "error: no demo courses" in out.getvalue()

    director = UserFactory(username="demo_director", org_unit=org["north"])
    hire(org["north"], user=director, head=True)
    team = [hire(org["north"]) for _ in range(3)]
    start = training._fy_bounds(training.current_fiscal_year())[0]
    staff_course = training.course_create(
        actor=None, title="ดิจิทัลพื้นฐาน", competency=Competency.DIGITAL_LITERACY, audience=CourseAudience.STAFF,
        start_date=min(start, timezone.localdate()), is_demo=True,
    )  # fmt: skip
    training.attendance_record_many(actor=None, course=staff_course, participants=[(e, True) for e in team])
    leaders = training.course_create(
        actor=None, title="ผู้นำชุมชนยุคดิจิทัล", competency=Competency.AI_WORK, audience=CourseAudience.LEADERS,
        start_date=date(2026, 12, 1), is_demo=True,
    )  # fmt: skip
    for name in ("บุญมี", "สมศรี"):
        training.attendance_record(actor=None, course=leaders, leader_name=name)

    out = StringIO()
    call_command("load_training_demo", stdout=out, stderr=out)
    text = out.getvalue()
    assert "error" not in text
    assert "course evaluations: 5" in text and CourseEvaluation.objects.count() == 5
    assert "certificates issued: 5" in text and TrainingCertificate.objects.count() == 5
    assert "staff assessed by their unit head: 3" in text
    assert SupervisorAssessment.objects.filter(assessed_by=director).count() == 3 * len(Competency.choices)
    assert "self-assessments: 1" in text  # the director, the only demo account with a record here
    for course in Course.objects.filter(is_demo=True):
        summary = evaluation.course_summary(course)
        assert summary.rated == summary.participants and summary.mean_gain is not None
    assert User.objects.filter(username="demo_hr").count() == 0  # recorded by the loader itself (actor None)

    again = StringIO()
    call_command("load_training_demo", stdout=again, stderr=again)
    assert "course evaluations: 0" in again.getvalue() and CourseEvaluation.objects.count() == 5
