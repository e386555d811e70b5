"""The finance reports' downloads: the same header and rows as .xlsx (``codi.core.spreadsheet``) or
as an A4 PDF in Sarabun (``codi.core.pdf``), chosen by ``?format=xlsx|pdf``."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone

from codi.core.pdf import render_pdf
from codi.core.spreadsheet import be_date, xlsx_response
from codi.core.thaidate import thai_date

EXPORTS = frozenset({"xlsx", "pdf"})


def _cell(value: Any) -> str:
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, date | datetime):
        return be_date(value)
    return "" if value is None else str(value)


def _is_number_column(rows: list[list[Any]], index: int) -> bool:
    values = [row[index] for row in rows if row[index] not in (None, "")]
    return bool(values) and all(isinstance(v, Decimal | int | float) for v in values)


def pdf_response(title: str, header: list[str], rows: list[list[Any]], filename: str) -> HttpResponse:
    numeric = [_is_number_column(rows, i) for i in range(len(header))]
    pdf = render_pdf(
        "finance/report_pdf.html",
        {
            "title": title,
            "header": list(zip(header, numeric, strict=True)),
            "rows": [list(zip([_cell(v) for v in row], numeric, strict=True)) for row in rows],
            "printed": thai_date(timezone.localtime(), with_time=True),
            "landscape": len(header) > 5,
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename.removesuffix(".xlsx")}.pdf"'
    return response


def table_export(
    request: HttpRequest, title: str, header: list[str], rows: list[list[Any]], filename: str
) -> HttpResponseBase:
    """``?format=pdf`` → the PDF; otherwise the .xlsx (every finance .xlsx goes through codi.core.spreadsheet)."""
    if request.GET.get("format") == "pdf":
        return pdf_response(title, header, rows, filename)
    sheet = re.sub(r"[\[\]:*?/\\]", " ", title)[:31]  # characters a sheet title may not hold
    return xlsx_response(filename=filename.removesuffix(".xlsx"), sheets=[(sheet, header, rows)])
