"""Vendor and invoice API: create, read, rules as 422 problems, and every endpoint refuses the
anonymous caller, a wrong role and an out-of-scope finance officer."""

from __future__ import annotations

from decimal import Decimal

import pytest

from codi.finance import payables
from codi.finance.models import JournalEntry, PayeeType, Vendor, VendorInvoice
from tests.finance.conftest import IN_FY
from tests.permissions import signed_in_client

COMPANY = {
    "name": "บริษัท ชุมชนก้าวหน้า จำกัด",
    "tax_id": "0-9940-00165-97-8",
    "payee_type": "juristic",
    "bank_code": "006",
    "account_no": "123-4-56789-0",
}


@pytest.fixture
def vendor(books, people) -> Vendor:
    return payables.vendor_create(actor=people["maker"], **{**COMPANY, "payee_type": PayeeType.JURISTIC})


@pytest.fixture
def invoice(vendor, people, budget) -> VendorInvoice:
    return payables.invoice_record(
        actor=people["maker"], vendor=vendor, invoice_number="INV-1", invoice_date=IN_FY,
        description="จ้างจัดอบรม", expense_account="5104010112", amount=Decimal("20000.00"),
        income_type="service", budget_line=budget,
    )  # fmt: skip


def test_vendor_api_registers_checks_and_reads(books, people):
    client = signed_in_client(people["maker"])
    created = client.post("/api/v1/finance/vendors", COMPANY, content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["tax_id"], body["account_no"]) == ("0994000165978", "1234567890")
    bad = client.post(
        "/api/v1/finance/vendors", {**COMPANY, "tax_id": "0994000165979"}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert "ไม่ถูกต้อง" in bad.json()["detail"]
    again = client.post("/api/v1/finance/vendors", COMPANY, content_type="application/json")
    assert again.status_code == 422
    assert Vendor.objects.count() == 1
    listed = client.get("/api/v1/finance/vendors?q=ชุมชน").json()
    assert [v["id"] for v in listed["items"]] == [body["id"]]
    assert client.get(f"/api/v1/finance/vendors/{body['id']}").json()["name"] == COMPANY["name"]
    assert client.get("/api/v1/finance/vendors/999999").status_code == 404


def test_invoice_api_records_posts_and_refuses_duplicates_and_overspend(vendor, people, budget):
    client = signed_in_client(people["maker"])
    payload = {
        "vendor_id": vendor.pk, "invoice_number": "INV-9", "invoice_date": IN_FY.isoformat(),
        "description": "ค่าจ้างทำของ", "expense_account": "5104010112", "amount": "20000.00",
        "income_type": "hire_of_work", "budget_line_id": budget.pk,
    }  # fmt: skip
    created = client.post("/api/v1/finance/invoices", payload, content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    # 7 % VAT on 20,000; the government-agency 1 % rule withholds 200; net payable 21,200.
    assert (body["vat"], body["withholding"], body["payable"]) == ("1400.00", "200.00", "21200.00")
    assert body["entry_number"].startswith("GL2570-")
    entry = JournalEntry.objects.get(source_type="finance.invoice")
    assert set(entry.lines.values_list("org_unit", flat=True)) == {"HQ-FIN"}  # dimensions from the line
    duplicate = client.post("/api/v1/finance/invoices", payload, content_type="application/json")
    assert duplicate.status_code == 422
    assert "บันทึกไว้แล้ว" in duplicate.json()["detail"]
    overspend = client.post(
        "/api/v1/finance/invoices", {**payload, "invoice_number": "INV-10", "amount": "90000.00"},
        content_type="application/json",
    )  # fmt: skip
    assert overspend.status_code == 422
    assert "คงเหลือ" in overspend.json()["detail"]
    unknown = client.post(
        "/api/v1/finance/invoices", {**payload, "invoice_number": "INV-11", "income_type": "lottery"},
        content_type="application/json",
    )  # fmt: skip
    assert unknown.status_code == 422
    assert VendorInvoice.objects.count() == 1
    listed = client.get(f"/api/v1/finance/invoices?vendor_id={vendor.pk}").json()
    assert [i["invoice_number"] for i in listed["items"]] == ["INV-9"]
    assert client.get(f"/api/v1/finance/invoices/{body['id']}").json()["certificate_number"]


def _matrix(matrix, people, call, **kw):
    matrix.check(
        call,
        allowed=people["maker"],
        wrong_role=people["project_officer"],
        out_of_scope=people["south_officer"],
        **kw,
    )


def _refused_or_empty(response):
    if response.status_code in {403, 404}:
        return True
    return response.status_code == 200 and response.json().get("items") == []


@pytest.mark.parametrize(
    "url",
    ["/api/v1/finance/vendors", "/api/v1/finance/vendors/{v}", "/api/v1/finance/invoices/{i}"],
)
def test_reads_refuse_out_of_scope_users(matrix, people, vendor, invoice, url):
    _matrix(matrix, people, lambda c: c.get(url.format(v=vendor.pk, i=invoice.pk)))


def test_invoice_list_is_empty_outside_scope(matrix, people, invoice):
    _matrix(matrix, people, lambda c: c.get("/api/v1/finance/invoices"), refused=_refused_or_empty)


def test_writes_refuse_out_of_scope_users(matrix, people, vendor, budget):
    counter = iter(range(100))

    def new_vendor(client):
        return client.post(
            "/api/v1/finance/vendors", {**COMPANY, "tax_id": "1101700207030", "payee_type": "individual"},
            content_type="application/json",
        )  # fmt: skip

    def new_invoice(client):
        return client.post(
            "/api/v1/finance/invoices",
            {"vendor_id": vendor.pk, "invoice_number": f"X-{next(counter)}", "invoice_date": IN_FY.isoformat(),
             "description": "x", "expense_account": "5104010112", "amount": "100.00", "income_type": "service"},
            content_type="application/json",
        )  # fmt: skip

    _matrix(matrix, people, new_vendor)
    _matrix(matrix, people, new_invoice)
    assert (
        signed_in_client(people["auditor"])
        .post("/api/v1/finance/vendors", COMPANY, content_type="application/json")
        .status_code
        == 403
    )
