"""HR edits the attendance rule (``AttendanceRule``: when the working day starts and the grace
minutes, from a date on, for a unit or for all): validated, in a transaction, audited.

Scope: an HR officer with ``PEOPLE_MANAGE`` edits the rules of the units in their scope; the
general rule (no unit) applies to everyone, so only HR with country-wide scope may edit it.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet

from codi.core.audit import audit_record
from codi.identity.models import OrgUnit
from codi.identity.roles import Perm
from codi.people.models import AttendanceRule
from codi.people.selectors import hr_unit_scope

EARLIEST_START, LATEST_START = time(5, 0), time(12, 0)
MAX_GRACE = 120


class RuleProblems(Exception):  # noqa: N818 — the refused fields, each with its Thai and English reason
    def __init__(self, problems: dict[str, tuple[str, str]]) -> None:
        super().__init__(problems)
        self.problems = problems


def _scope(actor: Any) -> set[int] | None:
    units = hr_unit_scope(actor, Perm.PEOPLE_MANAGE)
    if units is not None and not units:
        raise PermissionDenied
    return units


def rule_list(*, actor: Any) -> QuerySet[AttendanceRule]:
    """The rules HR may see: the general ones and their units' (newest first)."""
    units = _scope(actor)
    rows = AttendanceRule.objects.select_related("org_unit").order_by("-valid_from", "org_unit__code")
    return rows if units is None else rows.filter(Q(org_unit__isnull=True) | Q(org_unit_id__in=units))


def can_edit(actor: Any, org_unit_id: int | None) -> bool:
    units = hr_unit_scope(actor, Perm.PEOPLE_MANAGE)
    return units is None or (org_unit_id is not None and org_unit_id in units)


def units_for(actor: Any) -> QuerySet[OrgUnit]:
    units = _scope(actor)
    rows = OrgUnit.objects.order_by("code")
    return rows if units is None else rows.filter(pk__in=units)


def _clean(values: dict[str, str], actor: Any) -> tuple[dict[str, Any], dict[str, tuple[str, str]]]:
    problems: dict[str, tuple[str, str]] = {}
    cleaned: dict[str, Any] = {}
    try:
        cleaned["valid_from"] = date.fromisoformat(values.get("valid_from", "").strip())
    except ValueError:
        problems["valid_from"] = ("กรุณาระบุวันที่มีผล", "Give the date the rule starts")
    unit_text = values.get("org_unit", "").strip()
    cleaned["org_unit_id"] = int(unit_text) if unit_text.isdigit() else None
    if unit_text and cleaned["org_unit_id"] is None:
        problems["org_unit"] = ("ไม่พบหน่วยงาน", "No such unit")
    elif (
        cleaned["org_unit_id"] is not None and not units_for(actor).filter(pk=cleaned["org_unit_id"]).exists()
    ):
        problems["org_unit"] = ("หน่วยงานนี้อยู่นอกขอบเขตของท่าน", "The unit is outside your scope")
    try:
        start = time.fromisoformat(values.get("start_time", "").strip())
    except ValueError:
        problems["start_time"] = ("เวลาเริ่มงานไม่ถูกต้อง (เช่น 08:30)", "Invalid start time (e.g. 08:30)")
    else:
        if not EARLIEST_START <= start <= LATEST_START:
            problems["start_time"] = (
                "เวลาเริ่มงานต้องอยู่ระหว่าง 05:00 ถึง 12:00 น.",
                "The working day starts between 05:00 and 12:00",
            )
        cleaned["start_time"] = start
    grace = values.get("grace_minutes", "").strip()
    if not grace.isdigit() or int(grace) > MAX_GRACE:
        problems["grace_minutes"] = (
            f"นาทีผ่อนผันต้องเป็นจำนวนเต็ม 0 ถึง {MAX_GRACE}",
            f"Grace minutes are a whole number from 0 to {MAX_GRACE}",
        )
    else:
        cleaned["grace_minutes"] = int(grace)
    return cleaned, problems


def rule_save(*, actor: Any, values: dict[str, str], rule: AttendanceRule | None = None) -> AttendanceRule:
    """Create a rule, or change one (its unit and date may change too); every field is checked
    and all problems are reported together. Saving the same values again changes nothing."""
    _scope(actor)
    if rule is not None and not can_edit(actor, rule.org_unit_id):
        raise PermissionDenied
    cleaned, problems = _clean(values, actor)
    if not problems and cleaned["org_unit_id"] is None and not can_edit(actor, None):
        problems["org_unit"] = (
            "กฎทั่วไป (ทุกหน่วยงาน) แก้ไขได้เฉพาะฝ่ายบุคคลส่วนกลาง",
            "Only HR with country-wide scope edits the general rule",
        )
    if problems:
        raise RuleProblems(problems)
    with transaction.atomic():
        clash = AttendanceRule.objects.filter(
            valid_from=cleaned["valid_from"], org_unit_id=cleaned["org_unit_id"]
        )
        if rule is not None:
            clash = clash.exclude(pk=rule.pk)
        if clash.exists():
            raise RuleProblems(
                {
                    "valid_from": (
                        "มีกฎของหน่วยงานนี้ที่มีผลวันนี้แล้ว",
                        "A rule for this unit starts on this date already",
                    )
                }
            )
        if rule is None:
            rule = AttendanceRule.objects.create(**cleaned)
            audit_record(
                actor=actor, action="people.attendance_rule_create", object_type="people.AttendanceRule",
                object_id=rule.pk, changes={k: str(v) for k, v in cleaned.items()},
            )  # fmt: skip
            return rule
        locked = AttendanceRule.objects.select_for_update().get(pk=rule.pk)
        changes = {
            k: [str(getattr(locked, k)), str(v)] for k, v in cleaned.items() if getattr(locked, k) != v
        }
        if changes:
            for k, v in cleaned.items():
                setattr(locked, k, v)
            locked.save()
            audit_record(
                actor=actor, action="people.attendance_rule_change", object_type="people.AttendanceRule",
                object_id=locked.pk, changes=changes,
            )  # fmt: skip
        return locked
