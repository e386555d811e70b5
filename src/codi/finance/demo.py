"""Demo data for finance, made through the real services and the BPMN engine, marked as demo.

Needs ``load_demo`` first (org units and the demo finance officer and executive). Adds the demo
chief accountant, loads the chart, opens the current fiscal year, creates budget lines, and
drives vouchers to every step, each action taken by the demo user whose role owns the step:
demo_finance prepares and pays, demo_chief_accountant checks, demo_executive approves above
the limit. Then PMS's money trail is synced. Running it again adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from codi.finance import ledger, payables, payments, vouchers
from codi.finance.models import (
    Account,
    BudgetCategory,
    BudgetLine,
    PayeeType,
    PaymentVoucher,
    Receipt,
    Vendor,
)
from codi.finance.pms_sync import projects_ledger_sync
from codi.identity.models import OrgUnit, User
from codi.identity.roles import Role, ScopeLevel
from codi.identity.services import role_assign, user_create

DEMO_PASSWORD = "codi-demo-2569"  # noqa: S105 — the documented demo password (README)
CHIEF = "demo_chief_accountant"

BUDGET = [
    ("DEMO-OP-HQ", "ค่าใช้จ่ายดำเนินงานสำนักงานใหญ่", "HQ", BudgetCategory.OPERATING, "5104010112", "3000000.00"),
    ("DEMO-OP-IT", "ค่าบริการระบบสารสนเทศ", "HQ-IT", BudgetCategory.OPERATING, "5104010112", "1500000.00"),
    ("DEMO-TRAVEL", "ค่าเดินทางลงพื้นที่", "REG-NE", BudgetCategory.OPERATING, "5104010107", "800000.00"),
]
# (budget code, payee, bank, account, amount, description, the step it stops at)
VOUCHERS = [
    ("DEMO-OP-HQ", "บริษัท สยามคลีน จำกัด (ตัวอย่าง)", "006", "1234567890", "45000.00", "ค่าจ้างทำความสะอาด ต.ค.", "prepare"),
    ("DEMO-TRAVEL", "นางสาวสมศรี ใจดี (ตัวอย่าง)", "002", "2345678901", "8600.00", "ค่าเดินทางลงพื้นที่ขอนแก่น", "check"),
    ("DEMO-OP-IT", "บริษัท ไทยคลาวด์ จำกัด (ตัวอย่าง)", "004", "3456789012", "420000.00", "ค่าบริการคลาวด์รายปี", "approve"),
    ("DEMO-OP-HQ", "การไฟฟ้านครหลวง (ตัวอย่าง)", "006", "4567890123", "38250.75", "ค่าไฟฟ้า พ.ย.", "pay"),
    ("DEMO-OP-HQ", "ร้านเครื่องเขียนไทย (ตัวอย่าง)", "014", "5678901234", "12480.00", "ค่าวัสดุสำนักงาน", "sent"),
    ("DEMO-OP-IT", "บริษัท เน็ตเวิร์ค จำกัด (ตัวอย่าง)", "025", "6789012345", "150000.00", "ค่าบำรุงรักษาเครือข่าย", "paid"),
    ("DEMO-TRAVEL", "นายสมชาย ตัวอย่าง (ตัวอย่าง)", "006", "7890123456", "5200.00", "ค่าเดินทาง (เอกสารซ้ำ)", "rejected"),
]  # fmt: skip


@dataclass
class FinanceDemoSummary:
    accounts_created: int = 0
    budget_lines_created: int = 0
    vouchers_by_step: dict[str, str] = field(default_factory=dict)
    pms_entries_posted: int = 0
    pms_errors: list[str] = field(default_factory=list)


def _chief() -> User:
    user = User.objects.filter(username=CHIEF).first()
    if user is None:
        unit = OrgUnit.objects.filter(code="HQ-FIN").first()
        user = user_create(
            actor=None, username=CHIEF, password=DEMO_PASSWORD, name_th="หัวหน้าฝ่ายบัญชี (ตัวอย่าง)",
            org_unit=unit, is_demo=True,
        )  # fmt: skip
    role_assign(
        actor=None, user=user, role=Role.CHIEF_ACCOUNTANT, scope_level=ScopeLevel.COUNTRY, scope_code=""
    )
    return user


def finance_demo_load() -> FinanceDemoSummary:
    summary = FinanceDemoSummary()
    maker = User.objects.get(username="demo_finance")
    executive = User.objects.get(username="demo_executive")
    chief = _chief()
    summary.accounts_created, _updated = ledger.chart_load(actor=None)
    year = ledger.fiscal_year_ensure(actor=None, year_be=ledger.fiscal_year_of(timezone.localdate()))
    lines: dict[str, BudgetLine] = {}
    for code, name, unit, category, account, allocated in BUDGET:
        line = BudgetLine.objects.filter(fiscal_year=year, code=code).first()
        if line is None:
            line = ledger.budget_line_create(
                actor=maker, fiscal_year=year, code=code, name=name, unit=OrgUnit.objects.get(code=unit),
                category=category, expense_account=Account.objects.get(code=account), allocated=allocated,
                plan="แผนงานบริหารจัดการ", is_demo=True,
            )  # fmt: skip
            summary.budget_lines_created += 1
        lines[code] = line
    if not PaymentVoucher.objects.filter(is_demo=True, fiscal_year=year).exists():
        made: list[tuple[PaymentVoucher, str]] = []
        for code, payee, bank, account, amount, text, stop in VOUCHERS:
            voucher = vouchers.voucher_create(
                actor=maker, budget_line=lines[code], payee_name=payee, payee_bank_code=bank,
                payee_account_no=account, amount=Decimal(amount), description=text, is_demo=True,
            )  # fmt: skip
            if stop != "prepare":
                voucher = vouchers.voucher_submit(actor=maker, voucher=voucher)
            if stop == "rejected":
                vouchers.voucher_check(
                    actor=chief, voucher=voucher, decision="reject", comment="เอกสารซ้ำกับ PV ก่อนหน้า"
                )
            elif stop not in {"prepare", "check"}:
                voucher = vouchers.voucher_check(actor=chief, voucher=voucher, decision="pass")
                if voucher.current_step == "approve" and stop != "approve":
                    vouchers.voucher_approve(actor=executive, voucher=voucher, decision="approve")
            made.append((voucher, stop))
        to_send = [v.pk for v, stop in made if stop in {"sent", "paid"}]
        batch = payments.batch_create(actor=maker, voucher_ids=to_send, value_date=timezone.localdate())
        paid = [v for v, stop in made if stop == "paid"]
        statement = (
            "date,amount,reference,description\n"
            + "".join(
                f"{batch.value_date.isoformat()},-{PaymentVoucher.objects.get(pk=v.pk).amount},"
                f"{PaymentVoucher.objects.get(pk=v.pk).number},โอนเงิน\n"
                for v in paid
            )
            + f"{batch.value_date.isoformat()},1250.00,INT-DEMO,ดอกเบี้ยเงินฝาก (ตัวอย่าง)\n"
        )
        payments.statement_import(actor=maker, text=statement)
    for voucher in PaymentVoucher.objects.filter(is_demo=True, fiscal_year=year).order_by("sequence"):
        summary.vouchers_by_step[voucher.number] = voucher.current_step or voucher.status
    _payables_demo(maker)
    sync = projects_ledger_sync(actor=None)
    summary.pms_entries_posted, summary.pms_errors = sync.entries_posted, sync.errors
    return summary


# (name, tax ID, payee type, bank, account, invoice number, amount before VAT, income type, VAT?)
VENDORS = [
    ("บริษัท สยามคลีน จำกัด (ตัวอย่าง)", "0105550123451", PayeeType.JURISTIC, "006", "1234567890", "SC-2569-118",
     "42056.07", "service", True),
    ("นายวิทยา ที่ปรึกษา (ตัวอย่าง)", "3100100123451", PayeeType.INDIVIDUAL, "002", "2345678901", "WT-07",
     "25000.00", "professional", False),
]  # fmt: skip


def _payables_demo(maker: User) -> None:
    """Two vendors with an invoice each (VAT, withholding, 50 ทวิ) and one expected receipt."""
    today = timezone.localdate()
    for name, tax_id, kind, bank, account, number, amount, income, vat in VENDORS:
        vendor = Vendor.objects.filter(tax_id=tax_id).first() or payables.vendor_create(
            actor=maker, name=name, tax_id=tax_id, payee_type=kind, bank_code=bank, account_no=account,
            address="912 ถนนนวมินทร์ แขวงคลองจั่น เขตบางกะปิ กรุงเทพมหานคร 10240",
        )  # fmt: skip
        if not vendor.invoices.filter(invoice_number=number).exists():
            payables.invoice_record(
                actor=maker, vendor=vendor, invoice_number=number, invoice_date=today,
                description=f"{payables.INCOME_TYPES[income].label_th} (ตัวอย่าง)", expense_account="5104010112",
                amount=amount, income_type=income, with_vat=vat,
            )  # fmt: skip
    if not Receipt.objects.exists():
        payments.receipt_create(
            actor=maker, payer_name="กลุ่มออมทรัพย์บ้านนา (ตัวอย่าง)", amount="15000.00",
            credit_account="4206010101", on=today,
        )  # fmt: skip
