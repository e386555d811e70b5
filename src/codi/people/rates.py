"""Editing the dated social-security rate table (HR, country-wide): a new row closes the one before it.

When the Ministry of Labour changes the wage base or the rate, HR adds a row valid from the new
date; the open row before it is closed the day before. Payroll reads the table as of each pay
date (``codi.people.payroll.sso_rates``), so past runs keep the rule they were computed with.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from codi.core.audit import audit_record
from codi.identity.roles import Perm
from codi.people.models import PayrollRun, PayrollStatus, SocialSecurityRate
from codi.people.selectors import hr_unit_scope
from codi.people.services import PeopleError, _amount


def sso_rate_add(
    *, actor: Any, valid_from: date, rate_percent: int, wage_floor: Decimal | str, wage_ceiling: Decimal | str,
    source: str,
) -> SocialSecurityRate:  # fmt: skip
    """A new row from ``valid_from`` (open-ended); refused inside a period already paid."""
    if actor is not None and hr_unit_scope(actor, Perm.PEOPLE_MANAGE) is not None:
        raise PermissionDenied
    floor, ceiling = _amount(wage_floor, "wage_floor"), _amount(wage_ceiling, "wage_ceiling")
    if not 0 < rate_percent <= 15 or floor <= 0 or ceiling < floor:
        raise PeopleError(
            "อัตราต้องอยู่ระหว่าง 1-15 และฐานค่าจ้างสูงสุดต้องไม่ต่ำกว่าฐานต่ำสุด",
            "The rate is 1 to 15 % and the ceiling is not below the floor",
        )
    if not source.strip():
        raise PeopleError("กรุณาระบุที่มา (กฎกระทรวง)", "Give the source (the ministerial regulation)")
    with transaction.atomic():
        if PayrollRun.objects.filter(status=PayrollStatus.APPROVED, pay_date__gte=valid_from).exists():
            raise PeopleError(
                "มีงวดเงินเดือนที่อนุมัติแล้วหลังวันที่นี้ กรุณากลับรายการก่อน",
                "An approved run is paid on or after this date: reverse it first",
            )
        if SocialSecurityRate.objects.filter(valid_from__gte=valid_from).exists():
            raise PeopleError("มีอัตราที่เริ่มในหรือหลังวันที่นี้แล้ว", "A row already starts on or after this date")
        before = (
            SocialSecurityRate.objects.select_for_update()
            .filter(valid_from__lt=valid_from)
            .order_by("-valid_from")
            .first()
        )
        if before is not None and (before.valid_to is None or before.valid_to >= valid_from):
            before.valid_to = valid_from - timedelta(days=1)
            before.save(update_fields=["valid_to"])
        row = SocialSecurityRate.objects.create(
            valid_from=valid_from, rate_percent=rate_percent, wage_floor=floor, wage_ceiling=ceiling,
            source=source.strip(),
        )  # fmt: skip
        audit_record(
            actor=actor, action="people.sso_rate_add", object_type="people.SocialSecurityRate", object_id=row.pk,
            changes={"valid_from": valid_from, "rate": rate_percent, "floor": floor, "ceiling": ceiling},
        )  # fmt: skip
    return row
