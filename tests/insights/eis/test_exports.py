"""The board as a PDF briefing (WeasyPrint, Sarabun) and as an Excel workbook, with the board's figures."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.insights.eis.test_board import _year_and_region
from tests.permissions import signed_in_client

pytestmark = pytest.mark.django_db


def test_briefing_pdf_and_excel_hold_the_board(demo_projects, matrix, settings, tmp_path) -> None:
    settings.CODI_MARTS_DIR = tmp_path / "never-built"  # every figure from the operational database
    year, region = _year_and_region()
    client = signed_in_client(matrix.user("executive", "region", region))
    board = client.get(f"/insights/eis/?year={year}").context["views"]
    disbursement = next(v for v in board if v.kpi.key == "budget_disbursement").line

    pdf = client.get(f"/insights/eis/?year={year}&area={region}&format=pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert str(disbursement.value) in text and str(year) in text
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
        if "/BaseFont" in font.get_object()
    }
    assert any("Sarabun" in f for f in fonts)

    xlsx = client.get(f"/insights/eis/?year={year}&area={region}&format=xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + len(board)
    by_key = {r[0]: r for r in rows[1:]}
    assert by_key[str(disbursement.label)][3] == float(disbursement.value)
    assert by_key[str(disbursement.label)][6] == disbursement.status_label
    # Which source each figure came from, in Thai: here the operational database (the marts never built).
    assert rows[0][8] == "แหล่งที่มา"
    assert by_key[str(disbursement.label)][8] == "ฐานข้อมูลปฏิบัติงาน (ยังไม่ได้สร้างดาต้ามาร์ต)"
    opendata = next(v for v in board if v.kpi.key == "open_datasets")
    assert by_key[str(opendata.line.label)][8] == "ฐานข้อมูลปฏิบัติงาน"


def test_exports_refused_outside_the_scope(matrix) -> None:
    client = signed_in_client(matrix.user("executive", "region", "north"))
    assert client.get("/insights/eis/?area=northeast&format=pdf").status_code == 403
    assert client.get("/insights/eis/?area=&format=xlsx").status_code == 403
    assert (
        signed_in_client(matrix.user("hr_officer", "country")).get("/insights/eis/?format=pdf").status_code
        == 403
    )
