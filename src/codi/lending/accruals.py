"""Running the month-end interest accrual (``operations.interest_accrue``) from a command or a page.

Who: finance staff with ``lending.cash`` over the whole country (the accrual covers every active
loan). Which month: a ``YYYY-MM`` that has ended; by default the last month that ended. Running a
month again changes nothing and says so (the run of that month is unique); every new run is audited
by the service; a refused try (wrong role, area, a month not yet ended) writes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from codi.identity.roles import Perm
from codi.identity.selectors import scope_filter
from codi.lending.models import InterestAccrual
from codi.lending.operations import interest_accrue, month_end_of
from codi.lending.services import LendingError

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class AccrualOutcome:
    run: InterestAccrual
    created: bool


def can_accrue(user: Any) -> bool:
    """Country-wide ``lending.cash`` (an empty condition is a country-wide grant)."""
    condition = scope_filter(user, Perm.LENDING_CASH)
    return condition is not None and not condition


def last_ended_month(today: date | None = None) -> str:
    first = (today or timezone.localdate()).replace(day=1)
    return (first - timedelta(days=1)).strftime("%Y-%m")


def parse_month(value: str) -> date:
    """``YYYY-MM`` (Christian era) → the month's last day; LendingError otherwise."""
    match = MONTH.match((value or "").strip())
    if match is None or not 1 <= int(match.group(2)) <= 12 or not 2000 <= int(match.group(1)) <= 2200:
        raise LendingError("เดือนไม่ถูกต้อง (ค.ศ. YYYY-MM)", "Invalid month (YYYY-MM)")
    return month_end_of(date(int(match.group(1)), int(match.group(2)), 1))


def accrue_month(*, actor: Any, month: str) -> AccrualOutcome:
    """Accrue one month (PermissionDenied outside the role or area, LendingError for the month)."""
    month_end = parse_month(month)
    existed = InterestAccrual.objects.filter(month_end=month_end).exists()
    run = interest_accrue(actor=actor, month_end=month_end)
    return AccrualOutcome(run=run, created=not existed)


def accrual_list() -> QuerySet[InterestAccrual]:
    return InterestAccrual.objects.select_related("created_by").order_by("-month_end")
