"""Statements, general ledger drill-down, cash book, periods and budget requests: the pages, who may
see them, and the figures on them."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from codi.finance import budgets, ledger, payables, reports, services
from codi.finance.ledger import FinanceError, LineSpec
from codi.finance.models import BudgetLine, BudgetRequestStatus, PayeeType, Period
from tests.finance.conftest import IN_FY, TODAY_FY
from tests.permissions import signed_in_client

BANK, EXPENSE, REVENUE, CAPITAL = "1101020601", "5104010112", "4307010101", "3101010101"


@pytest.fixture
def posted(books):
    ledger.entry_post(
        actor=None, entry_date=date(2026, 10, 1), description="ยอดยกมา", source_type="finance.opening",
        source_id="x", book="OB",
        lines=[LineSpec(BANK, debit=Decimal("10000.00")), LineSpec(CAPITAL, credit=Decimal("10000.00"))],
    )  # fmt: skip
    services.post_receipt(
        actor=None, entry_date=IN_FY, description="เงินอุดหนุน", source_type="t.r", source_id="1", amount="5000.00",
        credit_account=REVENUE,
    )  # fmt: skip
    return services.post_payment(
        actor=None, entry_date=IN_FY, description="ค่าจ้าง", source_type="t.p", source_id="1", amount="1200.00",
        debit_account=EXPENSE,
    )  # fmt: skip


URLS = [
    "/finance/reports/position/",
    "/finance/reports/position/?format=xlsx",
    "/finance/reports/performance/",
    "/finance/ledger/?account=1101020601",
    "/finance/ledger/entries/{e}/",
    "/finance/cash-book/",
    "/finance/periods/",
    "/finance/budget-requests/",
    "/finance/reports/pnd/?form=53&month=2026-11",
]


@pytest.mark.parametrize("url", URLS)
def test_book_pages_refuse_anonymous_wrong_role_and_regional_users(matrix, people, posted, url):
    matrix.check(
        lambda c: c.get(url.format(e=posted.pk)),
        allowed=people["auditor"], wrong_role=people["project_officer"], out_of_scope=people["south_officer"],
    )  # fmt: skip


def test_statements_balance_and_show_the_years_result(people, posted):
    position = reports.financial_position(actor=people["chief"], as_of=date(2027, 9, 30))
    assert position is not None and position.balances
    assert (position.assets.total, position.net_assets.total, position.surplus) == (
        Decimal("13800.00"), Decimal("10000.00"), Decimal("3800.00"),
    )  # fmt: skip
    performance = reports.financial_performance(actor=people["chief"], year_be=TODAY_FY)
    assert (performance.revenue.total, performance.expense.total, performance.surplus) == (
        Decimal("5000.00"), Decimal("1200.00"), Decimal("3800.00"),
    )  # fmt: skip
    assert reports.financial_position(actor=people["project_officer"], as_of=IN_FY) is None
    response = signed_in_client(people["chief"]).get("/finance/reports/position/?as_of=2027-09-30")
    assert b'id="surplus">3,800.00' in response.content
    download = signed_in_client(people["chief"]).get(
        f"/finance/reports/performance/?fy={TODAY_FY}&format=xlsx"
    )
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert [sheet.cell(row=2, column=c).value for c in (2, 4)] == [
        REVENUE,
        "5000.00",
    ]  # money as exact text (core.spreadsheet)


def test_general_ledger_runs_the_balance_and_drills_down_to_the_source(people, posted, budget):
    book = reports.general_ledger(actor=people["chief"], account_code=BANK, year_be=TODAY_FY)
    assert [r.balance for r in book.rows] == [Decimal("10000.00"), Decimal("15000.00"), Decimal("13800.00")]
    client = signed_in_client(people["chief"])
    page = client.get(f"/finance/ledger/?account={BANK}&fy={TODAY_FY}").content.decode()
    assert f"/finance/ledger/entries/{posted.pk}/" in page and "13,800.00" in page
    officer = people["maker"]
    vendor = payables.vendor_create(
        actor=officer, name="บริษัท ก จำกัด", tax_id="0994000165978", payee_type=PayeeType.JURISTIC,
        bank_code="006", account_no="1234567890",
    )  # fmt: skip
    invoice = payables.invoice_record(
        actor=officer, vendor=vendor, invoice_number="I-1", invoice_date=IN_FY, description="จ้าง",
        expense_account=EXPENSE, amount="10000.00", income_type="service",
    )  # fmt: skip
    detail = client.get(f"/finance/ledger/entries/{invoice.entry_id}/").content.decode()
    assert f"/finance/invoices/{invoice.pk}/50tawi.pdf" in detail and "ใบแจ้งหนี้ผู้ขาย" in detail
    pdf = client.get(f"/finance/invoices/{invoice.pk}/50tawi.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    cash = client.get(f"/finance/cash-book/?fy={TODAY_FY}").content.decode()
    assert 'id="ledger-1101020601"' in cash


def test_periods_page_closes_and_reopens_for_the_chief_accountant_only(people, posted):
    first = Period.objects.get(fiscal_year__year_be=TODAY_FY, month=1)
    officer = signed_in_client(people["maker"])
    officer.post("/finance/periods/", {"period": first.pk})
    assert not Period.objects.get(pk=first.pk).is_closed
    chief = signed_in_client(people["chief"])
    chief.post(f"/finance/periods/?fy={TODAY_FY}", {"period": first.pk})
    assert Period.objects.get(pk=first.pk).is_closed
    chief.post(f"/finance/periods/?fy={TODAY_FY}", {"period": first.pk, "action": "reopen", "reason": "แก้ไข"})
    assert not Period.objects.get(pk=first.pk).is_closed


def test_budget_transfer_needs_an_approver_who_is_not_the_maker(people, budget):
    second = ledger.budget_line_create(
        actor=None, fiscal_year=budget.fiscal_year, code="OP-02", name="ค่าเดินทาง", unit=budget.unit,
        category=budget.category, expense_account=budget.expense_account, allocated=Decimal("1000.00"),
    )  # fmt: skip
    with pytest.raises(FinanceError) as error:
        budgets.budget_request_create(
            actor=people["maker"],
            kind="transfer",
            from_line=budget,
            to_line=second,
            amount="100000.01",
            reason="x",
        )
    assert "100,000.00" in error.value.message_th
    request = budgets.budget_request_create(
        actor=people["maker"],
        kind="transfer",
        from_line=budget,
        to_line=second,
        amount="30000",
        reason="ย้ายงบ",
    )
    with pytest.raises(PermissionDenied):
        budgets.budget_request_decide(actor=people["maker"], request=request, approve=True)
    signed_in_client(people["executive"]).post(
        "/finance/budget-requests/", {"decide": request.pk, "approve": "1"}
    )
    request.refresh_from_db()
    assert request.status == BudgetRequestStatus.APPROVED
    assert BudgetLine.objects.get(pk=budget.pk).allocated == Decimal("70000.00")
    assert BudgetLine.objects.get(pk=second.pk).allocated == Decimal("31000.00")
    with pytest.raises(FinanceError):
        budgets.budget_request_decide(actor=people["executive"], request=request, approve=True)
    signed_in_client(people["maker"]).post(
        f"/finance/budget-requests/?fy={TODAY_FY}",
        {"kind": "allocate", "to_line": second.pk, "amount": "500", "reason": "เพิ่มงบ"},
    )
    allocation = second.requests_in.get(kind="allocate")
    signed_in_client(people["executive"]).post(
        "/finance/budget-requests/", {"decide": allocation.pk, "approve": "0"}
    )
    allocation.refresh_from_db()
    assert allocation.status == BudgetRequestStatus.REJECTED
    assert BudgetLine.objects.get(pk=second.pk).allocated == Decimal("31000.00")


@pytest.mark.parametrize("url", ["/api/v1/finance/periods", "/api/v1/finance/reports/financial-position"])
def test_book_endpoints_refuse_out_of_scope_users(matrix, people, posted, url):
    matrix.check(
        lambda c: c.get(url), allowed=people["auditor"], wrong_role=people["project_officer"],
        out_of_scope=people["south_officer"],
    )  # fmt: skip


def test_financial_position_api_balances(people, posted):
    body = (
        signed_in_client(people["chief"])
        .get("/api/v1/finance/reports/financial-position?as_of=2027-09-30")
        .json()
    )
    assert body["total_assets"] == body["total_liabilities_and_net_assets"] == "13800.00"


def test_qr_endpoint_for_makers_refuses_bad_amounts(matrix, people, books):
    def call(client):
        return client.post(
            "/api/v1/finance/qr", {"kind": "promptpay", "id": "0812345678", "amount": "10.50"},
            content_type="application/json",
        )  # fmt: skip

    matrix.check(
        call, allowed=people["maker"], wrong_role=people["executive"], out_of_scope=people["project_officer"]
    )
    maker = signed_in_client(people["maker"])
    bad = maker.post(
        "/api/v1/finance/qr", {"kind": "promptpay", "id": "0812345678", "amount": "10.505"},
        content_type="application/json",
    )  # fmt: skip
    assert bad.status_code == 422 and "two decimals" in bad.content.decode()
