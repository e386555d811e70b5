from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from codi.calendar.services import public_holidays_load
from codi.finance import ledger
from codi.identity.models import OrgUnit, RoleAssignment
from codi.people import services
from tests.factories import UserFactory


def national_id(seed: int) -> str:
    """A valid 13-digit Thai national ID (check digit computed)."""
    body = f"1{seed:011d}"
    check = (11 - sum(int(d) * (13 - i) for i, d in enumerate(body)) % 11) % 10
    return body + str(check)


def make_user(role: str | None = None, *, unit=None, scope_level: str = "country", scope_code: str = ""):
    user = UserFactory(org_unit=unit)
    if role:
        RoleAssignment.objects.create(user=user, role=role, scope_level=scope_level, scope_code=scope_code)
    return user


_seq = iter(range(1, 10_000))


def hire(unit, *, user=None, salary="30000.00", head=False, **extra):
    n = next(_seq)
    return services.employee_create(
        actor=None, employee_no=f"E{n:05d}", first_name_th=f"สมชาย{n}", last_name_th="ใจดี", position="นักพัฒนาชุมชน",
        org_unit=unit, salary=salary, start_date=date(2020, 1, 1), national_id=national_id(n), bank_code="006",
        bank_account=f"12345678{n:02d}", user=user, is_unit_head=head, **extra,
    )  # fmt: skip


@pytest.fixture
def org(db):
    hq = OrgUnit.objects.create(code="HQ", name_th="สำนักงานใหญ่")
    hr = OrgUnit.objects.create(code="HQ-HR", name_th="ฝ่ายทรัพยากรบุคคล", parent=hq)
    north = OrgUnit.objects.create(code="R-N", name_th="สำนักงานภาคเหนือ", parent=hq)
    south = OrgUnit.objects.create(code="R-S", name_th="สำนักงานภาคใต้", parent=hq)
    return {"hq": hq, "hr": hr, "north": north, "south": south}


@pytest.fixture
def staff(org):
    """Employees with accounts: a northern worker and their head, a southern worker, HR and an approver."""
    north_user, head_user, south_user = make_user(), make_user(), make_user()
    hr_all = make_user("hr_officer", unit=org["hr"])
    hr_north = make_user("hr_officer", unit=org["north"], scope_level="region", scope_code="north")
    approver = make_user("executive", unit=org["hq"])
    return {
        "north": hire(org["north"], user=north_user),
        "head": hire(org["north"], user=head_user, head=True, salary="55000.00"),
        "south": hire(org["south"], user=south_user),
        "hr_all": hr_all,
        "hr_north": hr_north,
        "approver": approver,
        "outsider": make_user(),
    }


@pytest.fixture
def holidays_2026(db):
    public_holidays_load(actor=None, years=[2026, 2027])


@pytest.fixture
def books(db):
    ledger.chart_load(actor=None)
    ledger.fiscal_year_ensure(actor=None, year_be=2570)
    return Decimal("0")
