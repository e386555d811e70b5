"""The plan's digital-competency targets broken down by CODI region and by CODI unit.

Every indicator of ``codi.people.training.progress``, for one fiscal year, per group:

* staff indicators (share applying digital skills at work, share using AI): the group's staff
  employed in the year are the base; the group is the employee's CODI region (``Employee.region``,
  blank for head office) or org unit; the year's target percentage applies to every group;
* leaders trained and organizations using digital tools: counted in the group of the attendance —
  the region of the leader's organization (recorded from the communities registry) or the CODI
  unit that ran the course (``Course.org_unit``). The year's head-count target is for CODI as a
  whole, so a group row shows its count and no target of its own.

The definitions match ``training.actuals`` (so the groups of a count add up to the whole) and the
page and Excel export show these rows (``views.competency``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from codi.areas.selectors import region_list
from codi.people.models import Attendance, Competency, CompetencyTarget, CourseAudience, Employee
from codi.people.selectors import org_units
from codi.people.supervisor import confirmed as supervisor_confirmed
from codi.people.training import _fy_bounds, _percent

BY = ("region", "unit")
HEAD_OFFICE = "ส่วนกลาง (ไม่สังกัดภาค)"
NO_UNIT = "ไม่ระบุหน่วยงาน"
PERCENT_INDICATORS = ("digital_at_work", "ai_use")
COUNT_INDICATORS = ("leaders_trained", "orgs_digital")


@dataclass(frozen=True)
class GroupRow:
    fiscal_year: int
    indicator: str
    name_th: str
    unit: str
    group: str
    group_name: str
    target: float | None
    actual: float
    count: int
    base: int | None


def _group_names(by: str) -> dict[Any, str]:
    if by == "region":
        return {"": HEAD_OFFICE, **{r.code: r.name_th for r in region_list()}}
    return {None: NO_UNIT, **{u.pk: u.name_th for u in org_units(None)}}


def has_target(year_be: int, indicator: str) -> bool:
    """Whether the people app set a target for ``indicator`` in ``year_be`` (``breakdown`` lists only
    indicators with one, so a reader of the analytics store asks the same question)."""
    return CompetencyTarget.objects.filter(fiscal_year=year_be, indicator=indicator).exists()


def breakdown(year_be: int, *, by: str) -> list[GroupRow]:
    """Each target of ``year_be`` per region (``by="region"``) or per unit (``by="unit"``)."""
    if by not in BY:
        raise ValueError(by)
    start, end = _fy_bounds(year_be)
    staff_key = "region" if by == "region" else "org_unit_id"
    staff_group = dict(
        Employee.objects.filter(start_date__lte=end).exclude(end_date__lt=start).values_list("pk", staff_key)
    )
    done = Attendance.objects.filter(completed=True, course__start_date__range=(start, end))
    at_work: set[int] = set()
    ai: set[int] = set()
    for employee_id, competency in done.filter(
        course__audience=CourseAudience.STAFF, applies_at_work=True, employee__isnull=False
    ).values_list("employee_id", "course__competency"):
        at_work.add(employee_id)
        if competency == Competency.AI_WORK:
            ai.add(employee_id)
    at_work, ai = supervisor_confirmed(year_be, at_work, ai)
    leader_key = "region" if by == "region" else "course__org_unit_id"
    leaders: dict[Any, set[str]] = defaultdict(set)
    orgs: dict[Any, set[int]] = defaultdict(set)
    for group, name, org in done.filter(course__audience=CourseAudience.LEADERS).values_list(
        leader_key, "leader_name", "organization_id"
    ):
        leaders[group].add(name)
        if org is not None:
            orgs[group].add(org)

    base: dict[Any, int] = defaultdict(int)
    for group in staff_group.values():
        base[group] += 1
    counted = {
        "digital_at_work": _by_group(at_work, staff_group),
        "ai_use": _by_group(ai, staff_group),
        "leaders_trained": {g: len(v) for g, v in leaders.items()},
        "orgs_digital": {g: len(v) for g, v in orgs.items()},
    }
    names = _group_names(by)
    rows: list[GroupRow] = []
    for target in CompetencyTarget.objects.filter(fiscal_year=year_be).order_by("indicator"):
        counts = counted.get(target.indicator)
        if counts is None:
            continue
        percent = target.indicator in PERCENT_INDICATORS
        groups = base if percent else counts
        for group in sorted(groups, key=lambda g: names.get(g, str(g))):
            n = counts.get(group, 0)
            rows.append(
                GroupRow(
                    year_be, target.indicator, target.name_th, target.unit,
                    "" if group is None else str(group), names.get(group, str(group)),
                    float(target.target) if percent else None,
                    _percent(n, base[group]) if percent else float(n),
                    n, base[group] if percent else None,
                )
            )  # fmt: skip
    return rows


def _by_group(people: set[int], staff_group: dict[int, Any]) -> dict[Any, int]:
    out: dict[Any, int] = defaultdict(int)
    for pk in people:
        if pk in staff_group:
            out[staff_group[pk]] += 1
    return out


def years() -> list[int]:
    return sorted(set(CompetencyTarget.objects.values_list("fiscal_year", flat=True)))
