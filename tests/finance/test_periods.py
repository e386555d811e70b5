"""Monthly periods: closed means no posting; close checks; year-end closing; opening balances."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook

from codi.core.models import AuditEntry
from codi.finance import ledger, opening, periods
from codi.finance.ledger import FinanceError, LineSpec
from codi.finance.models import Account, JournalEntry, Period, StatementLine
from codi.finance.selectors import account_balance, trial_balance
from tests.finance.conftest import TODAY_FY, make_user

BANK, EXPENSE, REVENUE, SUSPENSE = "1101020601", "5104010112", "4307010101", "1109990101"


def _post(day: date, source: str, debit: str = EXPENSE, credit: str = BANK, amount: str = "100.00"):
    return ledger.entry_post(
        actor=None, entry_date=day, description="t", source_type="test", source_id=source,
        lines=[LineSpec(debit, debit=Decimal(amount)), LineSpec(credit, credit=Decimal(amount))],
    )  # fmt: skip


def _period(month: int) -> Period:
    return Period.objects.get(fiscal_year__year_be=TODAY_FY, month=month)


def test_a_fiscal_year_has_twelve_months_october_first(books):
    months = list(Period.objects.filter(fiscal_year=books).order_by("month"))
    assert len(months) == 12
    assert (months[0].start_date, months[0].end_date) == (date(2026, 10, 1), date(2026, 10, 31))
    assert (months[4].start_date, months[4].end_date) == (date(2027, 2, 1), date(2027, 2, 28))
    assert months[11].end_date == date(2027, 9, 30)


def test_posting_into_a_closed_period_is_refused_and_writes_nothing(books):
    chief = make_user("chief_accountant")
    _post(date(2026, 10, 5), "a")
    periods.period_close(actor=chief, period=_period(1))
    with pytest.raises(FinanceError) as error:
        _post(date(2026, 10, 30), "b")
    assert "ปิดแล้ว" in error.value.message_th and "closed" in error.value.message_en
    assert JournalEntry.objects.count() == 1
    _post(date(2026, 11, 1), "c")  # the next month is open
    assert AuditEntry.objects.filter(action="finance.period_close").count() == 1


def test_close_refuses_out_of_order_and_unauthorised(books):
    chief = make_user("chief_accountant")
    with pytest.raises(FinanceError):
        periods.period_close(actor=chief, period=_period(2))
    with pytest.raises(PermissionDenied):
        periods.period_close(actor=make_user("finance_officer"), period=_period(1))
    assert not _period(1).is_closed


def test_close_checks_name_suspense_and_unreconciled_bank(books):
    chief = make_user("chief_accountant")
    _post(date(2026, 10, 5), "s", debit=SUSPENSE, amount="250.00")
    StatementLine.objects.create(
        value_date=date(2026, 10, 6),
        amount=Decimal("-9.00"),
        reference="X",
        fingerprint="f1",
        imported_by=chief,
    )
    with pytest.raises(FinanceError) as error:
        periods.period_close(actor=chief, period=_period(1))
    assert "บัญชีพักรอตรวจสอบ" in error.value.message_th and "250.00" in error.value.message_th
    assert "1 bank statement lines" in error.value.message_en
    assert [p.code for p in periods.period_close_checks(period=_period(1))] == ["suspense", "bank"]
    assert not _period(1).is_closed


def test_reopen_lets_a_correction_in_and_is_audited(books):
    chief = make_user("chief_accountant")
    periods.period_close(actor=chief, period=_period(1))
    periods.period_reopen(actor=chief, period=_period(1), reason="แก้ไขรายการ")
    _post(date(2026, 10, 9), "late")
    assert AuditEntry.objects.filter(action="finance.period_reopen").count() == 1


def test_year_end_closes_revenue_and_expense_into_surplus(books):
    chief = make_user("chief_accountant")
    _post(date(2026, 10, 5), "rev", debit=BANK, credit=REVENUE, amount="1000.00")
    _post(date(2027, 3, 5), "exp", amount="400.00")
    with pytest.raises(FinanceError):
        periods.year_end_close(actor=chief, year=books)
    for month in range(1, 12):
        periods.period_close(actor=chief, period=_period(month))
    entry = periods.year_end_close(actor=chief, year=books)
    assert entry is not None and entry.book == "CL" and entry.entry_date == date(2027, 9, 30)
    rows = {r.code: r for r in trial_balance(actor=chief, year_be=TODAY_FY)}
    assert rows[REVENUE].debit == rows[REVENUE].credit == Decimal("1000.00")
    assert rows[EXPENSE].debit == rows[EXPENSE].credit == Decimal("400.00")
    assert account_balance(account=Account.objects.get(code="3102010101")) == Decimal("-600.00")
    books.refresh_from_db()
    assert books.is_closed and _period(12).is_closed
    with pytest.raises(FinanceError):
        _post(date(2027, 9, 1), "after")


CSV_OK = "account_code,debit,credit,memo\n1101020601,5000.00,,ยอดยกมา\n3101010101,,5000.00,\n"


def test_opening_dry_run_writes_nothing_then_import_posts_once(books):
    officer = make_user("finance_officer")
    dry = opening.opening_import(actor=officer, year=books, content=CSV_OK.encode(), filename="ob.csv")
    assert dry.ok and dry.rows == 2 and dry.debit == Decimal("5000.00") and dry.entry is None
    assert JournalEntry.objects.count() == 0
    done = opening.opening_import(
        actor=officer, year=books, content=CSV_OK.encode(), filename="ob.csv", dry_run=False
    )
    assert done.entry is not None and done.entry.book == "OB" and done.entry.entry_date == date(2026, 10, 1)
    again = opening.opening_import(
        actor=officer, year=books, content=CSV_OK.encode(), filename="ob.csv", dry_run=False
    )
    assert again.errors == [f"นำเข้ายอดยกมาของปีงบประมาณ {TODAY_FY} แล้ว"] and JournalEntry.objects.count() == 1


def test_opening_row_errors_are_thai_with_row_numbers_and_nothing_is_posted(books):
    officer = make_user("finance_officer")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["account_code", "debit", "credit"])
    sheet.append(["9999999999", 10, None])
    sheet.append(["1101020601", "abc", None])
    sheet.append(["1101010101", 5, 5])
    sheet.append(["3101010101", None, 10])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = opening.opening_import(
        actor=officer, year=books, content=buffer.getvalue(), filename="ob.xlsx", dry_run=False
    )
    assert result.errors == [
        "แถว 2: ไม่พบรหัสบัญชี 9999999999 ในผังบัญชี",
        "แถว 3: เดบิต ไม่ใช่จำนวนเงินที่ถูกต้อง (abc)",
        "แถว 4: ระบุเดบิตหรือเครดิตอย่างใดอย่างหนึ่งเท่านั้น",
    ]
    assert JournalEntry.objects.count() == 0
    unbalanced = opening.opening_import(
        actor=officer, year=books, content=b"account_code,debit,credit\n1101020601,10,\n3101010101,,9\n",
        filename="x.csv", dry_run=False,
    )  # fmt: skip
    assert unbalanced.errors == ["ยอดยกมาไม่สมดุล: เดบิต 10.00 เครดิต 9.00"] and JournalEntry.objects.count() == 0
    with pytest.raises(PermissionDenied):
        opening.opening_import(actor=make_user("executive"), year=books, content=b"", filename="x.csv")


def test_opening_import_command_is_a_dry_run_unless_commit(books, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    officer = make_user("finance_officer")
    good, bad = tmp_path / "ob.csv", tmp_path / "bad.csv"
    good.write_text(CSV_OK, encoding="utf-8")
    bad.write_text("account_code,debit,credit\n1101020601,10,\n", encoding="utf-8")
    args = ["--year", str(TODAY_FY), "--user", officer.username]
    call_command("finance_import_opening", "--file", str(good), *args)
    assert JournalEntry.objects.count() == 0
    with pytest.raises(CommandError):
        call_command("finance_import_opening", "--file", str(bad), *args, "--commit")
    call_command("finance_import_opening", "--file", str(good), *args, "--commit")
    assert JournalEntry.objects.get().source_type == "finance.opening"
