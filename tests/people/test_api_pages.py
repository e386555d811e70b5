"""Every people endpoint and page: anonymous refused, an out-of-scope user refused, the allowed user served."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.test import Client
from openpyxl import load_workbook

from codi.core.models import AuditEntry
from codi.people import leave, payroll
from codi.people.models import LeaveType
from tests.permissions import signed_in_client


@pytest.fixture
def world(staff, books, holidays_2026):
    hr, approver = staff["hr_all"], staff["approver"]
    run = payroll.payroll_submit(
        actor=hr, run=payroll.payroll_run_create(actor=hr, year=2026, month=12, pay_date=date(2026, 12, 25))
    )
    run = payroll.payroll_approve(actor=approver, run=run, decision="approve")
    north = staff["north"]
    request = leave.leave_request_create(
        actor=north.user, employee=north, leave_type=LeaveType.objects.get(code="vacation"),
        start_date=date(2027, 1, 4), end_date=date(2027, 1, 5),
    )  # fmt: skip
    slips = {s.employee_id: s for s in run.payslips.all()}
    return {
        **staff,
        "run": run,
        "leave": request,
        "north_slip": slips[north.pk],
        "south_slip": slips[staff["south"].pk],
    }


def _get(user, url):
    return (signed_in_client(user) if user else Client(HTTP_HOST="127.0.0.1")).get(url)


def _check(world, url, *, allowed, refused):
    assert _get(None, url).status_code in {401, 302, 403}, url
    for who in refused:
        assert _get(world[who], url).status_code in {403, 404}, f"{who} was not refused {url}"
    response = _get(world[allowed], url)
    assert response.status_code == 200, f"{allowed} was refused {url}: {response.status_code}"
    return response


def _user(world, key):
    return world[key].user if hasattr(world[key], "user") else world[key]


@pytest.mark.parametrize(
    "url,allowed,refused",
    [
        ("/api/v1/people/employees/{north}", "north", ["south", "outsider"]),
        ("/api/v1/people/employees/{south}", "hr_all", ["hr_north", "north"]),
        ("/api/v1/people/payslips/{north_slip}", "north", ["south", "hr_north_other"]),
        ("/api/v1/people/payslips/{south_slip}", "hr_all", ["north", "hr_north"]),
        ("/api/v1/people/leave-requests", "north", []),
        ("/api/v1/people/payroll-runs", "hr_all", ["north", "hr_north"]),
        ("/api/v1/people/competency-targets", "hr_all", ["north", "outsider"]),
        ("/api/v1/people/employees/me", "north", ["outsider"]),
        ("/people/employees/{north}/", "north", ["south"]),
        ("/people/employees/", "hr_north", ["north", "outsider"]),
        ("/people/leave/{leave}/", "head", ["south"]),
        ("/people/payroll/", "approver", ["north", "hr_north"]),
        ("/people/payroll/{run}/", "hr_all", ["north", "hr_north"]),
        ("/people/payroll/{run}/pnd1.xlsx", "hr_all", ["approver", "hr_north"]),
        ("/people/payroll/{run}/bank-file.csv", "hr_all", ["approver", "north"]),
        ("/people/payroll/{run}/sso.xlsx", "hr_all", ["approver", "hr_north"]),
        ("/people/payslips/{north_slip}.pdf", "north", ["south", "head"]),
        ("/people/competency/", "hr_north", ["north"]),
        ("/people/employees/new/", "hr_north", ["north", "approver"]),
        ("/people/org-chart/", "hr_north", ["north", "outsider"]),
    ],
)
def test_out_of_scope_users_are_refused(world, url, allowed, refused):
    # hr_north is moved to the south's unit for payslip checks of the north ("hr_north_other")
    users = {
        k: _user(world, k) for k in ("north", "south", "head", "hr_all", "hr_north", "approver", "outsider")
    }
    if "hr_north_other" in refused:
        from tests.people.conftest import make_user

        users["hr_north_other"] = make_user(
            "hr_officer", unit=world["south"].org_unit, scope_level="region", scope_code="south"
        )
    ids = {"north": world["north"].pk, "south": world["south"].pk, "north_slip": world["north_slip"].pk,
           "south_slip": world["south_slip"].pk, "leave": world["leave"].pk, "run": world["run"].pk}  # fmt: skip
    _check(users, url.format(**ids), allowed=allowed, refused=refused)


def test_list_endpoints_show_only_the_scope(world):
    north = world["north"].user
    items = signed_in_client(north).get("/api/v1/people/employees").json()["items"]
    assert [i["employee_no"] for i in items] == [world["north"].employee_no]
    assert items[0]["national_id_masked"].count("x") == 7 and "national_id" not in items[0]
    slips = signed_in_client(north).get("/api/v1/people/payslips").json()["items"]
    assert [s["id"] for s in slips] == [world["north_slip"].pk]
    hr_north = signed_in_client(world["hr_north"]).get("/api/v1/people/employees").json()["items"]
    assert {i["employee_no"] for i in hr_north} == {world["north"].employee_no, world["head"].employee_no}


def test_leave_through_the_api_and_a_clear_refusal(world):
    client = signed_in_client(world["north"].user)
    response = client.post(
        "/api/v1/people/leave-requests",
        {"leave_type": "vacation", "start_date": "2027-01-05", "end_date": "2027-01-06"},
        content_type="application/json",
    )
    assert response.status_code == 422 and "overlap" in response.json()["detail_en"]
    other = signed_in_client(world["south"].user).post(
        f"/api/v1/people/leave-requests/{world['leave'].pk}/decide", {"decision": "approve"},
        content_type="application/json",
    )  # fmt: skip
    assert other.status_code == 404
    head = signed_in_client(world["head"].user).post(
        f"/api/v1/people/leave-requests/{world['leave'].pk}/decide", {"decision": "approve"},
        content_type="application/json",
    )  # fmt: skip
    assert head.status_code == 200 and head.json()["status"] == "hr"


def test_payroll_run_api_refuses_a_plain_employee(world):
    response = signed_in_client(world["north"].user).post(
        "/api/v1/people/payroll-runs", {"year": 2027, "month": 1, "pay_date": "2027-01-25"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 403


def test_employee_page_reveal_is_audited(world):
    client = signed_in_client(world["hr_all"])
    south = world["south"]
    page = client.get(f"/people/employees/{south.pk}/").content.decode()
    assert south.national_id not in page and south.national_id_masked in page
    shown = client.post(f"/people/employees/{south.pk}/").content.decode()
    assert south.national_id in shown
    assert AuditEntry.objects.filter(action="personal_data.view", object_id=str(south.pk)).count() == 1


def test_pages_are_thai_with_buddhist_era_dates_and_names(world):
    client = signed_in_client(world["north"].user)
    home = client.get("/people/").content.decode()
    assert "ลาพักผ่อน" in home and "2570" in home  # leave type by name; B.E. date of the request
    run_page = signed_in_client(world["hr_all"]).get(f"/people/payroll/{world['run'].pk}/").content.decode()
    assert "ธันวาคม 2569" in run_page and world["run"].journal_entry_number in run_page


def test_pnd1_listing_and_payslip_pdf(world):
    response = signed_in_client(world["hr_all"]).get(f"/people/payroll/{world['run'].pk}/pnd1.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "เลขประจำตัวผู้เสียภาษี" and len(rows) == 4
    pdf = signed_in_client(world["north"].user).get(f"/people/payslips/{world['north_slip'].pk}.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_list_pages_keep_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    from tests.people.conftest import hire

    for _ in range(15):
        hire(world["north"].org_unit)
    client = signed_in_client(world["hr_all"])
    client.get("/people/employees/")  # warm the session and grants
    with django_assert_max_num_queries(15):
        assert client.get("/people/employees/").status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(f"/people/payroll/{world['run'].pk}/").status_code == 200


def test_hr_adds_an_employee_in_scope_only(world, org):
    from tests.people.conftest import national_id

    client = signed_in_client(world["hr_north"])
    form = {
        "employee_no": "N900", "first_name_th": "มานี", "last_name_th": "มีนา", "position": "นักพัฒนาชุมชน",
        "salary": "25000", "start_date": "2026-11-01", "national_id": national_id(900), "bank_code": "006",
        "bank_account": "123-456-7890", "org_unit": str(org["south"].pk),
    }  # fmt: skip
    page = client.post("/people/employees/new/", form).content.decode()
    assert "N900" not in [e.employee_no for e in world["north"].__class__.objects.all()]
    assert "กรุณาเลือกหน่วยงาน" in page or "Choose the unit" in page  # the south is not in the north HR's scope
    form["org_unit"] = str(org["north"].pk)
    response = client.post("/people/employees/new/", form)
    assert response.status_code == 302
    created = world["north"].__class__.objects.get(employee_no="N900")
    assert created.bank_account == "1234567890" and created.org_unit == org["north"]
    form["employee_no"], form["national_id"] = "N901", "1234567890123"
    refused = client.post("/people/employees/new/", form).content.decode()
    assert "เลขประจำตัวประชาชน" in refused


def test_org_chart_shows_heads_and_headcounts_in_scope(world, org):
    page = signed_in_client(world["hr_north"]).get("/people/org-chart/").content.decode()
    assert org["north"].name_th in page and org["south"].name_th not in page
    assert world["head"].full_name in page and "2 " in page
