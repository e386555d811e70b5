"""Plain text out of an uploaded regulation: UTF-8 text, a digital PDF, or a Word (.docx) file.

The file's kind is decided by its first bytes, not its name. A PDF without a text layer
(a scan) is read with the documents module's OCR (Tesseract tha+eng) when it is installed
and the scan is short enough to read while the person waits; otherwise that is said
plainly instead of importing an empty regulation.
"""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree as ET

from codi.documents import ocr
from codi.documents.files import PDF, extract_pages

MAX_BYTES = 20 * 1024 * 1024
MAX_PAGES = 300
OCR_MAX_PAGES = 20  # read while the uploader waits (a few seconds a page on two cores)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class ExtractError(ValueError):
    """Text could not be read; the message is Thai / English and says what to do."""


def kind_of(data: bytes) -> str:
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    return "text"


def pdf_text(data: bytes) -> str:
    # heavy: pdfium is loaded only when a PDF is read
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise ExtractError("ไฟล์ PDF เสียหายหรือมีรหัสผ่าน / The PDF is damaged or password-protected") from exc
    try:
        if len(document) > MAX_PAGES:
            raise ExtractError(f"PDF ยาวเกิน {MAX_PAGES} หน้า / The PDF has more than {MAX_PAGES} pages")
        pages = []
        for index in range(len(document)):
            page = document[index]
            text_page = page.get_textpage()
            pages.append(text_page.get_text_range())
            text_page.close()
            page.close()
    finally:
        document.close()
    return "\n".join(pages)


def pdf_ocr_text(data: bytes) -> str:
    """OCR of a scanned PDF through the documents pipeline's page reader; "" when OCR is unavailable."""

    if ocr.tesseract_path() is None:
        return ""
    try:
        return "\n".join(page.text for page in extract_pages(data, PDF, ocr=ocr.ocr_image))
    except (ocr.OcrUnavailableError, ocr.OcrFailedError):
        return ""


def _page_count(data: bytes) -> int:
    # heavy: pdfium is loaded only when a PDF is read
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()


def docx_text(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read("word/document.xml")
    except (zipfile.BadZipFile, KeyError) as exc:
        raise ExtractError("ไฟล์ Word (.docx) อ่านไม่ได้ / The Word (.docx) file cannot be read") from exc
    root = ET.fromstring(xml)  # noqa: S314 - a document's own XML; expat does not fetch external entities
    paragraphs = []
    for paragraph in root.iter(f"{_W}p"):
        paragraphs.append("".join(node.text or "" for node in paragraph.iter(f"{_W}t")))
    return "\n".join(paragraphs)


def extract_text(data: bytes) -> str:
    """The text of an uploaded file; raises ExtractError with a clear message when there is none."""
    if not data:
        raise ExtractError("ไฟล์ว่างเปล่า / The file is empty")
    if len(data) > MAX_BYTES:
        raise ExtractError("ไฟล์ใหญ่เกิน 20 MB / The file is larger than 20 MB")
    kind = kind_of(data)
    if kind == "pdf":
        text = pdf_text(data)
        if not text.strip() and _page_count(data) <= OCR_MAX_PAGES:
            text = pdf_ocr_text(data)
    elif kind == "docx":
        text = docx_text(data)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ExtractError(
                "รับเฉพาะไฟล์ PDF, Word (.docx) หรือข้อความ UTF-8 / Only PDF, Word (.docx) or UTF-8 text files"
            ) from exc
    if not text.strip():
        raise ExtractError(
            "ไม่พบข้อความในไฟล์ แม้อ่านด้วย OCR แล้ว (หรือสแกนยาวเกิน 20 หน้า) กรุณาอัปโหลดไฟล์ที่มีข้อความ "
            "หรือส่งผ่านระบบเอกสาร / No text was found in the file, even with OCR (or the scan has more "
            "than 20 pages); upload a file with text, or send it through the documents pipeline"
        )
    return text
