"""Opening balances from the old books (ACCPAC/EFS export), .xlsx or CSV, all or nothing.

Columns (header row, any order, extra columns ignored): ``account_code, debit, credit`` and an
optional ``memo``. Each row is one account's balance on the first day of the fiscal year: a debit
or a credit, never both. The rows must balance. A dry run reports what would be posted and every
row error (in Thai, with the row number); a real run posts one entry in book ``OB`` dated the
year's first day, source ``finance.opening``/<year> — importing the same year again is refused.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied

from codi.finance import ledger
from codi.finance.ledger import FinanceError, LineSpec
from codi.finance.models import ZERO, Account, FiscalYear, JournalEntry
from codi.finance.selectors import is_country_wide
from codi.identity.roles import Perm

SOURCE_TYPE = "finance.opening"
REQUIRED = ("account_code", "debit", "credit")
MAX_ROWS = 20_000


@dataclass
class OpeningResult:
    rows: int = 0
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    errors: list[str] = field(default_factory=list)
    entry: JournalEntry | None = None
    lines: list[LineSpec] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_rows(content: bytes, filename: str) -> list[dict[str, Any]]:
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook  # heavy: openpyxl is loaded only when a workbook is read

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        except Exception as exc:
            raise FinanceError("อ่านไฟล์ Excel ไม่ได้", "The workbook cannot be read") from exc
        values = list(sheet.iter_rows(values_only=True))
        if not values:
            return []
        header = [str(v or "").strip().lower() for v in values[0]]
        return [dict(zip(header, row, strict=False)) for row in values[1:]]
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FinanceError("ไฟล์ต้องเป็น UTF-8", "The file must be UTF-8") from exc
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames:
        reader.fieldnames = [name.strip().lower() for name in reader.fieldnames]
    return list(reader)


def _amount(value: Any, number: int, name: str, errors: list[str]) -> Decimal:
    text = str(value if value is not None else "").strip().replace(",", "")
    if not text:
        return ZERO
    try:
        amount = ledger.money(text)
    except FinanceError:
        errors.append(f"แถว {number}: {name} ไม่ใช่จำนวนเงินที่ถูกต้อง ({text})")
        return ZERO
    if amount < ZERO:
        errors.append(f"แถว {number}: {name} ต้องไม่ติดลบ")
        return ZERO
    return amount


def opening_parse(*, content: bytes, filename: str) -> OpeningResult:
    """Read and check the file; nothing is written."""
    result = OpeningResult()
    try:
        rows = read_rows(content, filename)
    except FinanceError as exc:
        result.errors.append(exc.message_th)
        return result
    if not rows:
        result.errors.append("ไม่มีข้อมูลในไฟล์")
        return result
    missing = [name for name in REQUIRED if name not in rows[0]]
    if missing:
        result.errors.append(f"ไม่มีคอลัมน์ที่จำเป็น: {', '.join(missing)}")
        return result
    if len(rows) > MAX_ROWS:
        result.errors.append(f"ไฟล์มีเกิน {MAX_ROWS:,} แถว")
        return result
    accounts = dict(Account.objects.filter(is_active=True).values_list("code", "name_th"))
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):
        code = str(row.get("account_code") or "").strip()
        if not code and not any(row.values()):
            continue
        result.rows += 1
        if code not in accounts:
            result.errors.append(f"แถว {number}: ไม่พบรหัสบัญชี {code or '(ว่าง)'} ในผังบัญชี")
            continue
        if code in seen:
            result.errors.append(f"แถว {number}: รหัสบัญชี {code} ซ้ำกับแถว {seen[code]}")
            continue
        seen[code] = number
        debit = _amount(row.get("debit"), number, "เดบิต", result.errors)
        credit = _amount(row.get("credit"), number, "เครดิต", result.errors)
        if (debit > ZERO) == (credit > ZERO):
            if debit or credit:
                result.errors.append(f"แถว {number}: ระบุเดบิตหรือเครดิตอย่างใดอย่างหนึ่งเท่านั้น")
            continue
        result.debit += debit
        result.credit += credit
        memo = str(row.get("memo") or "ยอดยกมา").strip()[:200]
        result.lines.append(LineSpec(code, debit=debit, credit=credit, memo=memo))
    if not result.errors and result.debit != result.credit:
        result.errors.append(
            f"ยอดยกมาไม่สมดุล: เดบิต {ledger.baht(result.debit)} เครดิต {ledger.baht(result.credit)}"
        )
    if not result.errors and len(result.lines) < 2:
        result.errors.append("ต้องมียอดยกมาอย่างน้อย 2 บัญชี")
    return result


def opening_import(
    *, actor: Any, year: FiscalYear, content: bytes, filename: str, dry_run: bool = True
) -> OpeningResult:
    """Check the file and, unless ``dry_run`` or any row error, post the opening entry."""
    if not is_country_wide(actor, Perm.FINANCE_MANAGE):
        raise PermissionDenied
    result = opening_parse(content=content, filename=filename)
    if JournalEntry.objects.filter(source_type=SOURCE_TYPE, source_id=str(year.year_be)).exists():
        result.errors.append(f"นำเข้ายอดยกมาของปีงบประมาณ {year.year_be} แล้ว")
    if result.errors or dry_run:
        return result
    result.entry = ledger.entry_post(
        actor=actor, entry_date=year.start_date, description=f"ยอดยกมาต้นปีงบประมาณ {year.year_be}",
        lines=result.lines, source_type=SOURCE_TYPE, source_id=str(year.year_be), book="OB",
    )  # fmt: skip
    return result
