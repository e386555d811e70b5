"""The employee's birth date: encrypted at rest, masked, the unmasked view audited; dependants that
contradict it (a child born before the employee, a parent after) refused beside the field."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse

from codi.core.models import AuditEntry
from codi.people import birth, demo, importing, selfservice, services
from codi.people.models import Employee, ProfileChange
from tests.people.conftest import hire, national_id
from tests.permissions import signed_in_client


def test_birth_date_is_encrypted_masked_and_its_view_audited(staff, org):
    employee = hire(org["north"], birth_date=date(1985, 6, 15))
    with connection.cursor() as cursor:
        cursor.execute("SELECT birth_date FROM people_employee WHERE id = %s", [employee.pk])
        raw = cursor.fetchone()[0]
    assert "1985" not in raw and raw.startswith("gAAAA")
    assert employee.birth_date_masked == "xx/xx/2528"
    created = AuditEntry.objects.get(action="people.employee_create", object_id=str(employee.pk))
    assert "1985-06-15" not in str(created.changes)
    with pytest.raises(PermissionDenied):
        services.employee_reveal(actor=staff["south"].user, employee=employee)
    shown = services.employee_reveal(actor=staff["hr_all"], employee=employee)
    assert shown["birth_date"] == date(1985, 6, 15)
    read = AuditEntry.objects.get(action="personal_data.view", object_id=str(employee.pk))
    assert "birth_date" in read.changes["fields"]


@pytest.mark.parametrize(
    "children,born,refused",
    [
        ("1980", date(1985, 1, 1), True),  # the child is older than the employee
        ("1985", date(1985, 1, 1), True),  # the same year
        ("1996", date(1985, 1, 1), True),  # eleven years after: under the 12-year gap
        ("1997", date(1985, 1, 1), False),  # twelve years after: accepted
        ("1980", None, False),  # no birth date recorded: nothing to check against
    ],
)
def test_a_child_born_before_the_employee_is_refused(org, children, born, refused):
    if refused:
        with pytest.raises(services.PeopleError) as exc:
            hire(org["north"], birth_date=born, children_birth_years=children)
        assert exc.value.field == "children_birth_years" and "child" in exc.value.message_en
        assert not Employee.objects.exists()
    else:
        assert (
            hire(org["north"], birth_date=born, children_birth_years=children).children_birth_years
            == children
        )


def test_birth_date_itself_is_checked(org):
    with pytest.raises(services.PeopleError) as exc:  # 14 on the start date (2020-01-01)
        hire(org["north"], birth_date=date(2005, 6, 1))
    assert exc.value.field == "birth_date" and "s.44" in exc.value.message_en
    with pytest.raises(services.PeopleError):
        hire(org["north"], birth_date="31/02/2528")
    assert hire(org["north"], birth_date="15/06/2528").birth_date_masked == "xx/xx/2528"


def test_self_service_dependants_are_checked_against_the_birth_date(staff):
    north = staff["north"]
    north.birth_date, north.birth_date_masked = "1985-06-15", "xx/xx/2528"
    north.save()
    bad_child = {"children": "ด.ช. ข้าวหอม, 2523"}  # B.E. 2523 = 1980, before the employee
    with pytest.raises(services.PeopleError) as exc:
        selfservice.change_submit(actor=north.user, kind="dependants", values=bad_child)
    assert exc.value.field == "children"
    bad_parent = {"parents": "นายพ่อ ใจดี, 1990"}
    with pytest.raises(services.PeopleError) as exc:
        selfservice.change_submit(actor=north.user, kind="dependants", values=bad_parent)
    assert exc.value.field == "parents" and "parent" in exc.value.message_en
    assert not ProfileChange.objects.exists()
    good = {"children": "ด.ช. ข้าวหอม, 2015", "parents": "นายพ่อ ใจดี, 1955\nนางแม่ ใจดี"}
    change = selfservice.change_submit(actor=north.user, kind="dependants", values=good)
    assert change.proposed_masked == "บุตร 1 คน (2015) · บิดามารดา 2 คน"


def test_dependants_page_shows_the_error_beside_the_field_and_keeps_the_input(staff):
    north = staff["north"]
    north.birth_date, north.birth_date_masked = "1985-06-15", "xx/xx/2528"
    north.save()
    client = signed_in_client(north.user)
    response = client.post(
        reverse("people:my_changes"), {"kind": "dependants", "children": "", "parents": "นายพ่อ, 1990"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    field_at, error_at = html.index('id="parents"'), html.index('id="dependants-error"')
    assert field_at < error_at and "นายพ่อ, 1990" in html[field_at:error_at]


def test_hr_records_the_birth_date_checked_against_the_children(staff):
    north = staff["north"]
    Employee.objects.filter(pk=north.pk).update(children_birth_years="2000")
    url = reverse("people:employee_birth_date", args=[north.pk])
    # the employee themself and HR of another scope are refused
    assert signed_in_client(north.user).post(url, {"birth_date": "1980-01-01"}).status_code in (403, 404)
    assert signed_in_client(staff["outsider"]).post(url, {"birth_date": "1980-01-01"}).status_code in (
        403,
        404,
    )
    hr = signed_in_client(staff["hr_all"])
    response = hr.post(url, {"birth_date": "1995-01-01"})  # born after the child of 2000 − 12
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="b-d-error"' in html and 'value="1995-01-01"' in html
    assert Employee.objects.get(pk=north.pk).birth_date == ""
    assert hr.post(url, {"birth_date": "1980-01-01"}).status_code == 302
    saved = Employee.objects.get(pk=north.pk)
    assert (saved.birth_date, saved.birth_date_masked) == ("1980-01-01", "xx/xx/2523")
    entry = AuditEntry.objects.get(action="people.birth_date_set", object_id=str(north.pk))
    assert "1980-01-01" not in str(entry.changes)


def test_new_employee_page_shows_the_error_beside_the_field(staff, org):
    hr = signed_in_client(staff["hr_all"])
    form = {
        "employee_no": "N1", "first_name_th": "ก", "last_name_th": "ข", "position": "นักพัฒนา",
        "org_unit": org["north"].pk, "salary": "30000", "start_date": "2020-01-01",
        "national_id": national_id(9001), "bank_code": "006", "bank_account": "1234567890",
        "birth_date": "1990-01-01", "children_birth_years": "1989",
    }  # fmt: skip
    html = hr.post(reverse("people:employee_new"), form).content.decode()
    assert 'id="f-kids-error"' in html and 'value="1989"' in html and 'value="1990-01-01"' in html
    assert not Employee.objects.filter(employee_no="N1").exists()


def test_import_and_demo_rows_carry_the_birth_date(org):
    rows = demo.employee_rows(3, ["R-N"], prefix="T")
    assert all(isinstance(r["birth_date"], date) for _line, r in rows)
    rows[0][1]["children_birth_years"] = str(rows[0][1]["birth_date"].year - 1)
    report = importing.employee_rows_apply(actor=None, rows=rows)
    assert [e.column for e in report.errors] == ["children_birth_years"] and not Employee.objects.exists()
    rows[0][1]["children_birth_years"] = ""
    report = importing.employee_rows_apply(actor=None, rows=rows)
    assert report.created == 3
    first = Employee.objects.get(employee_no="T00001")
    assert birth.year_of(first) == rows[0][1]["birth_date"].year
    assert first.birth_date_masked == f"xx/xx/{rows[0][1]['birth_date'].year + 543}"
