"""Import the existing asset register from .xlsx or CSV: a dry run first, errors by line and column.

Columns (the header row names them, Thai or English, in any order; ``template_rows`` gives the
file to fill in): asset code, class code, description, unit code, custodian (user name, optional),
location (optional), cost, accumulated depreciation (optional), acquired on (YYYY-MM-DD, or
DD/MM/YYYY in B.E. or A.D.).

Every row is checked before anything is written; one bad row and nothing is written (the report
names each error as "line N, column X"). Idempotent: a row whose asset code is already in the
register with the same class and cost is skipped, so importing the same file twice adds nothing;
the same code with a different class or cost is an error. No ledger entry: imported assets are
in the opening balances.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from codi.core.audit import audit_record
from codi.identity.models import OrgUnit
from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm
from codi.procurement.models import ZERO, Asset, AssetClass

MAX_ROWS = 20000
MAX_BYTES = 10 * 1024 * 1024
COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("รหัสครุภัณฑ์", "asset code", "code"),
    "class": ("ประเภท", "รหัสประเภท", "class", "class code"),
    "description": ("รายการ", "description"),
    "unit": ("หน่วยงาน", "รหัสหน่วยงาน", "unit", "unit code"),
    "custodian": ("ผู้รับผิดชอบ", "custodian"),
    "location": ("ที่ตั้ง", "location"),
    "cost": ("ราคาทุน", "cost"),
    "accumulated": ("ค่าเสื่อมสะสม", "accumulated", "accumulated depreciation"),
    "acquired_on": ("วันที่ได้มา", "acquired on", "acquired_on"),
}
REQUIRED = ("code", "class", "description", "unit", "cost", "acquired_on")
TITLES = {key: names[0] for key, names in COLUMNS.items()}


class RegisterFileError(ValueError):
    """The file as a whole cannot be read (not a row error)."""

    def __init__(self, message_th: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_th, self.message_en = message_th, message_en


@dataclass
class Report:
    rows: int = 0
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.errors


def _read(content: bytes, filename: str) -> list[list[Any]]:
    if len(content) > MAX_BYTES:
        raise RegisterFileError("ไฟล์ใหญ่เกิน 10 MB", "The file is larger than 10 MB")
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook  # heavy: openpyxl is loaded only when a workbook is read

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
            return [
                list(row)
                for _n, row in zip(range(MAX_ROWS + 2), sheet.iter_rows(values_only=True), strict=False)
            ]
        except Exception as exc:  # a damaged or disguised workbook: openpyxl raises many kinds
            raise RegisterFileError("อ่านไฟล์ .xlsx ไม่ได้", "The .xlsx file cannot be read") from exc
    if filename.lower().endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise RegisterFileError("ไฟล์ CSV ต้องเป็น UTF-8", "The CSV file must be UTF-8") from exc
        return [row for _n, row in zip(range(MAX_ROWS + 2), csv.reader(io.StringIO(text)), strict=False)]
    raise RegisterFileError("รองรับเฉพาะไฟล์ .xlsx หรือ .csv", "Only .xlsx or .csv files")


def _header(row: list[Any]) -> dict[str, int]:
    names = {str(v or "").strip().lower(): i for i, v in enumerate(row)}
    found = {}
    for key, aliases in COLUMNS.items():
        for alias in aliases:
            if alias.lower() in names:
                found[key] = names[alias.lower()]
                break
    missing = [TITLES[k] for k in REQUIRED if k not in found]
    if missing:
        raise RegisterFileError(f"ไม่พบคอลัมน์: {', '.join(missing)}", f"Missing columns: {', '.join(missing)}")
    return found


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    try:
        if "/" in text:
            day, month, year = (int(p) for p in text.split("/"))
            return date(year - 543 if year > 2400 else year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError("วันที่ไม่ถูกต้อง / invalid date") from None


def _money(value: Any, *, required: bool) -> Decimal:
    text = str(value if value is not None else "").replace(",", "").strip()
    if not text and not required:
        return ZERO
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError("ไม่ใช่จำนวนเงิน / not an amount") from None
    if (
        not amount.is_finite()
        or amount < 0
        or amount >= Decimal(10**14)
        or amount != amount.quantize(Decimal("0.01"))
    ):
        raise ValueError("จำนวนเงินไม่ถูกต้อง / invalid amount")
    return amount


def assets_import(*, actor: Any, content: bytes, filename: str, dry_run: bool = True) -> Report:
    """Check (and unless ``dry_run``, register) the assets of an .xlsx/CSV register."""
    if not user_has_perm(actor, Perm.PROCUREMENT_MANAGE):
        raise PermissionDenied
    rows = _read(content, filename)
    if not rows:
        raise RegisterFileError("ไฟล์ว่าง", "The file is empty")
    columns = _header(rows[0])
    body = rows[1:]
    if len(body) > MAX_ROWS:
        raise RegisterFileError(f"เกิน {MAX_ROWS:,} แถว", f"More than {MAX_ROWS:,} rows")
    classes = {c.code: c for c in AssetClass.objects.all()}
    units = {u.code: u for u in OrgUnit.objects.all()}
    users = get_user_model().objects
    existing = {
        a.code: a
        for a in Asset.objects.filter(
            code__in=[str(r[columns["code"]] or "").strip() for r in body if len(r) > columns["code"]]
        )
    }
    report = Report(dry_run=dry_run)
    seen: set[str] = set()
    ready: list[dict[str, Any]] = []
    for line, row in enumerate(body, start=2):
        if not any(str(v or "").strip() for v in row):
            continue
        report.rows += 1
        cell = {k: (row[i] if i < len(row) else None) for k, i in columns.items()}
        values: dict[str, Any] = {}
        problems: list[str] = []

        def fail(key: str, message: str, line: int = line, problems: list[str] = problems) -> None:
            problems.append(f"แถว {line} คอลัมน์ {TITLES[key]}: {message} / line {line}, column {TITLES[key]}")

        code = str(cell["code"] or "").strip()
        if not code or len(code) > 40:
            fail("code", "ต้องมีรหัส ไม่เกิน 40 ตัวอักษร")
        elif code in seen:
            fail("code", "รหัสซ้ำในไฟล์")
        seen.add(code)
        klass = classes.get(str(cell["class"] or "").strip())
        if klass is None:
            fail("class", f"ไม่พบประเภทครุภัณฑ์ (มี {', '.join(sorted(classes))})")
        description = str(cell["description"] or "").strip()
        if not description or len(description) > 300:
            fail("description", "ต้องมีรายการ ไม่เกิน 300 ตัวอักษร")
        unit = units.get(str(cell["unit"] or "").strip())
        if unit is None:
            fail("unit", "ไม่พบรหัสหน่วยงาน")
        custodian = None
        name = str(cell.get("custodian") or "").strip()
        if name:
            custodian = users.filter(username=name[:150], is_active=True).first()
            if custodian is None:
                fail("custodian", "ไม่พบผู้ใช้ชื่อนี้")
        location = str(cell.get("location") or "").strip()
        if len(location) > 200:
            fail("location", "ยาวเกิน 200 ตัวอักษร")
        try:
            cost = _money(cell["cost"], required=True)
            if cost <= 0:
                raise ValueError("ราคาทุนต้องมากกว่าศูนย์ / the cost must be above zero")
        except ValueError as exc:
            fail("cost", str(exc))
            cost = None
        try:
            accumulated = _money(cell.get("accumulated"), required=False)
            if cost is not None and accumulated > cost:
                raise ValueError("ค่าเสื่อมสะสมเกินราคาทุน / more than the cost")
        except ValueError as exc:
            fail("accumulated", str(exc))
        try:
            acquired = _date(cell["acquired_on"])
            if acquired > date.today() or acquired.year < 1900:
                raise ValueError("วันที่อยู่นอกช่วง / out of range")
        except ValueError as exc:
            fail("acquired_on", str(exc))
        if not problems and code in existing:
            old = existing[code]
            if old.asset_class_id == klass.pk and old.cost == cost:  # type: ignore[union-attr]
                report.skipped.append(code)
                continue
            fail("code", "มีรหัสนี้ในทะเบียนแล้วแต่ประเภทหรือราคาทุนต่างกัน")
        if problems:
            report.errors.extend(problems)
            continue
        values.update(
            code=code, asset_class=klass, description=description, unit=unit, custodian=custodian,
            location=location, cost=cost, accumulated=accumulated, acquired_on=acquired,
        )  # fmt: skip
        ready.append(values)
    if dry_run or report.errors:
        report.created = [v["code"] for v in ready] if dry_run and not report.errors else []
        return report
    try:
        with transaction.atomic():
            Asset.objects.bulk_create([Asset(**v) for v in ready], batch_size=1000)
            audit_record(
                actor=actor, action="procurement.assets_import", object_type="procurement.Asset",
                changes={"file": filename[:100], "created": len(ready), "skipped": len(report.skipped)},
            )  # fmt: skip
    except IntegrityError as exc:  # another import registered one of these codes meanwhile
        raise RegisterFileError(
            "มีผู้นำเข้ารหัสเดียวกันพร้อมกัน กรุณาลองใหม่", "A concurrent import took a code: try again"
        ) from exc
    report.created = [v["code"] for v in ready]
    return report


def template_rows() -> tuple[list[str], list[list[Any]]]:
    """The header and one example row of the file to fill in."""
    return [TITLES[k] for k in COLUMNS], [
        [
            "CODI-OFFICE-2560-00001",
            "OFFICE",
            "โต๊ะทำงาน",
            "HQ-ADM",
            "",
            "ชั้น 2",
            "12000.00",
            "9000.00",
            "2017-10-01",
        ]
    ]
