"""Read-only feed of people data for the continuous-audit analytics (codi.audit): salary bank
accounts (to match against vendors) and, per employee and year, what was paid and whether any
leave or training attendance was recorded. Nothing here writes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from codi.people.models import Attendance, Employee, LeaveRequest, Payslip


def employee_accounts() -> Iterator[dict[str, Any]]:
    for e in Employee.objects.order_by("pk").iterator(2000):
        yield {
            "owner_kind": "employee", "owner_id": e.employee_no,
            "owner_name": f"{e.first_name_th} {e.last_name_th}", "bank_code": e.bank_code,
            "account_no": str(e.bank_account or ""), "source_type": "people.Employee", "source_id": str(e.pk),
        }  # fmt: skip


def employee_years() -> Iterator[dict[str, Any]]:
    """Per employee and calendar year paid: net pay (satang → baht), leave days, courses attended."""
    paid = (
        Payslip.objects.values("employee_id", "run__year")
        .annotate(total=Sum("net"))
        .order_by("employee_id", "run__year")
    )
    leave: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for employee_id, start, days in LeaveRequest.objects.exclude(
        status__in=("rejected", "cancelled")
    ).values_list("employee_id", "start_date", "days"):
        leave[(employee_id, start.year)] += days
    courses: dict[tuple[int, int], int] = defaultdict(int)
    for employee_id, year in Attendance.objects.filter(employee__isnull=False).values_list(
        "employee_id", "course__start_date__year"
    ):
        courses[(employee_id, year)] += 1
    employees = {e.pk: e for e in Employee.objects.all()}
    for row in paid:
        e = employees[row["employee_id"]]
        key = (e.pk, row["run__year"])
        yield {
            "employee_id": e.employee_no, "name": f"{e.first_name_th} {e.last_name_th}",
            "year": row["run__year"], "paid_total": Decimal(row["total"] or 0) / 100,
            "attendance_days": courses.get(key, 0), "leave_days": int(leave.get(key, 0)),
            "source_type": "people.Employee", "source_id": str(e.pk),
        }  # fmt: skip


def unit_head_user_ids(unit_code: str) -> set[int]:
    """Users who are the recorded head of the unit (employees marked head of unit, still employed)."""
    return set(
        Employee.objects.filter(
            org_unit__code=unit_code, is_unit_head=True, end_date__isnull=True, user__isnull=False
        ).values_list("user_id", flat=True)
    )
