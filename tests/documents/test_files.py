"""Recognising uploads by their bytes, refusing bad ones clearly, and reading their text."""

from __future__ import annotations

import pytest

from codi.documents import files
from tests.documents.conftest import (
    DATA,
    blank_pdf,
    digital_pdf,
    docx_bytes,
    encrypted_pdf,
    image_bytes,
    scanned_pdf,
    xlsx_bytes,
)


def no_ocr(image: object) -> str:
    raise AssertionError("OCR was not expected")


@pytest.mark.parametrize(
    ("data", "content_type", "pages"),
    [
        (lambda: digital_pdf(), files.PDF, 1),
        (lambda: image_bytes("PNG"), files.PNG, 1),
        (lambda: image_bytes("JPEG"), files.JPEG, 1),
        (lambda: image_bytes("TIFF", frames=3), files.TIFF, 3),
        (lambda: docx_bytes(["สวัสดี"]), files.DOCX, 1),
        (lambda: xlsx_bytes([["ก", 1]]), files.XLSX, 1),
    ],
    ids=["pdf", "png", "jpeg", "tiff", "docx", "xlsx"],
)
def test_types_are_recognised_by_content(data, content_type, pages):
    info = files.inspect_file(data())
    assert (info.content_type, info.page_count) == (content_type, pages)


@pytest.mark.parametrize(
    ("data", "code", "thai"),
    [
        (lambda: b"hello, I am not a PDF", "unsupported_type", "ไม่รับไฟล์ประเภทนี้"),
        (lambda: b"", "empty", "ไฟล์ว่างเปล่า"),
        (lambda: encrypted_pdf(), "encrypted", "ถูกเข้ารหัส"),
        (lambda: b"%PDF-1.7\n1 0 obj garbage\n%%EOF", "corrupt", "เสียหาย"),
        (lambda: (DATA / "scan_1.jpg").read_bytes()[:5000], "corrupt", "เสียหาย"),
        (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500, "encrypted", "ถูกเข้ารหัส"),
        (lambda: b"PK\x03\x04broken zip", "corrupt", "เสียหาย"),
        (lambda: blank_pdf(500), "too_many_pages", "เกินจำนวนที่รับได้"),
    ],
    ids=[
        "not-a-pdf",
        "empty",
        "encrypted-pdf",
        "corrupt-pdf",
        "truncated-jpeg",
        "encrypted-office",
        "bad-zip",
        "500-pages",
    ],
)
def test_bad_files_are_refused_with_a_thai_and_english_reason(data, code, thai):
    with pytest.raises(files.FileRefusedError) as refused:
        files.inspect_file(data())
    assert refused.value.code == code
    assert thai in refused.value.message_th
    assert refused.value.message_en


def test_size_limit_comes_from_settings(settings):
    settings.DOCUMENTS_MAX_BYTES = 1000
    with pytest.raises(files.FileRefusedError) as refused:
        files.inspect_file(image_bytes("TIFF", frames=2) + b"\0" * 1000)
    assert refused.value.code == "too_large"


def test_page_limit_counts_image_frames_too(settings):
    settings.DOCUMENTS_MAX_PAGES = 2
    with pytest.raises(files.FileRefusedError) as refused:
        files.inspect_file(image_bytes("TIFF", frames=3))
    assert refused.value.code == "too_many_pages"


def test_digital_pdf_text_comes_from_its_text_layer():
    pages = list(files.extract_pages(digital_pdf(), files.PDF, ocr=no_ocr))
    assert [p.is_ocr for p in pages] == [False]
    assert "งบประมาณสะพานไม้ไผ่" in pages[0].text
    assert "ขอเชิญประชุมคณะทำงาน" in pages[0].text


def test_scanned_pdf_pages_go_to_ocr():
    seen = []

    def fake_ocr(image: object) -> str:
        seen.append(image.size)  # type: ignore[attr-defined]
        return "ข้อความจากภาพ"

    pages = list(files.extract_pages(scanned_pdf(), files.PDF, ocr=fake_ocr, dpi=100))
    assert [(p.text, p.is_ocr) for p in pages] == [("ข้อความจากภาพ", True)]
    assert len(seen) == 1


def test_docx_and_xlsx_text():
    docx = list(files.extract_pages(docx_bytes(["ย่อหน้าแรก", "ย่อหน้าที่สอง"]), files.DOCX, ocr=no_ocr))
    xlsx = list(
        files.extract_pages(xlsx_bytes([["รายการ", "จำนวนเงิน"], ["ค่าไม้", 1500]]), files.XLSX, ocr=no_ocr)
    )
    assert docx[0].text == "ย่อหน้าแรก\nย่อหน้าที่สอง"
    assert xlsx[0].text == "งบประมาณ\nรายการ\tจำนวนเงิน\nค่าไม้\t1500"


@pytest.mark.parametrize("kind", ["pdf", "png", "docx"])
def test_thumbnails_are_small_pngs(kind):
    import io

    from PIL import Image

    data, content_type = {
        "pdf": (digital_pdf(), files.PDF),
        "png": (image_bytes("PNG"), files.PNG),
        "docx": (docx_bytes(["สวัสดี"]), files.DOCX),
    }[kind]
    png = files.make_thumbnail(data, content_type, text="สวัสดี")
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        assert image.width <= 240 and image.height <= 340
