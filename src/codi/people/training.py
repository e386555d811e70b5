"""Training and digital competency: courses, attendance, and progress against the plan's targets.

The digital action plan (FY2568-2570) sets, for each fiscal year: the share of staff who apply
digital skills at work (20 / 50 / 80 %), the share of staff using AI for content and work (over
10 % in FY2568, rising), community leaders trained in digital skills (500 a year) and "+2,500
community organizations using digital tools". ``progress`` counts them from the attendance rows: a
staff member counts once a year when they completed a staff course that year and apply the skill
at work (AI use: an AI course), or, where their unit head assessed them for the year, when the head
put them at level 3 or above (``codi.people.supervisor``); a leader counts once a year per name; an organization counts once
a year when at least one of its leaders completed a leaders' digital course that year (the
organization is picked from the communities registry when the attendance is recorded). The
breakdown by CODI region and by unit is ``codi.people.kpi``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from codi.areas.selectors import province_region_code
from codi.core.audit import audit_record
from codi.core.thaidate import fiscal_year_be
from codi.identity.roles import Perm
from codi.people import certificate_mail
from codi.people.models import (
    Attendance,
    Competency,
    CompetencyTarget,
    Course,
    CourseAudience,
    Employee,
)
from codi.people.selectors import can_manage, hr_unit_scope
from codi.people.services import PeopleError
from codi.people.supervisor import confirmed as supervisor_confirmed

MAX_HOURS = 500


def _fy_bounds(year_be: int) -> tuple[date, date]:
    ad = year_be - 543
    return date(ad - 1, 10, 1), date(ad, 9, 30)


def course_create(
    *,
    actor: Any,
    title: str,
    competency: str,
    audience: str,
    start_date: date,
    hours: int = 6,
    org_unit: Any = None,
    is_demo: bool = False,
) -> Course:
    if actor is not None and hr_unit_scope(actor) == set():
        raise PermissionDenied
    if not title.strip() or competency not in Competency.values or audience not in CourseAudience.values:
        field = (
            "title"
            if not title.strip()
            else "competency"
            if competency not in Competency.values
            else "audience"
        )
        raise PeopleError(
            "กรุณาระบุชื่อหลักสูตร สมรรถนะ และกลุ่มเป้าหมาย",
            "Title, competency and audience are required",
            field=field,
        )
    if len(title.strip()) > 200:
        raise PeopleError("ชื่อหลักสูตรยาวไม่เกิน 200 ตัวอักษร", "A title has at most 200 characters", field="title")
    if not 1 <= hours <= MAX_HOURS:
        raise PeopleError(
            f"จำนวนชั่วโมงต้องอยู่ระหว่าง 1 ถึง {MAX_HOURS}", f"Hours are from 1 to {MAX_HOURS}", field="hours"
        )
    if actor is not None:  # run by a unit the HR officer manages (country-wide HR: any, or none)
        units = hr_unit_scope(actor, Perm.PEOPLE_MANAGE)
        if units is not None and (org_unit is None or org_unit.pk not in units):
            raise PeopleError(
                "เลือกหน่วยงานที่จัดอบรมในขอบเขตของท่าน",
                "Choose the unit running the course, in your scope",
                field="org_unit",
            )
    with transaction.atomic():
        course = Course.objects.create(
            title=title.strip(), competency=competency, audience=audience, start_date=start_date, hours=hours,
            org_unit=org_unit, is_demo=is_demo,
        )  # fmt: skip
        audit_record(actor=actor, action="people.course_create", object_type="people.Course", object_id=course.pk,
                     changes={"title": course.title, "audience": audience})  # fmt: skip
    return course


def attendance_record(
    *, actor: Any, course: Course, employee: Employee | None = None, leader_name: str = "",
    applies_at_work: bool = False, organization: Any = None,
) -> Attendance:  # fmt: skip
    """A participant who completed the course: a staff member (staff courses) or a leader (by name,
    with the community organization they come from: a registry ``Organization`` the caller got
    through ``codi.communities.selectors`` in its own scope)."""
    if course.audience == CourseAudience.STAFF:
        if employee is None or leader_name:
            raise PeopleError("หลักสูตรสำหรับบุคลากรต้องระบุพนักงาน", "A staff course records an employee")
        if actor is not None and not can_manage(actor, employee):
            raise PermissionDenied
    elif employee is not None or not leader_name.strip():
        raise PeopleError("หลักสูตรผู้นำชุมชนต้องระบุชื่อผู้นำ", "A leaders' course records the leader's name")
    if organization is not None and course.audience != CourseAudience.LEADERS:
        raise PeopleError("ระบุองค์กรชุมชนได้เฉพาะผู้นำชุมชน", "Only a community leader comes from an organization")
    org = _organization(organization)
    with transaction.atomic():
        if employee is not None and Attendance.objects.filter(course=course, employee=employee).exists():
            raise PeopleError("บันทึกผู้เข้าอบรมคนนี้แล้ว", "This participant is already recorded")
        row = Attendance.objects.create(
            course=course, employee=employee, leader_name=leader_name.strip(), applies_at_work=applies_at_work,
            **org,
        )  # fmt: skip
        audit_record(actor=actor, action="people.attendance_record", object_type="people.Course",
                     object_id=course.pk, changes={"attendance": row.pk})  # fmt: skip
        certificate_mail.certificate_email(attendance=row)
    return row


def _organization(organization: Any) -> dict[str, Any]:
    """The organization's id, name and CODI region (from its subdistrict's province), as recorded."""
    if organization is None:
        return {}
    province = str(organization.subdistrict_id or "")[:2]
    region = province_region_code(province_code=province) if province else None
    return {
        "organization_id": organization.pk,
        "organization_name": organization.name_th[:255],
        "region": region or "",
    }


def attendance_record_many(*, actor: Any, course: Course, participants: list[tuple[Employee, bool]]) -> int:
    """Staff who completed a staff course, in bulk (a class list): (employee, applies at work)
    pairs; those already recorded are skipped; one audit entry."""
    if course.audience != CourseAudience.STAFF:
        raise PeopleError("หลักสูตรสำหรับบุคลากรต้องระบุพนักงาน", "A staff course records employees")
    if actor is not None and not all(can_manage(actor, e) for e, _a in participants):
        raise PermissionDenied
    with transaction.atomic():
        done = set(Attendance.objects.filter(course=course).values_list("employee_id", flat=True))
        rows = [
            Attendance(course=course, employee=e, applies_at_work=applies)
            for e, applies in participants
            if e.pk not in done
        ]
        Attendance.objects.bulk_create(rows, batch_size=1000)
        audit_record(actor=actor, action="people.attendance_record", object_type="people.Course",
                     object_id=course.pk, changes={"attendances": len(rows)})  # fmt: skip
        created = Attendance.objects.filter(course=course, employee__in=[r.employee for r in rows])
        for row in created.select_related("course", "employee", "employee__user"):
            certificate_mail.certificate_email(attendance=row)
    return len(rows)


@dataclass(frozen=True)
class Progress:
    fiscal_year: int
    indicator: str
    name_th: str
    target: float
    actual: float
    unit: str

    @property
    def met(self) -> bool:
        return self.actual >= self.target


def _percent(part: int, whole: int) -> float:
    if whole == 0:
        return 0.0
    return float((Decimal(part * 100) / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def actuals(year_be: int) -> dict[str, float]:
    start, end = _fy_bounds(year_be)
    staff = Employee.objects.filter(start_date__lte=end).exclude(end_date__lt=start).count()
    done = Attendance.objects.filter(completed=True, course__start_date__range=(start, end))
    at_work_ids = set(
        done.filter(course__audience=CourseAudience.STAFF, applies_at_work=True, employee__isnull=False)
        .values_list("employee_id", flat=True)
    )  # fmt: skip
    ai_ids = set(
        done.filter(course__audience=CourseAudience.STAFF, course__competency=Competency.AI_WORK,
                    applies_at_work=True, employee__isnull=False)
        .values_list("employee_id", flat=True)
    )  # fmt: skip
    # the supervisor's confirmed level counts where there is one (``codi.people.supervisor``)
    at_work_ids, ai_ids = supervisor_confirmed(year_be, at_work_ids, ai_ids)
    at_work, ai = len(at_work_ids), len(ai_ids)
    leaders_done = done.filter(course__audience=CourseAudience.LEADERS)
    leaders = leaders_done.values("leader_name").distinct().count()
    orgs = leaders_done.filter(organization_id__isnull=False).values("organization_id").distinct().count()
    return {
        "digital_at_work": _percent(at_work, staff),
        "ai_use": _percent(ai, staff),
        "leaders_trained": leaders,
        "orgs_digital": orgs,
    }


def progress(*, fiscal_year: int | None = None) -> list[Progress]:
    """Each target of the year(s) with its actual value counted from the rows."""
    rows = CompetencyTarget.objects.all()
    if fiscal_year:
        rows = rows.filter(fiscal_year=fiscal_year)
    cache: dict[int, dict[str, float]] = {}
    out = []
    for target in rows.order_by("fiscal_year", "indicator"):
        values = cache.setdefault(target.fiscal_year, actuals(target.fiscal_year))
        out.append(
            Progress(
                target.fiscal_year,
                target.indicator,
                target.name_th,
                float(target.target),
                float(values.get(target.indicator, 0)),
                target.unit,
            )
        )
    return out


def current_fiscal_year(today: date | None = None) -> int:
    return fiscal_year_be(today or date.today())
