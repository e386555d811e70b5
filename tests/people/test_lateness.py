"""Lateness and absence from clock entries: the dated rule table, the working-day calendar,
the page (HR's scope, staff only themself) and its Excel export."""

from __future__ import annotations

from datetime import date, time
from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from codi.people import attendance, lateness
from codi.people.models import AttendanceRule
from tests.permissions import signed_in_client

URL = reverse("people:attendance_month")


def test_late_and_absent_counted_by_the_rule_and_the_calendar(tmp_path, staff):
    north, south = staff["north"], staff["south"]
    # the south unit starts at 09:00 with no grace from November 2026 (its own rule beats the general 08:30 + 15)
    AttendanceRule.objects.create(
        valid_from=date(2026, 11, 1), org_unit=south.org_unit, start_time=time(9, 0)
    )
    path = tmp_path / "clock.csv"
    path.write_text(
        "employee_no,date,in,out\n"
        f"{north.employee_no},2026-11-02,08:29,16:35\n"  # on time
        f"{north.employee_no},2026-11-03,08:45,16:35\n"  # 15 minutes: inside the grace
        f"{north.employee_no},2026-11-04,08:46,16:35\n"  # 16 minutes late
        f"{north.employee_no},2026-11-05,09:30,16:35\n"  # 60 minutes late
        f"{north.employee_no},2026-11-07,10:00,12:00\n"  # a Saturday: not a working day, never late
        f"{south.employee_no},2026-11-02,09:01,17:00\n",  # 1 minute late by the unit's rule
        encoding="utf-8",
    )
    assert attendance.time_clock_import(actor=staff["hr_all"], path=path).written
    rows = {r.employee_no: r for r in lateness.month_report(actor=staff["hr_all"], year=2026, month=11)}
    assert set(rows) == {north.employee_no, south.employee_no}  # the head never clocked in: not listed
    n, s = rows[north.employee_no], rows[south.employee_no]
    # November 2026: Mon 2 … Mon 30, 21 weekdays, no public holiday loaded
    assert (n.working_days, n.present, n.late_count, n.late_minutes) == (21, 4, 2, 76)
    assert [d for d, _m in n.late_days] == [date(2026, 11, 4), date(2026, 11, 5)]
    assert len(n.absent_days) == 17 and date(2026, 11, 6) in n.absent_days
    assert date(2026, 11, 7) not in n.absent_days
    assert (s.late_minutes, len(s.absent_days)) == (1, 20)
    # a northern HR officer sees the north; the employee only themself
    assert [r.employee_no for r in lateness.month_report(actor=staff["hr_north"], year=2026, month=11)] == [
        north.employee_no
    ]
    own = lateness.month_report(actor=north.user, year=2026, month=11)
    assert [r.employee_no for r in own] == [north.employee_no]
    assert lateness.month_report(actor=staff["outsider"], year=2026, month=11) is None


def test_page_export_and_refusal(tmp_path, staff):
    north = staff["north"]
    path = tmp_path / "clock.csv"
    path.write_text(
        f"employee_no,date,in,out\n{north.employee_no},2026-11-04,08:46,16:30\n", encoding="utf-8"
    )
    attendance.time_clock_import(actor=staff["hr_all"], path=path)
    hr = signed_in_client(staff["hr_all"])
    page = hr.get(URL, {"year": 2026, "month": 11})
    assert page.status_code == 200
    assert f'data-employee="{north.employee_no}"'.encode() in page.content and b"2569" in page.content
    export = hr.get(URL, {"year": 2026, "month": 11, "format": "xlsx"})
    sheet = load_workbook(BytesIO(b"".join(export.streaming_content))).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[1][0] == north.employee_no and values[1][6:9] == [1, 16, 20]
    assert signed_in_client(staff["outsider"]).get(URL).status_code == 403
    # the southern worker sees only themself (no clock entries: an empty month)
    south_page = signed_in_client(staff["south"].user).get(URL, {"year": 2026, "month": 11})
    assert south_page.status_code == 200 and north.employee_no.encode() not in south_page.content
