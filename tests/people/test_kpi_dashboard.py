"""The competency dashboard (page and Excel export) shows the counts one gets from the rows.

The expected figures are counted here in Python from the attendance, course and employee rows
themselves (sets of ids and names per fiscal year), not through ``training.actuals``.
"""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook

from codi.people import training
from codi.people.models import Attendance, Competency, CourseAudience, Employee
from tests.people.conftest import hire, make_user
from tests.permissions import signed_in_client


def _fiscal_year_be(day: date) -> int:
    return day.year + 543 + (1 if day.month >= 10 else 0)


def _expected(year_be: int) -> dict[str, float]:
    staff = Employee.objects.count()  # everyone here was hired in 2020 and is still employed
    at_work: set[int] = set()
    ai: set[int] = set()
    leaders: set[str] = set()
    for row in Attendance.objects.select_related("course"):
        if _fiscal_year_be(row.course.start_date) != year_be or not row.completed:
            continue
        if row.course.audience == CourseAudience.LEADERS:
            leaders.add(row.leader_name)
        elif row.applies_at_work:
            at_work.add(row.employee_id)
            if row.course.competency == Competency.AI_WORK:
                ai.add(row.employee_id)
    return {
        "digital_at_work": round(100 * len(at_work) / staff, 2),
        "ai_use": round(100 * len(ai) / staff, 2),
        "leaders_trained": float(len(leaders)),
    }


def test_dashboard_numbers_equal_counts_from_the_rows(org):
    staff = [hire(org["north"] if i % 2 else org["south"]) for i in range(8)]

    def course(title, competency, audience, day):
        return training.course_create(
            actor=None, title=title, competency=competency, audience=audience, start_date=day
        )

    # FY2570 (1 Oct 2026 - 30 Sep 2027)
    basics = course("ดิจิทัลพื้นฐาน", Competency.DIGITAL_LITERACY, CourseAudience.STAFF, date(2026, 10, 1))
    ai = course("AI เพื่อการทำงาน", Competency.AI_WORK, CourseAudience.STAFF, date(2027, 9, 30))
    leaders = course("ผู้นำดิจิทัล", Competency.DIGITAL_LITERACY, CourseAudience.LEADERS, date(2027, 1, 15))
    # FY2569: must not count in 2570
    earlier = course("ดิจิทัล 2569", Competency.DIGITAL_LITERACY, CourseAudience.STAFF, date(2026, 9, 30))
    for person, applies in zip(staff[:5], (True, True, True, False, False), strict=True):
        training.attendance_record(actor=None, course=basics, employee=person, applies_at_work=applies)
    for person, applies in ((staff[0], True), (staff[5], True), (staff[6], False)):
        training.attendance_record(actor=None, course=ai, employee=person, applies_at_work=applies)
    training.attendance_record(actor=None, course=earlier, employee=staff[7], applies_at_work=True)
    for name in ("นางสมศรี", "นายบุญมี", "นางสมศรี2", "นายทองดี"):
        training.attendance_record(actor=None, course=leaders, leader_name=name)

    expected = _expected(2570)
    # by hand: at work {0,1,2,5} = 4 of 8 = 50 %; AI {0,5} = 2 of 8 = 25 %; 4 leaders
    assert expected == {"digital_at_work": 50.0, "ai_use": 25.0, "leaders_trained": 4.0}

    client = signed_in_client(make_user("hr_officer"))
    export = client.get("/people/competency/?format=xlsx")
    book = load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    sheet = book.worksheets[0]
    names = {t.name_th: t.indicator for t in training.progress(fiscal_year=2570)}
    shown = {
        names[row[1]]: float(row[3])
        for row in sheet.iter_rows(min_row=2, values_only=True)
        if int(row[0]) == 2570 and row[1] in names
    }
    assert shown == expected

    page = client.get("/people/competency/").content.decode()
    for row in training.progress(fiscal_year=2570):
        assert f'aria-label="{row.actual} / {row.target}"' in page
    assert {r.indicator: r.actual for r in training.progress(fiscal_year=2570)} == expected

    # an outsider (no HR role) is refused the dashboard and its export
    outsider = signed_in_client(make_user())
    assert outsider.get("/people/competency/").status_code == 403
    assert outsider.get("/people/competency/?format=xlsx").status_code == 403
