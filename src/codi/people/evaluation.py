"""Course evaluation: the reaction (satisfaction 1-5 with a comment) and the learning (pre- and
post-test scores, 0-100) of each participant.

A staff participant rates the course themself; HR over the course (or over the participant's
unit) records what a participant gave on paper (community leaders have no account) and the test
scores. One evaluation per participant: saving again replaces it, every change audited.
``course_summary`` gives the course page the share satisfied (4 or 5 of 5) and the mean gain
from pre- to post-test over the participants with both scores.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from codi.core.audit import audit_record
from codi.people.certificates import can_print
from codi.people.models import Attendance, Course, CourseEvaluation
from codi.people.services import PeopleError

SATISFIED = 4  # 4 or 5 of 5


class EvaluationError(PeopleError):
    def __init__(self, field: str, message_th: str, message_en: str) -> None:
        super().__init__(message_th, message_en)
        self.field = field


def _is_participant(actor: Any, attendance: Attendance) -> bool:
    employee = attendance.employee
    return (
        employee is not None
        and employee.user_id is not None
        and employee.user_id == getattr(actor, "pk", None)
    )


def _is_hr(actor: Any, attendance: Attendance) -> bool:
    return actor is None or (can_print(actor, attendance) and not _is_participant(actor, attendance))


def _rating(value: Any) -> int | None:
    text = str(value if value is not None else "").strip()
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= 5:
        raise EvaluationError("rating", "ระดับความพึงพอใจต้องเป็น 1 ถึง 5", "Satisfaction must be 1 to 5")
    return int(text)


def _score(value: Any, field: str) -> Decimal | None:
    text = str(value if value is not None else "").strip()
    if not text:
        return None
    try:
        score = Decimal(text)
    except InvalidOperation:
        score = Decimal(-1)
    if not score.is_finite() or not 0 <= score <= 100:
        raise EvaluationError(field, "คะแนนต้องอยู่ระหว่าง 0 ถึง 100", "A score is 0 to 100")
    return score.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def evaluation_record(
    *, actor: Any, attendance: Attendance, rating: Any = None, comment: str = "",
    pre_score: Any = None, post_score: Any = None,
) -> CourseEvaluation:  # fmt: skip
    """Save the participant's evaluation; a participant themself may give only the rating and the
    comment (the test scores are HR's)."""
    participant = _is_participant(actor, attendance)
    hr = _is_hr(actor, attendance)
    if not participant and not hr:
        raise PermissionDenied
    values: dict[str, Any] = {"rating": _rating(rating), "comment": (comment or "").strip()[:1000]}
    if hr:
        values["pre_score"] = _score(pre_score, "pre_score")
        values["post_score"] = _score(post_score, "post_score")
    elif str(pre_score or "").strip() or str(post_score or "").strip():
        raise PermissionDenied
    if values["rating"] is None and values.get("pre_score") is None and values.get("post_score") is None:
        raise EvaluationError("rating", "กรุณาให้คะแนนความพึงพอใจหรือคะแนนทดสอบ", "Give a rating or a test score")
    with transaction.atomic():
        row, _created = CourseEvaluation.objects.select_for_update().get_or_create(attendance=attendance)
        before = {k: getattr(row, k) for k in values}
        for key, value in values.items():
            setattr(row, key, value)
        row.save()
        if before != values:
            audit_record(actor=actor, action="people.course_evaluate", object_type="people.Course",
                         object_id=attendance.course_id,
                         changes={"attendance": attendance.pk,
                                  **{k: [str(before[k]), str(v)] for k, v in values.items() if k != "comment"}})  # fmt: skip
    return row


@dataclass(frozen=True)
class CourseSummary:
    participants: int
    rated: int
    satisfied: int
    satisfied_share: float | None  # percent of those who rated
    mean_rating: float | None
    tested: int  # with both scores
    mean_pre: float | None
    mean_post: float | None
    mean_gain: float | None  # points, post minus pre


def _mean(values: list[Decimal]) -> float | None:
    if not values:
        return None
    return float((sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def course_summary(course: Course) -> CourseSummary:
    participants = Attendance.objects.filter(course=course).count()
    rows = list(
        CourseEvaluation.objects.filter(attendance__course=course).values_list(
            "rating", "pre_score", "post_score"
        )
    )
    ratings = [r for r, _p, _q in rows if r is not None]
    satisfied = sum(1 for r in ratings if r >= SATISFIED)
    both = [(p, q) for _r, p, q in rows if p is not None and q is not None]
    return CourseSummary(
        participants=participants,
        rated=len(ratings),
        satisfied=satisfied,
        satisfied_share=round(100 * satisfied / len(ratings), 1) if ratings else None,
        mean_rating=_mean([Decimal(r) for r in ratings]),
        tested=len(both),
        mean_pre=_mean([p for p, _q in both]),
        mean_post=_mean([q for _p, q in both]),
        mean_gain=_mean([q - p for p, q in both]),
    )
