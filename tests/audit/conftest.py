from __future__ import annotations

from decimal import Decimal

import pytest

from codi.audit import services
from codi.finance import ledger, payables, vouchers
from codi.finance.models import Account, BudgetCategory, BudgetLine, PayeeType
from codi.identity.models import OrgUnit, RoleAssignment
from tests.factories import UserFactory


def make_user(role: str | None, scope_level: str = "country", scope_code: str = ""):
    user = UserFactory()
    if role:
        RoleAssignment.objects.create(user=user, role=role, scope_level=scope_level, scope_code=scope_code)
    return user


@pytest.fixture
def people(db) -> dict:
    return {
        "auditor": make_user("internal_auditor"),
        "auditor2": make_user("internal_auditor"),
        "executive": make_user("executive"),
        "director": make_user("regional_director", "region", "northeast"),
        "maker": make_user("finance_officer"),
        "chief": make_user("chief_accountant"),
        "hr": make_user("hr_officer"),
        "leader": make_user("community_leader"),
    }


@pytest.fixture
def budget(db) -> BudgetLine:
    ledger.chart_load(actor=None)
    year = ledger.fiscal_year_ensure(actor=None, year_be=2570)
    unit = OrgUnit.objects.get_or_create(code="HQ-FIN", defaults={"name_th": "ฝ่ายการเงินและบัญชี"})[0]
    return ledger.budget_line_create(
        actor=None, fiscal_year=year, code="OP-01", name="ค่าใช้จ่ายดำเนินงาน", unit=unit,
        category=BudgetCategory.OPERATING, expense_account=Account.objects.get(code="5104010112"),
        allocated=Decimal("1000000.00"),
    )  # fmt: skip


def voucher(
    people, budget, *, amount: str, description: str, account: str = "1234567890", check: bool = True
):
    v = vouchers.voucher_create(
        actor=people["maker"], budget_line=budget, payee_name="บริษัท สยามคลีน จำกัด", payee_bank_code="006",
        payee_account_no=account, amount=Decimal(amount), description=description,
    )  # fmt: skip
    v = vouchers.voucher_submit(actor=people["maker"], voucher=v)
    if check:
        v = vouchers.voucher_check(actor=people["chief"], voucher=v, decision="pass")
    return v


@pytest.fixture
def planted(people, budget) -> dict:
    """A vendor and, through finance's services: two vouchers quoting its invoice INV-42 (a duplicate),
    one to the same vendor with another invoice (near miss), one still in preparation (not read)."""
    payables.vendor_create(
        actor=people["maker"], name="บริษัท สยามคลีน จำกัด", tax_id="0105550123451", payee_type=PayeeType.JURISTIC,
        bank_code="006", account_no="123-4-56789-0", address="กรุงเทพมหานคร",
    )  # fmt: skip
    a = voucher(people, budget, amount="45000.00", description="ค่าจ้างทำความสะอาด invoice INV-42")
    b = voucher(people, budget, amount="45000.00", description="ค่าจ้างทำความสะอาด (ซ้ำ) ใบแจ้งหนี้เลขที่ INV-42")
    c = voucher(people, budget, amount="45000.00", description="ค่าจ้างทำความสะอาด invoice INV-43")
    vouchers.voucher_create(
        actor=people["maker"], budget_line=budget, payee_name="บริษัท สยามคลีน จำกัด", payee_bank_code="006",
        payee_account_no="1234567890", amount=Decimal("45000.00"), description="invoice INV-42",
    )  # fmt: skip
    return {"dup": [a, b], "other": c}


@pytest.fixture
def engagement(people):
    return services.engagement_create(
        actor=people["auditor"], title="ตรวจสอบการเบิกจ่าย", scope="ใบสำคัญจ่าย", fiscal_year_be=2570
    )
