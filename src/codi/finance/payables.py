"""Payables: vendors, vendor invoices with input VAT and withholding tax, the 50 ทวิ certificate and
the monthly ภ.ง.ด.3 / ภ.ง.ด.53 listings.

Withholding (Revenue Code s.40, s.50, s.3 เตรส and Revenue Department order ท.ป.4/2528) as this
module applies it — the table is data, reviewed by the chief accountant before go-live:

* the rate follows the income type (below); amounts are withheld from the amount before VAT;
* a payee that is itself a government agency is not withheld from (``PayeeType.GOVERNMENT``);
* the **government-agency rule**: CODI is a public organisation, and a government agency paying a
  juristic person or an individual for goods, services or hire of work withholds **1 %** instead
  of the private rate when one payment is 10,000 baht or more (order ท.ป.4/2528 ข้อ 12); rent,
  professional fees, commissions and prizes keep their own rate;
* below 1,000 baht a private-rate payment is not withheld (ข้อ 12/1 of the same order's practice);
  the 1 % government rule has its own 10,000-baht floor.

Individuals are reported on ภ.ง.ด.3, juristic persons on ภ.ง.ด.53, both by the month of the
invoice date (CODI withholds when it records the invoice it pays).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.th import pin, tin

from codi.core.audit import audit_record
from codi.core.pdf import render_pdf
from codi.core.spreadsheet import be_date
from codi.core.thaidate import thai_date
from codi.finance import ledger, services
from codi.finance.dimensions import of_budget_line
from codi.finance.ledger import FinanceError
from codi.finance.models import ZERO, Account, BudgetLine, Commitment, PayeeType, Vendor, VendorInvoice
from codi.finance.selectors import is_country_wide
from codi.identity.roles import Perm

VAT_RATE = Decimal("0.07")
GOVERNMENT_RATE = Decimal("1.00")
GOVERNMENT_FLOOR = Decimal("10000.00")
PRIVATE_FLOOR = Decimal("1000.00")
PAYER_IS_GOVERNMENT = True  # CODI is a public organisation (องค์การมหาชน)

# CODI as the payer on certificates and listings (set per deployment; demo tax ID).
PAYER = {
    "name": "สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน)",
    "tax_id": "0994000165978",
    "address": "912 ถนนนวมินทร์ แขวงคลองจั่น เขตบางกะปิ กรุงเทพมหานคร 10240",
}


@dataclass(frozen=True)
class IncomeType:
    label_th: str
    label_en: str
    section: str  # Revenue Code section
    form_row: int  # the row of the 50 ทวิ form it is printed on
    rate: Decimal  # private rate, percent
    government_rule: bool  # the 1 % government-agency rule applies


INCOME_TYPES: dict[str, IncomeType] = {
    "service": IncomeType("ค่าบริการ", "Services", "40(8)", 5, Decimal("3.00"), True),
    "hire_of_work": IncomeType("ค่าจ้างทำของ", "Hire of work", "40(7)/40(8)", 5, Decimal("3.00"), True),
    "advertising": IncomeType("ค่าโฆษณา", "Advertising", "40(8)", 5, Decimal("2.00"), True),
    "transport": IncomeType("ค่าขนส่ง", "Transport", "40(8)", 5, Decimal("1.00"), True),
    "goods": IncomeType("ค่าซื้อสินค้า", "Purchase of goods", "40(8)", 5, Decimal("0.00"), True),
    "professional": IncomeType("ค่าวิชาชีพอิสระ", "Professional fees", "40(6)", 5, Decimal("3.00"), False),
    "rent": IncomeType("ค่าเช่าทรัพย์สิน", "Rent", "40(5)", 5, Decimal("5.00"), False),
    "commission": IncomeType(
        "ค่าธรรมเนียม ค่านายหน้า", "Fees and commissions", "40(2)", 2, Decimal("3.00"), False
    ),
    "prize": IncomeType("รางวัล", "Prizes", "40(8)", 5, Decimal("5.00"), False),
}

# Bank of Thailand bank codes CODI pays into, with their account-number lengths.
BANKS: dict[str, tuple[str, int]] = {
    "002": ("ธนาคารกรุงเทพ", 10),
    "004": ("ธนาคารกสิกรไทย", 10),
    "006": ("ธนาคารกรุงไทย", 10),
    "011": ("ธนาคารทหารไทยธนชาต", 10),
    "014": ("ธนาคารไทยพาณิชย์", 10),
    "022": ("ธนาคารซีไอเอ็มบี ไทย", 10),
    "024": ("ธนาคารยูโอบี", 10),
    "025": ("ธนาคารกรุงศรีอยุธยา", 10),
    "030": ("ธนาคารออมสิน", 12),
    "033": ("ธนาคารอาคารสงเคราะห์", 12),
    "034": ("ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร", 12),
    "066": ("ธนาคารอิสลามแห่งประเทศไทย", 10),
    "067": ("ธนาคารทิสโก้", 10),
    "069": ("ธนาคารเกียรตินาคินภัทร", 10),
    "073": ("ธนาคารแลนด์ แอนด์ เฮ้าส์", 10),
}


def _require_maker(actor: Any) -> None:
    if not is_country_wide(actor, Perm.FINANCE_MANAGE):
        raise PermissionDenied


def check_tax_id(tax_id: str, payee_type: str) -> str:
    """The 13-digit tax ID, checked: a citizen ID (th.pin) for individuals, a juristic or
    government tax number (th.tin) otherwise."""
    digits = re.sub(r"[\s-]", "", tax_id or "")
    try:
        if payee_type == PayeeType.INDIVIDUAL:
            return str(pin.validate(digits))
        return str(tin.validate(digits))
    except StdnumError:
        raise FinanceError(
            f"เลขประจำตัวผู้เสียภาษี {tax_id} ไม่ถูกต้อง", f"The tax ID {tax_id} is not valid"
        ) from None


def check_bank_account(bank_code: str, account_no: str) -> tuple[str, str]:
    digits = re.sub(r"[\s-]", "", account_no or "")
    bank = BANKS.get((bank_code or "").strip())
    if bank is None:
        raise FinanceError(f"ไม่รู้จักรหัสธนาคาร {bank_code}", f"Unknown bank code {bank_code}")
    if not digits.isdigit() or len(digits) != bank[1]:
        raise FinanceError(
            f"เลขบัญชี{bank[0]}ต้องเป็นตัวเลข {bank[1]} หลัก", f"A {bank_code} account number has {bank[1]} digits"
        )
    return bank_code.strip(), digits


def vendor_create(
    *,
    actor: Any,
    name: str,
    tax_id: str,
    payee_type: str,
    bank_code: str,
    account_no: str,
    branch: str = "00000",
    address: str = "",
) -> Vendor:
    """Register a vendor; refused (nothing written) on a bad tax ID, bank account, or duplicate."""
    _require_maker(actor)
    if payee_type not in PayeeType.values:
        raise FinanceError("ประเภทผู้รับเงินไม่ถูกต้อง", "Unknown payee type")
    if not name.strip():
        raise FinanceError("กรุณาระบุชื่อผู้ขาย", "The vendor name is required")
    tax = check_tax_id(tax_id, payee_type)
    bank, account = check_bank_account(bank_code, account_no)
    if not (branch.isdigit() and len(branch) == 5):
        raise FinanceError("รหัสสาขาต้องเป็นตัวเลข 5 หลัก", "The branch is five digits")
    with transaction.atomic():
        if Vendor.objects.filter(tax_id=tax).exists():
            raise FinanceError(f"มีผู้ขายเลขประจำตัวผู้เสียภาษี {tax} แล้ว", f"A vendor with tax ID {tax} exists")
        vendor = Vendor.objects.create(
            name=name.strip(), tax_id=tax, payee_type=payee_type, bank_code=bank, account_no=account,
            branch=branch, address=address.strip(),
        )  # fmt: skip
        audit_record(
            actor=actor, action="finance.vendor_create", object_type="finance.Vendor", object_id=vendor.pk,
            changes={"name": vendor.name, "tax_id": tax, "payee_type": payee_type},
        )  # fmt: skip
    return vendor


def withholding_for(
    *, income_type: str, payee_type: str, amount: Decimal, government_payer: bool = PAYER_IS_GOVERNMENT
) -> tuple[Decimal, Decimal]:
    """(rate %, tax) withheld from ``amount`` (before VAT) under the rules in the module doc."""
    kind = INCOME_TYPES.get(income_type)
    if kind is None:
        raise FinanceError("ประเภทเงินได้ไม่ถูกต้อง", "Unknown income type")
    if payee_type == PayeeType.GOVERNMENT:
        return ZERO, ZERO
    if government_payer and kind.government_rule:
        rate = GOVERNMENT_RATE if amount >= GOVERNMENT_FLOOR else ZERO
    else:
        rate = kind.rate if amount >= PRIVATE_FLOOR else ZERO
    tax = (amount * rate / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return (rate if tax else ZERO), tax


def vat_of(amount: Decimal) -> Decimal:
    return (amount * VAT_RATE).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def invoice_record(
    *,
    actor: Any,
    vendor: Vendor,
    invoice_number: str,
    invoice_date: date,
    description: str,
    expense_account: str,
    amount: Decimal | str,
    income_type: str,
    with_vat: bool = True,
    budget_line: BudgetLine | None = None,
    commitment: Commitment | None = None,
) -> VendorInvoice:
    """Record and post a vendor invoice (Dr expense + input VAT, Cr WHT payable + trade payables).

    A budget line with no commitment is spent directly under its row lock. Refused, nothing
    written: the vendor's invoice number again, a bad amount, overspend, a closed period."""
    _require_maker(actor)
    net = ledger.money(amount)
    if net <= ZERO:
        raise FinanceError("จำนวนเงินต้องมากกว่าศูนย์", "The amount must be more than zero")
    number = invoice_number.strip()
    if not number or not description.strip():
        raise FinanceError("กรุณาระบุเลขที่ใบแจ้งหนี้และรายละเอียด", "Invoice number and description are required")
    if not Account.objects.filter(code=expense_account, account_type="expense").exists():
        raise FinanceError("บัญชีค่าใช้จ่ายไม่ถูกต้อง", "Not an expense account")
    vat = vat_of(net) if with_vat else ZERO
    rate, tax = withholding_for(income_type=income_type, payee_type=vendor.payee_type, amount=net)
    duplicate = FinanceError(
        f"ใบแจ้งหนี้เลขที่ {number} ของ {vendor.name} บันทึกไว้แล้ว",
        f"Invoice {number} of {vendor.name} was already recorded",
    )
    if VendorInvoice.objects.filter(vendor=vendor, invoice_number=number).exists():
        raise duplicate
    try:
        with transaction.atomic():
            entry = services.post_expense(
                actor=actor, entry_date=invoice_date, description=f"{vendor.name} {number}: {description}"[:300],
                source_type="finance.invoice", source_id=f"{vendor.pk}:{number}", expense_account=expense_account,
                amount=net, vat=vat, withholding=tax,
                budget_line_id=budget_line.pk if budget_line else None,
                spend=budget_line is not None and commitment is None, commitment=commitment,
                dimensions=of_budget_line(budget_line) if budget_line else None,
            )  # fmt: skip
            cert_year = invoice_date.year + 543  # certificates are numbered per tax (calendar) year
            sequence = None
            if tax:
                last = VendorInvoice.objects.filter(certificate_year=cert_year).aggregate(
                    m=Max("certificate_sequence")
                )
                sequence = (last["m"] or 0) + 1
            invoice = VendorInvoice.objects.create(
                fiscal_year=entry.fiscal_year, vendor=vendor, invoice_number=number, invoice_date=invoice_date,
                description=description.strip()[:300], expense_account=Account.objects.get(code=expense_account),
                budget_line=budget_line, income_type=income_type, amount=net, vat=vat, wht_rate=rate,
                withholding=tax, payable=net + vat - tax, entry=entry,
                certificate_year=cert_year if tax else None, certificate_sequence=sequence, created_by=_user(actor),
            )  # fmt: skip
            audit_record(
                actor=actor, action="finance.invoice_record", object_type="finance.VendorInvoice",
                object_id=invoice.pk,
                changes={"vendor": vendor.tax_id, "number": number, "amount": net, "vat": vat, "wht": tax},
            )  # fmt: skip
    except IntegrityError:
        raise duplicate from None
    return invoice


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) is not None else None


# --- the 50 ทวิ certificate -------------------------------------------------------------------


def certificate_context(invoice: VendorInvoice) -> dict[str, Any]:
    from pythainlp.util import bahttext  # heavy: PyThaiNLP is loaded only when a certificate is printed

    kind = INCOME_TYPES[invoice.income_type]
    rows = []
    for row in range(1, 7):
        rows.append(
            {
                "row": row,
                "paid": invoice.amount if row == kind.form_row else None,
                "tax": invoice.withholding if row == kind.form_row else None,
                "date": thai_date(invoice.invoice_date) if row == kind.form_row else "",
            }
        )
    return {
        "invoice": invoice,
        "payer": PAYER,
        "payee": invoice.vendor,
        "kind": kind,
        "form": "ภ.ง.ด.3" if invoice.vendor.payee_type == PayeeType.INDIVIDUAL else "ภ.ง.ด.53",
        "rows": rows,
        "tax_words": bahttext(float(invoice.withholding)),
        "issued": thai_date(invoice.invoice_date, full_month=True),
        "spaced_payer_tax_id": " ".join(PAYER["tax_id"]),
        "spaced_payee_tax_id": " ".join(invoice.vendor.tax_id),
    }


def certificate_pdf(*, invoice: VendorInvoice) -> bytes:
    """The withholding-tax certificate (หนังสือรับรองการหักภาษี ณ ที่จ่าย ตามมาตรา 50 ทวิ)."""
    if not invoice.withholding:
        raise FinanceError("ใบแจ้งหนี้นี้ไม่มีการหักภาษี ณ ที่จ่าย", "Nothing was withheld on this invoice")
    return render_pdf("finance/wht_certificate_pdf.html", certificate_context(invoice))


# --- ภ.ง.ด.3 / ภ.ง.ด.53 ------------------------------------------------------------------------

PND_HEADER = [
    "ลำดับ",
    "เลขประจำตัวผู้เสียภาษี",
    "สาขา",
    "ชื่อผู้มีเงินได้",
    "ที่อยู่",
    "วันที่จ่าย",
    "ประเภทเงินได้",
    "อัตราภาษี (%)",
    "จำนวนเงินที่จ่าย",
    "ภาษีที่หักและนำส่ง",
    "เงื่อนไข",
]


def pnd_rows(*, form: str, year: int, month: int) -> list[list[Any]]:
    """The listing's rows for ``form`` ("3" or "53") and the calendar ``year`` (A.D.)/``month``."""
    payee_type = {"3": PayeeType.INDIVIDUAL, "53": PayeeType.JURISTIC}.get(form)
    if payee_type is None:
        raise FinanceError("แบบต้องเป็น ภ.ง.ด.3 หรือ ภ.ง.ด.53", "The form is PND 3 or PND 53")
    invoices = (
        VendorInvoice.objects.filter(
            vendor__payee_type=payee_type,
            invoice_date__year=year,
            invoice_date__month=month,
            withholding__gt=0,
        )
        .select_related("vendor")
        .order_by("invoice_date", "id")
    )
    return [
        [
            number,
            inv.vendor.tax_id,
            inv.vendor.branch,
            inv.vendor.name,
            inv.vendor.address,
            be_date(inv.invoice_date),
            INCOME_TYPES[inv.income_type].label_th,
            inv.wht_rate,
            inv.amount,
            inv.withholding,
            1,  # 1 = หัก ณ ที่จ่าย
        ]
        for number, inv in enumerate(invoices, start=1)
    ]


# The Revenue Department's upload text (ไฟล์ข้อความสำหรับยื่นแบบ ภ.ง.ด.3 / ภ.ง.ด.53 ทางอินเทอร์เน็ต):
# one line per income item, fields separated by "|", as the RD's conversion program (RD Prep,
# โปรแกรมโอนย้ายข้อมูล) imports a delimited file. Field order, as we write it:
#   ภ.ง.ด.3:  seq|tax ID|branch|title|first name|last name|address|date paid|income type|rate|amount|tax|condition
#   ภ.ง.ด.53: seq|tax ID|branch|title|name|address|date paid|income type|rate|amount|tax|condition
# Dates dd/mm/yyyy in B.E., amounts with two decimals and no thousands separator, condition
# 1 = withheld at source. RD Prep lets the filer map columns; this order is the one to map once.
# The RD's tools read TIS-620 (cp874): that is the default encoding; UTF-8 on request.
TITLES = ("นางสาว", "นาง", "นาย")


def _field(text: Any) -> str:
    return re.sub(r"[|\r\n\t]+", " ", str(text or "")).strip()


def _split_name(name: str) -> tuple[str, str, str]:
    text = name.strip()
    title = next((t for t in TITLES if text.startswith(t)), "")
    first, _, last = text[len(title) :].strip().partition(" ")
    return title, first, last.strip()


def pnd_text(*, form: str, year: int, month: int, encoding: str = "cp874") -> bytes:
    """The month's ภ.ง.ด.``form`` as the Revenue Department's pipe-delimited upload text."""
    if encoding not in {"cp874", "utf-8"}:
        raise FinanceError("รหัสอักขระต้องเป็น cp874 หรือ utf-8", "The encoding is cp874 or utf-8")
    lines = []
    for row in pnd_rows(form=form, year=year, month=month):
        number, tax_id, branch, name, address, paid, income, rate, amount, tax, condition = row
        names = _split_name(name) if form == "3" else ("", name)
        paid = "/".join(part.zfill(2) for part in str(paid).split("/"))  # dd/mm/yyyy B.E.
        fields = [number, tax_id, branch, *names, address, paid, income, f"{rate:.2f}", f"{amount:.2f}",
                  f"{tax:.2f}", condition]  # fmt: skip
        lines.append("|".join(_field(value) for value in fields))
    text = "\r\n".join(lines) + ("\r\n" if lines else "")
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        raise FinanceError(
            "มีอักขระที่แปลงเป็น TIS-620 ไม่ได้ ให้ดาวน์โหลดแบบ UTF-8", "A character has no TIS-620 form: use UTF-8"
        ) from None
