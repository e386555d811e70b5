from __future__ import annotations

from datetime import date

import pytest

from codi.finance import ledger
from codi.lending import services
from tests.factories import OrganizationFactory


def make_user(role: str, scope_level: str = "country", scope_code: str = ""):
    from codi.identity.models import RoleAssignment
    from tests.factories import UserFactory

    user = UserFactory()
    RoleAssignment.objects.create(user=user, role=role, scope_level=scope_level, scope_code=scope_code)
    return user


@pytest.fixture
def books(db):
    ledger.chart_load(actor=None)
    services.accounts_load(actor=None)
    for year in (2568, 2569, 2570, 2571):
        ledger.fiscal_year_ensure(actor=None, year_be=year)


@pytest.fixture
def people(db) -> dict:
    return {
        "officer": make_user("project_officer", "province", "40"),  # Khon Kaen credit officer
        "officer2": make_user("project_officer"),
        "committee": make_user("regional_director", "region", "northeast"),
        "cashier": make_user("finance_officer"),
        "auditor": make_user("internal_auditor"),
        "south_officer": make_user("project_officer", "region", "south"),
        "south_director": make_user("regional_director", "region", "south"),
        "south_cashier": make_user("finance_officer", "region", "south"),
        "leader": make_user("community_leader"),
    }


@pytest.fixture
def product(db):
    return services.product_create(
        actor=None, code="LIV", name_th="สินเชื่อเพื่อพัฒนาอาชีพ", kind="livelihood", method="equal_principal",
        day_count="30/360", annual_rate="6", rate_from=date(2020, 1, 1), min_principal="10000",
        max_principal="5000000", min_months=3, max_months=120, grace_days=5, penalty_rate="12",
    )  # fmt: skip


@pytest.fixture
def housing_product(db):
    return services.product_create(
        actor=None, code="HOU", name_th="สินเชื่อที่อยู่อาศัย", kind="housing", method="annuity",
        day_count="30/360", annual_rate="4", rate_from=date(2020, 1, 1), min_principal="10000",
        max_principal="50000000", min_months=12, max_months=240,
    )  # fmt: skip


@pytest.fixture
def org(db):
    return OrganizationFactory()  # subdistrict 400101, Khon Kaen (northeast)


def active_loan(people, product, org, *, principal="12000", months=3, start=date(2025, 1, 15), **kw):
    loan = services.loan_apply(
        actor=people["officer"], product=product, organization=org, principal=principal, months=months,
        purpose="ทุนหมุนเวียนกลุ่มอาชีพ", applied_on=start, **kw,
    )  # fmt: skip
    services.loan_review(actor=people["officer"], loan=loan, decision="pass")
    services.loan_decide(actor=people["committee"], loan=loan, decision="approve")
    return services.loan_disburse(
        actor=people["cashier"], loan=loan, disbursed_on=start, bank_code="006", account_no="9801234567"
    )
