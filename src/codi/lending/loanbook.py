"""Import of the existing loan book (.xlsx or CSV): loans already disbursed, with their schedules,
the instalments paid so far and the outstanding principal.

One row a loan, columns (header row, any order, case-insensitive):

    loan_number, organization_registration_no, product_code, principal, annual_rate, months,
    disbursed_on (YYYY-MM-DD), paid_instalments, outstanding_principal[, purpose]

The schedule is computed exactly as for a new loan (the product's method and day count, from the
disbursement date); the first ``paid_instalments`` instalments are marked paid and the principal
still owed must equal the schedule's balance after them (a figure that disagrees is an error, never
adjusted). Unpaid instalments already due are the loan's arrears, aged like any other loan's.

A dry run checks every row and writes nothing; errors are listed by line (the spreadsheet's row
number, the header being line 1) and column. The import is all-or-nothing: with any error nothing is
written. A loan number already in the book is skipped, so importing the same file again adds
nothing. The ledger's opening balance of loans receivable is posted by finance's opening-balance
import, not here: this builds the loans' sub-ledger. Who: ``lending.manage`` in each row's area.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from codi.communities.models import Organization
from codi.core.audit import audit_record
from codi.identity.roles import Perm
from codi.lending import schedule
from codi.lending.models import ZERO, Instalment, Loan, LoanProduct, LoanStatus, ScheduleVersion
from codi.lending.services import LendingError, _require, _user

COLUMNS = (
    "loan_number", "organization_registration_no", "product_code", "principal", "annual_rate", "months",
    "disbursed_on", "paid_instalments", "outstanding_principal",
)  # fmt: skip
OPTIONAL = ("purpose",)
MAX_ROWS = 20000
REASON = "ยกยอดจากทะเบียนเงินกู้เดิม"


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message_th: str
    message_en: str

    def __str__(self) -> str:
        where = f"บรรทัด {self.line}" + (f" คอลัมน์ {self.column}" if self.column else "")
        return f"{where}: {self.message_th}"


@dataclass
class _Parsed:
    line: int
    number: str
    organization: Organization
    product: LoanProduct
    rows: list[schedule.Row]
    principal: Decimal
    rate: Decimal
    months: int
    disbursed_on: date
    paid: int
    purpose: str


@dataclass
class ImportResult:
    rows: int = 0
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already in the book
    to_create: int = 0
    outstanding: Decimal = ZERO
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.errors


def read_rows(content: bytes, filename: str) -> list[dict[str, Any]]:
    """The sheet's rows as dicts keyed by the lower-cased header (the first sheet of a workbook)."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook  # heavy: loaded only when a workbook is read

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
            values = list(sheet.iter_rows(values_only=True))
        except Exception as exc:  # a damaged or foreign file: openpyxl raises many kinds
            raise LendingError("อ่านไฟล์ Excel ไม่ได้", "The workbook cannot be read") from exc
        if not values:
            return []
        header = [str(v or "").strip().lower() for v in values[0]]
        return [dict(zip(header, row, strict=False)) for row in values[1:]]
    if not filename.lower().endswith(".csv"):
        raise LendingError("รองรับเฉพาะไฟล์ .xlsx หรือ .csv", "Only .xlsx or .csv files are accepted")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LendingError("ไฟล์ CSV ต้องเป็น UTF-8", "The CSV file must be UTF-8") from exc
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames:
        reader.fieldnames = [name.strip().lower() for name in reader.fieldnames]
    return list(reader)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(_text(value))
    except ValueError:
        return None


def _decimal(value: Any) -> Decimal | None:
    try:
        number = Decimal(_text(value).replace(",", ""))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _parse_row(actor: Any, line: int, raw: dict[str, Any], errors: list[RowError]) -> _Parsed | None:
    def err(column: str, th: str, en: str) -> None:
        errors.append(RowError(line, column, th, en))

    before = len(errors)
    number = _text(raw.get("loan_number"))
    if not number or len(number) > 20:
        err("loan_number", "ต้องระบุเลขที่สัญญา ไม่เกิน 20 ตัวอักษร", "A loan number of at most 20 characters")
    reg = _text(raw.get("organization_registration_no"))
    organization = Organization.objects.filter(registration_no=reg).first() if reg else None
    if organization is None:
        err("organization_registration_no", f"ไม่พบองค์กรเลขทะเบียน {reg!r}", f"No organization {reg!r}")
    else:
        try:
            _require(actor, Perm.LENDING_MANAGE, organization.subdistrict_id)
        except PermissionDenied:
            err("organization_registration_no", "องค์กรนี้อยู่นอกพื้นที่ที่ท่านรับผิดชอบ", "Outside your area")
            organization = None
    code = _text(raw.get("product_code"))
    product = LoanProduct.objects.filter(code=code).first() if code else None
    if product is None:
        err("product_code", f"ไม่พบผลิตภัณฑ์สินเชื่อรหัส {code!r}", f"No loan product {code!r}")
    principal: Decimal | None = None
    rate: Decimal | None = None
    months: int | None = None
    try:
        principal, rate, months = schedule.validate(
            _text(raw.get("principal")), _text(raw.get("annual_rate")), _text(raw.get("months"))
        )
    except schedule.ScheduleError as exc:
        text = exc.message_en.lower()
        column = "principal" if "principal" in text else "annual_rate" if "rate" in text else "months"
        err(column, exc.message_th, exc.message_en)
    if product is not None and principal is not None and months is not None and len(errors) == before:
        if not product.min_principal <= principal <= product.max_principal:
            err("principal", f"วงเงินต้องอยู่ระหว่าง {product.min_principal:,.2f} ถึง {product.max_principal:,.2f} บาท",
                "Principal out of the product's range")  # fmt: skip
        if not product.min_months <= months <= product.max_months:
            err("months", f"ระยะเวลาต้องอยู่ระหว่าง {product.min_months} ถึง {product.max_months} เดือน",
                "Term out of the product's range")  # fmt: skip
    disbursed_on = _date(raw.get("disbursed_on"))
    if disbursed_on is None or disbursed_on > timezone.localdate():
        err("disbursed_on", "วันที่เบิกจ่ายไม่ถูกต้อง (ค.ศ. YYYY-MM-DD ไม่เกินวันนี้)", "Invalid disbursement date")
    paid_text = _text(raw.get("paid_instalments")) or "0"
    paid = int(paid_text) if paid_text.isdigit() and len(paid_text) <= 4 else None
    if paid is None or (months is not None and paid > months):
        err(
            "paid_instalments", "จำนวนงวดที่ชำระแล้วต้องเป็นจำนวนเต็มไม่เกินจำนวนงวด", "Paid instalments out of range"
        )
    outstanding = _decimal(raw.get("outstanding_principal"))
    if outstanding is None or outstanding < 0:
        err("outstanding_principal", "ยอดเงินต้นคงค้างไม่ถูกต้อง", "Invalid outstanding principal")
    if len(errors) > before:
        return None
    assert product is not None and organization is not None and disbursed_on is not None
    assert principal is not None and rate is not None and months is not None and paid is not None
    try:
        rows = schedule.compute(principal=principal, annual_rate=rate, months=months, method=product.method,
                                day_count=product.day_count, start=disbursed_on)  # fmt: skip
    except schedule.ScheduleError as exc:
        err("annual_rate", exc.message_th, exc.message_en)
        return None
    expected = rows[paid - 1].balance if paid else principal
    if outstanding != expected:
        err("outstanding_principal",
            f"ยอดเงินต้นคงค้าง {outstanding:,.2f} ไม่ตรงกับตารางผ่อนชำระหลังชำระ {paid} งวด ({expected:,.2f} บาท)",
            f"Outstanding {outstanding:,.2f} differs from the schedule after {paid} instalments ({expected:,.2f})")  # fmt: skip
        return None
    if paid == months:
        err("paid_instalments", "สัญญาที่ชำระครบแล้วไม่ต้องนำเข้า", "A loan repaid in full is not imported")
        return None
    purpose = _text(raw.get("purpose"))[:300] or REASON
    return _Parsed(
        line, number, organization, product, rows, principal, rate, months, disbursed_on, paid, purpose
    )


def loan_book_import(*, actor: Any, content: bytes, filename: str, dry_run: bool = True) -> ImportResult:
    """Check (and unless ``dry_run`` write) the file's loans; see the module docstring."""
    result = ImportResult(dry_run=dry_run)
    try:
        raw_rows = read_rows(content, filename)
    except LendingError as exc:
        result.errors.append(RowError(0, "", exc.message_th, exc.message_en))
        return result
    present = set(raw_rows[0]) if raw_rows else set()
    missing = [c for c in COLUMNS if c not in present]
    if not raw_rows or missing:
        result.errors.append(RowError(1, ", ".join(missing), "ไม่มีข้อมูลหรือขาดคอลัมน์ที่ต้องมี",
                                      "No rows, or required columns are missing"))  # fmt: skip
        return result
    if len(raw_rows) > MAX_ROWS:
        result.errors.append(RowError(0, "", f"ไม่เกิน {MAX_ROWS} แถวต่อไฟล์", f"At most {MAX_ROWS} rows a file"))
        return result
    parsed: list[_Parsed] = []
    seen: dict[str, int] = {}
    existing = set(
        Loan.objects.filter(number__in=[_text(r.get("loan_number")) for r in raw_rows]).values_list(
            "number", flat=True
        )
    )
    for line, raw in enumerate(raw_rows, start=2):
        if not any(_text(v) for v in raw.values()):
            continue  # a blank line
        result.rows += 1
        number = _text(raw.get("loan_number"))
        if number in seen:
            result.errors.append(RowError(line, "loan_number", f"เลขที่สัญญาซ้ำกับบรรทัด {seen[number]}",
                                          f"Same loan number as line {seen[number]}"))  # fmt: skip
            continue
        seen[number] = line
        if number in existing:
            result.skipped.append(number)
            continue
        row = _parse_row(actor, line, raw, result.errors)
        if row is not None:
            parsed.append(row)
    result.to_create = len(parsed)
    result.outstanding = sum((p.rows[p.paid - 1].balance if p.paid else p.principal for p in parsed), ZERO)
    if result.errors or dry_run or not parsed:
        return result
    with transaction.atomic():
        for p in parsed:
            _create(actor, p)
            result.created.append(p.number)
        audit_record(
            actor=actor, action="lending.loan_book_import", object_type="lending.Loan", object_id=filename[:100],
            changes={"created": result.created, "skipped": result.skipped, "outstanding": result.outstanding},
        )  # fmt: skip
    return result


def _create(actor: Any, p: _Parsed) -> Loan:
    loan = Loan.objects.create(
        number=p.number, product=p.product, organization=p.organization,
        subdistrict_id=p.organization.subdistrict_id, purpose=p.purpose, principal=p.principal,
        annual_rate=p.rate, months=p.months, method=p.product.method, day_count=p.product.day_count,
        applied_on=p.disbursed_on, disbursed_on=p.disbursed_on, schedule_start=p.disbursed_on,
        status=LoanStatus.ACTIVE, created_by=_user(actor),
    )  # fmt: skip
    version = ScheduleVersion.objects.create(loan=loan, version=1, reason=REASON, created_by=_user(actor))
    Instalment.objects.bulk_create(
        Instalment(
            version=version,
            loan=loan,
            n=r.n,
            due_date=r.due_date,
            principal_due=r.principal,
            interest_due=r.interest,
            principal_paid=r.principal if r.n <= p.paid else ZERO,
            interest_paid=r.interest if r.n <= p.paid else ZERO,
        )
        for r in p.rows
    )
    return loan
