"""Demo data for procurement and assets, made through the real services and the BPMN engine.

Needs ``load_demo`` and ``load_finance_demo`` first (demo users, the chart, this fiscal year and
the finance demo budget lines). Adds an investment budget line for equipment, the year's plan
(published), requisitions left at every step (each action taken by the demo user whose role owns
it: demo_hr requests, demo_executive approves, demo_procurement procures, staff committees
declare and inspect, demo_finance pays), an imported register of older assets, last month's
depreciation and this year's count of head office. Running it again adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from codi.finance import ledger
from codi.finance.models import Account, BudgetCategory, BudgetLine
from codi.identity.models import OrgUnit, User
from codi.procurement import assets, services, supplies
from codi.procurement.models import AssetClass, Committee, PlanLine, Requisition, Store
from codi.procurement.services import ItemIn

INVESTMENT = ("DEMO-INV-HQ", "ครุภัณฑ์และอุปกรณ์สำนักงาน", "HQ", "5104010104", "2500000.00")
PROCUREMENT_COMMITTEE = ("demo_procurement", "demo_knowledge", "demo_dpo")
INSPECTION_COMMITTEE = ("demo_auditor", "demo_chief_accountant", "demo_admin")
TAX_IDS = ["0105551000011", "0105552000022", "0105553000033", "0105554000044"]

# (key, budget code, title, category, items [(text, qty, uom, price, class)], stop, quarter)
PURCHASES: list[tuple[Any, ...]] = [
    ("notebooks", "DEMO-INV-HQ", "จัดซื้อเครื่องคอมพิวเตอร์โน้ตบุ๊ก", "goods",
     [("คอมพิวเตอร์โน้ตบุ๊ก สำหรับงานประมวลผล", 6, "เครื่อง", "24000.00", "COMPUTER")], "paid", 1),
    ("cleaning", "DEMO-OP-HQ", "จ้างเหมาทำความสะอาดอาคารสำนักงาน", "services",
     [("บริการทำความสะอาด 12 เดือน", 12, "เดือน", "18500.00", None)], "paid", 1),
    ("furniture", "DEMO-INV-HQ", "จัดซื้อโต๊ะและเก้าอี้ห้องประชุม", "goods",
     [("โต๊ะประชุม", 4, "ตัว", "15500.00", "OFFICE"), ("เก้าอี้สำนักงาน", 20, "ตัว", "2900.00", None)], "inspect", 2),
    ("projector", "DEMO-INV-HQ", "จัดซื้อเครื่องฉายภาพ", "goods",
     [("เครื่องฉายภาพ 4,000 ลูเมน", 3, "เครื่อง", "32000.00", "ELECTRIC")], "procure", 2),
    ("server", "DEMO-OP-IT", "จ้างบำรุงรักษาเครือข่ายและแม่ข่าย", "services",
     [("บำรุงรักษารายปี", 1, "งาน", "420000.00", None)], "approve", 3),
    ("vehicle", "DEMO-INV-HQ", "จัดซื้อรถยนต์ตรวจเยี่ยมพื้นที่", "goods",
     [("รถยนต์กระบะ 4 ประตู", 1, "คัน", "890000.00", "VEHICLE")], "prepare", 3),
    ("paper", "DEMO-OP-HQ", "จัดซื้อวัสดุสำนักงาน (เอกสารซ้ำ)", "goods",
     [("กระดาษ A4", 200, "รีม", "125.00", None)], "rejected", 4),
]  # fmt: skip
LEGACY: list[tuple[Any, ...]] = [  # an imported register: (class, text, unit, cost, acquired, accumulated)
    ("OFFICE", "ตู้เอกสารเหล็ก 4 ลิ้นชัก", "HQ", "12500.00", date(2019, 3, 12), "8200.00"),
    ("COMPUTER", "คอมพิวเตอร์ตั้งโต๊ะ", "HQ", "28900.00", date(2022, 6, 1), "25000.00"),
    ("ELECTRIC", "เครื่องปรับอากาศ 24,000 บีทียู", "HQ", "38000.00", date(2021, 1, 20), "26000.00"),
    ("ADVERT", "กล้องถ่ายภาพดิจิทัล", "HQ", "21000.00", date(2023, 2, 14), "9000.00"),
    ("VEHICLE", "รถตู้โดยสาร 12 ที่นั่ง", "HQ", "1350000.00", date(2018, 11, 5), "1100000.00"),
    ("OFFICE", "เครื่องถ่ายเอกสาร", "REG-NE", "85000.00", date(2020, 8, 3), "55000.00"),
]


@dataclass
class ProcurementDemoSummary:
    requisitions_by_step: dict[str, str] = field(default_factory=dict)
    plan_lines: int = 0
    assets: int = 0
    depreciation_total: Decimal = Decimal("0.00")


def _users() -> dict[str, User]:
    names = {
        "demo_hr",
        "demo_executive",
        "demo_procurement",
        "demo_finance",
        *PROCUREMENT_COMMITTEE,
        *INSPECTION_COMMITTEE,
    }
    return {u.username: u for u in User.objects.filter(username__in=names)}


def _investment_line(actor: User) -> BudgetLine:
    year = ledger.fiscal_year_ensure(actor=None, year_be=ledger.fiscal_year_of(timezone.localdate()))
    code, name, unit, account, allocated = INVESTMENT
    line = BudgetLine.objects.filter(fiscal_year=year, code=code).first()
    if line is None:
        line = ledger.budget_line_create(
            actor=actor, fiscal_year=year, code=code, name=name, unit=OrgUnit.objects.get(code=unit),
            category=BudgetCategory.INVESTMENT, expense_account=Account.objects.get(code=account),
            allocated=allocated, plan="แผนงานบริหารจัดการ", is_demo=True,
        )  # fmt: skip
    return line


def _committees(req: Requisition, users: dict[str, User]) -> None:
    for n, name in enumerate(PROCUREMENT_COMMITTEE):
        services.committee_appoint(
            actor=req.requester,
            requisition=req,
            committee=Committee.PROCUREMENT,
            user=users[name],
            is_chair=n == 0,
        )
    for n, name in enumerate(INSPECTION_COMMITTEE):
        services.committee_appoint(
            actor=req.requester,
            requisition=req,
            committee=Committee.INSPECTION,
            user=users[name],
            is_chair=n == 0,
        )
    for member in req.committee.select_related("user"):
        services.committee_declare(actor=member.user, member=member, no_conflict=True)


def _drive(req: Requisition, stop: str, users: dict[str, User], index: int) -> Requisition:
    if stop == "prepare":
        return req
    _committees(req, users)
    req = services.requisition_submit(actor=req.requester, requisition=req)
    if stop == "approve":
        return req
    if stop == "rejected":
        return services.requisition_approve(
            actor=users["demo_executive"], requisition=req, decision="reject", comment="ซ้ำกับรายการที่อนุมัติแล้ว"
        )
    req = services.requisition_approve(actor=users["demo_executive"], requisition=req, decision="approve")
    officer = users["demo_procurement"]
    quotes = [
        services.quotation_add(
            actor=officer,
            requisition=req,
            vendor_name=f"{vendor} (ตัวอย่าง)",
            vendor_tax_id=TAX_IDS[(index + n) % 4],
            amount=(req.reference_price * factor).quantize(Decimal("0.01")),
        )
        for n, (vendor, factor) in enumerate(
            [("บริษัท สยามซัพพลาย จำกัด", Decimal("0.96")), ("ห้างหุ้นส่วนจำกัด ไทยพัสดุ", Decimal("0.99"))]
        )
    ]
    if stop == "procure":
        return req
    today = timezone.localdate()
    signed = today - timedelta(days=60)
    contract = services.contract_award(
        actor=officer, quotation=quotes[0], signed_on=signed, delivery_due=signed + timedelta(days=30),
        penalty_rate_percent="0.10", warranty_months=12, egp_project_no=f"6{index:010d}",
        egp_contract_no=f"DEMO-{index:04d}",
    )  # fmt: skip
    inspector = users["demo_auditor"]
    first_value = (contract.amount / 2).quantize(Decimal("0.01")) if stop == "inspect" else contract.amount
    delivered = signed + timedelta(days=25 if stop == "inspect" else 33)  # the paid one is 3 days late
    delivery = services.delivery_record(
        actor=officer, contract=contract, delivered_on=delivered, amount=first_value
    )
    services.delivery_inspect(actor=inspector, delivery=delivery, accept=True, inspected_on=delivered)
    if stop == "inspect":
        return Requisition.objects.get(pk=req.pk)
    return Requisition.objects.get(pk=req.pk) if stop != "paid" else _pay(req, users)


def _pay(req: Requisition, users: dict[str, User]) -> Requisition:
    services.requisition_pay(actor=users["demo_finance"], requisition=Requisition.objects.get(pk=req.pk))
    return Requisition.objects.get(pk=req.pk)


def procurement_demo_load() -> ProcurementDemoSummary:
    summary = ProcurementDemoSummary()
    users = _users()
    requester, officer = users["demo_hr"], users["demo_procurement"]
    assets.classes_ensure()
    assets.accounts_ensure(actor=None)
    _investment_line(officer)
    year = ledger.fiscal_year_of(timezone.localdate())
    lines = {
        b.code: b for b in BudgetLine.objects.filter(fiscal_year__year_be=year, code__startswith="DEMO-")
    }
    classes = {c.code: c for c in AssetClass.objects.all()}
    if not PlanLine.objects.filter(is_demo=True, fiscal_year_be=year).exists():
        for _key, code, title, category, items, _stop, quarter in PURCHASES:
            total = sum((Decimal(p) * q for _t, q, _u, p, _c in items), Decimal("0"))
            services.plan_line_create(
                actor=officer, budget_line=lines[code], title=title, category=category, estimated_amount=total,
                quarter=quarter, is_demo=True,
            )  # fmt: skip
        services.plan_publish(actor=officer, year_be=year)
    if not Requisition.objects.filter(is_demo=True, fiscal_year_be=year).exists():
        for index, (_key, code, title, category, items, stop, _quarter) in enumerate(PURCHASES, start=1):
            req = services.requisition_create(
                actor=requester, budget_line=lines[code], title=title, reason="เพื่อใช้ในการปฏิบัติงานของสถาบัน (ตัวอย่าง)",
                specification="ตามรายละเอียดแนบท้าย", category=category,
                reference_source="สืบราคาจากผู้ประกอบการ 3 ราย และราคาที่เคยจัดซื้อครั้งล่าสุด",
                items=[ItemIn(t, q, u, p, classes[c].pk if c else None) for t, q, u, p, c in items],
                is_demo=True,
            )  # fmt: skip
            _drive(req, stop, users, index)
        hq = OrgUnit.objects.get(code="HQ")
        for klass, text, unit, cost, acquired, accumulated in LEGACY:
            assets.asset_register(
                actor=officer, asset_class=classes[klass], description=f"{text} (ตัวอย่าง)",
                unit=OrgUnit.objects.get(code=unit), cost=cost, acquired_on=acquired, accumulated=accumulated,
                location="อาคาร พอช. ชั้น 2" if unit == "HQ" else "สำนักงานภาค", is_demo=True,
            )  # fmt: skip
        last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
        if ledger.fiscal_year_of(last_month) == year:
            assets.depreciation_run(actor=officer, period=last_month)
        count = assets.count_start(actor=officer, unit=hq, year_be=year)
        for asset in hq_assets(hq)[:3]:
            assets.count_scan(actor=officer, count=count, asset_code=asset.code, location="อาคาร พอช. ชั้น 2")
    _supplies(officer)
    for req in Requisition.objects.filter(is_demo=True, fiscal_year_be=year).order_by("sequence"):
        summary.requisitions_by_step[req.number] = req.current_step or req.status
    summary.plan_lines = PlanLine.objects.filter(is_demo=True, fiscal_year_be=year).count()
    summary.assets = assets.Asset.objects.filter(is_demo=True).count()
    run = assets.DepreciationRun.objects.order_by("-period").first()
    summary.depreciation_total = run.total if run else Decimal("0.00")
    return summary


SUPPLIES: list[tuple[Any, ...]] = [  # code, name, unit of count, minimum, receipts [(qty, cost)], issues
    ("DEMO-A4", "กระดาษถ่ายเอกสาร A4 80 แกรม", "รีม", "30", [(100, "118.00"), (60, "125.50")], [40, 30, 45]),
    ("DEMO-TONER", "ผงหมึกเครื่องพิมพ์เลเซอร์", "กล่อง", "5", [(10, "2350.00"), (4, "2490.00")], [6, 5]),
    ("DEMO-PEN", "ปากกาลูกลื่นสีน้ำเงิน", "ด้าม", "100", [(500, "4.2500")], [120, 80]),
]


def _supplies(officer: User) -> None:
    """A head-office store with receipts at changing prices and issues to units (FIFO), one item
    below its minimum level; once only."""
    if Store.objects.filter(code="DEMO-HQ").exists():
        return
    hq = OrgUnit.objects.get(code="HQ")
    store = Store.objects.create(code="DEMO-HQ", name_th="คลังวัสดุสำนักงานใหญ่ (ตัวอย่าง)", unit=hq)
    units = list(OrgUnit.objects.order_by("code")[:4]) or [hq]
    today = timezone.localdate()
    for code, name, uom, minimum, receipts, issues in SUPPLIES:
        item = supplies.item_create(actor=officer, code=code, name_th=name, unit_name=uom, min_level=minimum)
        for n, (qty, cost) in enumerate(receipts):
            supplies.receive(
                actor=officer, store=store, item=item, quantity=qty, unit_cost=cost, moved_on=today,
                reference=f"ใบส่งของ DEMO-{code}-{n + 1}", is_demo=True,
            )  # fmt: skip
        for n, qty in enumerate(issues):
            supplies.issue(
                actor=officer, store=store, item=item, quantity=qty, to_unit=units[n % len(units)], moved_on=today,
                reference=f"ใบเบิก DEMO-{n + 1}", is_demo=True,
            )  # fmt: skip


def hq_assets(unit: OrgUnit) -> list[assets.Asset]:
    return list(assets.Asset.objects.filter(unit=unit).order_by("code"))
