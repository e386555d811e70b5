"""Self-service changes: the record changes only on HR's approval, a rejection needs a reason,
HR in scope only and never for themselves, values masked and every full view logged."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from codi.core.models import AuditEntry
from codi.core.personaldata import Subject
from codi.people import selfservice
from codi.people.models import ChangeStatus, Employee
from codi.people.privacy import PeopleCollector
from codi.people.services import PeopleError
from tests.permissions import signed_in_client

NEW_ACCOUNT = "987-6-54321-0"


def _bank(user, account=NEW_ACCOUNT):
    return selfservice.change_submit(
        actor=user, kind="bank", values={"bank_code": "014", "bank_account": account}
    )


def test_bank_change_applies_only_on_approval(staff):
    north = staff["north"]
    before = north.bank_account
    change = _bank(north.user)
    assert change.status == ChangeStatus.HR and change.proposed_masked == "014 xxxxxx3210"
    assert "9876543210" not in change.proposed_masked
    assert Employee.objects.get(pk=north.pk).bank_account == before  # nothing changes yet
    assert _bank(north.user).pk == change.pk  # a retried submit returns the waiting request
    with pytest.raises(PeopleError):
        _bank(north.user, "1112223334")  # another change while one waits
    with pytest.raises(PermissionDenied):
        selfservice.change_decide(actor=north.user, change=change, decision="approve")  # staff never decide
    done = selfservice.change_decide(actor=staff["hr_north"], change=change, decision="approve")
    record = Employee.objects.get(pk=north.pk)
    assert done.status == ChangeStatus.APPROVED and done.decided_by == staff["hr_north"]
    assert (record.bank_code, record.bank_account, record.bank_account_masked) == (
        "014",
        "9876543210",
        "xxxxxx3210",
    )
    with pytest.raises(PeopleError):
        selfservice.change_decide(actor=staff["hr_all"], change=done, decision="reject", reason="ซ้ำ")
    actions = list(
        AuditEntry.objects.filter(object_type="people.ProfileChange").values_list("action", flat=True)
    )
    assert actions == ["people.change_submit", "people.change_approve"]
    approved = AuditEntry.objects.get(action="people.change_approve")
    assert "9876543210" not in str(approved.changes) and "xxxxxx3210" in str(approved.changes)


def test_reject_needs_reason_scope_and_bad_input(staff):
    south = staff["south"]
    change = selfservice.change_submit(
        actor=south.user, kind="address", values={"address": "99/1 ม.2 ต.คอหงส์ อ.หาดใหญ่"}
    )
    assert change.proposed_masked == "xxx ต.คอหงส์ อ.หาดใหญ่"
    with pytest.raises(PermissionDenied):  # a northern HR officer cannot decide for the south
        selfservice.change_decide(actor=staff["hr_north"], change=change, decision="approve")
    assert change not in selfservice.change_inbox(actor=staff["hr_north"])
    with pytest.raises(PeopleError):
        selfservice.change_decide(actor=staff["hr_all"], change=change, decision="reject", reason=" ")
    done = selfservice.change_decide(
        actor=staff["hr_all"], change=change, decision="reject", reason="ไม่มีเลขที่บ้าน"
    )
    assert done.status == ChangeStatus.REJECTED and Employee.objects.get(pk=south.pk).address == ""
    for kind, values in (("bank", {"bank_code": "14", "bank_account": "123"}), ("address", {"address": "  "}),
                         ("salary", {}), ("bank", {"bank_code": south.bank_code, "bank_account": south.bank_account})):  # fmt: skip
        with pytest.raises(PeopleError):
            selfservice.change_submit(actor=south.user, kind=kind, values=values)
    with pytest.raises(PermissionDenied):  # no employee record
        selfservice.change_submit(actor=staff["outsider"], kind="address", values={"address": "บ้าน"})


def test_pages_masked_logged_and_refused(staff):
    north = staff["north"]
    me = signed_in_client(north.user)
    page = me.post(reverse("people:my_changes"), {"kind": "bank", "bank_code": "014", "bank_account": "12"},
                   HTTP_ACCEPT_LANGUAGE="th")  # fmt: skip
    text = page.content.decode()
    assert page.status_code == 200 and "เลขที่บัญชีธนาคารต้องเป็นตัวเลข 10-15 หลัก" in text and 'value="12"' in text
    assert (
        me.post(
            reverse("people:my_changes"), {"kind": "bank", "bank_code": "014", "bank_account": NEW_ACCOUNT}
        ).status_code
        == 302
    )
    change = selfservice.my_changes(actor=north.user).get()
    hr = signed_in_client(staff["hr_all"])
    inbox = hr.get(reverse("people:change_inbox")).content.decode()
    assert "xxxxxx3210" in inbox and "9876543210" not in inbox
    assert not AuditEntry.objects.filter(
        action="personal_data.view", object_type="people.ProfileChange"
    ).exists()
    full = hr.get(reverse("people:change_inbox"), {"reveal": change.pk}).content.decode()
    assert "9876543210" in full
    assert AuditEntry.objects.filter(action="personal_data.view", object_id=str(change.pk)).count() == 1
    decide = reverse("people:change_decide", args=[change.pk])
    # staff, the employee themself and outsiders are refused; so is HR of another region
    for who in (staff["south"].user, north.user, staff["outsider"]):
        assert signed_in_client(who).post(decide, {"decision": "approve"}).status_code == 403
        assert signed_in_client(who).get(reverse("people:change_inbox")).status_code == 403
    south_change = selfservice.change_submit(
        actor=staff["south"].user, kind="address", values={"address": "1 ถ.ราษฎร์อุทิศ"}
    )
    south_decide = reverse("people:change_decide", args=[south_change.pk])
    assert signed_in_client(staff["hr_north"]).post(south_decide, {"decision": "approve"}).status_code == 403
    assert (
        signed_in_client(staff["hr_north"])
        .get(reverse("people:change_inbox"), {"reveal": south_change.pk})
        .status_code
        == 403
    )
    assert Employee.objects.get(pk=staff["south"].pk).address == ""
    assert signed_in_client(staff["outsider"]).get(reverse("people:my_changes")).status_code == 403
    assert Client(HTTP_HOST="127.0.0.1").get(reverse("people:my_changes")).status_code == 302
    assert Employee.objects.get(pk=north.pk).bank_account != "9876543210"
    assert hr.post(decide, {"decision": "approve"}).status_code == 302
    assert Employee.objects.get(pk=north.pk).bank_account == "9876543210"


def test_access_request_returns_changes_and_clock_entries(staff):
    north = staff["north"]
    _bank(north.user)
    collected = PeopleCollector().collect(Subject(person=None, national_id=north.national_id, phone=""))
    [change] = collected["people.ProfileChange"]
    assert change["kind"] == "bank" and "9876543210" in change["proposed"] and change["status"] == "hr"
    assert collected["people.TimeClockEntry"] == [] and collected["people.Employee"][0]["address"] == ""
