"""Finance answers data-subject requests for a person paid as a vendor; erasure keeps tax records."""

from __future__ import annotations

from types import SimpleNamespace

from codi.core import personaldata
from codi.core.personaldata import KEEP, Subject
from codi.finance import payables, payments
from codi.finance.models import PayeeType
from tests.finance.conftest import IN_FY, make_user

PIN = "1101700207030"


def test_finance_collector_finds_the_persons_vendor_rows_and_keeps_them(books):
    assert "finance" in {c.name for c in personaldata.registered()}
    officer = make_user("finance_officer")
    vendor = payables.vendor_create(
        actor=officer, name="นายสมชาย ใจดี", tax_id=PIN, payee_type=PayeeType.INDIVIDUAL, bank_code="006",
        account_no="1234567890",
    )  # fmt: skip
    payables.invoice_record(
        actor=officer, vendor=vendor, invoice_number="T-1", invoice_date=IN_FY, description="ค่าวิทยากร",
        expense_account="5104010112", amount="3000.00", income_type="professional", with_vat=False,
    )  # fmt: skip
    payments.receipt_create(
        actor=officer, payer_name="นายสมชาย ใจดี", amount="10", credit_account="4203010101", on=IN_FY
    )
    collector = next(c for c in personaldata.registered() if c.name == "finance")
    person = SimpleNamespace(first_name_th="สมชาย", last_name_th="ใจดี", national_id=PIN, phone="")
    subject = Subject(person=person, national_id=PIN, phone="")
    found = collector.collect(subject)
    assert [v["tax_id"] for v in found["finance.Vendor"]] == [PIN]
    assert [i["withholding"] for i in found["finance.VendorInvoice"]] == ["90.00"]
    assert len(found["finance.Receipt"]) == 1
    outcomes = collector.erase(subject, dry_run=False)
    assert {o.action for o in outcomes} == {KEEP} and len(outcomes) == 2
    other = Subject(
        person=SimpleNamespace(first_name_th="สมชาย", last_name_th=""), national_id="3100100123451", phone=""
    )
    assert collector.collect(other) == {
        "finance.Vendor": [],
        "finance.VendorInvoice": [],
        "finance.Receipt": [],
    }
