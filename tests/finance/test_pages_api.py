"""Every finance page and endpoint: anonymous, wrong role, out of scope refused; allowed works."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from codi.finance import vouchers
from codi.finance.models import PaymentVoucher, VoucherStatus
from tests.finance.conftest import TODAY_FY
from tests.permissions import signed_in_client

PAY = {"payee_bank_code": "006", "payee_account_no": "1234567890", "description": "ค่าบริการ"}


@pytest.fixture
def voucher(people, budget) -> PaymentVoucher:
    return vouchers.voucher_create(
        actor=people["maker"], budget_line=budget, payee_name="ผู้รับ", amount="5000", **PAY
    )


def _matrix(matrix, people, call, allowed="maker", **kw):
    matrix.check(
        call,
        allowed=people[allowed],
        wrong_role=people["project_officer"],
        out_of_scope=people["south_officer"],
        **kw,
    )


@pytest.mark.parametrize(
    "url",
    [
        "/finance/vouchers/{v}/",
        "/finance/batches/",
        "/finance/reports/trial-balance/",
        "/finance/reports/trial-balance/?format=xlsx",
        "/api/v1/finance/vouchers/{v}",
        "/api/v1/finance/reports/trial-balance",
        "/finance/reconcile/",
    ],
)
def test_pages_and_endpoints_refuse_out_of_scope_users(matrix, people, voucher, url):
    _matrix(matrix, people, lambda c: c.get(url.format(v=voucher.pk)))


def test_lists_show_nothing_outside_scope(matrix, people, voucher):
    def not_listed(response):
        return response.status_code in {403, 404} or voucher.number.encode() not in response.content

    for url in ("/finance/", "/finance/vouchers/", "/finance/reports/budget/", "/api/v1/finance/vouchers"):
        _matrix(matrix, people, lambda c, url=url: c.get(url), refused=not_listed)


def test_voucher_page_lights_the_current_step_and_serves_both_diagrams(people, voucher):
    client = signed_in_client(people["maker"])
    page = client.get(f"/finance/vouchers/{voucher.pk}/")
    assert page.status_code == 200
    assert 'data-task="prepare"' in page.content.decode()
    state = json.loads(
        page.content.decode().split('id="diagram-state" type="application/json">')[1].split("<")[0]
    )
    assert state["current"] == ["prepare"] and "start" in state["completed"]
    assert b'id="prepare"' in client.get("/finance/process/tobe.bpmn").content
    assert b"codi_voucher_asis" in client.get("/finance/process/asis.bpmn").content
    assert client.get("/finance/process/as-is/").status_code == 200
    assert client.get("/finance/process/other.bpmn").status_code == 404


def test_the_whole_voucher_flow_through_pages(people, voucher, budget):
    maker, chief = signed_in_client(people["maker"]), signed_in_client(people["chief"])
    maker.post(f"/finance/vouchers/{voucher.pk}/action/", {"action": "submit"})
    page = chief.post(
        f"/finance/vouchers/{voucher.pk}/action/", {"action": "check", "decision": "pass"}, follow=True
    )
    assert page.status_code == 200
    voucher.refresh_from_db()
    assert voucher.status == VoucherStatus.APPROVED
    response = maker.post("/finance/batches/", {"voucher": [str(voucher.pk)]}, follow=True)
    assert response.status_code == 200
    voucher.refresh_from_db()
    assert voucher.status == VoucherStatus.SENT
    statement = io.BytesIO(f"date,amount,reference\n2026-11-05,-5000.00,{voucher.number}\n".encode())
    statement.name = "s.csv"
    page = maker.post("/finance/reconcile/", {"statement": statement})
    assert page.status_code == 200 and 'id="import-result"' in page.content.decode()
    voucher.refresh_from_db()
    assert voucher.status == VoucherStatus.PAID
    download = maker.get(f"/finance/reports/trial-balance/?fy={TODAY_FY}&format=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert sum(Decimal(str(r[2])) for r in rows) == sum(Decimal(str(r[3])) for r in rows) == Decimal("10000")


def test_new_voucher_form_shows_errors_and_never_a_500(people, budget):
    client = signed_in_client(people["maker"])
    response = client.post(
        "/finance/vouchers/new/",
        {
            "budget_line": str(budget.pk),
            "payee_name": "x",
            "bank_code": "6",
            "account_no": "1",
            "amount": "abc",
            "description": "d",
        },
    )
    assert response.status_code == 200 and PaymentVoucher.objects.count() == 0
    response = client.post(
        "/finance/vouchers/new/",
        {"budget_line": str(budget.pk), "payee_name": "บริษัท", "bank_code": "006", "account_no": "123-4567890",
         "amount": "1,500.50", "description": "ค่าบริการ"},
    )  # fmt: skip
    assert response.status_code == 302
    assert PaymentVoucher.objects.get().amount == Decimal("1500.50")


def test_api_create_and_act_with_problems_for_rules(matrix, people, budget):
    payload = {"budget_line_id": budget.pk, "payee_name": "ผู้รับ", "amount": "200000.00", **PAY}
    client = signed_in_client(people["maker"])
    response = client.post("/api/v1/finance/vouchers", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    voucher_id = response.json()["id"]
    refused = client.post(
        f"/api/v1/finance/vouchers/{voucher_id}/submit", {}, content_type="application/json"
    )
    assert refused.status_code == 422 and "100,000.00" in refused.json()["detail"]
    wrong = signed_in_client(people["chief"]).post(
        "/api/v1/finance/vouchers", payload, content_type="application/json"
    )
    assert wrong.status_code == 403
    outside = signed_in_client(people["south_officer"]).post(
        "/api/v1/finance/vouchers", payload, content_type="application/json"
    )
    assert outside.status_code == 404
