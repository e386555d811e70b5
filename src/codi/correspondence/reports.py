"""The printable register (ทะเบียนหนังสือรับ / ส่ง / บันทึกข้อความ) as PDF and Excel."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from codi.core.pdf import render_pdf
from codi.correspondence.letter_pdf import SECRECY_TH, URGENCY_TH
from codi.correspondence.models import Letter, LetterKind

REGISTER_TITLES = {
    LetterKind.INCOMING: "ทะเบียนหนังสือรับ",
    LetterKind.OUTGOING: "ทะเบียนหนังสือส่ง",
    LetterKind.MEMO: "ทะเบียนบันทึกข้อความ",
    "": "ทะเบียนหนังสือ",
}
STATUS_TH = {
    "registered": "ลงทะเบียนแล้ว",
    "in_progress": "ระหว่างดำเนินการ",
    "closed": "เสร็จสิ้น",
    "cancelled": "ยกเลิก",
}
COLUMNS = ("เลขทะเบียน", "ปี", "ประเภท", "ที่", "ลงวันที่", "จาก", "ถึง", "เรื่อง", "ชั้นความเร็ว", "ชั้นความลับ", "การปฏิบัติ")
KIND_TH = {LetterKind.INCOMING: "รับ", LetterKind.OUTGOING: "ส่ง", LetterKind.MEMO: "บันทึกข้อความ"}


@dataclass(frozen=True)
class RegisterRow:
    register_number: int
    year: int
    kind: str
    document_number: str
    letter_date: date
    sender: str
    recipient: str
    subject: str
    urgency: str
    secrecy: str
    status: str
    unit_name: str


def register_rows(letters: Iterable[Letter]) -> list[RegisterRow]:
    return [
        RegisterRow(
            register_number=letter.register_number,
            year=letter.year,
            kind=KIND_TH.get(letter.kind, letter.kind),  # type: ignore[call-overload]
            document_number=letter.document_number,
            letter_date=letter.letter_date,
            sender=letter.sender,
            recipient=letter.recipient,
            subject=letter.subject,
            urgency=URGENCY_TH.get(letter.urgency, "ปกติ"),  # type: ignore[call-overload]
            secrecy=SECRECY_TH.get(letter.secrecy, "ปกติ"),  # type: ignore[call-overload]
            status=STATUS_TH.get(letter.status, letter.status),
            unit_name=letter.org_unit.name_th,
        )
        for letter in letters
    ]


def register_pdf(*, rows: list[RegisterRow], kind: str, unit_name: str) -> bytes:
    return render_pdf(
        "correspondence/register_pdf.html",
        {
            "rows": rows,
            "title": REGISTER_TITLES.get(kind, REGISTER_TITLES[""]),
            "unit_name": unit_name,
            "printed_at": timezone.now(),
        },
    )


COLUMN_WIDTHS = (10, 7, 12, 18, 12, 30, 30, 60, 12, 12, 16)


def register_title(kind: str) -> str:
    return REGISTER_TITLES.get(kind, REGISTER_TITLES[""])


def register_table(rows: list[RegisterRow]) -> Iterator[list[Any]]:
    """The register's rows as spreadsheet cells (written by codi.core.spreadsheet)."""
    for row in rows:
        yield [
            row.register_number,
            row.year,
            row.kind,
            row.document_number,
            row.letter_date,
            row.sender,
            row.recipient,
            row.subject,
            row.urgency,
            row.secrecy,
            row.status,
        ]
