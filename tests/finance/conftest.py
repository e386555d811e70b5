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
