"""Staff self-service changes that need HR's approval: the salary bank account and the address.

The staff member asks (``change_submit``) for their own record only; the request runs through
``processes/profile_change.bpmn``: HR in the employee's unit scope approves, and only then is the
record changed, or rejects with a reason, and nothing changes. HR never decides their own request.
The proposed values are encrypted at rest and shown masked; HR with the personal-data permission
sees them in full to check them, and that view is audited. Submitting the same change again while
it waits returns the waiting request (one open request per employee and kind).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from codi.core.audit import audit_read, audit_record
from codi.identity.roles import Perm
from codi.people import dependants
from codi.people.models import ChangeKind, ChangeStatus, Employee, ProfileChange
from codi.people.selectors import can_manage, can_see_personal_data, hr_unit_scope, own_employee
from codi.people.services import PeopleError, clean_bank_account, mask_account
from codi.workflow.engine import Process, StepError

PROCESS = Process(
    Path(__file__).resolve().parent / "processes" / "profile_change.bpmn", "codi_profile_change"
)
END_STATUS = {"end_approved": ChangeStatus.APPROVED, "end_rejected": ChangeStatus.REJECTED}
MAX_ADDRESS = 500


def mask_address(address: str) -> str:
    """The first word (house number or building) is hidden, the rest shortened: ``xxx ต.สุเทพ …``."""
    words = address.split()
    if not words:
        return ""
    tail = " ".join(words[-2:]) if len(words) > 2 else ""
    return ("xxx " + tail).strip()


def _clean(kind: str, values: dict[str, str], employee: Employee) -> tuple[dict[str, Any], str]:
    """The proposed values, checked, and their masked summary."""
    if kind == ChangeKind.BANK:
        bank_code, account = clean_bank_account(
            values.get("bank_code", "").strip(), values.get("bank_account", "")
        )
        return {"bank_code": bank_code, "bank_account": account}, f"{bank_code} {mask_account(account)}"
    if kind == ChangeKind.ADDRESS:
        address = " ".join(values.get("address", "").split())
        if not address:
            raise PeopleError("กรุณาระบุที่อยู่", "Write the address")
        if len(address) > MAX_ADDRESS:
            raise PeopleError(
                f"ที่อยู่ยาวเกิน {MAX_ADDRESS} ตัวอักษร", f"The address is over {MAX_ADDRESS} characters"
            )
        return {"address": address}, mask_address(address)
    if kind == ChangeKind.DEPENDANTS:
        return dependants.clean(values, employee)
    raise PeopleError("ไม่มีข้อมูลประเภทนี้ให้แก้ไข", "This cannot be changed through self-service")


def _current(employee: Employee, kind: str) -> dict[str, Any]:
    if kind == ChangeKind.DEPENDANTS:
        return dependants.current(employee)
    if kind == ChangeKind.BANK:
        return {"bank_code": employee.bank_code, "bank_account": employee.bank_account}
    return {"address": employee.address}


def change_submit(*, actor: Any, kind: str, values: dict[str, str]) -> ProfileChange:
    """The actor asks to change their own record; nothing on the record changes yet."""
    employee = own_employee(actor)
    if employee is None:
        raise PermissionDenied
    proposed, masked = _clean(kind, values, employee)
    if proposed == _current(employee, kind):
        raise PeopleError("ข้อมูลนี้ตรงกับที่บันทึกไว้แล้ว", "This is already what the record holds")
    with transaction.atomic():
        Employee.objects.select_for_update().filter(pk=employee.pk).first()  # one submitter at a time
        waiting = ProfileChange.objects.filter(employee=employee, kind=kind, status=ChangeStatus.HR).first()
        if waiting is not None:
            if json.loads(waiting.proposed) == proposed:
                return waiting  # a retried submit
            raise PeopleError(
                "มีคำขอแก้ไขข้อมูลนี้รอฝ่ายบุคคลพิจารณาอยู่แล้ว", "A request to change this is already waiting for HR"
            )
        transition = PROCESS.start()
        change = ProfileChange.objects.create(
            employee=employee, kind=kind, proposed=json.dumps(proposed, ensure_ascii=False), proposed_masked=masked,
            status=ChangeStatus.HR, current_step=transition.ready[0], workflow_state=transition.state, created_by=actor,
        )  # fmt: skip
        audit_record(
            actor=actor, action="people.change_submit", object_type="people.ProfileChange", object_id=change.pk,
            changes={"employee": employee.employee_no, "kind": kind, "proposed": masked},
        )  # fmt: skip
    return change


def can_decide(actor: Any, change: ProfileChange) -> bool:
    if getattr(actor, "pk", None) is None or change.employee.user_id == actor.pk:
        return False
    return change.status == ChangeStatus.HR and can_manage(actor, change.employee)


def change_decide(*, actor: Any, change: ProfileChange, decision: str, reason: str = "") -> ProfileChange:
    """HR approves (the record takes the proposed values) or rejects with a reason."""
    if decision not in {"approve", "reject"}:
        raise PeopleError("ผลการพิจารณาไม่ถูกต้อง", "Unknown decision")
    if decision == "reject" and not reason.strip():
        raise PeopleError("กรุณาระบุเหตุผลที่ไม่อนุมัติ", "Give the reason for the rejection")
    with transaction.atomic():
        change = ProfileChange.objects.select_for_update().select_related("employee").get(pk=change.pk)
        if change.status != ChangeStatus.HR:
            raise PeopleError("คำขอนี้พิจารณาไปแล้ว", "This request has already been decided")
        if not can_decide(actor, change):
            raise PermissionDenied
        try:
            transition = PROCESS.complete(change.workflow_state, task="hr", data={"hr_decision": decision})
        except StepError as exc:
            raise PeopleError("คำขอไม่ได้อยู่ที่ขั้นตอนนี้", str(exc)) from exc
        employee = Employee.objects.select_for_update().get(pk=change.employee_id)
        old_masked = (
            f"{employee.bank_code} {mask_account(employee.bank_account)}"
            if change.kind == ChangeKind.BANK
            else dependants.mask(dependants.current(employee))
            if change.kind == ChangeKind.DEPENDANTS
            else mask_address(employee.address)
        )
        if decision == "approve":
            proposed = json.loads(change.proposed)
            if change.kind == ChangeKind.DEPENDANTS:
                dependants.apply(employee, proposed)
            elif change.kind == ChangeKind.BANK:
                employee.bank_code, employee.bank_account = proposed["bank_code"], proposed["bank_account"]
                employee.bank_account_masked = mask_account(employee.bank_account)
                employee.save(update_fields=["bank_code", "bank_account", "bank_account_masked"])
            else:
                employee.address = proposed["address"]
                employee.save(update_fields=["address"])
        change.workflow_state, change.current_step = transition.state, ""
        change.status = END_STATUS.get(transition.ended or "", ChangeStatus.REJECTED)
        change.decided_by, change.decided_at = actor, timezone.now()
        change.decision_reason = reason.strip()[:500]
        change.save()
        audit_record(
            actor=actor, action=f"people.change_{decision}", object_type="people.ProfileChange", object_id=change.pk,
            changes={"employee": employee.employee_no, "kind": change.kind, "reason": change.decision_reason,
                     **({change.kind: [old_masked, change.proposed_masked]} if decision == "approve" else {})},
        )  # fmt: skip
    return change


def change_inbox(*, actor: Any) -> QuerySet[ProfileChange]:
    """Requests waiting for the actor as HR (their unit scope), their own excluded."""
    units = hr_unit_scope(actor, Perm.PEOPLE_MANAGE)
    rows = ProfileChange.objects.filter(status=ChangeStatus.HR).select_related(
        "employee", "employee__org_unit"
    )
    if units is not None:
        rows = rows.filter(employee__org_unit_id__in=units)
    return rows.exclude(employee__user_id=actor.pk).order_by("created_at", "pk")


def my_changes(*, actor: Any) -> QuerySet[ProfileChange]:
    return ProfileChange.objects.filter(employee__user_id=actor.pk).order_by("-created_at", "-pk")


def proposed_reveal(*, actor: Any, change: ProfileChange) -> dict[str, str]:
    """The proposed values in full, for HR who may see personal data and decide; audited."""
    if not (can_decide(actor, change) and can_see_personal_data(actor, change.employee)):
        raise PermissionDenied
    audit_read(actor=actor, object_type="people.ProfileChange", object_id=change.pk, fields=["proposed"])
    values: dict[str, Any] = json.loads(change.proposed)
    if change.kind == ChangeKind.DEPENDANTS:
        return {"dependants": dependants.describe(values)}
    return values
