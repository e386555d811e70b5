"""Team pages: the month calendar of who is on leave (``team``), with an Excel export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone

from codi.core.spreadsheet import xlsx_response
from codi.core.thaidate import MONTHS_TH_FULL
from codi.people import team


def _int(value: str, default: int, low: int, high: int) -> int:
    return int(value) if value.isdigit() and low <= int(value) <= high else default


@login_required
def team_calendar(request: HttpRequest) -> HttpResponseBase:
    """``?year=2026&month=5&unit=ID``: the month grid (a list of days on a narrow screen)."""
    today = timezone.localdate()
    year = _int(request.GET.get("year", ""), today.year, 2000, 2200)
    month = _int(request.GET.get("month", ""), today.month, 1, 12)
    unit = request.GET.get("unit", "")
    data = team.team_month(
        actor=request.user, year=year, month=month, unit_id=int(unit) if unit.isdigit() else None
    )
    if data is None:
        raise PermissionDenied
    if request.GET.get("format") == "xlsx":
        header = ["วันที่", "วันหยุด", "ชื่อ-นามสกุล", "หน่วยงาน", "ประเภทการลา", "เหตุผล", "อนุมัติแล้ว"]
        rows = (
            [d.day, d.holiday, a.name, a.unit, a.leave_type, a.reason, "ใช่" if a.approved else "รออนุมัติ"]
            for d in data.days
            for a in d.away
        )
        return xlsx_response(filename=f"team-leave-{year}-{month:02d}", sheets=[("ปฏิทินการลา", header, rows)])
    prev, nxt = team.shift_month(year, month, -1), team.shift_month(year, month, 1)
    return render(
        request,
        "people/team_calendar.html",
        {
            "data": data,
            "month_name": MONTHS_TH_FULL[month - 1],
            "year_be": year + 543,
            "prev": prev,
            "next": nxt,
            "today": today,
            "unit_param": data.unit.pk if data.unit and data.units else "",
        },
    )
