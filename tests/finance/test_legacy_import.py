"""Legacy ACCPAC / EFS journal import (command and page): row and column named errors, all or
nothing, a second import posts nothing; the receipts and import pages refuse out-of-scope users."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from codi.finance import legacy, periods, selectors
from codi.finance.models import JournalEntry, JournalLine, Period, Receipt
from tests.finance.conftest import TODAY_FY, make_user
from tests.permissions import signed_in_client

GOOD = (
    "system,entry_ref,date,account_code,debit,credit,description,province,fund\n"
    "ACCPAC,JV-1,2026-10-15,5104010112,1500.00,,ค่าเช่ารถ,10,own_income\n"
    "ACCPAC,JV-1,2026-10-15,1101020601,,1500.00,ค่าเช่ารถ,10,own_income\n"
    'EFS,RV-7,15/11/2569,1101020601,"2,000.50",,รับคืนเงินโครงการ,,\n'
    "EFS,RV-7,15/11/2569,4203010101,,2000.50,,,\n"
)


@pytest.fixture
def officer(books):
    return make_user("finance_officer")


def test_a_legacy_journal_is_checked_then_posted_once(officer):
    dry = legacy.legacy_import(actor=officer, content=GOOD.encode(), filename="gl.csv")
    assert (dry.rows, dry.entries, dry.errors, dry.posted) == (4, 2, [], 0)
    assert not JournalEntry.objects.filter(source_type="finance.legacy").exists()
    done = legacy.legacy_import(actor=officer, content=GOOD.encode(), filename="gl.csv", dry_run=False)
    assert (done.posted, done.skipped, done.errors) == (2, 0, [])
    accpac = JournalEntry.objects.get(source_type="finance.legacy", source_id="ACCPAC:JV-1")
    assert (accpac.book, accpac.total, str(accpac.entry_date)) == ("LG", Decimal("1500.00"), "2026-10-15")
    assert set(accpac.lines.values_list("province", "fund")) == {("10", "own_income")}
    efs = JournalEntry.objects.get(source_id="EFS:RV-7")
    assert str(efs.entry_date) == "2026-11-15"  # 15/11/2569 B.E.
    again = legacy.legacy_import(actor=officer, content=GOOD.encode(), filename="gl.csv", dry_run=False)
    assert (again.posted, again.skipped) == (0, 2)
    assert JournalEntry.objects.filter(source_type="finance.legacy").count() == 2


def test_every_bad_row_is_named_by_row_and_column_and_nothing_is_written(officer):
    bad = (
        "entry_ref,date,account_code,debit,credit,fund\n"
        "JV-1,2026-10-15,5104010112,1500.00,,\n"
        "JV-1,2026-10-15,1101020601,,1500.00,\n"  # a good entry: still not posted
        "JV-2,2026-13-01,9999999999,abc,,\n"
        "JV-2,2026-10-16,1101020601,10.001,,lottery\n"
        "JV-3,2026-10-17,5104010112,100,100,\n"
        "JV-4,2026-10-18,5104010112,100,,\n"
        "JV-4,2026-10-18,1101020601,,90,\n"
        ",2026-10-18,1101020601,,90,\n"
    )
    result = legacy.legacy_import(actor=officer, content=bad.encode(), filename="gl.csv", dry_run=False)
    errors = "\n".join(result.errors)
    for expected in (
        "แถว 4 คอลัมน์ date",
        "แถว 4 คอลัมน์ account_code: ไม่พบรหัสบัญชี 9999999999",
        "แถว 4 คอลัมน์ debit: abc",
        "แถว 5 คอลัมน์ debit: 10.001",
        "แถว 5 คอลัมน์ fund",
        "แถว 6 คอลัมน์ debit/credit",
        "แถว 7 เอกสาร ACCPAC:JV-4: ไม่สมดุล เดบิต 100.00 เครดิต 90.00",
        "แถว 9 คอลัมน์ entry_ref",
    ):
        assert expected in errors, (expected, errors)
    assert result.posted == 0
    assert not JournalEntry.objects.filter(source_type="finance.legacy").exists()


def test_a_closed_period_is_refused_for_the_whole_file(officer):
    chief = make_user("chief_accountant")
    october = Period.objects.get(fiscal_year__year_be=TODAY_FY, month=1)
    periods.period_close(actor=chief, period=october)
    result = legacy.legacy_import(actor=officer, content=GOOD.encode(), filename="gl.csv", dry_run=False)
    assert any("ACCPAC:JV-1" in e and "ปิดแล้ว" in e for e in result.errors)
    assert not JournalEntry.objects.filter(source_type="finance.legacy").exists()


def test_a_changed_entry_already_imported_is_an_error_not_a_skip(officer):
    legacy.legacy_import(actor=officer, content=GOOD.encode(), filename="gl.csv", dry_run=False)
    changed = GOOD.replace("1500.00", "1600.00")
    result = legacy.legacy_import(actor=officer, content=changed.encode(), filename="gl.csv", dry_run=False)
    assert any("นำเข้าแล้วด้วยยอด 1,500.00" in e for e in result.errors)
    assert JournalEntry.objects.filter(source_type="finance.legacy").count() == 2


def test_xlsx_and_the_command(officer, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Entry_Ref", "Date", "Account_Code", "Debit", "Credit"])
    from datetime import datetime

    sheet.append(["B-1", datetime(2026, 12, 1), 5104010112, 250.25, None])
    sheet.append(["B-1", datetime(2026, 12, 1), 1101020601, None, 250.25])
    path = tmp_path / "efs.xlsx"
    book.save(path)
    out = io.StringIO()
    call_command("finance_import_legacy", file=str(path), user=officer.username, stdout=out)
    assert "ทดลอง" in out.getvalue()
    assert not JournalEntry.objects.filter(source_type="finance.legacy").exists()
    call_command("finance_import_legacy", file=str(path), user=officer.username, commit=True, stdout=out)
    assert JournalEntry.objects.get(source_id="ACCPAC:B-1").total == Decimal("250.25")
    bad = tmp_path / "bad.csv"
    bad.write_text("entry_ref,date,account_code,debit,credit\nX,2026-12-01,1,1,\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("finance_import_legacy", file=str(bad), user=officer.username, commit=True)
    lines = JournalLine.objects.filter(entry__source_type="finance.legacy").count()
    assert lines == 2


def test_import_page_checks_then_posts_and_shows_row_errors(officer):
    client = signed_in_client(officer)
    page = client.get("/finance/import/")
    assert page.status_code == 200
    checked = client.post("/finance/import/", {"kind": "legacy", "file": _upload(GOOD)})
    assert "พร้อมบันทึก" in checked.content.decode() or 'id="import-result"' in checked.content.decode()
    assert not JournalEntry.objects.filter(source_type="finance.legacy").exists()
    posted = client.post("/finance/import/", {"kind": "legacy", "file": _upload(GOOD), "commit": "1"})
    assert posted.status_code == 200
    assert JournalEntry.objects.filter(source_type="finance.legacy").count() == 2
    broken = client.post(
        "/finance/import/",
        {"kind": "legacy", "file": _upload(GOOD.replace("5104010112", "123")), "commit": "1"},
    )
    assert "แถว 2 คอลัมน์ account_code" in broken.content.decode()
    opening = client.post(
        "/finance/import/",
        {"kind": "opening", "year": str(TODAY_FY), "commit": "1",
         "file": _upload("account_code,debit,credit\n1101020601,500.00,\n3101010101,,500.00\n", "ob.csv")},
    )  # fmt: skip
    assert opening.status_code == 200
    assert JournalEntry.objects.filter(source_type="finance.opening", source_id=str(TODAY_FY)).exists()
    assert client.post("/finance/import/", {"kind": "nonsense"}).status_code == 200
    assert client.get("/finance/import/?template=legacy").status_code == 200


def _upload(text: str, name: str = "gl.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_receipts_page_lists_and_creates(officer):
    client = signed_in_client(officer)
    created = client.post("/finance/receipts/", {"payer_name": "ชุมชนบ้านมั่นคง", "amount": "1,250.00",
                                                 "credit_account": "4203010101"})  # fmt: skip
    assert created.status_code == 302
    receipt = Receipt.objects.get()
    page = client.get("/finance/receipts/").content.decode()
    assert receipt.number in page and receipt.reference in page
    refused = client.post("/finance/receipts/", {"payer_name": "", "amount": "-1", "credit_account": "x"})
    assert refused.status_code == 200
    assert Receipt.objects.count() == 1


@pytest.mark.parametrize("url", ["/finance/receipts/", "/finance/import/"])
def test_receipts_and_import_pages_refuse_out_of_scope_users(matrix, people, url):
    matrix.check(
        lambda c: c.get(url),
        allowed=people["maker"],
        wrong_role=people["project_officer"],
        out_of_scope=people["south_officer"],
    )


def test_posting_pages_refuse_out_of_scope_writes(people, books):
    for user in (people["south_officer"], people["auditor"]):
        client = signed_in_client(user)
        assert (
            client.post(
                "/finance/import/", {"kind": "legacy", "file": _upload(GOOD), "commit": "1"}
            ).status_code
            == 403
        )
        assert (
            client.post(
                "/finance/receipts/", {"payer_name": "x", "amount": "1", "credit_account": "4203010101"}
            ).status_code
            == 403
        )
    assert not JournalEntry.objects.filter(source_type="finance.legacy").exists()
    assert selectors.vendor_list(actor=people["south_officer"]).count() == 0
