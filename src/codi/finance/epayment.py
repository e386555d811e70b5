"""e-Payment formats: ISO 20022 credit transfers (pain.001.001.09), bank statements (camt.053)
and Thai QR payment codes (PromptPay tag 29, Bill Payment tag 30).

pain.001: one ``PmtInf`` per file, debtor = CODI's paying account, each credit transfer names the
receiving bank by its Bank of Thailand code (``ClrSysMmbId/MmbId``) and the account in
``CdtrAcct/Id/Othr/Id``. Every file is validated against the ISO schema kept in
``data/iso20022/`` before it is returned; a file that does not validate is never written.

Thai QR (EMVCo merchant-presented QR as the Bank of Thailand's Thai QR Payment standard uses it):
``00`` payload format 01, ``01`` point of initiation ``12`` (one-time, carries the amount),
``29`` PromptPay (AID A000000677010111; ``01`` mobile as 0066 + 9 digits, ``02`` 13-digit
citizen/tax ID) or ``30`` Bill Payment (AID A000000677010112; ``01`` 15-digit biller ID,
``02`` Ref1, ``03`` Ref2), ``53`` currency 764, ``54`` amount, ``58`` country TH, ``63`` the
CRC-16/CCITT (polynomial 0x1021, initial 0xFFFF) over everything before it including ``6304``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from codi.finance.ledger import FinanceError, money
from codi.finance.payables import check_bank_account

PAIN_NS = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"
PAIN_XSD = Path(__file__).resolve().parent / "data" / "iso20022" / "pain.001.001.09.xsd"
CAMT_NS_PREFIX = "urn:iso:std:iso:20022:tech:xsd:camt.053.001."
DEBTOR = {"name": "สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน)", "account": "9800012345", "bank": "006"}
CSV_COLUMNS = ("payee_name", "bank_code", "account_no", "amount", "reference")


@dataclass(frozen=True)
class Transfer:
    payee_name: str
    bank_code: str
    account_no: str
    amount: Decimal
    reference: str


# --- pain.001 ---------------------------------------------------------------------------------


@cache
def _schema() -> Any:
    from lxml import etree  # heavy: lxml is loaded only when a bank file is built or read

    return etree.XMLSchema(etree.parse(str(PAIN_XSD)))


def pain001_errors(xml: bytes) -> list[str]:
    """The schema's complaints about ``xml`` (empty: valid pain.001.001.09)."""
    from lxml import etree  # heavy: lxml is loaded only when a bank file is built or read

    try:
        document = etree.fromstring(xml)
    except etree.XMLSyntaxError as exc:
        return [str(exc)]
    schema = _schema()
    if schema.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def pain001(*, message_id: str, created: datetime, execution_date: date, transfers: list[Transfer]) -> bytes:
    """A pain.001.001.09 credit-transfer initiation for ``transfers``, schema-validated."""
    from lxml import etree  # heavy: lxml is loaded only when a bank file is built or read

    if not transfers:
        raise FinanceError("ไม่มีรายการโอนเงิน", "There is nothing to transfer")
    total = sum((t.amount for t in transfers), Decimal("0.00"))

    def sub(parent: Any, tag: str, text: str | None = None, **attrs: str) -> Any:
        node = etree.SubElement(parent, f"{{{PAIN_NS}}}{tag}", **attrs)
        if text is not None:
            node.text = text
        return node

    def account(parent: Any, tag: str, number: str) -> None:
        sub(sub(sub(sub(parent, tag), "Id"), "Othr"), "Id", number)

    def agent(parent: Any, tag: str, bank_code: str) -> None:
        sub(sub(sub(sub(parent, tag), "FinInstnId"), "ClrSysMmbId"), "MmbId", bank_code)

    root = etree.Element(f"{{{PAIN_NS}}}Document", nsmap={None: PAIN_NS})
    initiation = sub(root, "CstmrCdtTrfInitn")
    header = sub(initiation, "GrpHdr")
    sub(header, "MsgId", message_id[:35])
    sub(header, "CreDtTm", created.replace(microsecond=0).isoformat())
    sub(header, "NbOfTxs", str(len(transfers)))
    sub(header, "CtrlSum", f"{total:.2f}")
    sub(sub(header, "InitgPty"), "Nm", DEBTOR["name"])
    info = sub(initiation, "PmtInf")
    sub(info, "PmtInfId", message_id[:35])
    sub(info, "PmtMtd", "TRF")
    sub(info, "NbOfTxs", str(len(transfers)))
    sub(info, "CtrlSum", f"{total:.2f}")
    sub(sub(info, "ReqdExctnDt"), "Dt", execution_date.isoformat())
    sub(sub(info, "Dbtr"), "Nm", DEBTOR["name"])
    account(info, "DbtrAcct", DEBTOR["account"])
    agent(info, "DbtrAgt", DEBTOR["bank"])
    for number, transfer in enumerate(transfers, start=1):
        tx = sub(info, "CdtTrfTxInf")
        ids = sub(tx, "PmtId")
        sub(ids, "InstrId", f"{message_id[:28]}-{number}")
        sub(ids, "EndToEndId", transfer.reference[:35] or f"{message_id[:28]}-{number}")
        sub(sub(tx, "Amt"), "InstdAmt", f"{transfer.amount:.2f}", Ccy="THB")
        agent(tx, "CdtrAgt", transfer.bank_code)
        sub(sub(tx, "Cdtr"), "Nm", transfer.payee_name[:140])
        account(tx, "CdtrAcct", transfer.account_no)
        sub(sub(tx, "RmtInf"), "Ustrd", transfer.reference[:140])
    xml = bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
    errors = pain001_errors(xml)
    if errors:
        raise FinanceError("ไฟล์ pain.001 ไม่ผ่านการตรวจสอบ: " + errors[0], "pain.001 is invalid: " + errors[0])
    return xml


def parse_payments_csv(text: str) -> tuple[list[Transfer], list[str]]:
    """Bulk payments ``payee_name,bank_code,account_no,amount,reference``; every row's errors."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    names = [n.strip() for n in reader.fieldnames or []]
    missing = [c for c in CSV_COLUMNS if c not in names]
    if missing:
        return [], [f"ไม่มีคอลัมน์ / missing columns: {', '.join(missing)}"]
    reader.fieldnames = names
    transfers: list[Transfer] = []
    errors: list[str] = []
    references: dict[str, int] = {}
    for number, row in enumerate(reader, start=2):
        problems: list[str] = []
        name = (row.get("payee_name") or "").strip()
        if not name:
            problems.append("ไม่มีชื่อผู้รับเงิน / payee name is empty")
        try:
            bank, account_no = check_bank_account(
                (row.get("bank_code") or "").strip(), row.get("account_no") or ""
            )
        except FinanceError as exc:
            problems.append(f"{exc.message_th} / {exc.message_en}")
            bank = account_no = ""
        amount = Decimal("0")
        try:
            amount = money((row.get("amount") or "").strip().replace(",", ""))
            if amount <= 0:
                problems.append("จำนวนเงินต้องมากกว่าศูนย์ / amount must be more than zero")
        except FinanceError as exc:
            problems.append(f"{exc.message_th} / {exc.message_en}")
        reference = (row.get("reference") or "").strip()
        if not reference or len(reference) > 35 or not re.fullmatch(r"[A-Za-z0-9/\-?:().,'+ ]+", reference):
            problems.append("อ้างอิงต้องมี 1–35 ตัวอักษรละติน / reference: 1–35 Latin characters")
        elif reference in references:
            problems.append(f"อ้างอิงซ้ำกับแถว {references[reference]} / duplicate reference")
        else:
            references[reference] = number
        if problems:
            errors.extend(f"แถว {number} / row {number}: {p}" for p in problems)
        else:
            transfers.append(Transfer(name, bank, account_no, amount, reference))
    if not transfers and not errors:
        errors.append("ไม่มีรายการในไฟล์ / the file has no rows")
    return transfers, errors


# --- camt.053 ---------------------------------------------------------------------------------


def parse_camt053(content: bytes) -> tuple[list[tuple[date, Decimal, str, str]], list[str]]:
    """(value date, signed amount, reference, description) per booked entry of a camt.053 statement.

    The reference is the entry's ``EndToEndId`` (our voucher number on payments we sent) or, for
    money in, the first structured/unstructured remittance reference (Bill Payment Ref1)."""
    from lxml import etree  # heavy: lxml is loaded only when a bank file is built or read

    try:
        root = etree.fromstring(content, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return [], ["ไฟล์ camt.053 อ่านไม่ได้ / unreadable camt.053 XML"]
    namespace = etree.QName(root).namespace or ""
    if not namespace.startswith(CAMT_NS_PREFIX):
        return [], ["ไม่ใช่ไฟล์ camt.053 / not a camt.053 document"]
    ns = {"c": namespace}
    rows: list[tuple[date, Decimal, str, str]] = []
    errors: list[str] = []
    for number, entry in enumerate(root.iterfind(".//c:Stmt/c:Ntry", ns), start=1):
        status = entry.findtext("c:Sts/c:Cd", namespaces=ns) or entry.findtext("c:Sts", namespaces=ns) or ""
        if status.strip() not in {"BOOK", ""}:
            continue
        try:
            amount = Decimal((entry.findtext("c:Amt", namespaces=ns) or "").strip())
            amount = money(amount)
        except (InvalidOperation, FinanceError):
            errors.append(f"รายการ {number}: จำนวนเงินไม่ถูกต้อง / entry {number}: bad amount")
            continue
        sign = entry.findtext("c:CdtDbtInd", namespaces=ns)
        if sign not in {"CRDT", "DBIT"}:
            errors.append(f"รายการ {number}: ไม่มี CdtDbtInd / entry {number}: no credit/debit indicator")
            continue
        day_text = entry.findtext("c:ValDt/c:Dt", namespaces=ns) or entry.findtext(
            "c:BookgDt/c:Dt", namespaces=ns
        )
        try:
            day = date.fromisoformat((day_text or "")[:10])
        except ValueError:
            errors.append(f"รายการ {number}: วันที่ไม่ถูกต้อง / entry {number}: bad date")
            continue
        reference = (
            entry.findtext(".//c:TxDtls/c:Refs/c:EndToEndId", namespaces=ns)
            or entry.findtext(".//c:RmtInf/c:Strd/c:CdtrRefInf/c:Ref", namespaces=ns)
            or entry.findtext(".//c:RmtInf/c:Ustrd", namespaces=ns)
            or entry.findtext("c:AcctSvcrRef", namespaces=ns)
            or ""
        ).strip()
        description = (entry.findtext("c:AddtlNtryInf", namespaces=ns) or "").strip()
        rows.append((day, amount if sign == "CRDT" else -amount, reference[:60], description[:200]))
    if not rows and not errors:
        errors.append("ไม่มีรายการในใบแจ้งยอด / the statement has no entries")
    return rows, errors


# --- Thai QR ----------------------------------------------------------------------------------


def crc16_ccitt(data: bytes) -> str:
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


def _tlv(tag: str, value: str) -> str:
    if len(value) > 99:
        raise FinanceError("ข้อมูลในคิวอาร์ยาวเกิน", "A QR field is too long")
    return f"{tag}{len(value):02d}{value}"


def qr_amount(value: str | Decimal) -> str:
    """The amount as the QR carries it: more than zero, at most two decimals."""
    text = str(value).strip()
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise FinanceError("จำนวนเงินไม่ถูกต้อง", "Invalid amount") from None
    if not amount.is_finite() or amount <= 0:
        raise FinanceError("จำนวนเงินต้องมากกว่าศูนย์", "The amount must be more than zero")
    if amount != amount.quantize(Decimal("0.01")):
        raise FinanceError("จำนวนเงินมีทศนิยมได้ไม่เกิน 2 ตำแหน่ง", "The amount has at most two decimals")
    if amount >= Decimal("1e10"):
        raise FinanceError("จำนวนเงินสูงเกินไป", "The amount is too large")
    return f"{amount:.2f}"


def _finish(fields: list[str]) -> str:
    body = "".join(fields) + "6304"
    return body + crc16_ccitt(body.encode("ascii"))


def promptpay_payload(*, target: str, amount: str | Decimal) -> str:
    """One-time PromptPay QR (tag 29) to a mobile number (10 digits, 0…) or a 13-digit ID."""
    digits = re.sub(r"[\s-]", "", target)
    if re.fullmatch(r"0\d{9}", digits):
        account = _tlv("01", "0066" + digits[1:])
    elif re.fullmatch(r"\d{13}", digits):
        account = _tlv("02", digits)
    else:
        raise FinanceError(
            "พร้อมเพย์ต้องเป็นหมายเลขโทรศัพท์ 10 หลักหรือเลขประจำตัว 13 หลัก",
            "PromptPay needs a 10-digit mobile number or a 13-digit ID",
        )
    merchant = _tlv("29", _tlv("00", "A000000677010111") + account)
    return _finish(
        [
            _tlv("00", "01"),
            _tlv("01", "12"),
            merchant,
            _tlv("53", "764"),
            _tlv("54", qr_amount(amount)),
            _tlv("58", "TH"),
        ]
    )


def billpayment_payload(*, biller_id: str, ref1: str, amount: str | Decimal, ref2: str = "") -> str:
    """One-time Bill Payment QR (tag 30): 15-digit biller ID (tax ID + suffix), Ref1, optional Ref2."""
    if not re.fullmatch(r"\d{15}", biller_id or ""):
        raise FinanceError("รหัสผู้รับชำระ (Biller ID) ต้องเป็นตัวเลข 15 หลัก", "The biller ID is 15 digits")
    for name, ref in (("Ref1", ref1), ("Ref2", ref2)):
        if ref and not re.fullmatch(r"[A-Z0-9]{1,20}", ref):
            raise FinanceError(
                f"{name} ต้องเป็นอักษรอังกฤษตัวใหญ่หรือตัวเลข ไม่เกิน 20 ตัว", f"{name}: up to 20 A–Z or 0–9"
            )
    if not ref1:
        raise FinanceError("กรุณาระบุ Ref1", "Ref1 is required")
    merchant = _tlv("00", "A000000677010112") + _tlv("01", biller_id) + _tlv("02", ref1)
    if ref2:
        merchant += _tlv("03", ref2)
    return _finish(
        [_tlv("00", "01"), _tlv("01", "12"), _tlv("30", merchant), _tlv("53", "764"), _tlv("54", qr_amount(amount)),
         _tlv("58", "TH")]
    )  # fmt: skip


def parse_tlv(payload: str) -> dict[str, str]:
    """Top-level EMVCo fields of a payload (tag → value); raises FinanceError on a bad CRC."""
    fields: dict[str, str] = {}
    index = 0
    while index < len(payload):
        tag, length = payload[index : index + 2], int(payload[index + 2 : index + 4])
        fields[tag] = payload[index + 4 : index + 4 + length]
        index += 4 + length
    if crc16_ccitt(payload[:-4].encode("ascii")) != fields.get("63"):
        raise FinanceError("CRC ของคิวอาร์ไม่ถูกต้อง", "The QR CRC does not match")
    return fields


def qr_png(payload: str, path: Path | io.BytesIO) -> None:
    """The payload as a PNG QR code (error correction M, as bank apps expect)."""
    import segno  # heavy: segno is loaded only when a QR image is drawn

    target: Any = str(path) if isinstance(path, Path) else path
    segno.make_qr(payload, error="m").save(target, kind="png", scale=8, border=4)
