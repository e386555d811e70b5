"""Time-clock import: row problems beside the row, nothing stored on error, re-import idempotent,
audited, HR scope, and the page refused to staff and outsiders."""

from __future__ import annotations

from datetime import time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from codi.core.models import AuditEntry
from codi.people import attendance
from codi.people.models import TimeClockEntry
from tests.permissions import signed_in_client

URL = reverse("people:time_clock_import")


def _csv(tmp_path, lines, name="clock.csv"):
    path = tmp_path / name
    path.write_text("employee_no,date,in,out\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_clean_file_stored_once_and_corrected_day_replaced(tmp_path, staff):
    north, south = staff["north"].employee_no, staff["south"].employee_no
    lines = [f"{north},2026-12-01,08:29,16:35", f"{north},2/12/2569,8.41,", f"{south},2026-12-01,,17:02"]
    hr = staff["hr_all"]
    checked = attendance.time_clock_import(actor=hr, path=_csv(tmp_path, lines), dry_run=True)
    assert (checked.errors, checked.created, checked.written) == ([], 3, False)
    assert not TimeClockEntry.objects.exists()
    report = attendance.time_clock_import(actor=hr, path=_csv(tmp_path, lines))
    assert (report.rows, report.created, report.updated, report.written) == (3, 3, 0, True)
    day2 = TimeClockEntry.objects.get(employee=staff["north"], date__day=2)
    assert (day2.time_in, day2.time_out, day2.source) == (time(8, 41), None, "clock.csv")
    again = attendance.time_clock_import(actor=hr, path=_csv(tmp_path, lines))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert TimeClockEntry.objects.count() == 3
    fixed = attendance.time_clock_import(actor=hr, path=_csv(tmp_path, [f"{north},2026-12-02,08:41,17:00"]))
    assert (fixed.created, fixed.updated) == (0, 1)
    assert TimeClockEntry.objects.get(employee=staff["north"], date__day=2).time_out == time(17, 0)
    audits = AuditEntry.objects.filter(action="people.time_clock_import").order_by("pk")
    assert [a.changes["created"] for a in audits] == [3, 0, 0] and audits[0].actor_id == hr.pk


def test_bad_rows_reported_beside_the_row_and_nothing_stored(tmp_path, staff):
    north, south = staff["north"].employee_no, staff["south"].employee_no
    lines = [
        f"{north},2026-12-01,08:30,16:30",  # line 2: fine
        "E99999,2026-12-01,08:30,16:30",  # line 3: no such employee
        f"{north},2026-12-03,8:75,16:30",  # line 4: not a time
        f"{north},2026-12-04,17:00,08:00",  # line 5: out before in
        f"{north},2099-01-05,08:00,16:00",  # line 6: future
        f"{north},2026-12-01,08:31,16:31",  # line 7: same day as line 2
        f"{north},2026-11-30,,",  # line 8: no scan at all
        f"{south},2026-12-01,08:30,16:30",  # line 9: outside the northern HR's scope
    ]
    report = attendance.time_clock_import(actor=staff["hr_north"], path=_csv(tmp_path, lines))
    found = {e.line: [p.message_en for p in e.problems] for e in report.errors}
    assert found == {
        3: ["no such employee in your HR scope"],
        4: ["not a time (like 08:30)"],
        5: ["the time out must be after the time in"],
        6: ["the date is in the future"],
        7: ["the same employee and date as line 2"],
        8: ["neither a time in nor a time out"],
        9: ["no such employee in your HR scope"],
    }
    assert report.errors[1].cells == {
        "employee_no": north,
        "date": "2026-12-03",
        "in": "8:75",
        "out": "16:30",
    }
    assert not report.written and not TimeClockEntry.objects.exists()
    assert not AuditEntry.objects.filter(action="people.time_clock_import").exists()


def test_page_upload_and_refusals(staff):
    north = staff["north"].employee_no
    body = f"employee_no,date,in,out\n{north},2026-12-01,08:30,16:30\n{north},2026-12-02,9:00,08:00\n"
    hr = signed_in_client(staff["hr_all"])
    assert hr.get(URL).status_code == 200
    page = hr.post(URL, {"file": SimpleUploadedFile("c.csv", body.encode())}, HTTP_ACCEPT_LANGUAGE="th")
    text = page.content.decode()
    assert page.status_code == 200 and "เวลาออกต้องหลังเวลาเข้า" in text and "9:00" in text
    assert not TimeClockEntry.objects.exists()
    good = body.splitlines()[:2]
    page = hr.post(URL, {"file": SimpleUploadedFile("c.csv", "\n".join(good).encode())})
    assert page.status_code == 200 and TimeClockEntry.objects.count() == 1
    for who in (staff["north"].user, staff["outsider"]):
        client = signed_in_client(who)
        assert client.get(URL).status_code == 403
        assert client.post(URL, {"file": SimpleUploadedFile("c.csv", body.encode())}).status_code == 403
    assert Client(HTTP_HOST="127.0.0.1").get(URL).status_code == 302
    assert TimeClockEntry.objects.count() == 1
