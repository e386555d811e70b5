"""The working-day calendar: Thai public holidays from the holidays package, CODI closures, audit."""

from __future__ import annotations

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from codi.calendar import selectors, services
from codi.calendar.models import Holiday, HolidaySource
from codi.core.models import AuditEntry

pytestmark = pytest.mark.django_db
BKK = ZoneInfo("Asia/Bangkok")


def test_public_holidays_of_any_year_load_in_thai_with_substitution_days():
    changed = services.public_holidays_load(actor=None, years=[2026, 2031])

    assert changed == Holiday.objects.count() > 30
    days = dict(Holiday.objects.values_list("date", "name"))
    assert days[date(2026, 4, 13)] == "วันสงกรานต์"
    # Visakha Bucha fell on Sunday 31 May 2026: Monday 1 June is its substitution day.
    assert date(2026, 6, 1) in days
    assert any(d.year == 2031 for d in days)
    assert set(Holiday.objects.values_list("source", flat=True)) == {HolidaySource.PUBLIC}
    # Loading again changes nothing.
    assert services.public_holidays_load(actor=None, years=[2026]) == 0


def test_codi_closure_is_kept_over_the_package_and_audited(matrix):
    admin = matrix.user("system_admin", "country")
    services.holiday_set(actor=admin, day=date(2026, 4, 13), name="ปิดสำนักงาน พอช.")
    services.public_holidays_load(actor=admin, years=[2026])

    row = Holiday.objects.get(date=date(2026, 4, 13))
    assert (row.name, row.source) == ("ปิดสำนักงาน พอช.", HolidaySource.CODI)
    entry = AuditEntry.objects.filter(action="calendar.holiday.set", object_id=str(row.pk)).first()
    assert entry is not None and entry.actor_id == admin.pk

    assert services.holiday_remove(actor=admin, day=date(2026, 4, 13)) is True
    assert not Holiday.objects.filter(date=date(2026, 4, 13)).exists()
    assert AuditEntry.objects.filter(action="calendar.holiday.remove").count() == 1


def test_only_administrators_edit_the_calendar(matrix):
    officer = matrix.user("project_officer", "province", "40")
    with pytest.raises(PermissionDenied):
        services.holiday_set(actor=officer, day=date(2026, 11, 4), name="ปิด")
    with pytest.raises(PermissionDenied):
        services.public_holidays_load(actor=officer, years=[2026])
    assert not Holiday.objects.exists()


def test_bad_input_is_refused():
    with pytest.raises(ValidationError):
        services.holiday_set(actor=None, day=date(2026, 11, 4), name="   ")
    with pytest.raises(ValidationError):
        services.public_holidays_load(actor=None, years=[25690])
    assert not Holiday.objects.exists()


def test_working_days_skip_weekends_and_the_calendar():
    services.holiday_set(actor=None, day=date(2026, 11, 4), name="ปิดสำนักงาน")
    monday = datetime(2026, 11, 2, 9, 0, tzinfo=BKK)

    due = selectors.add_working_days(monday, 3)

    # Tue 3, Wed 4 (closed) skipped, Thu 5, Fri 6.
    assert due == datetime(2026, 11, 6, 9, 0, tzinfo=BKK)
    assert selectors.working_days_between(monday, due) == 3


def test_command_loads_adds_and_lists():
    out = StringIO()
    call_command("calendar_holidays", "--load-public", "2027", stdout=out)
    call_command("calendar_holidays", "--add", "2027-12-29", "ปิดสิ้นปี", stdout=out)
    out = StringIO()
    call_command("calendar_holidays", "--year", "2027", stdout=out)
    assert "2027-12-29 codi ปิดสิ้นปี" in out.getvalue()
    assert "วันสงกรานต์" in out.getvalue()
