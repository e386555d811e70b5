"""Demo data for the training side added after the people demo: course evaluations (satisfaction,
pre/post test), certificates, the unit heads' assessment of their staff and the demo accounts'
self-assessments, all through the real services (``evaluation``, ``certificates``,
``supervisor``, ``selfassess``). Run after ``load_people_demo`` (it reads its demo courses); a
second run finds the evaluations and adds nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction

from codi.identity.models import User
from codi.people import certificates, evaluation, selfassess, supervisor, training
from codi.people.models import Attendance, Competency, Course, CourseEvaluation
from codi.people.services import PeopleError

SEED = 2570
EVALUATED_PER_COURSE = 30
CERTIFICATES_PER_COURSE = 20
ASSESSED_PER_HEAD = 40
HEADS = ("demo_director", "demo_executive")
SELF_ASSESSING = ("demo_officer", "demo_director", "demo_hr", "demo_finance", "demo_executive")
RATINGS = (5, 5, 4, 4, 4, 4, 3, 3, 2)  # mostly satisfied, as CODI's post-course surveys run


@dataclass
class TrainingDemoSummary:
    evaluations: int = 0
    certificates: int = 0
    supervisor_assessed: int = 0
    self_assessed: int = 0
    errors: list[str] = field(default_factory=list)


def _levels(rng: random.Random) -> dict[str, str]:
    return {code: str(rng.choice((1, 2, 2, 3, 3, 3, 4))) for code, _label in Competency.choices}


def training_demo_load() -> TrainingDemoSummary:
    summary = TrainingDemoSummary()
    courses = list(Course.objects.filter(is_demo=True).order_by("start_date", "pk"))
    if not courses:
        summary.errors.append("no demo courses: run load_people_demo first")
        return summary
    if CourseEvaluation.objects.filter(attendance__course__in=courses).exists():
        return summary
    rng = random.Random(SEED)  # noqa: S311 — reproducible demo data, not security
    hr = User.objects.filter(username="demo_hr").first()
    year = training.current_fiscal_year()
    with transaction.atomic():
        for course in courses:
            rows = list(
                Attendance.objects.filter(course=course).select_related("employee", "course").order_by("pk")
            )
            for row in rows[:EVALUATED_PER_COURSE]:
                pre = rng.randrange(30, 71)
                evaluation.evaluation_record(
                    actor=hr, attendance=row, rating=rng.choice(RATINGS),
                    comment=rng.choice(("", "", "นำไปใช้ในงานได้ทันที", "อยากให้มีภาคปฏิบัติมากขึ้น")),
                    pre_score=pre, post_score=min(100, pre + rng.randrange(0, 36)),
                )  # fmt: skip
                summary.evaluations += 1
            for row in rows[:CERTIFICATES_PER_COURSE]:
                certificates.certificate_issue(actor=hr, attendance=row)
                summary.certificates += 1
        for username in HEADS:
            head = User.objects.filter(username=username).first()
            if head is None:
                continue
            try:
                team = list(supervisor.my_team(head)[:ASSESSED_PER_HEAD])
            except PermissionDenied:  # not (or no longer) a unit head
                continue
            for employee in team:
                supervisor.supervisor_assess(
                    actor=head, employee=employee, fiscal_year=year, levels=_levels(rng)
                )
                summary.supervisor_assessed += 1
        for user in User.objects.filter(username__in=SELF_ASSESSING, employee__isnull=False).order_by(
            "username"
        ):
            try:
                selfassess.self_assess(actor=user, fiscal_year=year, levels=_levels(rng))
            except PeopleError as exc:  # pragma: no cover — every level is drawn from SkillLevel
                summary.errors.append(exc.message_en)
            else:
                summary.self_assessed += 1
    return summary


def describe(summary: TrainingDemoSummary) -> list[str]:
    lines = [
        f"course evaluations: {summary.evaluations}",
        f"certificates issued: {summary.certificates}",
        f"staff assessed by their unit head: {summary.supervisor_assessed}",
        f"self-assessments: {summary.self_assessed}",
    ]
    return lines + [f"error: {e}" for e in summary.errors]
