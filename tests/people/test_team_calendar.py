"""Team calendar: scope (HR, unit head, staff, outsider), reasons hidden from staff, holidays, B.E. month."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from codi.people import leave, team
from codi.people.models import LeaveType
from tests.people.conftest import hire, make_user
from tests.permissions import signed_in_client

URL = reverse("people:team_calendar")


@pytest.fixture
def december(staff, holidays_2026):
    vacation = LeaveType.objects.get(code="vacation")
    north = staff["north"]
    # Mon 7 – Fri 11 Dec 2026: 7 and 10 are public holidays → away on 8, 9, 11
    approved = leave.leave_request_create(
        actor=north.user, employee=north, leave_type=vacation, start_date=date(2026, 12, 7),
        end_date=date(2026, 12, 11), reason="พาแม่ไปหาหมอ",
    )  # fmt: skip
    approved = leave.leave_decide(actor=staff["head"].user, request=approved, decision="approve")
    approved = leave.leave_decide(actor=staff["hr_all"], request=approved, decision="approve")
    south = staff["south"]
    pending = leave.leave_request_create(
        actor=south.user, employee=south, leave_type=vacation, start_date=date(2026, 12, 21),
        end_date=date(2026, 12, 21), reason="ธุระที่บ้าน",
    )  # fmt: skip
    return approved, pending


def _away(month, day):
    return [(a.name, a.leave_type, a.reason, a.approved) for a in month.days[day - 1].away]


def test_scope_and_detail_by_role(staff, december):
    north, south = staff["north"], staff["south"]
    hr = team.team_month(actor=staff["hr_all"], year=2026, month=12)
    assert hr.detail and _away(hr, 8) == [(north.full_name, "ลาพักผ่อน", "พาแม่ไปหาหมอ", True)]
    assert _away(hr, 7) == [] and hr.days[6].holiday  # a public holiday is not a day of leave
    assert _away(hr, 21) == [(south.full_name, "ลาพักผ่อน", "ธุระที่บ้าน", False)]
    assert [len(d.away) for d in hr.days if d.away] == [1, 1, 1, 1]
    # HR picks one unit of their scope
    only_south = team.team_month(actor=staff["hr_all"], year=2026, month=12, unit_id=south.org_unit_id)
    assert [d.day.day for d in only_south.days if d.away] == [21]
    # a northern HR officer sees the north only
    scoped = team.team_month(actor=staff["hr_north"], year=2026, month=12)
    assert [d.day.day for d in scoped.days if d.away] == [8, 9, 11]
    # the unit head sees their unit with the reason
    head = team.team_month(actor=staff["head"].user, year=2026, month=12)
    assert head.detail and _away(head, 9) == [(north.full_name, "ลาพักผ่อน", "พาแม่ไปหาหมอ", True)]
    assert _away(head, 21) == []
    # a colleague in the same unit sees who is away, not why nor which leave
    colleague = hire(north.org_unit, user=make_user())
    mate = team.team_month(actor=colleague.user, year=2026, month=12)
    assert not mate.detail and _away(mate, 9) == [(north.full_name, "", "", True)]
    assert _away(mate, 21) == []
    # the weeks start on Monday: 1 Dec 2026 is a Tuesday
    assert hr.weeks[0][0] is None and hr.weeks[0][1].day == date(2026, 12, 1)


def test_page_thai_month_and_refusals(staff, december):
    page = signed_in_client(staff["north"].user).get(
        URL, {"year": 2026, "month": 12}, HTTP_ACCEPT_LANGUAGE="th"
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "ธันวาคม 2569" in text and staff["north"].full_name in text
    assert "พาแม่ไปหาหมอ" not in text and "ลาพักผ่อน" not in text  # staff never see the reason nor the type
    assert staff["south"].full_name not in text  # nor anyone outside their unit
    hr = signed_in_client(staff["hr_all"])
    text = hr.get(URL, {"year": 2026, "month": 12}).content.decode()
    assert "พาแม่ไปหาหมอ" in text and staff["south"].full_name in text
    export = hr.get(URL, {"year": 2026, "month": 12, "format": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(
        load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.iter_rows(
            min_row=2, values_only=True
        )
    )
    assert [(r[2], r[5]) for r in rows] == [(staff["north"].full_name, "พาแม่ไปหาหมอ")] * 3 + [
        (staff["south"].full_name, "ธุระที่บ้าน")
    ]
    # a northern HR officer asking for the southern unit gets their own scope, not the south
    text = signed_in_client(staff["hr_north"]).get(
        URL, {"year": 2026, "month": 12, "unit": staff["south"].org_unit_id}
    )
    assert staff["south"].full_name not in text.content.decode()
    # no employee record, no HR role: refused; signed out: sent to sign in
    assert signed_in_client(staff["outsider"]).get(URL).status_code == 403
    assert Client(HTTP_HOST="127.0.0.1").get(URL).status_code == 302
