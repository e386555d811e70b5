"""Writes of the working-day calendar: each one validated, in a transaction, audited."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import holidays as holiday_data
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from codi.calendar.models import Holiday, HolidaySource
from codi.core.audit import audit_record
from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm

FIRST_YEAR, LAST_YEAR = 1990, 2100


def _require_admin(actor: Any) -> None:
    """``actor=None`` is the system (management commands run by the operator)."""
    if actor is not None and not user_has_perm(actor, Perm.USERS_MANAGE):
        raise PermissionDenied("ไม่มีสิทธิ์แก้ไขปฏิทินวันหยุด / Not permitted to edit the holiday calendar")


def _name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError("ต้องระบุชื่อวันหยุด / The holiday needs a name", code="required")
    if len(name) > 200:
        raise ValidationError("ชื่อวันหยุดยาวเกิน 200 ตัวอักษร / Name over 200 characters", code="max_length")
    return name


def holiday_set(*, actor: Any, day: date, name: str, source: str = HolidaySource.CODI) -> Holiday:
    """Add or rename a day off (deadlines computed after this skip it)."""
    _require_admin(actor)
    name = _name(name)
    if source not in HolidaySource.values:
        raise ValidationError(f"Unknown holiday source {source!r}", code="invalid")
    with transaction.atomic():
        old = Holiday.objects.filter(date=day).values("name", "source").first()
        holiday, _ = Holiday.objects.update_or_create(date=day, defaults={"name": name, "source": source})
        audit_record(
            actor=actor,
            action="calendar.holiday.set",
            object_type="calendar.holiday",
            object_id=holiday.pk,
            changes={
                "date": day.isoformat(),
                "name": [old["name"] if old else None, name],
                "source": [old["source"] if old else None, source],
            },
        )
    return holiday


def holiday_remove(*, actor: Any, day: date) -> bool:
    """Make a day a working day again (e.g. a closure called off); False when it was not a holiday."""
    _require_admin(actor)
    with transaction.atomic():
        holiday = Holiday.objects.select_for_update().filter(date=day).first()
        if holiday is None:
            return False
        audit_record(
            actor=actor,
            action="calendar.holiday.remove",
            object_type="calendar.holiday",
            object_id=holiday.pk,
            changes={"date": day.isoformat(), "name": holiday.name, "source": holiday.source},
        )
        holiday.delete()
    return True


def public_holidays_load(*, actor: Any, years: Iterable[int]) -> int:
    """Load Thailand's public holidays (with substitution days) of ``years`` from the ``holidays`` package.

    Names are Thai. A day already in the calendar as a CODI closure keeps CODI's row; a public
    holiday already loaded is renamed only when the package's name changed. Returns the days
    added or renamed. Idempotent.
    """
    _require_admin(actor)
    years = sorted(set(years))
    for year in years:
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValidationError(f"ปี {year} อยู่นอกช่วง {FIRST_YEAR}–{LAST_YEAR}", code="invalid")
    calendar = holiday_data.country_holidays("TH", years=years, language="th")
    changed = 0
    with transaction.atomic():
        existing = {h.date: h for h in Holiday.objects.select_for_update().filter(date__year__in=years)}
        for day, name in sorted(calendar.items()):
            name = name[:200]
            row = existing.get(day)
            if row is not None and (row.source == HolidaySource.CODI or row.name == name):
                continue
            holiday_set(actor=actor, day=day, name=name, source=HolidaySource.PUBLIC)
            changed += 1
    return changed
