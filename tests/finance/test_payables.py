"""Payables: vendors checked, VAT and withholding by income type and payee, duplicates refused,
the 50 ทวิ certificate rendered (PDF → PNG kept under var/test-artifacts/finance), PND listings."""

from __future__ import annotations

import io
import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

from codi.finance import payables
from codi.finance.ledger import FinanceError
from codi.finance.models import BudgetLine, JournalEntry, PayeeType, Vendor, VendorInvoice
from tests.finance.conftest import IN_FY, make_user

ARTIFACTS = Path(os.environ.get("CODI_TEST_ARTIFACTS", "var/test-artifacts")) / "finance"
COMPANY_TIN, PERSON_PIN = "0994000165978", "1101700207030"


@pytest.fixture
def officer(db):
    return make_user("finance_officer")


@pytest.fixture
def company(books, officer) -> Vendor:
    return payables.vendor_create(
        actor=officer, name="บริษัท ชุมชนก้าวหน้า จำกัด", tax_id="0-9940-00165-97-8", payee_type=PayeeType.JURISTIC,
        bank_code="006", account_no="123-4-56789-0", address="99 ถนนพหลโยธิน กรุงเทพฯ",
    )  # fmt: skip


def test_vendor_tax_id_and_bank_account_are_checked(company, officer):
    assert (company.tax_id, company.account_no) == (COMPANY_TIN, "1234567890")
    bad = [
        dict(tax_id="0994000165979", payee_type=PayeeType.JURISTIC, bank_code="006", account_no="1234567890"),
        dict(
            tax_id="1101700207031", payee_type=PayeeType.INDIVIDUAL, bank_code="006", account_no="1234567890"
        ),
        dict(tax_id=PERSON_PIN, payee_type=PayeeType.INDIVIDUAL, bank_code="999", account_no="1234567890"),
        dict(tax_id=PERSON_PIN, payee_type=PayeeType.INDIVIDUAL, bank_code="030", account_no="1234567890"),
        dict(tax_id=COMPANY_TIN, payee_type=PayeeType.JURISTIC, bank_code="006", account_no="1234567890"),
    ]
    messages = []
    for kwargs in bad:
        with pytest.raises(FinanceError) as error:
            payables.vendor_create(actor=officer, name="x", **kwargs)
        messages.append(error.value.message_th)
    assert messages == [
        "เลขประจำตัวผู้เสียภาษี 0994000165979 ไม่ถูกต้อง",
        "เลขประจำตัวผู้เสียภาษี 1101700207031 ไม่ถูกต้อง",
        "ไม่รู้จักรหัสธนาคาร 999",
        "เลขบัญชีธนาคารออมสินต้องเป็นตัวเลข 12 หลัก",
        f"มีผู้ขายเลขประจำตัวผู้เสียภาษี {COMPANY_TIN} แล้ว",
    ]
    assert Vendor.objects.count() == 1
    with pytest.raises(PermissionDenied):
        payables.vendor_create(
            actor=make_user("executive"), name="x", tax_id=PERSON_PIN, payee_type="individual",
            bank_code="006", account_no="1234567890",
        )  # fmt: skip


@pytest.mark.parametrize(
    ("income", "payee", "amount", "government", "expected"),
    [
        ("service", PayeeType.JURISTIC, "20000.00", True, ("1.00", "200.00")),  # government-agency rule
        ("service", PayeeType.JURISTIC, "9999.99", True, ("0.00", "0.00")),  # under its 10,000 floor
        ("service", PayeeType.JURISTIC, "20000.00", False, ("3.00", "600.00")),  # private payer
        ("rent", PayeeType.INDIVIDUAL, "8000.00", True, ("5.00", "400.00")),  # rent keeps its rate
        ("advertising", PayeeType.JURISTIC, "5000.00", False, ("2.00", "100.00")),
        ("professional", PayeeType.INDIVIDUAL, "999.99", False, ("0.00", "0.00")),  # under 1,000
        ("service", PayeeType.GOVERNMENT, "50000.00", True, ("0.00", "0.00")),  # agencies are exempt
        ("goods", PayeeType.JURISTIC, "15000.00", False, ("0.00", "0.00")),
        ("goods", PayeeType.JURISTIC, "15000.00", True, ("1.00", "150.00")),
    ],
)
def test_withholding_by_income_type_payee_type_and_the_government_rule(
    income, payee, amount, government, expected
):
    rate, tax = payables.withholding_for(
        income_type=income, payee_type=payee, amount=Decimal(amount), government_payer=government
    )
    assert (str(rate), str(tax)) == expected


def test_invoice_posts_vat_and_withholding_and_a_duplicate_is_refused(company, officer, budget):
    invoice = payables.invoice_record(
        actor=officer, vendor=company, invoice_number="INV-001", invoice_date=IN_FY, description="จ้างจัดอบรม",
        expense_account="5104010112", amount="20000.00", income_type="service", budget_line=budget,
    )  # fmt: skip
    assert (invoice.vat, invoice.withholding, invoice.payable) == (
        Decimal("1400.00"), Decimal("200.00"), Decimal("21200.00"),
    )  # fmt: skip
    assert invoice.certificate_number == f"{IN_FY.year + 543}/00001"
    assert BudgetLine.objects.get(pk=budget.pk).actual == Decimal("20000.00")
    with pytest.raises(FinanceError) as error:
        payables.invoice_record(
            actor=officer, vendor=company, invoice_number=" INV-001 ", invoice_date=IN_FY, description="ซ้ำ",
            expense_account="5104010112", amount="1.00", income_type="service",
        )  # fmt: skip
    assert "INV-001" in error.value.message_th and "already recorded" in error.value.message_en
    assert VendorInvoice.objects.count() == 1 and JournalEntry.objects.count() == 1


def test_certificate_pdf_renders_the_official_layout_with_thai_words(company, officer):
    from pypdfium2 import PdfDocument

    invoice = payables.invoice_record(
        actor=officer, vendor=company, invoice_number="INV-9", invoice_date=date(2026, 11, 20),
        description="ค่าบริการ", expense_account="5104010112", amount="12345.67", income_type="service",
    )  # fmt: skip
    context = payables.certificate_context(invoice)
    assert context["tax_words"] == "หนึ่งร้อยยี่สิบสามบาทสี่สิบหกสตางค์" and context["form"] == "ภ.ง.ด.53"
    pdf = payables.certificate_pdf(invoice=invoice)
    document = PdfDocument(pdf)
    text = document[0].get_textpage().get_text_range()
    # (PDFium maps Sarabun's sara aa glyph back to sara am; the PNG shows the real text.)
    assert "50 ทวิ" in text and "123.46" in text and "12,345.67" in text
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    image = document[0].render(scale=2).to_pil()
    image.save(ARTIFACTS / "wht_certificate_50tawi.png")
    (ARTIFACTS / "wht_certificate_50tawi.pdf").write_bytes(pdf)
    assert image.size[0] > 1000 and len(image.getcolors(1 << 24) or []) > 2  # not a blank page
    print(f"50 ทวิ certificate: {ARTIFACTS / 'wht_certificate_50tawi.png'}")


def test_pnd_listings_split_individuals_and_juristic_persons(company, officer):
    from openpyxl import load_workbook

    from codi.core.spreadsheet import XlsxWriter

    person = payables.vendor_create(
        actor=officer, name="นายสมชาย ใจดี", tax_id=PERSON_PIN, payee_type=PayeeType.INDIVIDUAL,
        bank_code="030", account_no="123456789012",
    )  # fmt: skip
    for vendor, number, kind, amount in [
        (company, "A1", "service", "20000.00"),
        (person, "B1", "rent", "8000.00"),
        (person, "B2", "professional", "500.00"),  # under the floor: not listed
    ]:
        payables.invoice_record(
            actor=officer, vendor=vendor, invoice_number=number, invoice_date=IN_FY, description="x",
            expense_account="5104010112", amount=amount, income_type=kind, with_vat=False,
        )  # fmt: skip
    pnd3 = payables.pnd_rows(form="3", year=IN_FY.year, month=IN_FY.month)
    pnd53 = payables.pnd_rows(form="53", year=IN_FY.year, month=IN_FY.month)
    assert [(r[1], r[6], r[9]) for r in pnd3] == [(PERSON_PIN, "ค่าเช่าทรัพย์สิน", Decimal("400.00"))]
    assert [(r[1], r[9]) for r in pnd53] == [(COMPANY_TIN, Decimal("200.00"))]
    buffer = io.BytesIO()
    writer = XlsxWriter(buffer, sheet_title="ภ.ง.ด.3")
    writer.header(payables.PND_HEADER)
    for row in pnd3:
        writer.row(row)
    writer.close()
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    assert (
        sheet["B2"].value == PERSON_PIN and sheet["J2"].value == "400.00"
    )  # money stays exact text (core.spreadsheet)
    with pytest.raises(FinanceError):
        payables.pnd_rows(form="1", year=2026, month=11)
