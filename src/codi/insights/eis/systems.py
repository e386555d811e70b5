"""The plan's systems and their go-live dates: the source of "systems delivered on time".

The digital action plan (chapter 3) names each system and the fiscal year it is to be finished in.
A system administrator (the security operations right, held country-wide) records when each one
went live; every change is validated, transactional and audited. The KPI counts, for a fiscal year,
the systems planned to go live in that year that went live by their planned date, against all the
systems planned for the year whose date has passed or that have gone live.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from codi.core.audit import audit_record
from codi.insights.eis.registry import Fact, NoDataError
from codi.insights.models import PlannedSystem
from codi.insights.selectors import can_operate

# The plan's systems (chapter 3.2, each project's indicators) and the fiscal year each is due in;
# the planned go-live is the year's last day unless an admin records an earlier plan.
PLAN: tuple[tuple[str, str, int], ...] = (
    ("pms-area", "ระบบบริหารจัดการโครงการและบูรณาการพื้นที่ปฏิบัติการชุมชนท้องถิ่นจัดการตนเอง", 2568),
    ("governance", "แพลตฟอร์มธรรมาภิบาล", 2568),
    ("dts-1", "ระบบดิจิทัลพื้นฐานของหน่วยงาน ระยะที่ 1", 2568),
    ("hrm-erp", "ระบบการวางแผนทรัพยากรในองค์กร", 2569),
    ("website", "เว็บไซต์ พอช. และหน่วยงานภายใน", 2569),
    ("gis", "ระบบสารสนเทศภูมิศาสตร์", 2569),
    ("ai-assistant", "ระบบผู้ช่วยนักวิเคราะห์เพื่อสนับสนุนการบริหารจัดการองค์กรชุมชนท้องถิ่น", 2569),
    ("dts-2", "ระบบดิจิทัลพื้นฐานของหน่วยงาน ระยะที่ 2", 2569),
    ("km-ai", "ระบบบริหารจัดการองค์ความรู้ร่วมกับปัญญาประดิษฐ์", 2570),
    ("social-scoring", "ระบบประเมินชุมชนด้วยปัญญาประดิษฐ์", 2570),
    ("e-audit", "ระบบประเมินและตรวจสอบภายใน", 2570),
    ("dts-3", "ระบบดิจิทัลพื้นฐานของหน่วยงาน ระยะที่ 3", 2570),
)


def year_end(plan_year: int) -> date:
    return date(plan_year - 543, 9, 30)


def system_list() -> QuerySet[PlannedSystem]:
    return PlannedSystem.objects.all()


def _require(actor: Any) -> None:
    if not can_operate(actor):
        raise PermissionDenied("ต้องเป็นผู้ดูแลระบบ / System administrator required")


def plan_load(*, actor: Any) -> int:
    """Create the plan's systems that are not recorded yet (idempotent); how many were created."""
    _require(actor)
    created = 0
    with transaction.atomic():
        for code, name, year in PLAN:
            system, made = PlannedSystem.objects.get_or_create(
                code=code,
                defaults={"name": name, "plan_year": year, "planned_on": year_end(year), "updated_by": actor},
            )
            if made:
                created += 1
                audit_record(actor=actor, action="insights.system.create", object_type="insights.plannedsystem",
                             object_id=system.pk, changes={"code": code, "plan_year": year})  # fmt: skip
    return created


def system_update(
    *, actor: Any, system: PlannedSystem, planned_on: date | None, delivered_on: date | None, note: str = ""
) -> PlannedSystem:
    """Record a system's planned and actual go-live dates (the actual may be left empty)."""
    _require(actor)
    errors: dict[str, str] = {}
    if planned_on is None:
        errors["planned_on"] = str(_("Enter the planned go-live date."))
    if delivered_on is not None and delivered_on > timezone.localdate():
        errors["delivered_on"] = str(_("The actual go-live cannot be in the future."))
    if errors:
        raise ValidationError(errors)
    assert planned_on is not None
    with transaction.atomic():
        locked = PlannedSystem.objects.select_for_update().get(pk=system.pk)
        before = {"planned_on": str(locked.planned_on), "delivered_on": str(locked.delivered_on or ""),
                  "note": locked.note}  # fmt: skip
        locked.planned_on, locked.delivered_on = planned_on, delivered_on
        locked.note, locked.updated_by = note.strip()[:300], actor
        locked.save()
        after = {"planned_on": str(planned_on), "delivered_on": str(delivered_on or ""), "note": locked.note}
        changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        if changes:
            audit_record(actor=actor, action="insights.system.update", object_type="insights.plannedsystem",
                         object_id=locked.pk, changes=changes)  # fmt: skip
    return locked


def delivered_on_time(viewer: Any, fiscal_year: int) -> dict[str, Fact]:
    """Systems of the year delivered by their planned date, against those of the year that are due
    (delivered, or past their planned date). The plan is CODI-wide: one country figure."""
    systems = list(PlannedSystem.objects.filter(plan_year=fiscal_year))
    if not systems:
        raise NoDataError(_("No system is planned for this fiscal year."))
    due = [s for s in systems if s.on_time is not None]
    if not due:
        raise NoDataError(_("No system of this fiscal year is due yet."))
    return {"": Fact(Decimal(sum(1 for s in due if s.on_time)), Decimal(len(due)))}
