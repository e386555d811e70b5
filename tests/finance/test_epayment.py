"""e-Payment: pain.001.001.09 validated against the ISO schema, the payment_file command, Thai QR
PNGs decoded by zbarimg, camt.053 statements matched to payments and receipts."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from lxml import etree

from codi.finance import epayment, payments, vouchers
from codi.finance.ledger import FinanceError
from codi.finance.models import JournalEntry, Receipt, StatementLine, VoucherStatus

NS = {"p": epayment.PAIN_NS}
CSV_HEADER = "payee_name,bank_code,account_no,amount,reference\n"
GOOD_CSV = (
    CSV_HEADER
    + "บริษัท ชุมชนก้าวหน้า จำกัด,006,1234567890,15000.50,INV-001\n"
    + "นางสาวมาลี ใจงาม,030,123456789012,2000.00,PAY/2569/2\n"
)


def test_crc16_ccitt_matches_the_standard_check_value():
    assert epayment.crc16_ccitt(b"123456789") == "29B1"


def test_payment_file_command_writes_a_schema_valid_pain001(tmp_path):
    source, target = tmp_path / "payments.csv", tmp_path / "f.xml"
    source.write_text(GOOD_CSV, encoding="utf-8")
    call_command(
        "payment_file", "--input", str(source), "--output", str(target), "--execution-date", "2026-11-05"
    )
    xml = target.read_bytes()
    assert epayment.pain001_errors(xml) == []
    root = etree.fromstring(xml)
    assert root.findtext(".//p:GrpHdr/p:NbOfTxs", namespaces=NS) == "2"
    assert root.findtext(".//p:GrpHdr/p:CtrlSum", namespaces=NS) == "17000.50"
    assert root.findtext(".//p:ReqdExctnDt/p:Dt", namespaces=NS) == "2026-11-05"
    amounts = [(a.get("Ccy"), a.text) for a in root.iterfind(".//p:InstdAmt", NS)]
    assert amounts == [("THB", "15000.50"), ("THB", "2000.00")]
    assert [e.text for e in root.iterfind(".//p:CdtTrfTxInf/p:CdtrAgt//p:MmbId", NS)] == ["006", "030"]
    assert root.findtext(".//p:CdtTrfTxInf[2]/p:Cdtr/p:Nm", namespaces=NS) == "นางสาวมาลี ใจงาม"


def test_the_schema_check_is_real_it_rejects_a_broken_file(tmp_path):
    xml = epayment.pain001(
        message_id="M1", created=datetime(2026, 11, 5, 9, 0), execution_date=date(2026, 11, 5),
        transfers=[epayment.Transfer("x", "006", "1234567890", Decimal("1.00"), "R1")],
    )  # fmt: skip
    broken = xml.replace(b"<PmtMtd>TRF</PmtMtd>", b"<PmtMtd>CASH</PmtMtd>")
    assert epayment.pain001_errors(broken) and "PmtMtd" in epayment.pain001_errors(broken)[0]
    assert epayment.pain001_errors(xml.replace(b'Ccy="THB"', b'Ccy="thb"'))


def test_payment_file_lists_every_row_error_and_writes_nothing(tmp_path):
    source, target = tmp_path / "p.csv", tmp_path / "f.xml"
    source.write_text(
        CSV_HEADER
        + "ok,006,1234567890,10.00,A1\n"
        + ",999,12,abc,\n"
        + "x,006,1234567890,-5,A1\n"
        + "y,006,1234567890,1.005,B2\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as error:
        call_command("payment_file", "--input", str(source), "--output", str(target))
    assert not target.exists()
    assert "7 errors" in str(error.value)
    missing = tmp_path / "m.csv"
    missing.write_text("payee_name,amount\nx,1\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("payment_file", "--input", str(missing), "--output", str(target))
    assert not target.exists()
    transfers, errors = epayment.parse_payments_csv(source.read_text(encoding="utf-8"))
    assert [e.split(":")[0] for e in errors] == ["แถว 3 / row 3"] * 4 + ["แถว 4 / row 4"] * 2 + [
        "แถว 5 / row 5"
    ]
    assert (
        "Unknown bank code 999" in errors[1]
        and "duplicate reference" in errors[5]
        and "two decimals" in errors[6]
    )
    assert len(transfers) == 1


def test_a_batch_of_approved_vouchers_becomes_a_valid_pain001(people, budget):
    voucher = vouchers.voucher_create(
        actor=people["maker"], budget_line=budget, payee_name="บริษัท ตัวอย่าง จำกัด", amount="20000.00",
        payee_bank_code="006", payee_account_no="1234567890", description="ค่าจ้าง",
    )  # fmt: skip
    vouchers.voucher_submit(actor=people["maker"], voucher=voucher)
    vouchers.voucher_check(actor=people["chief"], voucher=voucher, decision="pass")
    batch = payments.batch_create(
        actor=people["maker"], voucher_ids=[voucher.pk], value_date=date(2026, 11, 5)
    )
    xml = payments.batch_pain001(batch=batch)
    assert epayment.pain001_errors(xml) == []
    root = etree.fromstring(xml)
    assert root.findtext(".//p:EndToEndId", namespaces=NS) == voucher.number
    assert root.findtext(".//p:GrpHdr/p:MsgId", namespaces=NS) == batch.number
    batch.total = Decimal("20000.01")  # a file whose total differs from its approved vouchers
    with pytest.raises(FinanceError) as error:
        payments.batch_pain001(batch=batch)
    assert "differs" in error.value.message_en


def _zbar(path: Path) -> str:
    found = subprocess.run(
        [shutil.which("zbarimg") or "zbarimg", "--raw", "-q", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return found.stdout.strip()


@pytest.mark.skipif(shutil.which("zbarimg") is None, reason="zbar-tools (scripts/install-debian-deps.sh)")
def test_promptpay_qr_png_decodes_with_zbarimg_to_a_checked_payload(tmp_path):
    target = tmp_path / "pp.png"
    call_command(
        "payment_qr",
        "--kind",
        "promptpay",
        "--id",
        "081-234-5678",
        "--amount",
        "1500.5",
        "--output",
        str(target),
    )
    payload = _zbar(target)
    fields = epayment.parse_tlv(payload)  # raises when the CRC does not match
    assert fields["00"] == "01" and fields["01"] == "12"
    assert fields["29"] == "0016A000000677010111" + "01130066812345678"
    assert (fields["53"], fields["54"], fields["58"]) == ("764", "1500.50", "TH")
    assert payload.endswith(epayment.crc16_ccitt(payload[:-4].encode()))


@pytest.mark.skipif(shutil.which("zbarimg") is None, reason="zbar-tools (scripts/install-debian-deps.sh)")
def test_billpayment_qr_png_decodes_with_zbarimg(tmp_path):
    target = tmp_path / "bp.png"
    call_command(
        "payment_qr", "--kind", "billpayment", "--id", "099400016597801", "--ref1", "RC257000001",
        "--ref2", "LOAN42", "--amount", "250", "--output", str(target),
    )  # fmt: skip
    fields = epayment.parse_tlv(_zbar(target))
    assert fields["30"] == "0016A000000677010112" + "0115099400016597801" + "0211RC257000001" + "0306LOAN42"
    assert fields["54"] == "250.00"


@pytest.mark.parametrize("amount", ["0", "-1", "10.005", "abc", "1e3.5"])
def test_qr_amount_zero_negative_or_over_two_decimals_is_refused_and_no_file(tmp_path, amount):
    target = tmp_path / "x.png"
    with pytest.raises(CommandError):
        call_command(
            "payment_qr",
            "--kind",
            "promptpay",
            "--id",
            "0812345678",
            "--amount",
            amount,
            "--output",
            str(target),
        )
    assert not target.exists()


def test_qr_ids_are_checked():
    with pytest.raises(FinanceError):
        epayment.promptpay_payload(target="12345", amount="1")
    with pytest.raises(FinanceError):
        epayment.billpayment_payload(biller_id="0994000165978", ref1="A", amount="1")
    with pytest.raises(FinanceError):
        epayment.billpayment_payload(biller_id="099400016597801", ref1="lower", amount="1")
    with pytest.raises(FinanceError):
        epayment.parse_tlv(epayment.promptpay_payload(target="0812345678", amount="1")[:-1] + "0")


CAMT = """<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
<GrpHdr><MsgId>S1</MsgId><CreDtTm>2026-11-06T08:00:00</CreDtTm></GrpHdr>
<Stmt><Id>S1</Id><CreDtTm>2026-11-06T08:00:00</CreDtTm><Acct><Id><Othr><Id>9800012345</Id></Othr></Id></Acct>
<Ntry><Amt Ccy="THB">20000.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-11-05</Dt></BookgDt>
<ValDt><Dt>2026-11-05</Dt></ValDt><BkTxCd/><NtryDtls><TxDtls><Refs><EndToEndId>{voucher}</EndToEndId></Refs></TxDtls></NtryDtls></Ntry>
<Ntry><Amt Ccy="THB">250.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><ValDt><Dt>2026-11-06</Dt></ValDt>
<BkTxCd/><NtryDtls><TxDtls><RmtInf><Ustrd>{ref1}</Ustrd></RmtInf></TxDtls></NtryDtls><AddtlNtryInf>BILL PAYMENT</AddtlNtryInf></Ntry>
<Ntry><Amt Ccy="THB">12.34</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><ValDt><Dt>2026-11-06</Dt></ValDt>
<BkTxCd/><AcctSvcrRef>INT-NOV</AcctSvcrRef></Ntry>
</Stmt></BkToCstmrStmt></Document>"""


def test_camt053_matches_a_sent_voucher_and_an_expected_receipt_once(people, budget):
    voucher = vouchers.voucher_create(
        actor=people["maker"], budget_line=budget, payee_name="บริษัท ตัวอย่าง จำกัด", amount="20000.00",
        payee_bank_code="006", payee_account_no="1234567890", description="ค่าจ้าง",
    )  # fmt: skip
    vouchers.voucher_submit(actor=people["maker"], voucher=voucher)
    vouchers.voucher_check(actor=people["chief"], voucher=voucher, decision="pass")
    payments.batch_create(actor=people["maker"], voucher_ids=[voucher.pk], value_date=date(2026, 11, 5))
    receipt = payments.receipt_create(
        actor=people["maker"], payer_name="กลุ่มออมทรัพย์บ้านนา", amount="250.00", credit_account="4203010101",
        on=date(2026, 11, 6),
    )  # fmt: skip
    assert receipt.reference == "RC257000001"
    content = CAMT.format(voucher=voucher.number, ref1=receipt.reference).encode()
    result = payments.statement_import_camt(actor=people["maker"], content=content)
    assert (result.imported, sorted(result.matched), result.unmatched) == (
        3,
        sorted([voucher.number, receipt.number]),
        1,
    )
    voucher.refresh_from_db()
    receipt.refresh_from_db()
    assert voucher.status == VoucherStatus.PAID and receipt.received_on == date(2026, 11, 6)
    assert JournalEntry.objects.filter(source_type="finance.receipt", source_id=str(receipt.pk)).count() == 1
    again = payments.statement_import_camt(actor=people["maker"], content=content)
    assert (again.imported, again.duplicates) == (0, 3)
    assert StatementLine.objects.filter(voucher__isnull=True, receipt__isnull=True).count() == 1
    assert Receipt.objects.get(pk=receipt.pk).entry is not None


def test_a_bad_camt_writes_nothing(people, books):
    assert payments.statement_import_camt(actor=people["maker"], content=b"<x/>").errors
    bad = CAMT.format(voucher="PV1", ref1="R").replace(
        '<Amt Ccy="THB">12.34</Amt>', '<Amt Ccy="THB">1.234</Amt>'
    )
    result = payments.statement_import_camt(actor=people["maker"], content=bad.encode())
    assert result.errors and StatementLine.objects.count() == 0
