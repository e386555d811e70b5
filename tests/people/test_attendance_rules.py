"""HR edits the attendance rule: each problem beside its field with the input kept, audited, and
refused outside the HR scope (the general rule is country-wide HR's alone)."""

from __future__ import annotations

from datetime import date, time

from django.urls import reverse

from codi.core.models import AuditEntry
from codi.people.models import AttendanceRule
from tests.permissions import signed_in_client

LIST = "people:attendance_rules"


def test_rule_is_validated_beside_each_field_then_saved_and_audited(staff):
    hr = signed_in_client(staff["hr_all"])
    bad = {"valid_from": "", "org_unit": "", "start_time": "25:00", "grace_minutes": "500"}
    response = hr.post(reverse(LIST), bad)
    assert response.status_code == 400
    html = response.content.decode()
    for field in ("r-from-error", "r-start-error", "r-grace-error"):
        assert f'id="{field}"' in html
    assert 'value="25:00"' in html and 'value="500"' in html  # the input kept
    before = AttendanceRule.objects.count()
    good = {"valid_from": "2027-01-01", "org_unit": "", "start_time": "08:00", "grace_minutes": "10"}
    assert hr.post(reverse(LIST), good).status_code == 302
    rule = AttendanceRule.objects.get(valid_from=date(2027, 1, 1), org_unit=None)
    assert (rule.start_time, rule.grace_minutes) == (time(8, 0), 10)
    assert AttendanceRule.objects.count() == before + 1
    assert AuditEntry.objects.filter(action="people.attendance_rule_create", object_id=str(rule.pk)).exists()
    # the same date and unit again: refused beside the date
    clash = hr.post(reverse(LIST), good)
    assert clash.status_code == 400 and 'id="r-from-error"' in clash.content.decode()
    # the edit page shows the rule; a change is audited with old and new values
    edit = reverse("people:attendance_rule_edit", args=[rule.pk])
    assert 'value="08:00"' in hr.get(edit).content.decode()
    assert hr.post(edit, {**good, "grace_minutes": "20"}).status_code == 302
    rule.refresh_from_db()
    assert rule.grace_minutes == 20
    entry = AuditEntry.objects.get(action="people.attendance_rule_change", object_id=str(rule.pk))
    assert entry.changes["grace_minutes"] == ["10", "20"]
    assert hr.post(edit, {**good, "grace_minutes": "20"}).status_code == 302  # unchanged: no new entry
    assert AuditEntry.objects.filter(action="people.attendance_rule_change").count() == 1


def test_rules_out_of_scope_are_refused(staff, org):
    general = AttendanceRule.objects.create(valid_from=date(2027, 2, 1), start_time=time(8, 30))
    south = AttendanceRule.objects.create(
        valid_from=date(2027, 2, 1), org_unit=org["south"], start_time=time(9, 0)
    )
    # no HR permission at all
    assert signed_in_client(staff["outsider"]).get(reverse(LIST)).status_code == 403
    assert signed_in_client(staff["north"].user).get(reverse(LIST)).status_code == 403
    regional = signed_in_client(staff["hr_north"])
    # regional HR: not the general rule, not another unit's rule
    for rule in (general, south):
        url = reverse("people:attendance_rule_edit", args=[rule.pk])
        assert (
            regional.post(
                url, {"valid_from": "2027-02-01", "start_time": "07:00", "grace_minutes": "0"}
            ).status_code
            == 403
        )
    general.refresh_from_db()
    assert general.start_time == time(8, 30)
    # nor add one for a unit outside the scope, or a general one
    for unit in (str(org["south"].pk), ""):
        response = regional.post(
            reverse(LIST),
            {"valid_from": "2027-03-01", "org_unit": unit, "start_time": "08:00", "grace_minutes": "5"},
        )
        assert response.status_code == 400 and 'id="r-unit-error"' in response.content.decode()
    assert not AttendanceRule.objects.filter(valid_from=date(2027, 3, 1)).exists()
    # but their own unit's rule, yes
    ok = {
        "valid_from": "2027-03-01",
        "org_unit": str(org["north"].pk),
        "start_time": "08:00",
        "grace_minutes": "5",
    }
    assert regional.post(reverse(LIST), ok).status_code == 302
    assert AttendanceRule.objects.filter(valid_from=date(2027, 3, 1), org_unit=org["north"]).exists()
