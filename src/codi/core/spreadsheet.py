"""The one spreadsheet writer every export uses: streamed .xlsx and CSV, formulas neutralised.

Every cell written here passes through :func:`cell_value`, so text that a
spreadsheet program would run as a formula (a leading ``=``, ``+``, ``-``,
``@``, tab or carriage return — CSV/formula injection, OWASP) is stored as
text with a leading apostrophe. Numbers, dates and booleans keep their types.
A plain number written as text (``-5``, ``+66 81…`` is not one) is left alone:
a spreadsheet reads it as the same number, which runs nothing.

.xlsx files are written in openpyxl's write-only mode to a temporary file that
the response streams and then removes, so memory stays flat for 100,000 rows.
CSV is UTF-8 with a byte-order mark, which Excel needs to show Thai.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import IO, Any

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip() == text and text.lower() not in {"nan", "inf", "-inf", "+inf", "infinity"}


def neutralise(text: str) -> str:
    """Text that no spreadsheet program will evaluate as a formula."""
    if text[:1] in FORMULA_PREFIXES and not _is_number(text):
        return "'" + text
    return text


def cell_value(value: Any) -> Any:
    """A value ready for a cell: typed values kept, text neutralised, aware datetimes made local."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, date | time | timedelta | int | float | bool) or value is None:
        return value
    # Money stays exact text ("90000.00"), as the importers read it back; a float cell would round.
    return neutralise(str(value))


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    return str(cell_value(value))


def be_date(value: date | datetime | None) -> str:
    """``6/12/2569``: a date in the Buddhist Era as Thai spreadsheets show it (day/month/year)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if value.tzinfo is not None else value
    return f"{value.day}/{value.month}/{value.year + 543}"


class XlsxWriter:
    """Rows to an .xlsx file with constant memory; one or more sheets, bold frozen header rows."""

    def __init__(self, path: Path | IO[bytes], *, sheet_title: str) -> None:
        # heavy: openpyxl is loaded only when a workbook is written
        from openpyxl import Workbook

        self.path = path
        self.workbook = Workbook(write_only=True)
        self.sheet = self.workbook.create_sheet(title=sheet_title[:31])

    def add_sheet(self, title: str) -> None:
        """Further rows go to a new sheet."""
        self.sheet = self.workbook.create_sheet(title=title[:31])

    def widths(self, widths: Sequence[int]) -> None:
        """Column widths in characters (before the first row of the sheet)."""
        # heavy: openpyxl is loaded only when a workbook is written
        from openpyxl.utils import get_column_letter

        for index, width in enumerate(widths, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width

    def header(self, names: Sequence[str]) -> None:
        # heavy: openpyxl is loaded only when a workbook is written
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        cells = []
        for name in names:
            cell = WriteOnlyCell(self.sheet, value=cell_value(str(name)))
            cell.font = Font(bold=True)
            cells.append(cell)
        self.sheet.freeze_panes = "A2"
        self.sheet.append(cells)

    def row(self, values: Sequence[Any]) -> None:
        self.sheet.append([cell_value(v) for v in values])

    def close(self) -> None:
        self.workbook.save(self.path)


def _stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M")


def xlsx_response(
    *,
    filename: str,
    sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]],
    widths: Sequence[int] = (),
) -> FileResponse:
    """An .xlsx download of ``(sheet title, header, rows)`` sheets; ``filename`` without extension."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 — FileResponse closes (and removes) it
    writer: XlsxWriter | None = None
    for title, header, rows in sheets:
        if writer is None:
            writer = XlsxWriter(handle, sheet_title=title)
        else:
            writer.add_sheet(title)
        if widths:
            writer.widths(widths)
        writer.header(header)
        for row in rows:
            writer.row(row)
    if writer is None:
        raise ValueError("an .xlsx file needs at least one sheet")
    writer.close()
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{filename}-{_stamp()}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """CSV text, a BOM first, every cell neutralised."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([csv_cell(h) for h in header])
    for row in rows:
        yield writer.writerow([csv_cell(v) for v in row])


def csv_response(
    *, filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse:
    """A streamed CSV download; ``filename`` without extension."""
    response = StreamingHttpResponse(csv_lines(header, rows), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}-{_stamp()}.csv"'
    return response
