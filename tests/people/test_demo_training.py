from __future__ import annotations

import csv
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from codi.identity.models import OrgUnit, RoleAssignment
from codi.people import training
from codi.people.demo import STAFF_PER_UNIT
from codi.people.models import Attendance, Competency, CourseAudience, Employee, LeaveRequest, PayrollRun
from tests.factories import OrganizationFactory, UserFactory
from tests.people.conftest import hire


def test_pit_calculate_command_writes_the_documented_columns(tmp_path):
    source = tmp_path / "cases.csv"
    source.write_text(
        "case,annual_salary,annual_bonus,sso,pvd,spouse,children_birth_years,parents\n"
        # 600,000 + SSO 10,500 → net 429,500 → 20,450 (see test_tax "sso")
        "a,600000,0,10500,0,0,,0\n"
        # 720,000 + 60,000 bonus, everything → 16,850 (see test_tax "all")
        "b,720000,60000,10500,36000,1,2016;2020,1\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    call_command("pit_calculate", "--input", str(source), "--output", str(out), stdout=StringIO())
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == ["case", "expense_deduction", "allowances", "net_income", "annual_tax"]
    assert [(r["case"], r["net_income"], r["annual_tax"]) for r in rows] == [
        ("a", "429500.00", "20450.00"),
        ("b", "393500.00", "16850.00"),
    ]


def test_progress_equals_counts_from_the_rows(org):
    # FY2570 (Oct 2026 - Sep 2027): 4 staff; 2 apply digital skills at work, 1 of them through the AI course;
    # a third attended without applying it; 3 distinct leaders (one attended twice).
    staff = [hire(org["north"]) for _ in range(4)]
    basics = training.course_create(
        actor=None, title="ดิจิทัลพื้นฐาน", competency=Competency.DIGITAL_LITERACY, audience=CourseAudience.STAFF,
        start_date=date(2026, 11, 1),
    )  # fmt: skip
    ai = training.course_create(
        actor=None,
        title="AI",
        competency=Competency.AI_WORK,
        audience=CourseAudience.STAFF,
        start_date=date(2027, 2, 1),
    )
    leaders = training.course_create(
        actor=None, title="ผู้นำ", competency=Competency.DIGITAL_LITERACY, audience=CourseAudience.LEADERS,
        start_date=date(2027, 3, 1),
    )  # fmt: skip
    training.attendance_record(actor=None, course=basics, employee=staff[0], applies_at_work=True)
    training.attendance_record(actor=None, course=basics, employee=staff[1], applies_at_work=False)
    training.attendance_record(actor=None, course=ai, employee=staff[2], applies_at_work=True)
    for name in ("ก", "ข", "ค"):
        training.attendance_record(actor=None, course=leaders, leader_name=name)
    second = training.course_create(
        actor=None, title="ผู้นำ 2", competency=Competency.AI_WORK, audience=CourseAudience.LEADERS,
        start_date=date(2027, 4, 1),
    )  # fmt: skip
    training.attendance_record(actor=None, course=second, leader_name="ก")
    with pytest.raises(training.PeopleError):
        training.attendance_record(actor=None, course=basics, employee=staff[0])
    rows = {r.indicator: r for r in training.progress(fiscal_year=2570)}
    at_work = (
        Attendance.objects.filter(applies_at_work=True, employee__isnull=False).values("employee").distinct()
    )
    assert rows["digital_at_work"].actual == at_work.count() * 100 / 4 == 50.0
    assert rows["ai_use"].actual == 25.0
    assert rows["leaders_trained"].actual == 3
    assert (rows["digital_at_work"].target, rows["digital_at_work"].met) == (80.0, False)


@pytest.fixture
def demo_world(db, holidays_2026):
    from codi.calendar.services import public_holidays_load

    public_holidays_load(actor=None, years=[2025])
    units = {}
    for code in STAFF_PER_UNIT:
        units[code] = OrgUnit.objects.create(code=code, name_th=f"หน่วย {code}", parent=units.get("HQ"))
    for username, role, unit, scope in [
        ("demo_executive", "executive", "HQ", ("country", "")), ("demo_director", "regional_director", "REG-NE", ("region", "northeast")),
        ("demo_officer", "project_officer", "REG-NE", ("province", "40")), ("demo_hr", "hr_officer", "HQ-HR", ("country", "")),
        ("demo_finance", "finance_officer", "HQ-FIN", ("country", "")),
    ]:  # fmt: skip
        user = UserFactory(username=username, org_unit=units[unit])
        RoleAssignment.objects.create(user=user, role=role, scope_level=scope[0], scope_code=scope[1])
    # community organizations in the registry: Khon Kaen (northeast) and Chiang Mai (north)
    OrganizationFactory(subdistrict_id="400101")
    OrganizationFactory(subdistrict_id="500101")


def test_load_people_demo_output_and_idempotence(demo_world):
    out = StringIO()
    call_command("load_people_demo", stdout=out, stderr=out)
    text = out.getvalue()
    assert f"employees created: {sum(STAFF_PER_UNIT.values())}" in text
    assert "error" not in text
    assert Employee.objects.filter(is_demo=True).count() == 1000  # the "about 1,000 employees"
    assert PayrollRun.objects.get(is_demo=True).employee_count == 1000
    # every demo account linked to its record, the heads marked
    assert Employee.objects.get(user__username="demo_officer").org_unit.code == "REG-NE"
    statuses = sorted(LeaveRequest.objects.values_list("status", flat=True))
    assert set(statuses) >= {"supervisor", "hr", "approved", "rejected"}
    run = PayrollRun.objects.get()
    assert run.status == "approved" and run.journal_entry_number in text
    assert Employee.objects.get(user__username="demo_director").is_unit_head
    # the regional office's staff work in its region; the leaders come from registry organizations
    assert set(Employee.objects.filter(org_unit__code="REG-NE").values_list("region", flat=True)) == {
        "northeast"
    }
    leaders = Attendance.objects.filter(course__audience=CourseAudience.LEADERS).select_related(
        "course__org_unit"
    )
    assert leaders.count() == 40 and {a.course.org_unit.code for a in leaders} == {"REG-NE"}
    assert {(a.organization_name != "", a.region) for a in leaders} == {(True, "northeast"), (True, "north")}
    year = training.current_fiscal_year()
    assert training.actuals(year)["orgs_digital"] == 2
    again = StringIO()
    call_command("load_people_demo", stdout=again, stderr=again)
    assert "employees created: 0" in again.getvalue() and PayrollRun.objects.count() == 1
