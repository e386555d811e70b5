from __future__ import annotations

from decimal import Decimal

import pytest

from codi.finance import ledger
from codi.finance.models import Account, BudgetCategory, BudgetLine
from codi.identity.models import OrgUnit
from codi.procurement import services
from codi.procurement.models import AssetClass, Committee
from tests.finance.conftest import make_user

TODAY_FY = 2570


@pytest.fixture
def unit(db) -> OrgUnit:
    return OrgUnit.objects.get_or_create(code="HQ-ADM", defaults={"name_th": "ฝ่ายบริหารทั่วไป"})[0]


@pytest.fixture
def budget(db, unit) -> BudgetLine:
    ledger.chart_load(actor=None)
    year = ledger.fiscal_year_ensure(
        actor=None, year_be=ledger.fiscal_year_of(__import__("datetime").date.today())
    )
    return ledger.budget_line_create(
        actor=None, fiscal_year=year, code="INV-01", name="ครุภัณฑ์สำนักงาน", unit=unit,
        category=BudgetCategory.INVESTMENT, expense_account=Account.objects.get(code="5104010104"),
        allocated=Decimal("600000.00"),
    )  # fmt: skip


@pytest.fixture
def people(db) -> dict:
    return {
        "requester": make_user("hr_officer"),
        "officer": make_user("procurement_officer"),
        "head": make_user("executive"),
        "payer": make_user("finance_officer"),
        "m1": make_user("hr_officer"),
        "m2": make_user("hr_officer"),
        "m3": make_user("hr_officer"),
        "i1": make_user("hr_officer"),
        "i2": make_user("hr_officer"),
        "i3": make_user("hr_officer"),
        "south": make_user("procurement_officer", "region", "south"),
        "project_officer": make_user("project_officer", "province", "40"),
    }


def computers(n: int = 5, price: str = "25000") -> list[services.ItemIn]:
    klass = AssetClass.objects.get(code="COMPUTER")
    return [services.ItemIn("คอมพิวเตอร์โน้ตบุ๊ก", n, "เครื่อง", price, klass.pk)]


def make_requisition(people, budget, items=None, **kw):
    return services.requisition_create(
        actor=people["requester"], budget_line=budget, title="จัดซื้อคอมพิวเตอร์", reason="ทดแทนเครื่องเก่า",
        specification="CPU 8 cores", category="goods", reference_source="สืบราคาจากท้องตลาด 3 ราย",
        items=items or computers(), **kw,
    )  # fmt: skip


def appoint_all(people, req, inspectors=("i1", "i2", "i3")):
    for n, key in enumerate(("m1", "m2", "m3")):
        services.committee_appoint(
            actor=people["requester"],
            requisition=req,
            committee=Committee.PROCUREMENT,
            user=people[key],
            is_chair=n == 0,
        )
    for n, key in enumerate(inspectors):
        services.committee_appoint(
            actor=people["requester"],
            requisition=req,
            committee=Committee.INSPECTION,
            user=people[key],
            is_chair=n == 0,
        )
    for member in req.committee.all():
        services.committee_declare(actor=member.user, member=member, no_conflict=True)


@pytest.fixture
def approved(people, budget):
    req = make_requisition(people, budget)
    appoint_all(people, req)
    services.requisition_submit(actor=people["requester"], requisition=req)
    return services.requisition_approve(actor=people["head"], requisition=req, decision="approve")
