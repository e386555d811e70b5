"""Import of the existing loan book: dry run, errors by line and column, all-or-nothing, a second
import adds nothing, rows outside the officer's area refused; the arrears then age like any loan's."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from codi.core.models import AuditEntry
from codi.lending import loanbook, selectors
from codi.lending.models import Instalment, Loan, LoanStatus
from tests.lending.conftest import make_user
from tests.permissions import signed_in_client

pytestmark = pytest.mark.django_db
HEADER = ",".join(loanbook.COLUMNS)
# LIV: equal principal, 30/360, 6 % a year. 12,000.00 over 3 months from 15 Jan 2025: principal
# 4,000.00 a month, interest 12,000 × 0.5 % = 60.00, then 40.00, 20.00. After 1 paid: 8,000.00 owed.
GOOD = f"{HEADER}\nOLD-0001,REG-40-1,LIV,12000,6,3,2025-01-15,1,8000.00\nOLD-0002,REG-40-1,LIV,24000,6,6,2025-02-01,0,24000\n"


@pytest.fixture
def registered(org):
    org.registration_no = "REG-40-1"
    org.save(update_fields=["registration_no"])
    return org


def run(actor, text, dry_run=False, name="book.csv"):
    return loanbook.loan_book_import(actor=actor, content=text.encode(), filename=name, dry_run=dry_run)


def test_dry_run_then_import_then_nothing_more(books, people, product, registered):
    officer = people["officer"]
    check = run(officer, GOOD, dry_run=True)
    assert check.ok and (check.rows, check.to_create, check.outstanding) == (2, 2, Decimal("32000.00"))
    assert not Loan.objects.exists()
    done = run(officer, GOOD)
    assert (
        done.created == ["OLD-0001", "OLD-0002"]
        and not Loan.objects.exclude(status=LoanStatus.ACTIVE).exists()
    )
    loan = Loan.objects.get(number="OLD-0001")
    rows = list(Instalment.objects.filter(loan=loan, is_current=True).order_by("n").values_list(
        "due_date", "principal_due", "interest_due", "principal_paid", "interest_paid"))  # fmt: skip
    assert rows == [
        (date(2025, 2, 15), Decimal("4000.00"), Decimal("60.00"), Decimal("4000.00"), Decimal("60.00")),
        (date(2025, 3, 15), Decimal("4000.00"), Decimal("40.00"), Decimal("0.00"), Decimal("0.00")),
        (date(2025, 4, 15), Decimal("4000.00"), Decimal("20.00"), Decimal("0.00"), Decimal("0.00")),
    ]
    # As of 1 Jul 2025 instalment 2 is 108 days overdue: the 8,000.00 owed is NPL (> 90 days).
    figures = selectors.portfolio(actor=officer, as_of=date(2025, 7, 1)).total
    assert figures.npl_outstanding >= Decimal("8000.00") and figures.loans == 2
    assert AuditEntry.objects.filter(action="lending.loan_book_import").count() == 1
    again = run(officer, GOOD)
    assert again.ok and again.created == [] and again.skipped == ["OLD-0001", "OLD-0002"]
    assert Loan.objects.count() == 2 and Instalment.objects.count() == 9


def test_errors_by_line_and_column_and_nothing_written(books, people, product, registered):
    bad = (
        f"{HEADER}\n"
        "OLD-0001,REG-40-1,LIV,12000,6,3,2025-01-15,1,8000.00\n"  # good, yet not written
        "OLD-0003,REG-NONE,LIV,12000,6,3,2025-01-15,0,12000\n"  # line 3: no such organization
        "OLD-0004,REG-40-1,XXX,12000,6,3,2025-01-15,0,12000\n"  # line 4: no such product
        "OLD-0005,REG-40-1,LIV,12000,6,3,2025-01-15,1,7999.99\n"  # line 5: balance differs
        "OLD-0006,REG-40-1,LIV,abc,6,3,15/01/2025,x,12000\n"  # line 6: principal, date, paid
        "OLD-0001,REG-40-1,LIV,12000,6,3,2025-01-15,1,8000.00\n"  # line 7: duplicate number
        "OLD-0007,REG-40-1,LIV,5000,6,3,2025-01-15,0,5000\n"  # line 8: below the product's minimum
    )
    result = run(people["officer"], bad)
    found = {(e.line, e.column) for e in result.errors}
    assert found == {
        (3, "organization_registration_no"), (4, "product_code"), (5, "outstanding_principal"),
        (6, "principal"), (6, "disbursed_on"), (6, "paid_instalments"), (7, "loan_number"), (8, "principal"),
    }  # fmt: skip
    assert "8,000.00" in next(e.message_th for e in result.errors if e.line == 5)
    assert not Loan.objects.exists()
    missing = run(people["officer"], "loan_number,principal\nX,1\n")
    assert missing.errors and missing.errors[0].line == 1 and "product_code" in missing.errors[0].column
    assert run(people["officer"], GOOD, name="book.pdf").errors  # not a spreadsheet
    assert run(people["officer"], "", name="book.csv").errors


def test_rows_outside_the_area_are_refused(books, people, product, registered):
    result = run(people["south_officer"], GOOD)
    assert {(e.line, e.column) for e in result.errors} == {(2, "organization_registration_no"),
                                                           (3, "organization_registration_no")}  # fmt: skip
    assert not Loan.objects.exists()


def test_command_and_page_with_a_workbook(matrix, books, people, product, registered, tmp_path, capsys):
    path = tmp_path / "book.csv"
    path.write_text(GOOD, encoding="utf-8")
    call_command("lending_import_loans", file=str(path), user=people["officer"].username)
    assert "จะนำเข้า 2" in capsys.readouterr().out and not Loan.objects.exists()
    with pytest.raises(CommandError):
        call_command(
            "lending_import_loans", file=str(path), user=people["south_officer"].username, commit=True
        )
    assert not Loan.objects.exists()
    book = Workbook()
    sheet = book.active
    sheet.append(list(loanbook.COLUMNS))
    sheet.append(["OLD-0001", "REG-40-1", "LIV", 12000, 6, 3, date(2025, 1, 15), 1, 8000])
    buffer = io.BytesIO()
    book.save(buffer)
    url = "/lending/import/"
    hr = make_user("hr_officer")
    matrix.check(lambda c: c.get(url), allowed=people["officer"], wrong_role=hr, out_of_scope=None)
    assert signed_in_client(people["cashier"]).get(url).status_code == 403  # pays, does not manage loans

    def upload(client, commit):
        return client.post(
            url, {"file": SimpleUploadedFile("book.xlsx", buffer.getvalue()), "commit": commit}
        )

    outside = upload(signed_in_client(people["south_officer"]), "1")
    assert outside.status_code == 200 and 'id="loan-import-errors"' in outside.content.decode()
    assert not Loan.objects.exists()
    client = signed_in_client(people["officer"])
    assert upload(client, "0").status_code == 200 and not Loan.objects.exists()
    page = upload(client, "1").content.decode()
    assert 'id="loan-import-result"' in page and Loan.objects.get().number == "OLD-0001"
    assert upload(client, "1").status_code == 200 and Loan.objects.count() == 1
    assert client.post(url, {"commit": "1"}).status_code == 200  # no file: a message, not a 500
