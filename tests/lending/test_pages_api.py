"""Every lending page and endpoint: anonymous, wrong role, out of scope refused; allowed works."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook

from codi.lending import services
from codi.lending.models import Loan, Repayment
from tests.lending.conftest import active_loan, make_user
from tests.permissions import signed_in_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def loan(books, people, product, org):
    people["hr"] = make_user("hr_officer")
    loan = active_loan(people, product, org)
    services.repayment_record(
        actor=people["cashier"], loan=loan, amount="4060", received_on=date(2025, 2, 15), reference="R1"
    )
    return loan


def _check(matrix, people, call, allowed="officer", out_of_scope="south_officer", **kw):
    matrix.check(
        call, allowed=people[allowed], wrong_role=people["hr"], out_of_scope=people[out_of_scope], **kw
    )


@pytest.mark.parametrize(
    "url",
    ["/lending/loans/{id}/", "/lending/loans/{id}/?format=xlsx", "/api/v1/lending/loans/{id}"],
)
def test_loan_page_export_and_endpoint_refuse_out_of_scope(matrix, people, loan, url):
    _check(matrix, people, lambda c: c.get(url.format(id=loan.pk)))


def test_repayment_endpoint_refuses_out_of_scope_and_wrong_role(matrix, people, loan):
    body = {"amount": "4040.00", "received_on": "2025-03-15", "reference": "QR-2", "channel": "qr"}

    def call(c):
        return c.post(
            f"/api/v1/lending/loans/{loan.pk}/repayments", json.dumps(body), content_type="application/json"
        )

    _check(matrix, people, call, allowed="cashier", out_of_scope="south_cashier",
           allowed_ok=lambda r: r.status_code == 201)  # fmt: skip
    assert Repayment.objects.filter(loan=loan).count() == 2
    # The officer reads the loan but may not take money for it.
    assert call(signed_in_client(people["officer"])).status_code == 403


def test_action_page_refuses_out_of_scope(matrix, people, loan):
    data = {
        "action": "repay",
        "amount": "10.00",
        "on": "2025-03-15",
        "reference": "C-1",
        "channel": "counter",
    }
    _check(matrix, people, lambda c: c.post(f"/lending/loans/{loan.pk}/action/", data),
           allowed="cashier", out_of_scope="south_cashier", allowed_ok=lambda r: r.status_code == 302)  # fmt: skip
    assert Repayment.objects.filter(loan=loan, reference="C-1").count() == 1


@pytest.mark.parametrize("url", ["/lending/", "/lending/portfolio/?as_of=2025-03-01", "/api/v1/lending/loans",
                                 "/api/v1/lending/portfolio?as_of=2025-03-01", "/lending/portfolio/?format=xlsx"])  # fmt: skip
def test_lists_show_nothing_outside_scope(matrix, people, loan, url):
    def not_shown(response):
        if response.status_code in {403, 404}:
            return True
        if response["Content-Type"].startswith("application/vnd.openxml"):
            return loan.number.encode() not in _xlsx_text(response)
        if url.startswith("/api/v1/lending/portfolio"):
            return json.loads(response.content)["total"]["loans"] == 0
        return loan.number.encode() not in response.content and "ขอนแก่น".encode() not in response.content

    _check(
        matrix,
        people,
        lambda c: c.get(url),
        refused=not_shown,
        allowed_ok=lambda r: r.status_code == 200 and not not_shown(r),
    )


def test_schedule_calculator_and_process_files_need_a_lending_role(matrix, people, loan):
    url = "/api/v1/lending/schedule?principal=12000&annual_rate=12&months=3&method=annuity&day_count=30/360&start=2025-01-31"
    # The calculator and the BPMN files hold no area data: there is no "out of scope", only the role.
    for u in (url, "/lending/process/tobe.bpmn", "/lending/process/as-is/"):
        matrix.check(
            lambda c, u=u: c.get(u),
            allowed=people["officer"],
            wrong_role=people["hr"],
            out_of_scope=people["leader"],
        )
    rows = json.loads(signed_in_client(people["officer"]).get(url).content)
    assert [r["payment"] for r in rows] == ["4080.27", "4080.27", "4080.26"]
    bad = signed_in_client(people["officer"]).get(url.replace("annual_rate=12", "annual_rate=20"))
    assert bad.status_code == 422 and "อัตราดอกเบี้ย" in bad.content.decode()


def _xlsx_text(response) -> bytes:
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return " ".join(
        str(c) for s in book.worksheets for row in s.iter_rows(values_only=True) for c in row
    ).encode()


def test_loan_page_is_thai_with_buddhist_era_dates_names_and_schedule(people, loan):
    page = signed_in_client(people["officer"]).get(f"/lending/loans/{loan.pk}/").content.decode()
    assert loan.organization.name_th in page and "สินเชื่อเพื่อพัฒนาอาชีพ" in page
    assert "2568" in page  # 15 Jan 2025 is B.E. 2568
    # principal due of the 3 instalments, principal paid of instalment 1, and the repayment's principal
    assert page.count('<td class="num">4,000.00</td>') == 5
    export = signed_in_client(people["officer"]).get(f"/lending/loans/{loan.pk}/?format=xlsx")
    book = load_workbook(io.BytesIO(b"".join(export.streaming_content)), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 4 and rows[0][0] == "งวดที่"


def test_api_loan_detail_and_refused_repayment(people, loan):
    client = signed_in_client(people["cashier"])
    detail = json.loads(client.get(f"/api/v1/lending/loans/{loan.pk}").content)
    assert detail["schedule_version"] == 1 and len(detail["instalments"]) == 3
    assert detail["instalments"][0]["principal_paid"] == "4000.00"
    too_much = {"amount": "99999.00", "received_on": "2025-03-15", "reference": "BIG"}
    response = client.post(
        f"/api/v1/lending/loans/{loan.pk}/repayments", json.dumps(too_much), content_type="application/json"
    )
    assert response.status_code == 422 and "owes" in response.content.decode()
    assert not Repayment.objects.filter(reference="BIG").exists()


def test_portfolio_page_shows_npl_chart(people, loan):
    # 15 Jun 2025: instalment 2 (due 15 Mar) unpaid → 92 days → NPL 100 % of the 8,000.00 outstanding.
    page = signed_in_client(people["officer"]).get("/lending/portfolio/?as_of=2025-06-15").content.decode()
    assert 'id="npl-ratio">100.00 %' in page and "<svg" in page and "ภาคตะวันออกเฉียงเหนือ" in page


def test_loan_page_lights_the_current_step_of_loan_tobe(people, books, product, org):
    loan = services.loan_apply(actor=people["officer"], product=product, organization=org, principal="50000",
                               months=12, purpose="ก", applied_on=date(2025, 1, 1))  # fmt: skip
    services.loan_review(actor=people["officer"], loan=loan, decision="pass")
    diagram = services.PROCESS.diagram(Loan.objects.get(pk=loan.pk).workflow_state)
    assert diagram["current"] == ["committee"] and "review" in diagram["completed"]
    page = signed_in_client(people["committee"]).get(f"/lending/loans/{loan.pk}/").content.decode()
    assert 'data-task="committee"' in page and 'data-src="/lending/process/tobe.bpmn"' in page
    assert 'id="loan-action"' in page  # the committee member may act here
    detail = json.loads(signed_in_client(people["committee"]).get(f"/api/v1/lending/loans/{loan.pk}").content)
    assert detail["diagram_current"] == ["committee"] and detail["instalments"] == []


def test_lending_pages_read_as_thai_to_the_crawler(people, loan):
    from tests.crawl.crawler import ALLOWED_WORDS, page_findings

    services.repayment_record(actor=people["cashier"], loan=loan, amount="100.00", received_on=date(2025, 4, 1),
                              reference="R2", channel="qr", prepay=False)  # fmt: skip
    services.qr_payment_receive(actor=people["cashier"], transaction_id="TX9", ref1="L0000-999999", ref2="1",
                                amount="50.00", received_on=date(2025, 4, 2))  # fmt: skip
    usernames = {u.username for u in people.values()}
    findings = []
    for user, url in (
        ("cashier", "/lending/"), ("officer", f"/lending/loans/{loan.pk}/"),
        ("officer", "/lending/portfolio/?as_of=2025-06-15"), ("officer", "/lending/process/as-is/"),
        ("cashier", "/lending/accruals/"), ("officer", "/lending/import/"),
        ("officer", f"/lending/loans/{loan.pk}/?as_of=2025-09-30"),
    ):  # fmt: skip
        html = signed_in_client(people[user]).get(url).content.decode()
        findings += page_findings(url, html, usernames=usernames, allowed=ALLOWED_WORDS)
    assert findings == []
