"""Reads for the course pages: which courses and participants an actor may see.

HR (``Perm.PEOPLE_VIEW``) sees the courses run by a unit of their scope or attended by its staff,
and, in a course, the community leaders of a course run in scope and the staff of their scope; a
staff member sees the courses they attended and only their own row.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from codi.identity.roles import Perm
from codi.people.models import Attendance, Course
from codi.people.selectors import hr_unit_scope, own_employee


def course_list(*, actor: Any) -> QuerySet[Course]:
    units = hr_unit_scope(actor, Perm.PEOPLE_VIEW)
    if units is None:
        return Course.objects.all()
    condition = Q(pk__in=[])
    if units:
        condition |= Q(org_unit_id__in=units) | Q(attendances__employee__org_unit_id__in=units)
    own = own_employee(actor)
    if own is not None:
        condition |= Q(attendances__employee=own)
    return Course.objects.filter(condition).distinct()


def course_get(*, actor: Any, course_id: int) -> Course | None:
    return course_list(actor=actor).filter(pk=course_id).first()


def participants(*, actor: Any, course: Course) -> QuerySet[Attendance]:
    rows = Attendance.objects.filter(course=course).select_related("employee", "certificate", "evaluation")
    units = hr_unit_scope(actor, Perm.PEOPLE_VIEW)
    if units is None:
        return rows
    condition = Q(pk__in=[])
    if units:
        condition |= Q(employee__org_unit_id__in=units)
        if course.org_unit_id in units:
            condition |= Q(employee__isnull=True)
    own = own_employee(actor)
    if own is not None:
        condition |= Q(employee=own)
    return rows.filter(condition)


def participant_get(*, actor: Any, attendance_id: int) -> Attendance | None:
    row = Attendance.objects.select_related("course", "employee").filter(pk=attendance_id).first()
    if row is None or not participants(actor=actor, course=row.course).filter(pk=row.pk).exists():
        return None
    return row
