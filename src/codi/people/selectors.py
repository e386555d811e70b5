"""Reads of people's records, scoped in one place.

Who sees what:
* every signed-in employee sees their own record, leave and payslips;
* an HR officer (``Perm.PEOPLE_VIEW``) with a country-wide grant sees every employee; otherwise the
  employees of their own org unit and the units below it ("unit scope");
* a unit head sees the leave requests of their unit (to approve them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from codi.identity.models import OrgUnit
from codi.identity.roles import Perm, ScopeLevel
from codi.identity.selectors import user_grants, user_has_perm
from codi.people.models import (
    Attendance,
    CompetencyTarget,
    Employee,
    LeaveBalance,
    LeaveRequest,
    LeaveStatus,
    LeaveType,
    PayrollRun,
    PayrollStatus,
    Payslip,
)


def unit_subtree(unit_id: int) -> set[int]:
    """The unit and every unit below it."""
    units: dict[int | None, list[int]] = {}
    for pk, parent in OrgUnit.objects.values_list("pk", "parent_id"):
        units.setdefault(parent, []).append(pk)
    found, todo = set(), [unit_id]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(units.get(current, []))
    return found


def hr_unit_scope(user: Any, perm: str = Perm.PEOPLE_VIEW) -> set[int] | None:
    """Units where ``user`` holds ``perm``: ``None`` means all, an empty set none."""
    if not user_has_perm(user, perm):
        return set()
    if any(perm in g.permissions and g.scope_level == ScopeLevel.COUNTRY for g in user_grants(user)):
        return None
    if getattr(user, "org_unit_id", None) is None:
        return set()
    return unit_subtree(user.org_unit_id)


def _scope_q(user: Any, perm: str, *, prefix: str = "") -> Q | None:
    """Rows the user may see: in HR scope, or their own."""
    own = Q(**{f"{prefix}user_id": user.pk}) if getattr(user, "pk", None) else Q(pk__in=[])
    units = hr_unit_scope(user, perm)
    if units is None:
        return Q()
    if units:
        return own | Q(**{f"{prefix}org_unit_id__in": units})
    return own if getattr(user, "pk", None) else None


def own_employee(user: Any) -> Employee | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Employee.objects.filter(user_id=user.pk).select_related("org_unit").first()


def can_manage(user: Any, employee: Employee) -> bool:
    units = hr_unit_scope(user, Perm.PEOPLE_MANAGE)
    return units is None or employee.org_unit_id in units


def can_see_personal_data(user: Any, employee: Employee) -> bool:
    """The employee themself, or HR with the personal-data permission over the unit."""
    if employee.user_id is not None and employee.user_id == getattr(user, "pk", None):
        return True
    units = hr_unit_scope(user, Perm.PEOPLE_PERSONAL_DATA)
    return units is None or employee.org_unit_id in units


def employee_list(*, actor: Any, search: str = "", unit_id: int | None = None) -> QuerySet[Employee]:
    if not getattr(actor, "is_authenticated", False):
        return Employee.objects.none()
    condition = _scope_q(actor, Perm.PEOPLE_VIEW)
    if condition is None:
        return Employee.objects.none()
    rows = Employee.objects.filter(condition).select_related("org_unit")
    if search.strip():
        term = search.strip()
        rows = rows.filter(
            Q(first_name_th__icontains=term)
            | Q(last_name_th__icontains=term)
            | Q(employee_no__icontains=term)
        )
    if unit_id:
        rows = rows.filter(org_unit_id=unit_id)
    return rows.order_by("employee_no")


def employee_get(*, actor: Any, employee_id: int) -> Employee | None:
    return employee_list(actor=actor).filter(pk=employee_id).first()


def leave_types() -> QuerySet[LeaveType]:
    return LeaveType.objects.all()


def leave_balances(*, employee: Employee, fiscal_year: int) -> QuerySet[LeaveBalance]:
    return LeaveBalance.objects.filter(employee=employee, fiscal_year=fiscal_year).select_related(
        "leave_type"
    )


def leave_list(*, actor: Any, status: str = "") -> QuerySet[LeaveRequest]:
    """Leave requests the actor may see: their own, their unit's (unit heads), and HR's scope."""
    if not getattr(actor, "is_authenticated", False):
        return LeaveRequest.objects.none()
    condition = _scope_q(actor, Perm.PEOPLE_VIEW, prefix="employee__")
    if condition is None:
        return LeaveRequest.objects.none()
    own = own_employee(actor)
    if own is not None and own.is_unit_head:
        condition |= _led_by(own)
    rows = LeaveRequest.objects.filter(condition).select_related(
        "employee", "leave_type", "employee__org_unit"
    )
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-start_date", "-pk")


def _led_by(head: Employee) -> Q:
    """Employees a unit head decides leave for: their unit, and the heads of the units below it."""
    return Q(employee__org_unit_id=head.org_unit_id) | Q(
        employee__is_unit_head=True, employee__org_unit__parent_id=head.org_unit_id
    )


def leave_get(*, actor: Any, request_id: int) -> LeaveRequest | None:
    return leave_list(actor=actor).filter(pk=request_id).first()


def leave_inbox(*, actor: Any) -> QuerySet[LeaveRequest]:
    """Requests waiting for the actor: as the unit head (supervisor step) or as HR (record step)."""
    rows = leave_list(actor=actor)
    own = own_employee(actor)
    condition = Q(pk__in=[])
    if own is not None and own.is_unit_head:
        condition |= Q(status=LeaveStatus.SUPERVISOR) & _led_by(own) & ~Q(employee_id=own.pk)
    units = hr_unit_scope(actor, Perm.PEOPLE_MANAGE)
    if units is None:
        condition |= Q(status=LeaveStatus.HR)
    elif units:
        condition |= Q(status=LeaveStatus.HR, employee__org_unit_id__in=units)
    return rows.filter(condition)


def payroll_runs(*, actor: Any) -> QuerySet[PayrollRun]:
    """Runs are organisation-wide: HR with a country-wide scope, and payroll approvers, see them."""
    if hr_unit_scope(actor, Perm.PEOPLE_VIEW) is None or user_has_perm(actor, Perm.PAYROLL_APPROVE):
        return PayrollRun.objects.all()
    return PayrollRun.objects.none()


def payroll_run_get(*, actor: Any, run_id: int) -> PayrollRun | None:
    return payroll_runs(actor=actor).filter(pk=run_id).first()


def payslip_list(*, actor: Any) -> QuerySet[Payslip]:
    """Payslips: the employee's own, and those of HR's unit scope."""
    if not getattr(actor, "is_authenticated", False):
        return Payslip.objects.none()
    condition = _scope_q(actor, Perm.PEOPLE_VIEW, prefix="employee__")
    if condition is None:
        return Payslip.objects.none()
    return (
        Payslip.objects.filter(condition)
        .select_related("run", "employee", "employee__org_unit")
        .order_by("-run__year", "-run__month", "employee__employee_no")
    )


def payslip_get(*, actor: Any, payslip_id: int) -> Payslip | None:
    return payslip_list(actor=actor).filter(pk=payslip_id).first()


def training_record(*, employee: Employee) -> QuerySet[Attendance]:
    """The courses an employee completed, newest first (their own page shows it)."""
    return (
        Attendance.objects.filter(employee=employee).select_related("course").order_by("-course__start_date")
    )


def tax_years(*, employee: Employee) -> list[int]:
    """Calendar years in which the employee was paid by an approved run (their 50 ทวิ years)."""
    years = (
        Payslip.objects.filter(employee=employee, run__status=PayrollStatus.APPROVED)
        .values_list("run__pay_date__year", flat=True)
        .distinct()
    )
    return sorted(set(years), reverse=True)


def targets(*, fiscal_year: int | None = None) -> QuerySet[CompetencyTarget]:
    rows = CompetencyTarget.objects.all()
    return rows.filter(fiscal_year=fiscal_year) if fiscal_year else rows


def org_units(unit_ids: set[int] | None) -> QuerySet[OrgUnit]:
    """Units of a scope (``None`` = all), by code."""
    rows = OrgUnit.objects.order_by("code")
    return rows if unit_ids is None else rows.filter(pk__in=unit_ids)


@dataclass(frozen=True)
class ChartRow:
    unit: OrgUnit
    depth: int
    heads: list[str]
    headcount: int


def org_chart(*, actor: Any) -> list[ChartRow]:
    """The org units in the actor's HR scope as a tree (depth-first), with heads and head counts."""
    units = list(org_units(hr_unit_scope(actor)))
    if not units:
        return []
    ids = {u.pk for u in units}
    counts: dict[int, int] = {}
    heads: dict[int, list[str]] = {}
    for unit_id, first, last, is_head in Employee.objects.filter(
        org_unit_id__in=ids, end_date__isnull=True
    ).values_list("org_unit_id", "first_name_th", "last_name_th", "is_unit_head"):
        counts[unit_id] = counts.get(unit_id, 0) + 1
        if is_head:
            heads.setdefault(unit_id, []).append(f"{first} {last}")
    children: dict[int | None, list[OrgUnit]] = {}
    for unit in units:
        parent = unit.parent_id if unit.parent_id in ids else None
        children.setdefault(parent, []).append(unit)
    out: list[ChartRow] = []

    def walk(parent: int | None, depth: int) -> None:
        for unit in children.get(parent, []):
            out.append(ChartRow(unit, depth, heads.get(unit.pk, []), counts.get(unit.pk, 0)))
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return out


def training_reach_by_user(*, actor: Any, fiscal_year: int | None = None) -> dict[int, dict[str, int]]:
    """Staff in the actor's HR unit scope who completed a course (in the B.E. ``fiscal_year``, Oct–Sep,
    when given), by their user account: completions and how many they apply at work. For the GIS
    training-reach layer (``codi.gis``), which places each account in the areas of its role grants."""
    units = hr_unit_scope(actor)
    rows = Attendance.objects.filter(completed=True, employee__user__isnull=False)
    if units is not None:
        rows = rows.filter(employee__org_unit_id__in=units)
    if fiscal_year is not None:
        ad = fiscal_year - 543
        rows = rows.filter(course__start_date__gte=f"{ad - 1}-10-01", course__start_date__lte=f"{ad}-09-30")
    out: dict[int, dict[str, int]] = {}
    for user_id, applies in rows.values_list("employee__user_id", "applies_at_work"):
        entry = out.setdefault(user_id, {"completions": 0, "applies": 0})
        entry["completions"] += 1
        entry["applies"] += int(applies)
    return out
