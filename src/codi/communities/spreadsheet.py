"""Reading and writing spreadsheets: .xlsx (streamed) and CSV (UTF-8 with BOM, or Thai Windows-874).

Reading an .xlsx: openpyxl opens the package (manifest, workbook, sheet list,
date styles), then the first worksheet and the shared strings are streamed
with expat. openpyxl's own read-only cell parser reads about 1,700 rows of 12
columns a second on the benchmark machine — slower than the import's target
on its own — while expat reads over ten times as many. Values follow
openpyxl's ``data_only`` rules (the last computed value of a formula; numbers
with a date style become ``datetime``); a test compares both readers.

The file type comes from the content, never from the name.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

from codi.core import uploads

XLSX = "xlsx"
CSV = "csv"
MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024  # a sheet that inflates beyond this is refused (zip bomb)
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"[A-Z]+\d+:[A-Z]+(\d+)\"")


class FileRefused(Exception):  # noqa: N818 — the file as a whole cannot be read
    """The file cannot be read at all; ``th`` and ``en`` say why and what to do."""

    def __init__(self, th: str, en: str) -> None:
        super().__init__(th, en)
        self.th = th
        self.en = en

    def __str__(self) -> str:
        return f"{self.th} / {self.en}"


NOT_A_SPREADSHEET = FileRefused(
    "ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx) หรือ CSV กรุณาบันทึกเป็น .xlsx หรือ CSV (UTF-8) แล้วอัปโหลดใหม่",
    "This is not an Excel (.xlsx) or CSV file; save it as .xlsx or CSV (UTF-8) and upload it again",
)


def sniff_format(head: bytes) -> str:
    """``xlsx`` or ``csv`` from the first bytes of a file; ``FileRefused`` for anything else.

    The binary signatures are the platform's one content check (``codi.core.uploads.sniff``);
    what is left must read as Thai/English text (UTF-8 or Windows-874) to be a CSV.
    """
    kind = uploads.sniff(head[:16])
    if kind == "zip":
        return XLSX
    if kind == "ole":
        raise FileRefused(
            "ไฟล์ Excel รุ่นเก่า (.xls) ยังไม่รองรับ กรุณาเปิดใน Excel แล้วบันทึกเป็น .xlsx",
            "Old Excel files (.xls) are not supported; open it in Excel and save it as .xlsx",
        )
    if kind is not None or not head or b"\x00" in head:
        raise NOT_A_SPREADSHEET
    for signature in (b"{\\rtf", b"<!DOCTYPE", b"<html"):
        if head.lstrip().startswith(signature):
            raise NOT_A_SPREADSHEET
    if _text_encoding(head, final=False) is None:
        raise NOT_A_SPREADSHEET
    return CSV


def _text_encoding(data: bytes, *, final: bool) -> str | None:
    for encoding in ("utf-8-sig", "cp874"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            text = decoder.decode(data, final=final)
        except UnicodeDecodeError:
            continue
        # cp874 decodes almost any byte string: also require that it reads as text.
        if encoding == "cp874" and sum(ch.isprintable() or ch in "\r\n\t" for ch in text) < 0.97 * len(text):
            return None
        return encoding
    return None


@dataclass
class Table:
    """The rows of the first sheet: the header row and an iterator of ``(row number, values)`` after it."""

    header: list[str]
    header_row: int
    rows: Iterator[tuple[int, Sequence[Any]]]
    estimated_rows: int | None  # data rows, when the file says (an .xlsx dimension, a CSV line count)


@contextmanager
def open_table(path: Path, file_format: str) -> Iterator[Table]:
    """Open ``path`` and yield its ``Table``; ``FileRefused`` when it cannot be read."""
    with path.open("rb") as handle:
        if file_format == XLSX:
            rows, estimate = _xlsx_rows(handle)
        else:
            rows, estimate = _csv_rows(handle)
        for row_number, values in rows:
            if any(v not in (None, "") for v in values):
                header = [str(v).strip() if v is not None else "" for v in values]
                data_estimate = None if estimate is None else max(0, estimate - row_number)
                yield Table(header, row_number, rows, data_estimate)
                return
        raise FileRefused("ไฟล์ไม่มีข้อมูล", "The file is empty")


# --- CSV ------------------------------------------------------------------------------------------


def _csv_rows(handle: IO[bytes]) -> tuple[Iterator[tuple[int, Sequence[Any]]], int | None]:
    head = handle.read(1 << 16)
    encoding = _text_encoding(head, final=False)
    if encoding is None:
        raise NOT_A_SPREADSHEET
    lines = head.count(b"\n")
    while chunk := handle.read(1 << 20):
        lines += chunk.count(b"\n")
    handle.seek(0)
    text = io.TextIOWrapper(handle, encoding=encoding, newline="")
    first = text.readline()
    text.seek(0)
    try:
        dialect: Any = csv.Sniffer().sniff(first, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(text, dialect)

    def rows() -> Iterator[tuple[int, Sequence[Any]]]:
        try:
            for record in reader:
                yield reader.line_num, record
        except UnicodeDecodeError:
            raise FileRefused(
                f"อ่านไฟล์ไม่ได้ตั้งแต่บรรทัด {reader.line_num + 1:,} (รหัสอักขระไม่ถูกต้อง) กรุณาบันทึกเป็น CSV UTF-8",
                f"Unreadable text from line {reader.line_num + 1:,} (wrong encoding); save it as CSV UTF-8",
            ) from None
        except csv.Error as exc:
            raise FileRefused(
                f"รูปแบบ CSV ไม่ถูกต้องที่บรรทัด {reader.line_num:,}",
                f"Malformed CSV at line {reader.line_num:,}: {exc}",
            ) from None

    return rows(), lines


# --- xlsx ------------------------------------------------------------------------------------------

BROKEN_XLSX = FileRefused(
    "เปิดไฟล์ Excel ไม่ได้ ไฟล์อาจเสียหาย กรุณาเปิดใน Excel แล้วบันทึกใหม่เป็น .xlsx",
    "The Excel file cannot be opened (it may be damaged); open it in Excel and save it again as .xlsx",
)


@dataclass
class _Workbook:
    archive: zipfile.ZipFile
    sheet_path: str
    strings_path: str | None
    date_styles: frozenset[int]
    timedelta_styles: frozenset[int]
    epoch: datetime


def _open_workbook(handle: IO[bytes]) -> _Workbook:
    # heavy: openpyxl is loaded only when a workbook is read
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet
    from openpyxl.xml.constants import SHARED_STRINGS

    try:
        reader = ExcelReader(handle, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise NOT_A_SPREADSHEET from None
    archive = reader.archive
    total = sum(info.file_size for info in archive.infolist())
    if total > MAX_UNCOMPRESSED_BYTES:
        raise FileRefused("ไฟล์ Excel ใหญ่เกินไปเมื่อแตกไฟล์", "The Excel file is too large once unpacked")
    if "[Content_Types].xml" not in reader.valid_files:
        raise NOT_A_SPREADSHEET
    try:
        reader.read_manifest()
        strings = reader.package.find(SHARED_STRINGS)
        reader.read_workbook()
        apply_stylesheet(archive, reader.wb)
        sheet_path = next(
            (
                rel.target
                for _sheet, rel in reader.parser.find_sheets()
                if rel.target in reader.valid_files and "chartsheet" not in rel.Type
            ),
            None,
        )
    except (KeyError, ValueError, OSError, TypeError, AttributeError, SyntaxError):
        raise BROKEN_XLSX from None
    if sheet_path is None:
        raise FileRefused("ไม่พบแผ่นงานในไฟล์ Excel", "The Excel file has no worksheet")
    wb = reader.wb
    return _Workbook(
        archive=archive,
        sheet_path=sheet_path,
        strings_path=strings.PartName[1:] if strings is not None else None,
        date_styles=frozenset(getattr(wb, "_date_formats", ())),
        timedelta_styles=frozenset(getattr(wb, "_timedelta_formats", ())),
        epoch=wb.epoch,
    )


def _local(name: str) -> str:
    return name[name.rfind(":") + 1 :]


def _shared_strings(archive: zipfile.ZipFile, path: str | None) -> list[str]:
    """The shared-string table: each ``<si>``'s text runs joined, phonetic hints left out."""
    if path is None:
        return []
    strings: list[str] = []
    parts: list[str] = []
    state = {"in_t": False, "in_phonetic": 0}

    def start(name: str, attrs: dict[str, str]) -> None:
        tag = _local(name)
        if tag == "t" and not state["in_phonetic"]:
            state["in_t"] = True
        elif tag == "rPh":
            state["in_phonetic"] += 1
        elif tag == "si":
            parts.clear()

    def end(name: str) -> None:
        tag = _local(name)
        if tag == "t":
            state["in_t"] = False
        elif tag == "rPh":
            state["in_phonetic"] -= 1
        elif tag == "si":
            strings.append("".join(parts).replace("x005F_", ""))

    def text(data: str) -> None:
        if state["in_t"]:
            parts.append(data)

    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        with archive.open(path) as source:
            while chunk := source.read(1 << 16):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except (expat.ExpatError, zipfile.BadZipFile, EOFError, OSError):
        raise BROKEN_XLSX from None
    return strings


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + (ord(ch) - 64)
    return index - 1


def _xlsx_rows(handle: IO[bytes]) -> tuple[Iterator[tuple[int, Sequence[Any]]], int | None]:
    book = _open_workbook(handle)
    with book.archive.open(book.sheet_path) as source:
        match = _DIMENSION.search(source.read(4096))
    estimate = int(match.group(1)) if match else None
    strings = _shared_strings(book.archive, book.strings_path)
    return _sheet_rows(book, strings), estimate


def _sheet_rows(book: _Workbook, strings: list[str]) -> Iterator[tuple[int, Sequence[Any]]]:
    """Stream the worksheet's rows as ``(row number, values)``, blank rows included.

    The handlers run once per XML element of a sheet that can hold millions of
    cells, so they keep their state in closure variables and do little else.
    """
    # heavy: openpyxl is loaded only when a workbook is read
    from openpyxl.utils.datetime import from_excel, from_ISO8601

    ready: list[tuple[int, list[Any]]] = []
    row: list[Any] = []
    parts: list[str] = []
    columns: dict[str, int] = {}
    row_number = 0
    col = -1
    kind = "n"
    style = 0
    in_text = False
    in_inline = False
    saw_inline = False  # an inline string without <is> is empty (None), as openpyxl reads it
    in_phonetic = 0
    date_styles, timedelta_styles, epoch = book.date_styles, book.timedelta_styles, book.epoch

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal row_number, col, kind, style, in_text, in_inline, saw_inline, in_phonetic
        if ":" in name:
            name = name[name.rfind(":") + 1 :]
        if name == "c":
            ref = attrs.get("r")
            if ref:
                letters = ref.rstrip("0123456789")
                index = columns.get(letters)
                if index is None:
                    index = columns[letters] = _column_index(letters)
                col = index
            else:
                col += 1
            kind = attrs.get("t", "n")
            s = attrs.get("s")
            style = int(s) if s else 0
            saw_inline = False
            parts.clear()
        elif name == "v":
            in_text = True
        elif name == "t":
            in_text = in_inline and not in_phonetic
        elif name == "is":
            in_inline = saw_inline = True
        elif name == "rPh":
            in_phonetic += 1
        elif name == "row":
            number = attrs.get("r")
            row_number = int(number) if number else row_number + 1
            row.clear()
            col = -1

    def end(name: str) -> None:
        nonlocal in_text, in_inline, in_phonetic
        if ":" in name:
            name = name[name.rfind(":") + 1 :]
        if name == "c":
            value = cell_value("".join(parts)) if parts or (kind == "inlineStr" and saw_inline) else None
            if col >= len(row):
                row.extend([None] * (col - len(row) + 1))
            row[col] = value
        elif name == "v" or name == "t":
            in_text = False
        elif name == "is":
            in_inline = False
        elif name == "rPh":
            in_phonetic -= 1
        elif name == "row":
            ready.append((row_number, list(row)))

    def text(data: str) -> None:
        if in_text:
            parts.append(data)

    def cell_value(raw: str) -> Any:
        if kind == "s":
            return strings[int(raw)]
        if kind == "inlineStr" or kind == "str" or kind == "e":
            return raw  # inline text, a formula's text result, or an error such as #N/A
        if raw == "":
            return None
        if kind == "n":
            number: int | float = int(raw) if raw.lstrip("-").isdigit() else float(raw)
            if style and style in date_styles:
                try:
                    return from_excel(number, epoch, timedelta=style in timedelta_styles)
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return number
        if kind == "b":
            return bool(int(raw))
        if kind == "d":
            return from_ISO8601(raw)
        return raw

    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    expected = 1
    try:
        with book.archive.open(book.sheet_path) as source:
            while True:
                chunk = source.read(1 << 16)
                parser.Parse(chunk, not chunk)
                for number, values in ready:
                    while expected < number:  # rows the file leaves out are blank rows
                        yield expected, ()
                        expected += 1
                    yield number, values
                    expected = number + 1
                ready.clear()
                if not chunk:
                    break
    except (expat.ExpatError, zipfile.BadZipFile, EOFError, OSError, IndexError, ValueError):
        raise BROKEN_XLSX from None
    finally:
        book.archive.close()


# --- writing: the shared writer in core (formula neutralisation in one place) -------------------

from codi.core.spreadsheet import XlsxWriter, csv_cell  # noqa: E402  (re-exported for importers)

__all__ = ["CSV", "XLSX", "FileRefused", "XlsxWriter", "csv_cell", "sniff_format"]
