"""The Revenue Department's pipe-delimited upload text for ภ.ง.ด.3 / ภ.ง.ด.53, beside the .xlsx."""

from __future__ import annotations

import pytest

from codi.finance import payables
from codi.finance.ledger import FinanceError
from codi.finance.models import PayeeType
from tests.finance.conftest import IN_FY, make_user
from tests.permissions import signed_in_client

PERSON_PIN = "1101700207030"


@pytest.fixture
def invoices(books):
    officer = make_user("finance_officer")
    company = payables.vendor_create(
        actor=officer, name="บริษัท ชุมชน|ก้าวหน้า จำกัด", tax_id="0994000165978", payee_type=PayeeType.JURISTIC,
        bank_code="006", account_no="1234567890", address="99 ถนนพหลโยธิน\nกรุงเทพฯ",
    )  # fmt: skip
    person = payables.vendor_create(
        actor=officer, name="นางสาวสมหญิง ใจดี มีสุข", tax_id=PERSON_PIN, payee_type=PayeeType.INDIVIDUAL,
        bank_code="030", account_no="123456789012",
    )  # fmt: skip
    for vendor, number, kind, amount in [
        (company, "A1", "service", "20000.00"),
        (person, "B1", "rent", "8000.00"),
    ]:
        payables.invoice_record(
            actor=officer, vendor=vendor, invoice_number=number, invoice_date=IN_FY, description="x",
            expense_account="5104010112", amount=amount, income_type=kind, with_vat=False,
        )  # fmt: skip
    return officer


def test_pnd3_and_pnd53_text_lines(invoices):
    pnd3 = payables.pnd_text(form="3", year=IN_FY.year, month=IN_FY.month).decode("cp874")
    assert pnd3.endswith("\r\n")
    (line,) = pnd3.splitlines()
    assert line.split("|") == [
        "1", PERSON_PIN, "00000", "นางสาว", "สมหญิง", "ใจดี มีสุข", "", "02/11/2569", "ค่าเช่าทรัพย์สิน",
        "5.00", "8000.00", "400.00", "1",
    ]  # fmt: skip
    pnd53 = payables.pnd_text(form="53", year=IN_FY.year, month=IN_FY.month, encoding="utf-8").decode()
    fields = pnd53.strip().split("|")
    # A "|" or a line break inside a name or an address can never shift the columns.
    assert len(fields) == 12
    assert fields[:5] == ["1", "0994000165978", "00000", "", "บริษัท ชุมชน ก้าวหน้า จำกัด"]
    assert fields[5] == "99 ถนนพหลโยธิน กรุงเทพฯ"
    assert fields[-4:] == ["1.00", "20000.00", "200.00", "1"]  # the government-agency 1 % rule
    # The text and the .xlsx listing carry the same tax.
    rows = payables.pnd_rows(form="53", year=IN_FY.year, month=IN_FY.month)
    assert sum(r[9] for r in rows) == sum(float(x.split("|")[-2]) for x in pnd53.splitlines())
    assert payables.pnd_text(form="3", year=IN_FY.year, month=1) == b""
    with pytest.raises(FinanceError):
        payables.pnd_text(form="1", year=IN_FY.year, month=IN_FY.month)
    with pytest.raises(FinanceError):
        payables.pnd_text(form="3", year=IN_FY.year, month=IN_FY.month, encoding="latin-1")


def test_pnd_text_download_and_refusals(invoices, people):
    url = f"/finance/reports/pnd/?form=3&month={IN_FY:%Y-%m}&format=txt"
    response = signed_in_client(people["chief"]).get(url)
    assert response.status_code == 200
    assert "tis-620" in response["Content-Type"]
    assert PERSON_PIN in response.content.decode("cp874")
    utf8 = signed_in_client(people["chief"]).get(url + "&encoding=utf-8")
    assert "นางสาว" in utf8.content.decode()
    assert signed_in_client(people["chief"]).get(url.replace("form=3", "form=9")).status_code == 404
    for user in ("project_officer", "south_officer"):
        assert signed_in_client(people[user]).get(url).status_code == 403
