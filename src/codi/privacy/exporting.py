"""Spreadsheet of the records of processing activities (PDPA s.39)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from codi.core.spreadsheet import XlsxWriter

HEADERS = (
    ("ชื่อกิจกรรม", "Activity"),
    ("วัตถุประสงค์", "Purpose"),
    ("ฐานทางกฎหมาย", "Lawful basis"),
    ("ประเภทเจ้าของข้อมูล", "Categories of data subjects"),
    ("ประเภทข้อมูลส่วนบุคคล", "Categories of personal data"),
    ("ข้อมูลอ่อนไหว (ม.26)", "Sensitive data (s.26)"),
    ("ผู้รับข้อมูล", "Recipients"),
    ("การส่งไปต่างประเทศ", "Transfers abroad"),
    ("ระยะเวลาเก็บรักษา", "Retention"),
    ("มาตรการรักษาความปลอดภัย", "Security measures"),
)


HEADER = [f"{th} / {en}" for th, en in HEADERS]
WIDTHS = (40, 25, 30, 30, 60, 30, 30, 25, 30, 40)


def ropa_table(rows: list[dict[str, Any]]) -> Iterator[list[str]]:
    """The record of processing as spreadsheet cells (written by codi.core.spreadsheet)."""
    for row in rows:
        a = row["activity"]
        yield [
            f"{a.name_th} / {a.name_en}",
            a.get_purpose_display(),
            a.lawful_basis,
            a.data_subjects,
            "\n".join(row["data_categories"]) or "—",
            "\n".join(row["sensitive"]) or "—",
            a.recipients,
            a.transfers_abroad or "ไม่มี / none",
            a.retention,
            a.security_measures,
        ]


def ropa_xlsx(rows: list[dict[str, Any]]) -> bytes:
    """The record of processing as .xlsx bytes (the shared writer: formulas neutralised)."""

    buffer = io.BytesIO()
    writer = XlsxWriter(buffer, sheet_title="RoPA")
    writer.widths(WIDTHS)
    writer.header(HEADER)
    for cells in ropa_table(rows):
        writer.row(cells)
    writer.close()
    return buffer.getvalue()
