"""The competency dashboard (page and Excel export) shows the counts one gets from the rows.

The expected figures are counted here in Python from the attendance, course and employee rows
themselves (sets of ids and names per fiscal year), not through ``training.actuals``.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from openpyxl import load_workbook

from codi.areas.models import Region
from codi.communities.models import Organization
from codi.people import kpi, training
from codi.people.models import Attendance, Competency, CompetencyTarget, CourseAudience, Employee
from codi.people.services import PeopleError
from tests.factories import OrganizationFactory
from tests.people.conftest import hire, make_user
from tests.permissions import signed_in_client


def _fiscal_year_be(day: date) -> int:
    return day.year + 543 + (1 if day.month >= 10 else 0)


def _expected(year_be: int) -> dict[str, float]:
    staff = Employee.objects.count()  # everyone here was hired in 2020 and is still employed
    at_work: set[int] = set()
    ai: set[int] = set()
    leaders: set[str] = set()
    orgs: set[int] = set()
    for row in Attendance.objects.select_related("course"):
        if _fiscal_year_be(row.course.start_date) != year_be or not row.completed:
            continue
        if row.course.audience == CourseAudience.LEADERS:
            leaders.add(row.leader_name)
            if row.organization_id is not None:
                orgs.add(row.organization_id)
        elif row.applies_at_work:
            at_work.add(row.employee_id)
            if row.course.competency == Competency.AI_WORK:
                ai.add(row.employee_id)
    return {
        "digital_at_work": round(100 * len(at_work) / staff, 2),
        "ai_use": round(100 * len(ai) / staff, 2),
        "leaders_trained": float(len(leaders)),
        "orgs_digital": float(len(orgs)),
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
    assert expected == {"digital_at_work": 50.0, "ai_use": 25.0, "leaders_trained": 4.0, "orgs_digital": 0.0}

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


def _rows_by(sheet, year_be: int) -> dict[tuple[str, str], tuple[Any, float, int, Any]]:
    """(indicator name, group) → (target, actual, count, base) from an export sheet."""
    return {
        (row[1], row[2]): (row[3], float(row[4]), int(row[5]), row[6])
        for row in sheet.iter_rows(min_row=2, values_only=True)
        if int(row[0]) == year_be
    }


def test_organizations_using_digital_tools_and_the_breakdown_by_region_and_unit(org):
    from codi.areas.models import Province

    north_staff = [hire(org["north"], region="north") for _ in range(3)]
    south_staff = [hire(org["south"], region="south") for _ in range(2)]
    head_office = [hire(org["hr"]) for _ in range(1)]
    khon_kaen, chiang_mai, no_leader = (
        OrganizationFactory(subdistrict_id="400101"),
        OrganizationFactory(subdistrict_id="500101"),
        OrganizationFactory(subdistrict_id="400101"),
    )

    def course(title, competency, audience, unit=None):
        return training.course_create(
            actor=None, title=title, competency=competency, audience=audience, start_date=date(2027, 2, 1),
            org_unit=unit,
        )  # fmt: skip

    basics = course("ดิจิทัลพื้นฐาน", Competency.DIGITAL_LITERACY, CourseAudience.STAFF)
    ai = course("AI เพื่อการทำงาน", Competency.AI_WORK, CourseAudience.STAFF)
    leaders_n = course("ผู้นำดิจิทัล ภาคเหนือ", Competency.DIGITAL_LITERACY, CourseAudience.LEADERS, org["north"])
    leaders_s = course("ผู้นำดิจิทัล ภาคใต้", Competency.DIGITAL_LITERACY, CourseAudience.LEADERS, org["south"])
    for person in (north_staff[0], north_staff[1], south_staff[0], head_office[0]):
        training.attendance_record(actor=None, course=basics, employee=person, applies_at_work=True)
    training.attendance_record(actor=None, course=basics, employee=south_staff[1], applies_at_work=False)
    training.attendance_record(actor=None, course=ai, employee=north_staff[0], applies_at_work=True)
    # two leaders of one organization, one of another, one leader without an organization
    for course_, name, organization in (
        (leaders_n, "นางคำ", chiang_mai), (leaders_n, "นายแก้ว", chiang_mai), (leaders_s, "นางดาว", khon_kaen),
        (leaders_s, "นายเดือน", None),
    ):  # fmt: skip
        training.attendance_record(actor=None, course=course_, leader_name=name, organization=organization)
    with pytest.raises(PeopleError):  # a staff member comes from no community organization
        training.attendance_record(actor=None, course=basics, employee=north_staff[2], organization=no_leader)

    # counted from the rows: the organizations of completed leaders' attendance in FY2570, their
    # regions from the registry's province → region table
    region_of = dict(Province.objects.values_list("code", "region_id"))
    orgs_by_region: dict[str, set[int]] = {}
    orgs_by_unit: dict[str, set[int]] = {}
    for row in Attendance.objects.select_related("course__org_unit").filter(organization_id__isnull=False):
        assert (
            row.region == region_of[str(Organization.objects.get(pk=row.organization_id).subdistrict_id)[:2]]
        )
        orgs_by_region.setdefault(row.region, set()).add(row.organization_id)
        orgs_by_unit.setdefault(row.course.org_unit.name_th, set()).add(row.organization_id)
    assert sum(len(v) for v in orgs_by_region.values()) == 2 == training.actuals(2570)["orgs_digital"]

    staff_by_region: dict[str, set[int]] = {}
    for e in Employee.objects.all():
        staff_by_region.setdefault(e.region, set()).add(e.pk)
    at_work = {a.employee_id for a in Attendance.objects.filter(employee__isnull=False, applies_at_work=True)}

    client = signed_in_client(make_user("hr_officer"))
    export = client.get("/people/competency/?format=xlsx&year=2570")
    book = load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    assert [s.title for s in book.worksheets] == ["เป้าหมาย", "รายภาค", "รายหน่วยงาน"]
    names = {t.indicator: t.name_th for t in training.progress(fiscal_year=2570)}
    assert "orgs_digital" in names
    by_region, by_unit = _rows_by(book.worksheets[1], 2570), _rows_by(book.worksheets[2], 2570)
    region_names = dict(Region.objects.values_list("code", "name_th"))
    for code, orgs in orgs_by_region.items():
        assert by_region[(names["orgs_digital"], region_names[code])] == (
            None,
            float(len(orgs)),
            len(orgs),
            None,
        )
    for unit_name, orgs in orgs_by_unit.items():
        assert by_unit[(names["orgs_digital"], unit_name)][2] == len(orgs)
    # leaders by the unit that ran the course: 2 in the north's, 2 in the south's
    assert by_unit[(names["leaders_trained"], org["north"].name_th)][2] == 2
    assert by_unit[(names["leaders_trained"], org["south"].name_th)][2] == 2
    # staff at work by region: counted from the rows, a share of that region's staff; target the year's %
    target = float(CompetencyTarget.objects.get(fiscal_year=2570, indicator="digital_at_work").target)
    for code, people in staff_by_region.items():
        label = region_names.get(code, kpi.HEAD_OFFICE)
        counted = len(people & at_work)
        assert by_region[(names["digital_at_work"], label)] == (
            target,
            round(100 * counted / len(people), 1),
            counted,
            len(people),
        )
    # by hand: north 2 of 3, south 1 of 2, head office 1 of 1
    assert by_region[(names["digital_at_work"], region_names["north"])][1:3] == (66.7, 2)
    assert by_region[(names["digital_at_work"], kpi.HEAD_OFFICE)][1:3] == (100.0, 1)

    page = client.get("/people/competency/?year=2570").content.decode()
    assert 'id="by-region"' in page and 'id="by-unit"' in page
    assert f'data-indicator="orgs_digital" data-group="{region_of["50"]}"' in page
    assert "องค์กรชุมชน" in page  # the definition is on the page

    outsider = signed_in_client(make_user())
    assert outsider.get("/people/competency/?year=2570").status_code == 403
    assert outsider.get("/people/competency/?format=xlsx&year=2570").status_code == 403
