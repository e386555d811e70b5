"""The streaming .xlsx reader gives what openpyxl gives; file types are told by content."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from codi.communities.spreadsheet import FileRefused, open_table, sniff_format

cells = st.one_of(
    st.none(),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20),
    st.text("กขคงจฉชซญดตถทนบปผพฟมยรลวศสหอฮะาิีึืุูเแโใไ่้๊๋ ", min_size=1, max_size=12),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.booleans(),
    st.datetimes(min_value=datetime(1901, 1, 1), max_value=datetime(2100, 1, 1)).map(
        lambda d: d.replace(microsecond=0)
    ),
)
sheets = st.lists(st.lists(cells, min_size=1, max_size=6), min_size=1, max_size=8)


def _trim(values) -> tuple:
    values = list(values)
    while values and values[-1] is None:
        values.pop()
    return tuple(values)


def _openpyxl_rows(path: Path) -> list[tuple]:
    sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
    sheet.reset_dimensions()
    return [_trim(r) for r in sheet.iter_rows(values_only=True)]


def _our_rows(path: Path) -> list[tuple]:
    header = [("header",)]
    with open_table(path, "xlsx") as table:
        rows = [_trim(values) for _, values in table.rows]
    return header + rows


@pytest.mark.parametrize("write_only", [False, True])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=sheets)
def test_streaming_reader_matches_openpyxl(tmp_path, write_only, rows):
    path = tmp_path / f"t{int(write_only)}.xlsx"
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet() if write_only else book.active
    sheet.append(["header"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    expected = _openpyxl_rows(path)
    while expected and expected[-1] == ():
        expected.pop()
    ours = _our_rows(path)
    while ours and ours[-1] == ():
        ours.pop()
    assert ours == expected


def test_rows_left_out_of_the_file_keep_their_numbers(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet["A1"] = "เลขประจำตัวประชาชน"
    sheet["A5"] = "x"
    sheet["C9"] = 3
    path = tmp_path / "gaps.xlsx"
    book.save(path)
    with open_table(path, "xlsx") as table:
        rows = [(n, _trim(v)) for n, v in table.rows if _trim(v)]
    assert rows == [(5, ("x",)), (9, (None, None, 3))]


@pytest.mark.parametrize(
    ("head", "kind"),
    [(b"PK\x03\x04rest", "xlsx"), ("ชื่อ,นามสกุล\n".encode(), "csv"), ("ชื่อ,นามสกุล\n".encode("cp874"), "csv")],
)
def test_sniffing_by_content(head, kind):
    assert sniff_format(head) == kind


@pytest.mark.parametrize("head", [b"%PDF-1.4", b"\x89PNG\r\n", b"\xff\xd8\xff\xe0", b"bin\x00ary"])
def test_not_spreadsheets_are_refused(head):
    with pytest.raises(FileRefused):
        sniff_format(head)


def test_a_truncated_workbook_is_refused(tmp_path):
    book = Workbook()
    book.active.append(["a", "b"])
    buffer = io.BytesIO()
    book.save(buffer)
    path = tmp_path / "cut.xlsx"
    path.write_bytes(buffer.getvalue()[:-200])
    with pytest.raises(FileRefused), open_table(path, "xlsx") as table:
        list(table.rows)
