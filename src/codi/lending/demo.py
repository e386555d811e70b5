"""The lending demo (after load_demo and load_finance_demo): four products and a portfolio of loans
to demo organizations in every region, some repaid on time, some in arrears in each ageing bucket,
one closed (the eighth) and a few still in approval, all through the services (so the ledger, the schedules and
the audit trail are real). Dates are relative to today so that arrears stay meaningful.

Behaviour by loan (position i in the list, i % 6): 0 on time; 1 last instalment missed (1-30 days);
2 stopped paying two instalments ago (31-90 days); 3 stopped five instalments ago (> 90 days, NPL);
4 on time; 5 on time. Three more applications wait at review, committee and disbursement.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from codi.communities.models import Organization
from codi.communities.selectors import organization_list
from codi.finance import ledger
from codi.identity.models import User
from codi.identity.roles import Role, ScopeLevel
from codi.identity.services import role_assign, user_create
from codi.lending import backfill, history, services
from codi.lending.demo_community import community_demo_load
from codi.lending.models import Channel, Loan, LoanProduct, LoanStatus
from codi.lending.tasks import npl_snapshot_schedule

DEMO_PASSWORD = "codi-demo-2569"  # noqa: S105 — the documented demo password (README)
CREDIT_OFFICER = "demo_credit"
LOANS_PER_REGION = 3
NPL_MONTHS = 12
PRODUCTS = [
    # code, Thai name, kind, method, day count, rate, min, max, months range, grace, penalty, collateral
    ("BMK-HOUSING", "สินเชื่อที่อยู่อาศัยบ้านมั่นคง", "housing", "annuity", "actual/365", "2", "100000", "20000000", (12, 240), 15, "6", True),
    ("LAND", "สินเชื่อเพื่อซื้อที่ดิน", "land", "annuity", "30/360", "3", "100000", "10000000", (12, 180), 15, "6", True),
    ("LIVELIHOOD", "สินเชื่อพัฒนาอาชีพ", "livelihood", "equal_principal", "30/360", "4", "10000", "2000000", (6, 60), 7, "12", False),
    ("REVOLVING", "สินเชื่อกองทุนหมุนเวียนชุมชน", "revolving", "flat", "30/360", "1", "10000", "1000000", (6, 36), 7, "6", False),
]  # fmt: skip
PRINCIPALS = ["1500000", "850000", "240000", "120000", "2400000", "600000", "180000", "90000"]
TERMS = {"housing": 120, "land": 84, "livelihood": 24, "revolving": 12}
# Instalments left unpaid, by behaviour (i % 6), counted back from the last one due.
MISSED = {0: 0, 1: 1, 2: 2, 3: 5, 4: 0, 5: 0}


@dataclass
class LendingDemoSummary:
    products_created: int = 0
    loans_by_status: dict[str, int] = field(default_factory=dict)
    regions: int = 0
    repayments: int = 0
    housing_projects: int = 0
    welfare_funds: int = 0
    npl_months: int = 0  # past month ends written to the NPL history (back-filled from the repayments)


def _officer() -> User:
    user = User.objects.filter(username=CREDIT_OFFICER).first()
    if user is None:
        user = user_create(
            actor=None, username=CREDIT_OFFICER, password=DEMO_PASSWORD,
            name_th="เจ้าหน้าที่สินเชื่อ (ตัวอย่าง)", is_demo=True,
        )  # fmt: skip
    role_assign(
        actor=None, user=user, role=Role.PROJECT_OFFICER, scope_level=ScopeLevel.COUNTRY, scope_code=""
    )
    return user


def _organizations(officer: User) -> list[Organization]:
    """Up to LOANS_PER_REGION demo organizations in each region, the lowest ids first."""
    chosen: list[Organization] = []
    seen: dict[str, int] = {}
    demo = (
        organization_list(actor=officer)
        .filter(is_demo=True)
        .select_related("subdistrict__district__province")
    )
    for org in demo.order_by("id").iterator():
        region = org.subdistrict.district.province.region_id or ""
        if seen.get(region, 0) < LOANS_PER_REGION:
            seen[region] = seen.get(region, 0) + 1
            chosen.append(org)
    return chosen


def lending_demo_load(*, today: date | None = None) -> LendingDemoSummary:
    """Create the demo portfolio once; a second run changes nothing."""
    today = today or timezone.localdate()
    summary = LendingDemoSummary()
    officer = _officer()
    committee = User.objects.get(username="demo_executive")
    cashier = User.objects.get(username="demo_finance")
    with transaction.atomic():
        ledger.chart_load(actor=None)
        services.accounts_load(actor=None)
        first = today - relativedelta(months=30)
        for year in range(ledger.fiscal_year_of(first), ledger.fiscal_year_of(today) + 1):
            ledger.fiscal_year_ensure(actor=None, year_be=year)
        products: dict[str, LoanProduct] = {}
        for code, name, kind, method, days, rate, low, high, (
            short,
            long,
        ), grace, penalty, collateral in PRODUCTS:
            product = LoanProduct.objects.filter(code=code).first()
            if product is None:
                product = services.product_create(
                    actor=None, code=code, name_th=name, kind=kind, method=method, day_count=days,
                    annual_rate=rate, rate_from=date(2020, 1, 1), min_principal=low, max_principal=high,
                    min_months=short, max_months=long, grace_days=grace, penalty_rate=penalty,
                    collateral_required=collateral,
                )  # fmt: skip
                summary.products_created += 1
            products[kind] = product
        if summary.products_created:  # a dated rate change: housing loans from this fiscal year pay less
            services.product_rate_set(actor=None, product=products["housing"],
                                      effective_from=date(today.year, 1, 1), annual_rate="1.5")  # fmt: skip
        if not Loan.objects.filter(is_demo=True).exists():
            orgs = _organizations(officer)
            kinds = list(TERMS)
            for i, org in enumerate(orgs):
                kind = kinds[i % len(kinds)]
                summary.repayments += _demo_loan(
                    i, org, products[kind], officer=officer, committee=committee, cashier=cashier, today=today
                )
            for i, org in enumerate(orgs[:3]):  # waiting at each approval step
                loan = services.loan_apply(
                    actor=officer, product=products["livelihood"], organization=org, principal="150000",
                    months=24, purpose="ขยายกลุ่มอาชีพแปรรูปอาหาร (ตัวอย่าง)", applied_on=today, is_demo=True,
                )  # fmt: skip
                if i >= 1:
                    services.loan_review(actor=officer, loan=loan, decision="pass")
                if i >= 2:
                    services.loan_decide(actor=committee, loan=loan, decision="approve")
        summary.housing_projects, summary.welfare_funds = community_demo_load(
            officer=officer, committee=committee, today=today
        )
    # The NPL history chart starts with the past year, rebuilt from the demo's dated repayments, and
    # the month-start snapshot is queued for the task worker (codi.lending.tasks).
    months = backfill.snapshot_backfill(until=history.last_closed_month_end(today), months=NPL_MONTHS)
    summary.npl_months = sum(m.state == backfill.CREATED for m in months)
    npl_snapshot_schedule()
    for status in LoanStatus.values:
        count = Loan.objects.filter(is_demo=True, status=status).count()
        if count:
            summary.loans_by_status[status] = count
    summary.regions = len(
        set(
            Loan.objects.filter(is_demo=True).values_list(
                "subdistrict__district__province__region", flat=True
            )
        )
    )
    return summary


def _demo_loan(
    i: int,
    org: Organization,
    product: LoanProduct,
    *,
    officer: User,
    committee: User,
    cashier: User,
    today: date,
) -> int:
    months_ago = 9 + (i * 5) % 16  # disbursed 9 to 24 months ago
    start = today - relativedelta(months=months_ago)
    kind = product.kind
    closed = i == 7  # one short revolving-fund loan repaid in full
    months = 6 if closed else TERMS[kind]
    loan = services.loan_apply(
        actor=officer, product=product, organization=org, principal=PRINCIPALS[i % len(PRINCIPALS)],
        months=months, purpose=f"{product.name_th} ของ{org.name_th} (ตัวอย่าง)", applied_on=start,
        collateral="โฉนดที่ดินรวมของสหกรณ์ (ตัวอย่าง)" if product.collateral_required else "", is_demo=True,
    )  # fmt: skip
    services.loan_review(actor=officer, loan=loan, decision="pass")
    services.loan_decide(actor=committee, loan=loan, decision="approve")
    services.loan_disburse(
        actor=cashier, loan=loan, disbursed_on=start, bank_code="006", account_no=f"98{org.pk:08d}"
    )
    due = list(loan.instalments.filter(is_current=True, due_date__lt=today).order_by("n"))
    paid = due if closed else due[: max(0, len(due) - MISSED[i % 6])]
    for inst in paid:
        services.repayment_record(
            actor=cashier, loan=loan, amount=Decimal(inst.principal_due + inst.interest_due),
            received_on=inst.due_date, reference=f"QR-{loan.number}-{inst.n:03d}", channel=Channel.QR,
        )  # fmt: skip
    return len(paid)
