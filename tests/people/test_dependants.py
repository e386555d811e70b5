"""Dependants and tax allowances through self-service: HR approves, the record is encrypted and
masked, the reveal is audited, the payroll withholds with the new allowances; others are refused."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from codi.core.models import AuditEntry
from codi.people import payroll, selfservice
from codi.people.models import ChangeStatus, Dependants, Employee
from tests.permissions import signed_in_client

FORM = {
    "spouse_name": "สมหญิง ใจดี",
    "spouse_no_income": "1",
    "children": "ด.ญ. ใบเตย, 2562\nด.ช. ข้าวหอม, 2015",  # B.E. 2562 = 2019; sorted by birth
    "parents": "นายพ่อ ใจดี\nนางแม่ ใจดี",
}


def _withholding(employee):
    rate = payroll.tax.sso_rate_on(date(2026, 12, 25), payroll.sso_rates())
    return payroll.compute_pay(employee, pay_date=date(2026, 12, 25), rate=rate).tax


def test_proposed_approved_and_withheld_with(staff):
    north = staff["north"]
    # before: 360,000 − 100,000 − (60,000 + SSO 10,500) = 189,500 → 5 % of 39,500 = 1,975 → 164.58 a month
    assert _withholding(north) == 16_458
    change = selfservice.change_submit(actor=north.user, kind="dependants", values=FORM)
    assert change.proposed_masked == "คู่สมรส (ไม่มีเงินได้) · บุตร 2 คน (2015, 2019) · บิดามารดา 2 คน"
    assert "สมหญิง" not in change.proposed_masked
    with connection.cursor() as cursor:  # encrypted at rest
        cursor.execute("SELECT proposed FROM people_profilechange WHERE id = %s", [change.pk])
        assert "สมหญิง" not in cursor.fetchone()[0]
    # a retried submit returns the waiting request
    assert selfservice.change_submit(actor=north.user, kind="dependants", values=FORM).pk == change.pk
    with pytest.raises(PermissionDenied):  # HR of another region, and the employee, cannot decide or reveal
        selfservice.change_decide(actor=staff["south"].user, change=change, decision="approve")
    with pytest.raises(PermissionDenied):
        selfservice.proposed_reveal(actor=north.user, change=change)
    shown = selfservice.proposed_reveal(actor=staff["hr_all"], change=change)
    assert "สมหญิง ใจดี (ไม่มีเงินได้)" in shown["dependants"] and "ด.ช. ข้าวหอม (2015)" in shown["dependants"]
    assert AuditEntry.objects.filter(object_type="people.ProfileChange", object_id=str(change.pk)).exists()
    assert Employee.objects.get(pk=north.pk).children_birth_years == ""  # unchanged until approved
    change = selfservice.change_decide(actor=staff["hr_all"], change=change, decision="approve")
    assert change.status == ChangeStatus.APPROVED
    north = Employee.objects.get(pk=north.pk)
    assert (north.spouse_allowance, north.children_birth_years, north.parents_allowance) == (
        True,
        "2015;2019",
        2,
    )
    assert Dependants.objects.get(employee=north).masked == change.proposed_masked
    # after: allowances 60,000 + spouse 60,000 + children 30,000 + 60,000 (second, born 2019) + parents
    # 60,000 + SSO 10,500 = 280,500 > 360,000 − 100,000: no tax
    assert _withholding(north) == 0


def test_bad_input_is_refused_beside_the_field_and_others_cannot_ask(staff):
    north = staff["north"]
    with pytest.raises(selfservice.PeopleError, match="ปีเกิด"):
        selfservice.change_submit(actor=north.user, kind="dependants", values={**FORM, "children": "ก, 2090"})
    with pytest.raises(selfservice.PeopleError, match="ไม่เกิน 4"):
        selfservice.change_submit(
            actor=north.user, kind="dependants", values={**FORM, "parents": "ก\nข\nค\nง\nจ"}
        )
    with pytest.raises(PermissionDenied):  # no employee record: nothing to change
        selfservice.change_submit(actor=staff["outsider"], kind="dependants", values=FORM)
    page = signed_in_client(north.user).post(
        "/people/me/changes/", {"kind": "dependants", **FORM, "children": "ก, 2090"}
    )
    assert page.status_code == 200 and 'id="dependants-error"' in page.content.decode()
    assert "ก, 2090" in page.content.decode()  # the input is kept
    assert signed_in_client(staff["outsider"]).get("/people/me/changes/").status_code == 403


def test_a_parent_under_sixty_gives_no_allowance_until_the_year_they_turn_sixty(staff):
    north = staff["north"]
    values = {
        "spouse_name": "",
        "spouse_no_income": "",
        "children": "",
        "parents": "นายพ่อ ใจดี, 2510\nนางแม่ ใจดี",
    }
    change = selfservice.change_submit(actor=north.user, kind="dependants", values=values)
    selfservice.change_decide(actor=staff["hr_all"], change=change, decision="approve")
    north = Employee.objects.get(pk=north.pk)
    assert (north.parents_allowance, north.parents_birth_years) == (2, "1967")  # B.E. 2510 = 1967
    assert payroll.parents_claimed(north) == (1, (1967,))
    # 2026: the father is 59, the mother (no year) counts as declared: allowances 60,000 + SSO 10,500
    # + 30,000 = 100,500; net 360,000 − 100,000 − 100,500 = 159,500 → 5 % × 9,500 = 475 / 12 = 39.583
    assert _withholding(north) == 3_958
    # 2027: the father turns 60: + 30,000 → allowances 130,500; net 129,500 < 150,000: no tax
    rate = payroll.tax.sso_rate_on(date(2027, 1, 25), payroll.sso_rates())
    assert payroll.compute_pay(north, pay_date=date(2027, 1, 25), rate=rate).tax == 0
