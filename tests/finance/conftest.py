from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from codi.finance import ledger
from codi.finance.models import Account, BudgetCategory, BudgetLine, FiscalYear
from codi.identity.models import OrgUnit

TODAY_FY = 2570  # fixtures post in FY2570: 1 Oct 2026 - 30 Sep 2027
IN_FY = date(2026, 11, 2)


@pytest.fixture
def books(db) -> FiscalYear:
    ledger.chart_load(actor=None)
    return ledger.fiscal_year_ensure(actor=None, year_be=TODAY_FY)


@pytest.fixture
def unit(db) -> OrgUnit:
    return OrgUnit.objects.get_or_create(code="HQ-FIN", defaults={"name_th": "ฝ่ายการเงินและบัญชี"})[0]


@pytest.fixture
def budget(books, unit) -> BudgetLine:
    return ledger.budget_line_create(
        actor=None, fiscal_year=books, code="OP-01", name="ค่าใช้จ่ายดำเนินงาน", unit=unit,
        category=BudgetCategory.OPERATING, expense_account=Account.objects.get(code="5104010112"),
        allocated=Decimal("100000.00"),
    )  # fmt: skip


def make_user(role: str, scope_level: str = "country", scope_code: str = ""):
    from codi.identity.models import RoleAssignment
    from tests.factories import UserFactory

    user = UserFactory()
    RoleAssignment.objects.create(user=user, role=role, scope_level=scope_level, scope_code=scope_code)
    return user


@pytest.fixture
def people(db) -> dict:
    return {
        "maker": make_user("finance_officer"),
        "chief": make_user("chief_accountant"),
        "executive": make_user("executive"),
        "auditor": make_user("internal_auditor"),
        "south_officer": make_user("finance_officer", "region", "south"),
        "project_officer": make_user("project_officer", "province", "40"),
    }
