"""e-Payment: bulk-transfer files from approved vouchers, and bank-statement reconciliation.

Bulk-transfer file (assumed layout, modelled on what Thai corporate banking portals such as
KTB Corporate Online accept for "bulk payment by file upload" as CSV; the bank's own template
must be confirmed before go-live — only the writer below changes). UTF-8, comma-separated,
amounts with two decimals and no thousands separator, dates YYYYMMDD:

    H,<company account no>,<value date>,<record count>,<total amount>,<batch number>
    D,<sequence>,<receiving bank code 3 digits>,<account no>,<amount>,<payee name>,<voucher number>
    ...
    T,<record count>,<total amount>

Statement import: CSV with a header ``date,amount,reference,description`` (date YYYY-MM-DD,
money out negative). A line matches a voucher sent to the bank when its reference is the voucher
number and its amount is minus the voucher's; the match posts the payment (Dr vouchers payable /
Cr bank) once. Other lines wait in the reconciliation queue. Re-importing a statement adds nothing.

ISO 20022: ``batch_pain001`` writes a batch as a schema-valid pain.001.001.09 file (refused when
its total differs from the batch's approved vouchers); ``statement_import_camt`` reads a camt.053
statement through the same matching. Money in matches an expected receipt (``receipt_create``)
by its reference (the Bill Payment Ref1) and amount, and posts it (Dr bank / Cr the receipt's
account) once.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from codi.core.audit import audit_record
from codi.finance import epayment, ledger, services, vouchers
from codi.finance.dimensions import of_budget_line
from codi.finance.ledger import FinanceError, LineSpec
from codi.finance.models import Account, PaymentBatch, PaymentVoucher, Receipt, StatementLine, VoucherStatus
from codi.finance.selectors import is_country_wide
from codi.identity.roles import Perm

COMPANY_ACCOUNT = "9800012345"  # CODI's paying account (demo value; set per deployment)
BANK_ACCOUNT = "1101020601"


def _require_hq(actor: Any) -> None:
    if not is_country_wide(actor, Perm.FINANCE_MANAGE):
        raise PermissionDenied


def _name(text: str) -> str:
    return text.replace(",", " ").replace("\n", " ").strip()[:100]


def render_bulk_file(*, number: str, value_date: date, rows: list[PaymentVoucher]) -> str:
    total = sum((v.amount for v in rows), Decimal("0.00"))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["H", COMPANY_ACCOUNT, value_date.strftime("%Y%m%d"), len(rows), f"{total:.2f}", number])
    for seq, v in enumerate(rows, start=1):
        writer.writerow(
            [
                "D",
                seq,
                v.payee_bank_code,
                v.payee_account_no,
                f"{v.amount:.2f}",
                _name(v.payee_name),
                v.number,
            ]
        )
    writer.writerow(["T", len(rows), f"{total:.2f}"])
    return out.getvalue()


def parse_bulk_file(text: str) -> tuple[int, Decimal, list[tuple[str, Decimal]]]:
    """(count, total, [(voucher number, amount)]) read back from a file, checking its trailer."""
    rows = list(csv.reader(io.StringIO(text)))
    details = [(r[6], Decimal(r[4])) for r in rows if r[0] == "D"]
    header, trailer = rows[0], rows[-1]
    if header[0] != "H" or trailer[0] != "T" or int(trailer[1]) != len(details):
        raise FinanceError("ไฟล์โอนเงินไม่สมบูรณ์", "The payment file is incomplete")
    total = Decimal(trailer[2])
    if total != sum((a for _n, a in details), Decimal("0.00")) or Decimal(header[4]) != total:
        raise FinanceError("ยอดรวมในไฟล์ไม่ตรงกับรายการ", "The file total does not match its lines")
    return len(details), total, details


def batch_create(*, actor: Any, voucher_ids: list[int], value_date: date) -> PaymentBatch:
    """A bulk-transfer file for approved, unpaid vouchers; each voucher's ``pay`` step completes.

    Refused (nothing written) when a voucher is not approved, already in a file, or when the file
    read back does not carry exactly the approved vouchers and their total.
    """
    _require_hq(actor)
    if not voucher_ids:
        raise FinanceError("กรุณาเลือกใบสำคัญจ่าย", "Choose at least one voucher")
    with transaction.atomic():
        rows = list(
            PaymentVoucher.objects.select_for_update()
            .select_related("fiscal_year")
            .filter(pk__in=voucher_ids)
            .order_by("pk")
        )
        bad = [v.number for v in rows if v.status != VoucherStatus.APPROVED or v.batch_id is not None]
        if bad or len(rows) != len(set(voucher_ids)):
            raise FinanceError(
                f"ใบสำคัญจ่ายยังไม่อนุมัติหรือจ่ายไปแล้ว: {', '.join(bad) or '-'}",
                f"Vouchers not approved or already paid: {', '.join(bad) or '-'}",
            )
        year = ledger.fiscal_year_ensure(actor=actor, year_be=ledger.fiscal_year_of(value_date))
        number = f"PB{year.year_be}-{ledger._next_sequence(PaymentBatch, year):04d}"
        text = render_bulk_file(number=number, value_date=value_date, rows=rows)
        count, total, details = parse_bulk_file(text)
        expected = sum((v.amount for v in rows), Decimal("0.00"))
        if total != expected or sorted(details) != sorted((v.number, v.amount) for v in rows):
            raise FinanceError(
                "ยอดรวมไฟล์โอนเงินไม่ตรงกับใบสำคัญจ่ายที่อนุมัติ", "The file total differs from its approved vouchers"
            )
        batch = PaymentBatch.objects.create(
            fiscal_year=year, sequence=int(number[-4:]), value_date=value_date, total=total, count=count,
            file_text=text, created_by=actor,
        )  # fmt: skip
        for voucher in rows:
            vouchers.voucher_mark_sent(actor=actor, voucher=voucher, batch=batch)
        audit_record(
            actor=actor, action="finance.batch_create", object_type="finance.PaymentBatch", object_id=batch.pk,
            changes={"number": number, "count": count, "total": total},
        )  # fmt: skip
    return batch


@dataclass
class ImportResult:
    imported: int = 0
    matched: list[str] = field(default_factory=list)
    unmatched: int = 0
    duplicates: int = 0
    errors: list[str] = field(default_factory=list)


def _parse_statement(text: str) -> tuple[list[tuple[date, Decimal, str, str]], list[str]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if reader.fieldnames is None or not {"date", "amount", "reference"} <= set(reader.fieldnames):
        return [], ["ต้องมีคอลัมน์ date, amount, reference / columns date, amount, reference are required"]
    rows, errors = [], []
    for number, row in enumerate(reader, start=2):
        try:
            day = datetime.strptime((row["date"] or "").strip(), "%Y-%m-%d").date()
        except ValueError:
            errors.append(f"แถว {number}: วันที่ไม่ถูกต้อง / row {number}: bad date")
            continue
        try:
            amount = ledger.money((row["amount"] or "").strip().replace(",", ""))
        except FinanceError:
            errors.append(f"แถว {number}: จำนวนเงินไม่ถูกต้อง / row {number}: bad amount")
            continue
        rows.append(
            (day, amount, (row["reference"] or "").strip()[:60], (row.get("description") or "").strip()[:200])
        )
    return rows, errors


def statement_import(*, actor: Any, text: str) -> ImportResult:
    """Import a CSV statement and match it; all or nothing: any row error writes nothing."""
    _require_hq(actor)
    rows, errors = _parse_statement(text)
    return _import_rows(actor, rows, errors)


def statement_import_camt(*, actor: Any, content: bytes) -> ImportResult:
    """Import an ISO 20022 camt.053 statement and match it; all or nothing."""
    _require_hq(actor)
    rows, errors = epayment.parse_camt053(content)
    return _import_rows(actor, rows, errors)


def _import_rows(actor: Any, rows: list[tuple[date, Decimal, str, str]], errors: list[str]) -> ImportResult:
    result = ImportResult(errors=errors)
    if errors:
        return result
    seen: Counter[str] = Counter()
    with transaction.atomic():
        for day, amount, reference, description in rows:
            base = f"{day.isoformat()}|{amount}|{reference}|{description}"
            seen[base] += 1
            fingerprint = hashlib.sha256(f"{base}|{seen[base]}".encode()).hexdigest()
            if StatementLine.objects.filter(fingerprint=fingerprint).exists():
                result.duplicates += 1
                continue
            line = StatementLine.objects.create(
                value_date=day, amount=amount, reference=reference, description=description,
                fingerprint=fingerprint, imported_by=actor,
            )  # fmt: skip
            result.imported += 1
            matched = _match(line) if line.amount < 0 else _match_receipt(line)
            if matched is None:
                result.unmatched += 1
            else:
                result.matched.append(matched.number)
        audit_record(
            actor=actor, action="finance.statement_import", object_type="finance.StatementLine",
            changes={"imported": result.imported, "matched": len(result.matched), "unmatched": result.unmatched},
        )  # fmt: skip
    return result


def _match(line: StatementLine) -> PaymentVoucher | None:
    if line.amount >= 0 or not line.reference.startswith("PV"):
        return None
    try:
        year_be, sequence = line.reference[2:].split("-")
        voucher = (
            PaymentVoucher.objects.select_for_update()
            .select_related("fiscal_year")
            .get(fiscal_year__year_be=int(year_be), sequence=int(sequence))
        )
    except (ValueError, PaymentVoucher.DoesNotExist):
        return None
    if voucher.status != VoucherStatus.SENT or voucher.amount != -line.amount:
        return None
    ledger.entry_post(
        actor=line.imported_by, entry_date=line.value_date, description=f"จ่ายเงิน {voucher.number} {voucher.payee_name}",
        lines=[
            LineSpec(vouchers.PAYABLE_ACCOUNT, debit=voucher.amount, memo=voucher.number),
            LineSpec(BANK_ACCOUNT, credit=voucher.amount, memo=line.reference),
        ],
        source_type="finance.payment", source_id=str(voucher.pk), dimensions=of_budget_line(voucher.budget_line),
    )  # fmt: skip
    voucher.status = VoucherStatus.PAID
    voucher.paid_on = line.value_date
    voucher.bank_reference = line.reference
    voucher.save(update_fields=["status", "paid_on", "bank_reference"])
    line.voucher = voucher
    line.save(update_fields=["voucher"])
    return voucher


def _match_receipt(line: StatementLine) -> Receipt | None:
    receipt = (
        Receipt.objects.select_for_update()
        .select_related("fiscal_year", "credit_account")
        .filter(reference=line.reference.upper(), entry__isnull=True)
        .first()
    )
    if receipt is None or receipt.amount != line.amount:
        return None
    entry = services.post_receipt(
        actor=line.imported_by, entry_date=line.value_date, description=f"รับเงิน {receipt.number} {receipt.payer_name}",
        source_type="finance.receipt", source_id=str(receipt.pk), amount=receipt.amount,
        credit_account=receipt.credit_account.code, debit_account=BANK_ACCOUNT,
    )  # fmt: skip
    receipt.entry = entry
    receipt.received_on = line.value_date
    receipt.save(update_fields=["entry", "received_on"])
    line.receipt = receipt
    line.save(update_fields=["receipt"])
    return receipt


def receipt_create(
    *, actor: Any, payer_name: str, amount: Decimal | str, credit_account: str, on: date
) -> Receipt:
    """An expected receipt, numbered per fiscal year; its number (without the dash) is the Ref1 the
    payer quotes, e.g. on a Bill Payment QR."""
    _require_hq(actor)
    value = ledger.money(amount)
    if value <= 0:
        raise FinanceError("จำนวนเงินต้องมากกว่าศูนย์", "The amount must be more than zero")
    if not payer_name.strip():
        raise FinanceError("กรุณาระบุชื่อผู้ชำระ", "The payer is required")
    account = Account.objects.filter(code=credit_account, is_active=True).first()
    if account is None:
        raise FinanceError(f"ไม่พบบัญชี {credit_account}", f"Unknown account {credit_account}")
    with transaction.atomic():
        year = ledger.fiscal_year_ensure(actor=actor, year_be=ledger.fiscal_year_of(on))
        sequence = ledger._next_sequence(Receipt, year)
        receipt = Receipt.objects.create(
            fiscal_year=year, sequence=sequence, payer_name=payer_name.strip()[:200], amount=value,
            reference=f"RC{year.year_be}{sequence:05d}", credit_account=account,
        )  # fmt: skip
        audit_record(
            actor=actor, action="finance.receipt_create", object_type="finance.Receipt", object_id=receipt.pk,
            changes={"number": receipt.number, "amount": value, "account": credit_account},
        )  # fmt: skip
    return receipt


def batch_pain001(*, batch: PaymentBatch) -> bytes:
    """The batch as an ISO 20022 pain.001.001.09 file; refused if it does not carry exactly the
    batch's approved vouchers and their total."""
    rows = list(batch.vouchers.select_related("fiscal_year").order_by("pk"))
    transfers = [
        epayment.Transfer(v.payee_name, v.payee_bank_code, v.payee_account_no, v.amount, v.number)
        for v in rows
    ]
    total = sum((t.amount for t in transfers), Decimal("0.00"))
    if total != batch.total or len(transfers) != batch.count:
        raise FinanceError(
            "ยอดรวมไฟล์โอนเงินไม่ตรงกับใบสำคัญจ่ายที่อนุมัติ", "The file total differs from its approved vouchers"
        )
    return epayment.pain001(
        message_id=batch.number,
        created=batch.created_at,
        execution_date=batch.value_date,
        transfers=transfers,
    )
