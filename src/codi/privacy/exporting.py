"""Spreadsheet of the records of processing activities (PDPA s.39)."""

from __future__ import annotations

import io
from typing import Any

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


def _safe(value: str) -> str:
    """Spreadsheet formula injection: a cell starting with = + - @ is stored as text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def ropa_xlsx(rows: list[dict[str, Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "RoPA"
    sheet.append([f"{th} / {en}" for th, en in HEADERS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        a = row["activity"]
        sheet.append(
            [
                _safe(f"{a.name_th} / {a.name_en}"),
                a.get_purpose_display(),
                _safe(a.lawful_basis),
                _safe(a.data_subjects),
                "\n".join(row["data_categories"]) or "—",
                "\n".join(row["sensitive"]) or "—",
                _safe(a.recipients),
                _safe(a.transfers_abroad) or "ไม่มี / none",
                _safe(a.retention),
                _safe(a.security_measures),
            ]
        )
    for column, width in zip("ABCDEFGHIJ", (40, 25, 30, 30, 60, 30, 30, 25, 30, 40), strict=True):
        sheet.column_dimensions[column].width = width
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
