"""The supervisor's assessment of digital skills: a unit head confirms, once a fiscal year, the
level of each of their staff (their unit, and the heads of the units below it, as for leave) in
each skill group of the plan, on the same four levels as the self-assessment (``selfassess``).

The plan's indicators of staff applying digital skills at work and using AI count the supervisor's
level where there is one (``confirmed``): a staff member the supervisor assessed for the year
counts when the supervisor put them at level 3 or above (in any group; in the AI group for AI
use), whatever the attendance rows say; a staff member not assessed counts by attendance, as
before. Saving again replaces the year's levels; every change is audited.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet

from codi.core.audit import audit_record
from codi.people.models import Competency, Employee, SelfAssessment, SkillLevel, SupervisorAssessment
from codi.people.selectors import own_employee
from codi.people.selfassess import levels_clean

AT_WORK = SkillLevel.AT_WORK.value


def team_of(head: Employee) -> QuerySet[Employee]:
    """The staff a unit head assesses: their unit and the heads of the units below, not themself."""
    if not head.is_unit_head:
        return Employee.objects.none()
    return (
        Employee.objects.filter(
            Q(org_unit_id=head.org_unit_id) | Q(is_unit_head=True, org_unit__parent_id=head.org_unit_id)
        )
        .exclude(pk=head.pk)
        .filter(end_date__isnull=True)
        .select_related("org_unit")
        .order_by("org_unit__name_th", "first_name_th", "last_name_th")
    )


def my_team(actor: Any) -> QuerySet[Employee]:
    head = own_employee(actor)
    if head is None or not head.is_unit_head:
        raise PermissionDenied
    return team_of(head)


@dataclass(frozen=True)
class TeamRow:
    employee: Employee
    own: dict[str, int]  # the self-assessment
    confirmed: dict[str, int]  # the supervisor's


def team_levels(*, actor: Any, fiscal_year: int) -> list[TeamRow]:
    team = list(my_team(actor))
    ids = [e.pk for e in team]
    own: dict[int, dict[str, int]] = defaultdict(dict)
    for e, c, level in SelfAssessment.objects.filter(
        employee_id__in=ids, fiscal_year=fiscal_year
    ).values_list("employee_id", "competency", "level"):
        own[e][c] = level
    confirmed: dict[int, dict[str, int]] = defaultdict(dict)
    for e, c, level in SupervisorAssessment.objects.filter(
        employee_id__in=ids, fiscal_year=fiscal_year
    ).values_list("employee_id", "competency", "level"):
        confirmed[e][c] = level
    return [TeamRow(e, own[e.pk], confirmed[e.pk]) for e in team]


def supervisor_assess(
    *, actor: Any, employee: Employee, fiscal_year: int, levels: dict[str, Any]
) -> dict[str, int]:
    """Save the supervisor's levels for one staff member (every group answered)."""
    if not my_team(actor).filter(pk=employee.pk).exists():
        raise PermissionDenied
    clean = levels_clean(levels)
    with transaction.atomic():
        before = {
            r.competency: r.level
            for r in SupervisorAssessment.objects.select_for_update().filter(
                employee=employee, fiscal_year=fiscal_year
            )
        }
        for code, level in clean.items():
            SupervisorAssessment.objects.update_or_create(
                employee=employee, fiscal_year=fiscal_year, competency=code,
                defaults={"level": level, "assessed_by": actor},
            )  # fmt: skip
        if before != clean:
            audit_record(
                actor=actor, action="people.supervisor_assess", object_type="people.Employee",
                object_id=employee.pk,
                changes={"fiscal_year": fiscal_year, **{k: [before.get(k), v] for k, v in clean.items()}},
            )  # fmt: skip
    return clean


def confirmed(fiscal_year: int, at_work: set[int], ai: set[int]) -> tuple[set[int], set[int]]:
    """The staff counted as applying digital skills and as using AI in ``fiscal_year``: the sets
    from attendance with the supervisor's levels put in their place where the supervisor assessed."""
    assessed: set[int] = set()
    assessed_ai: set[int] = set()
    high: set[int] = set()
    high_ai: set[int] = set()
    for employee_id, competency, level in SupervisorAssessment.objects.filter(
        fiscal_year=fiscal_year
    ).values_list("employee_id", "competency", "level"):
        assessed.add(employee_id)
        if level >= AT_WORK:
            high.add(employee_id)
        if competency == Competency.AI_WORK:
            assessed_ai.add(employee_id)
            if level >= AT_WORK:
                high_ai.add(employee_id)
    return (at_work - assessed) | high, (ai - assessed_ai) | high_ai
