"""Digital-skill self-assessment: each staff member rates themself, once a fiscal year, in each
skill group of the plan (``Competency``) on four levels (``SkillLevel``).

Level 3 ("uses it on my own at work") or above counts as applying the skill at work. The summary
puts the share of assessed staff at that level beside the plan's target of the year for staff
applying digital skills at work (``digital_at_work``) and, for the AI group, using AI (``ai_use``).
Saving again replaces the year's answers (one row per person, year and group); every save is
audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q

from codi.core.audit import audit_record
from codi.identity.roles import Perm
from codi.people.models import Competency, CompetencyTarget, SelfAssessment, SkillLevel
from codi.people.selectors import hr_unit_scope, own_employee
from codi.people.services import PeopleError

AT_WORK = SkillLevel.AT_WORK.value
TARGET_OF: dict[str, str] = {Competency.AI_WORK.value: "ai_use"}  # other groups: ``digital_at_work``


def my_levels(*, actor: Any, fiscal_year: int) -> dict[str, int]:
    employee = own_employee(actor)
    if employee is None:
        raise PermissionDenied
    rows = SelfAssessment.objects.filter(employee=employee, fiscal_year=fiscal_year)
    return {r.competency: r.level for r in rows}


def levels_clean(levels: dict[str, Any]) -> dict[str, int]:
    """One level (``SkillLevel``) for every skill group, from a form's answers; refused otherwise.
    The self-assessment and the supervisor's assessment read their forms through it."""
    clean: dict[str, int] = {}
    for code, _label in Competency.choices:
        value = str(levels.get(code, "")).strip()
        if not value.isdigit() or int(value) not in SkillLevel.values:
            raise PeopleError("กรุณาเลือกระดับของทุกทักษะ", "Choose a level for every skill")
        clean[code] = int(value)
    return clean


def self_assess(*, actor: Any, fiscal_year: int, levels: dict[str, str]) -> dict[str, int]:
    """Save the actor's levels for the year (every group answered); returns what is stored."""
    employee = own_employee(actor)
    if employee is None:
        raise PermissionDenied
    clean = levels_clean(levels)
    with transaction.atomic():
        before = {
            r.competency: r.level
            for r in SelfAssessment.objects.select_for_update().filter(
                employee=employee, fiscal_year=fiscal_year
            )
        }
        for code, level in clean.items():
            SelfAssessment.objects.update_or_create(
                employee=employee, fiscal_year=fiscal_year, competency=code, defaults={"level": level}
            )
        if before != clean:
            audit_record(
                actor=actor, action="people.self_assess", object_type="people.Employee", object_id=employee.pk,
                changes={"fiscal_year": fiscal_year, **{k: [before.get(k), v] for k, v in clean.items()}},
            )  # fmt: skip
    return clean


@dataclass(frozen=True)
class SkillRow:
    competency: str
    name: str
    assessed: int
    at_work: int
    share: float
    target: float | None


def summary(*, actor: Any, fiscal_year: int) -> list[SkillRow]:
    """Per skill group, for the staff in the actor's HR scope: how many assessed themselves, how many
    at level 3 or above, that share in percent, and the plan's target for the year."""
    units = hr_unit_scope(actor, Perm.PEOPLE_VIEW)
    if units is not None and not units:
        raise PermissionDenied
    rows = SelfAssessment.objects.filter(fiscal_year=fiscal_year)
    if units is not None:
        rows = rows.filter(employee__org_unit_id__in=units)
    counts: dict[str, dict[str, int]] = {
        r["competency"]: {"n": r["n"], "high": r["high"]}
        for r in rows.values("competency").annotate(
            n=Count("pk"), high=Count("pk", filter=Q(level__gte=AT_WORK))
        )
    }
    targets = dict(
        CompetencyTarget.objects.filter(fiscal_year=fiscal_year).values_list("indicator", "target")
    )
    out = []
    for code, label in Competency.choices:
        n = counts.get(code, {}).get("n", 0)
        high = counts.get(code, {}).get("high", 0)
        target = targets.get(TARGET_OF.get(code, "digital_at_work"))
        out.append(
            SkillRow(code, str(label), n, high, round(100 * high / n, 1) if n else 0.0,
                     float(target) if target is not None else None)
        )  # fmt: skip
    return out


@dataclass(frozen=True)
class UnitSkillRow:
    unit: str
    competency: str
    name: str
    assessed: int
    at_work: int
    share: float


def summary_by_unit(*, actor: Any, fiscal_year: int) -> list[UnitSkillRow]:
    """``summary`` per org unit and skill group (units of the actor's HR scope with answers)."""
    units = hr_unit_scope(actor, Perm.PEOPLE_VIEW)
    if units is not None and not units:
        raise PermissionDenied
    rows = SelfAssessment.objects.filter(fiscal_year=fiscal_year)
    if units is not None:
        rows = rows.filter(employee__org_unit_id__in=units)
    labels = dict(Competency.choices)
    out = []
    for r in (
        rows.values("employee__org_unit__name_th", "competency")
        .annotate(n=Count("pk"), high=Count("pk", filter=Q(level__gte=AT_WORK)))
        .order_by("employee__org_unit__name_th", "competency")
    ):
        out.append(
            UnitSkillRow(r["employee__org_unit__name_th"], r["competency"], str(labels.get(r["competency"], "")),
                         r["n"], r["high"], round(100 * r["high"] / r["n"], 1) if r["n"] else 0.0)
        )  # fmt: skip
    return out
