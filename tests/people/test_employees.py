from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from codi.core.models import AuditEntry
from codi.core.personaldata import Subject, collector
from codi.people import selectors, services
from codi.people.models import Employee, SalaryChange
from tests.people.conftest import hire, national_id
from tests.permissions import signed_in_client


def test_personal_data_is_encrypted_at_rest_and_masked(org):
    employee = hire(org["north"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT national_id, bank_account FROM people_employee WHERE id = %s", [employee.pk])
        raw_nid, raw_account = cursor.fetchone()
    assert employee.national_id not in raw_nid and raw_nid.startswith("gAAAA")
    assert employee.bank_account not in raw_account
    assert (
        employee.national_id_masked
        == f"{employee.national_id[0]}-{employee.national_id[1:5]}-xxxxx-xx-{employee.national_id[12]}"
    )
    assert (
        employee.bank_account_masked.endswith(employee.bank_account[-4:])
        and "x" in employee.bank_account_masked
    )
    assert SalaryChange.objects.filter(employee=employee).count() == 1
    created = AuditEntry.objects.filter(action="people.employee_create", object_id=str(employee.pk)).get()
    assert employee.national_id not in str(created.changes)


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("national_id", "1234567890123", "National ID"),
        ("bank_account", "12-34", "bank account"),
        ("children_birth_years", "20x5", "Gregorian"),
        ("salary", "-1", "negative"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(org, field, value, message):
    values = {
        "employee_no": "E1", "first_name_th": "ก", "last_name_th": "ข", "position": "พนักงาน", "org_unit": org["north"],
        "salary": "1000", "start_date": date(2024, 1, 1), "national_id": national_id(77), "bank_code": "006",
        "bank_account": "1234567890",
    }  # fmt: skip
    values[field] = value
    with pytest.raises(services.PeopleError) as caught:
        services.employee_create(actor=None, **values)
    assert message in caught.value.message_en
    assert not Employee.objects.exists()


def test_duplicate_national_id_is_refused(org):
    first = hire(org["north"])
    with pytest.raises(services.PeopleError):
        services.employee_create(
            actor=None, employee_no="X9", first_name_th="ก", last_name_th="ข", position="พนักงาน",
            org_unit=org["north"], salary="1000", start_date=date(2024, 1, 1), national_id=first.national_id,
            bank_code="006", bank_account="1234567890",
        )  # fmt: skip


def test_scope_employee_sees_self_hr_sees_unit_subtree(staff, org):
    north, south = staff["north"], staff["south"]
    assert list(selectors.employee_list(actor=north.user)) == [north]
    assert set(selectors.employee_list(actor=staff["hr_north"])) == {north, staff["head"]}
    assert set(selectors.employee_list(actor=staff["hr_all"])) == {north, staff["head"], south}
    assert list(selectors.employee_list(actor=staff["outsider"])) == []


def test_unmasked_view_is_for_self_or_hr_in_scope_and_audited(staff):
    south = staff["south"]
    with pytest.raises(PermissionDenied):
        services.employee_reveal(actor=staff["hr_north"], employee=south)
    with pytest.raises(PermissionDenied):
        services.employee_reveal(actor=staff["north"].user, employee=south)
    shown = services.employee_reveal(actor=staff["hr_all"], employee=south)
    assert shown["national_id"] == south.national_id
    entry = AuditEntry.objects.filter(action="personal_data.view", object_id=str(south.pk)).get()
    assert entry.actor_id == staff["hr_all"].pk and entry.changes == {
        "fields": ["bank_account", "birth_date", "national_id"]
    }
    assert services.employee_reveal(actor=south.user, employee=south)["bank_account"] == south.bank_account


def test_salary_change_keeps_history_and_needs_scope(staff):
    with pytest.raises(PermissionDenied):
        services.employee_salary_change(
            actor=staff["hr_north"],
            employee=staff["south"],
            salary="31000",
            effective_date=date(2026, 10, 1),
            reason="เลื่อนขั้น",
        )
    services.employee_salary_change(
        actor=staff["hr_north"],
        employee=staff["north"],
        salary="31000",
        effective_date=date(2026, 10, 1),
        reason="เลื่อนขั้น",
    )
    assert list(SalaryChange.objects.filter(employee=staff["north"]).values_list("salary", flat=True)) == [
        31000,
        30000,
    ]


def test_privacy_collector_finds_the_employee_by_national_id(staff):
    from types import SimpleNamespace

    north = staff["north"]
    person = SimpleNamespace(
        national_id=north.national_id, phone="", first_name_th="x", last_name_th="y", address=""
    )
    subject = Subject(person=person, national_id=north.national_id, phone="")
    people = collector("people")
    found = people.collect(subject)
    assert found["people.Employee"][0]["employee_no"] == north.employee_no
    outcome = people.erase(subject, dry_run=True)
    assert [o.action for o in outcome] == ["keep"] and people.retained_by(subject) == "official_record"


def test_new_employee_page_shows_each_field_error_beside_its_field_with_the_inputs_kept(staff, org):
    form = {
        "employee_no": "N7", "first_name_th": "มานี", "last_name_th": "มีนา", "position": "นักพัฒนาชุมชน",
        "org_unit": org["north"].pk, "salary": "30000.555", "start_date": "2026-01-05",
        "national_id": national_id(9007), "bank_code": "006", "bank_account": "12-34", "pvd_rate": "3",
    }  # fmt: skip
    page = signed_in_client(staff["hr_all"]).post("/people/employees/new/", form)
    html = page.content.decode()
    assert page.status_code == 200 and not Employee.objects.filter(employee_no="N7").exists()
    # each refusal in a span right after its own input, which points at it and keeps the value typed
    assert re.search(r'name="salary" value="30000.555"[^>]*aria-describedby="f-sal-error"><span class="error" '
                     r'id="f-sal-error" role="alert">[^<]*ทศนิยม', html)  # fmt: skip
    assert re.search(r'name="bank_account" value="12-34"[^>]*aria-describedby="f-acc-error"><span class="error" '
                     r'id="f-acc-error" role="alert">[^<]*10-15', html)  # fmt: skip
    assert html.count('class="error"') == 2 and 'class="messages"' not in html  # nothing at the top
    for kept in ('value="N7"', 'value="มานี"', 'value="นักพัฒนาชุมชน"', f'value="{form["national_id"]}"',
                 'value="2026-01-05"', 'value="3"', f'value="{org["north"].pk}" selected'):  # fmt: skip
        assert kept in html
    form.update(salary="30000", bank_account="123-456-7890")
    assert signed_in_client(staff["hr_all"]).post("/people/employees/new/", form).status_code == 302
