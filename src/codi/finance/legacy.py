"""Legacy journal import: the general-ledger export of ACCPAC or CODI EFinance (EFS), .xlsx or CSV.

One row per journal line; rows with the same ``entry_ref`` form one entry. Columns (header row,
any order, names case-insensitive, extra columns ignored):

=============  ==========================================================================
entry_ref      the old system's voucher / batch-entry number (required)
date           ``YYYY-MM-DD``, or ``DD/MM/YYYY`` in B.E. or A.D. (an .xlsx date cell too)
account_code   a code of CODI's chart (map old codes before importing)
debit, credit  one of them, more than zero, at most two decimals (``1,234.50`` accepted)
description    optional; the first row's text describes the entry
system         optional: ``ACCPAC`` (default) or ``EFS``
org_unit, fund, program, project, region, province   optional dimensions of the line
=============  ==========================================================================

Every problem is reported with its row and column (``แถว 7 คอลัมน์ debit: …``); an entry that
does not balance, a closed period or a fiscal year that is closed is reported on the entry's
first row. Nothing is written while any error remains (the whole file is one transaction), and
a dry run writes nothing at all. Importing the same file again posts nothing new: each entry is
keyed ``finance.legacy`` / ``<system>:<entry_ref>`` (a key already posted with a different total
is an error, not a skip).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from codi.finance import ledger
from codi.finance.dimensions import COLUMNS, DimensionError, Dimensions
from codi.finance.ledger import FinanceError, LineSpec
from codi.finance.models import ZERO, Account, FiscalYear, JournalEntry, Period
from codi.finance.opening import read_rows
from codi.finance.selectors import is_country_wide
from codi.identity.roles import Perm

SOURCE_TYPE = "finance.legacy"
BOOK = "LG"
SYSTEMS = ("ACCPAC", "EFS")
REQUIRED = ("entry_ref", "date", "account_code", "debit", "credit")
HEADER = ["system", "entry_ref", "date", "account_code", "debit", "credit", "description", *COLUMNS]
MAX_ROWS = 200_000


@dataclass
class LegacyEntry:
    key: str
    first_row: int
    entry_date: date | None = None
    description: str = ""
    lines: list[LineSpec] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((spec.debit for spec in self.lines), ZERO)


@dataclass
class LegacyResult:
    rows: int = 0
    entries: int = 0
    skipped: int = 0
    posted: int = 0
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if "/" in text:
        day, month, year = (int(part) for part in text.split("/"))
        return date(year - 543 if year > 2400 else year, month, day)
    return date.fromisoformat(text)


def _amount(value: Any) -> Decimal:
    text = _text(value).replace(",", "")
    if not text:
        return ZERO
    amount = ledger.money(text)
    if amount < ZERO:
        raise FinanceError("ติดลบ", "negative")
    return amount


def legacy_parse(*, content: bytes, filename: str) -> tuple[LegacyResult, list[LegacyEntry]]:
    """Read and check the file (every row, every column); nothing is written."""
    result = LegacyResult()
    try:
        rows = read_rows(content, filename)
    except FinanceError as exc:
        result.errors.append(exc.message_th)
        return result, []
    if not rows:
        result.errors.append("ไม่มีข้อมูลในไฟล์")
        return result, []
    missing = [name for name in REQUIRED if name not in rows[0]]
    if missing:
        result.errors.append(f"ไม่มีคอลัมน์ที่จำเป็น: {', '.join(missing)}")
        return result, []
    if len(rows) > MAX_ROWS:
        result.errors.append(f"ไฟล์มีเกิน {MAX_ROWS:,} แถว")
        return result, []
    accounts = set(Account.objects.filter(is_active=True).values_list("code", flat=True))
    entries: OrderedDict[str, LegacyEntry] = OrderedDict()
    for number, row in enumerate(rows, start=2):
        if not any(_text(v) for v in row.values()):
            continue
        result.rows += 1
        errors = result.errors

        def bad(column: str, message: str, number: int = number, errors: list[str] = errors) -> None:
            errors.append(f"แถว {number} คอลัมน์ {column}: {message}")

        system = (_text(row.get("system")) or "ACCPAC").upper()
        if system not in SYSTEMS:
            bad("system", f"ระบบเดิม {system} ไม่รู้จัก (ACCPAC หรือ EFS)")
        ref = _text(row.get("entry_ref"))
        if not ref or len(ref) > 60:
            bad("entry_ref", "ต้องระบุเลขที่เอกสารเดิม (ไม่เกิน 60 ตัวอักษร)")
            continue
        entry = entries.setdefault(f"{system}:{ref}", LegacyEntry(key=f"{system}:{ref}", first_row=number))
        try:
            day = _date(row.get("date"))
        except (ValueError, TypeError):
            bad("date", f"วันที่ {_text(row.get('date')) or '(ว่าง)'} ไม่ถูกต้อง (ปปปป-ดด-วว หรือ วว/ดด/ปปปป)")
        else:
            if entry.entry_date is None:
                entry.entry_date = day
            elif entry.entry_date != day:
                bad("date", f"วันที่ต่างจากบรรทัดแรกของเอกสาร {ref}")
        code = _text(row.get("account_code"))
        if code not in accounts:
            bad("account_code", f"ไม่พบรหัสบัญชี {code or '(ว่าง)'} ในผังบัญชี")
        amounts, amounts_read = {}, True
        for column in ("debit", "credit"):
            try:
                amounts[column] = _amount(row.get(column))
            except FinanceError:
                bad(column, f"{_text(row.get(column))} ไม่ใช่จำนวนเงินที่ถูกต้อง (ไม่ติดลบ ทศนิยมไม่เกิน 2 ตำแหน่ง)")
                amounts[column], amounts_read = ZERO, False
        debit, credit = amounts["debit"], amounts["credit"]
        if amounts_read and (debit > ZERO) == (credit > ZERO):
            bad("debit/credit", "ระบุเดบิตหรือเครดิตที่มากกว่าศูนย์อย่างใดอย่างหนึ่งเท่านั้น")
        try:
            dims = Dimensions.of({name: _text(row.get(name)) for name in COLUMNS}).check()
        except DimensionError as exc:
            bad("fund", f"มิติทางบัญชีไม่ถูกต้อง ({exc})")
            dims = Dimensions()
        description = _text(row.get("description"))[:200]
        if description and not entry.description:
            entry.description = description
        result.debit += debit
        result.credit += credit
        entry.lines.append(LineSpec(code, debit=debit, credit=credit, memo=description, dimensions=dims))
    result.entries = len(entries)
    _check_entries(result, list(entries.values()))
    return result, list(entries.values())


def _check_entries(result: LegacyResult, entries: list[LegacyEntry]) -> None:
    posted = dict(
        JournalEntry.objects.filter(
            source_type=SOURCE_TYPE, source_id__in=[e.key for e in entries]
        ).values_list("source_id", "total")
    )
    for entry in entries:
        debit = sum((s.debit for s in entry.lines), ZERO)
        credit = sum((s.credit for s in entry.lines), ZERO)
        where = f"แถว {entry.first_row} เอกสาร {entry.key}"
        if debit != credit:
            result.errors.append(f"{where}: ไม่สมดุล เดบิต {ledger.baht(debit)} เครดิต {ledger.baht(credit)}")
        if len(entry.lines) < 2:
            result.errors.append(f"{where}: ต้องมีอย่างน้อย 2 บรรทัด")
        if entry.key in posted and posted[entry.key] != debit:
            result.errors.append(
                f"{where}: นำเข้าแล้วด้วยยอด {ledger.baht(posted[entry.key])} บาท ไม่ตรงกับไฟล์ ({ledger.baht(debit)})"
            )
        if entry.entry_date is None or entry.key in posted:
            continue
        year = FiscalYear.objects.filter(year_be=ledger.fiscal_year_of(entry.entry_date)).first()
        closed_period = Period.objects.filter(
            start_date__lte=entry.entry_date, end_date__gte=entry.entry_date, is_closed=True
        ).exists()
        if (year is not None and year.is_closed) or closed_period:
            result.errors.append(
                f"{where}: งวดบัญชีของวันที่ {entry.entry_date:%d/%m}/{entry.entry_date.year + 543} ปิดแล้ว"
            )


def legacy_import(*, actor: Any, content: bytes, filename: str, dry_run: bool = True) -> LegacyResult:
    """Check the file and, unless ``dry_run`` or any error, post every entry not yet imported, all
    in one transaction (any refusal rolls back the whole file)."""
    if not is_country_wide(actor, Perm.FINANCE_MANAGE):
        raise PermissionDenied
    result, entries = legacy_parse(content=content, filename=filename)
    if result.errors or dry_run:
        result.skipped = sum(
            JournalEntry.objects.filter(source_type=SOURCE_TYPE, source_id=e.key).exists() for e in entries
        )
        return result
    with transaction.atomic():
        for entry in entries:
            if JournalEntry.objects.filter(source_type=SOURCE_TYPE, source_id=entry.key).exists():
                result.skipped += 1
                continue
            assert entry.entry_date is not None
            try:
                ledger.fiscal_year_ensure(actor=actor, year_be=ledger.fiscal_year_of(entry.entry_date))
                ledger.entry_post(
                    actor=actor, entry_date=entry.entry_date, lines=entry.lines, source_type=SOURCE_TYPE,
                    source_id=entry.key, book=BOOK,
                    description=f"นำเข้าจาก {entry.key.split(':')[0]} เอกสาร {entry.key.split(':', 1)[1]}"
                    + (f": {entry.description}" if entry.description else ""),
                )  # fmt: skip
            except FinanceError as exc:
                result.errors.append(f"แถว {entry.first_row} เอกสาร {entry.key}: {exc.message_th}")
                continue
            result.posted += 1
        if result.errors:
            result.posted = 0
            transaction.set_rollback(True)
    return result
