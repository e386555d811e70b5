"""Leave: balances by fiscal year and requests through ``processes/leave_tobe.bpmn`` (codi.workflow).

request (employee, or HR for them) → supervisor (the head of the employee's unit; never the
requester) → hr (HR in the unit's scope records it). Days are working days of the shared
calendar (weekends and public holidays excluded) unless the type counts calendar days
(maternity, ordination). The leave year is the Thai fiscal year (1 October to 30 September).

The balance moves under the row lock: a request adds to ``pending`` (refused beyond the balance
unless the type allows it), a rejection gives it back, HR's record moves it to ``used``.
Vacation carries over: what is left of last year, at most ``max_carry_over``, and the year's
total at most ``max_balance``.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from codi.calendar.selectors import holiday_dates
from codi.core.audit import audit_record
from codi.core.thaidate import fiscal_year_be, thai_date
from codi.people.models import Employee, LeaveBalance, LeaveRequest, LeaveStatus, LeaveType
from codi.people.selectors import can_manage
from codi.people.services import PeopleError
from codi.workflow.engine import Process, StepError

PROCESSES_DIR = Path(__file__).resolve().parent / "processes"
TOBE_FILE = PROCESSES_DIR / "leave_tobe.bpmn"
ASIS_FILE = PROCESSES_DIR / "leave_asis.bpmn"
PROCESS = Process(TOBE_FILE, "codi_leave_tobe")
STEP_STATUS = {"supervisor": LeaveStatus.SUPERVISOR, "hr": LeaveStatus.HR}
STEP_NAMES = {"supervisor": "ผู้บังคับบัญชาพิจารณา", "hr": "ฝ่ายบุคคลบันทึกวันลา"}
END_STATUS = {"end_approved": LeaveStatus.APPROVED, "end_rejected": LeaveStatus.REJECTED}
OPEN_STATUSES = (LeaveStatus.SUPERVISOR, LeaveStatus.HR, LeaveStatus.APPROVED)


def count_days(leave_type: LeaveType, start: date, end: date, holidays: set[date] | None = None) -> Decimal:
    """Days the leave takes: calendar days, or working days without weekends and holidays."""
    if end < start:
        raise PeopleError("วันสิ้นสุดต้องไม่ก่อนวันเริ่มลา", "The leave cannot end before it starts")
    if leave_type.counts_calendar_days:
        return Decimal((end - start).days + 1)
    off = set(holiday_dates()) if holidays is None else holidays
    days, day = 0, start
    while day <= end:
        if day.weekday() < 5 and day not in off:
            days += 1
        day += timedelta(days=1)
    return Decimal(days)


def _carried_over(employee: Employee, leave_type: LeaveType, fiscal_year: int) -> Decimal:
    """What last year leaves for this year: at most ``max_carry_over``, the total at most ``max_balance``."""
    if leave_type.max_carry_over <= 0:
        return Decimal("0")
    last = LeaveBalance.objects.filter(
        employee=employee, leave_type=leave_type, fiscal_year=fiscal_year - 1
    ).first()
    if last is None:
        return Decimal("0")
    left = max(last.entitled + last.carried_over - last.used, Decimal("0"))
    carried = min(left, leave_type.max_carry_over)
    if leave_type.max_balance > 0:
        carried = min(carried, max(leave_type.max_balance - leave_type.days_per_year, Decimal("0")))
    return carried


def balance_preview(*, employee: Employee, leave_type: LeaveType, fiscal_year: int) -> LeaveBalance:
    """The balance row, or (unsaved) what it will open with: for pages, which never write."""
    existing = LeaveBalance.objects.filter(
        employee=employee, leave_type=leave_type, fiscal_year=fiscal_year
    ).first()
    if existing is not None:
        return existing
    return LeaveBalance(
        employee=employee, leave_type=leave_type, fiscal_year=fiscal_year, entitled=leave_type.days_per_year,
        carried_over=_carried_over(employee, leave_type, fiscal_year),
    )  # fmt: skip


def balance_ensure(*, employee: Employee, leave_type: LeaveType, fiscal_year: int) -> LeaveBalance:
    """The employee's balance row of a type and year, opened with its entitlement and carry-over."""
    preview = balance_preview(employee=employee, leave_type=leave_type, fiscal_year=fiscal_year)
    if preview.pk is not None:
        return preview
    balance, _created = LeaveBalance.objects.get_or_create(
        employee=employee, leave_type=leave_type, fiscal_year=fiscal_year,
        defaults={"entitled": preview.entitled, "carried_over": preview.carried_over},
    )  # fmt: skip
    return balance


def _sync(request: LeaveRequest, transition: Any) -> None:
    request.workflow_state = transition.state
    if transition.ready:
        request.current_step = transition.ready[0]
        request.status = STEP_STATUS[request.current_step]
    else:
        request.current_step = ""
        request.status = END_STATUS.get(transition.ended or "", LeaveStatus.REJECTED)
    request.save()


def _overlap(employee: Employee, start: date, end: date) -> LeaveRequest | None:
    return (
        LeaveRequest.objects.filter(employee=employee, status__in=OPEN_STATUSES)
        .filter(start_date__lte=end, end_date__gte=start)
        .first()
    )


def leave_request_create(
    *,
    actor: Any,
    employee: Employee,
    leave_type: LeaveType,
    start_date: date,
    end_date: date,
    reason: str = "",
    is_demo: bool = False,
) -> LeaveRequest:
    """The employee (or HR for them) asks for leave; it waits for the unit head."""
    if employee.user_id != getattr(actor, "pk", None) and not (
        actor is not None and can_manage(actor, employee)
    ):
        raise PermissionDenied
    year = fiscal_year_be(start_date)
    if fiscal_year_be(end_date) != year:
        raise PeopleError(
            "ใบลาหนึ่งใบต้องอยู่ในปีงบประมาณเดียวกัน กรุณาแยกเป็นสองใบ",
            "One request stays within one fiscal year; split it in two",
        )
    days = count_days(leave_type, start_date, end_date)
    if days <= 0:
        raise PeopleError("ช่วงวันที่เลือกไม่มีวันทำการ", "The chosen dates hold no working day")
    with transaction.atomic():
        Employee.objects.select_for_update().get(pk=employee.pk)  # one request at a time per person
        clash = _overlap(employee, start_date, end_date)
        if clash is not None:
            raise PeopleError(
                f"ช่วงวันลาซ้อนกับใบลาเดิม ({thai_date(clash.start_date)} – {thai_date(clash.end_date)})",
                f"The dates overlap an earlier request ({clash.start_date} to {clash.end_date})",
            )
        balance = balance_ensure(employee=employee, leave_type=leave_type, fiscal_year=year)
        balance = LeaveBalance.objects.select_for_update().get(pk=balance.pk)
        if days > balance.available and not leave_type.allows_over_balance:
            raise PeopleError(
                f"{leave_type.name_th}คงเหลือ {balance.available} วัน ไม่พอสำหรับ {days} วัน",
                f"{leave_type.name_en}: {balance.available} days left, not enough for {days}",
            )
        balance.pending += days
        balance.save(update_fields=["pending"])
        request = LeaveRequest(
            employee=employee, leave_type=leave_type, start_date=start_date, end_date=end_date, days=days,
            fiscal_year=year, reason=reason.strip()[:500], created_by=actor if getattr(actor, "pk", None) else None,
            is_demo=is_demo,
        )  # fmt: skip
        _sync(request, PROCESS.start())
        audit_record(
            actor=actor, action="people.leave_request", object_type="people.LeaveRequest", object_id=request.pk,
            changes={"employee": employee.employee_no, "type": leave_type.code, "from": start_date,
                     "to": end_date, "days": days},
        )  # fmt: skip
    return request


def supervisor_of(employee: Employee) -> list[int]:
    """User ids of the heads of the employee's unit (the parent unit's when the employee is the head)."""
    heads = Employee.objects.filter(
        org_unit_id=employee.org_unit_id, is_unit_head=True, user__isnull=False
    ).exclude(pk=employee.pk)
    if not heads.exists() and employee.org_unit.parent_id is not None:
        heads = Employee.objects.filter(
            org_unit_id=employee.org_unit.parent_id, is_unit_head=True, user__isnull=False
        )
    return list(heads.values_list("user_id", flat=True))


def can_decide(actor: Any, request: LeaveRequest) -> bool:
    """Whether ``actor`` acts on the request's current step."""
    if getattr(actor, "pk", None) is None or request.employee.user_id == actor.pk:
        return False
    if request.current_step == "supervisor":
        return actor.pk in supervisor_of(request.employee)
    if request.current_step == "hr":
        return can_manage(actor, request.employee)
    return False


def _locked(request: LeaveRequest, step: str) -> LeaveRequest:
    locked = (
        LeaveRequest.objects.select_for_update().select_related("employee", "leave_type").get(pk=request.pk)
    )
    if locked.current_step != step:
        raise PeopleError("ใบลาไม่ได้อยู่ที่ขั้นตอนนี้แล้ว", f"The request is no longer at step {step!r}")
    return locked


def leave_decide(*, actor: Any, request: LeaveRequest, decision: str, comment: str = "") -> LeaveRequest:
    """Complete the current step (``approve`` or ``reject``) as the unit head or HR."""
    if decision not in {"approve", "reject"}:
        raise PeopleError("ผลการพิจารณาไม่ถูกต้อง", "Unknown decision")
    if decision == "reject" and not comment.strip():
        raise PeopleError("กรุณาระบุเหตุผลที่ไม่อนุมัติ", "Give the reason for the rejection")
    step = request.current_step
    with transaction.atomic():
        request = _locked(request, step)
        if not can_decide(actor, request):
            raise PermissionDenied
        try:
            transition = PROCESS.complete(
                request.workflow_state, task=step, data={f"{step}_decision": decision}
            )
        except StepError as exc:
            raise PeopleError("ใบลาไม่ได้อยู่ที่ขั้นตอนนี้", str(exc)) from exc
        balance = LeaveBalance.objects.select_for_update().get(
            employee=request.employee, leave_type=request.leave_type, fiscal_year=request.fiscal_year
        )
        if decision == "reject":
            balance.pending -= request.days
        elif step == "hr":
            balance.pending -= request.days
            balance.used += request.days
        balance.save(update_fields=["pending", "used"])
        if step == "supervisor":
            request.supervisor = actor
        else:
            request.hr_officer = actor
        request.decision_comment = comment.strip()[:500]
        _sync(request, transition)
        audit_record(
            actor=actor, action=f"people.leave_{step}", object_type="people.LeaveRequest", object_id=request.pk,
            changes={"decision": decision, "comment": comment},
        )  # fmt: skip
    return request


def leave_diagram(request: LeaveRequest) -> dict[str, Any]:
    return PROCESS.diagram(request.workflow_state)
