"""What an uploaded file is (from its bytes, never its name), whether we take it, and what text it holds.

``inspect_file`` (the shared check in ``codi.core.uploads``, with the documents limits) runs at upload time and again as the pipeline's first step:
it recognises PDF, PNG, JPEG, TIFF, DOCX and XLSX by their magic bytes and
structure, and refuses — with a Thai and an English message — a file of
another type, an encrypted or corrupt one, one over the size or page limit,
and archives or images built to explode when opened. ``extract_pages`` gives
each page's text (the PDF's own text layer, or OCR where a page has none) and
``make_thumbnail`` a small PNG of the first page. Heavy libraries (pypdfium2,
Pillow, openpyxl) load inside the functions.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree  # expat ≥ 2.4 refuses entity-expansion attacks

from django.conf import settings

from codi.core import uploads
from codi.core.uploads import (  # noqa: F401 (re-exported for the document pipeline and its tests)
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_PAGES,
    DEFAULT_MAX_PIXELS,
    DOCX,
    EXTENSIONS,
    JPEG,
    OFFICE_AND_SCANS,
    PDF,
    PNG,
    TIFF,
    XLSX,
    FileInfo,
    FileRefusedError,
    sniff,
    unsupported_type_error,
)

# What a file is and whether we take it is decided once for every upload, in codi.core.uploads;
# the names stay importable from here for the document pipeline.
IMAGES = frozenset({PNG, JPEG, TIFF})  # the image types a document may be (OCR reads them)
MIN_TEXT_CHARS = 20  # a PDF page with fewer characters of text than this is a scan: OCR it
MIN_NATIVE_DPI, MAX_NATIVE_DPI = 150, 600  # a page-sized scan in this range is read as it is
THUMB_SIZE = (240, 340)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Fonts such as Sarabun draw SARA AM as NIKHAHIT + SARA AA glyphs; a PDF's text layer then gives the
# nikhahit as U+0E4D or as a look-alike (U+02F8 from WeasyPrint's subsets). Both mean SARA AM.
_SARA_AM = re.compile("[\u0e4d\u02f8]\u0e32")
# WeasyPrint maps each glyph to the text of its first use: when SARA AM came first, every SARA AA
# glyph reads as SARA AM and the real ones as U+02F8 + SARA AM.
_SARA_AM_FIRST = "\u02f8\u0e33"


def repair_thai_text_layer(text: str) -> str:
    """Undo the two known ways a PDF text layer garbles SARA AM (see above)."""
    text = unicodedata.normalize("NFC", text)
    if _SARA_AM_FIRST in text:
        parts = text.split(_SARA_AM_FIRST)
        text = "\u0e33".join(part.replace("\u0e33", "\u0e32") for part in parts)
    return _SARA_AM.sub("\u0e33", text)


def limits() -> tuple[int, int, int]:
    return (
        int(getattr(settings, "DOCUMENTS_MAX_BYTES", DEFAULT_MAX_BYTES)),
        int(getattr(settings, "DOCUMENTS_MAX_PAGES", DEFAULT_MAX_PAGES)),
        int(getattr(settings, "DOCUMENTS_MAX_PIXELS", DEFAULT_MAX_PIXELS)),
    )


def inspect_file(data: bytes) -> FileInfo:
    """Recognise and check a document upload (PDF, PNG, JPEG, TIFF, DOCX, XLSX) within the limits."""
    max_bytes, max_pages, max_pixels = limits()
    return uploads.inspect_file(
        data, accept=OFFICE_AND_SCANS, max_bytes=max_bytes, max_pages=max_pages, max_pixels=max_pixels
    )


# --- text ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageText:
    number: int
    text: str
    is_ocr: bool


OcrFunction = Callable[[Any], str]


def extract_pages(
    data: bytes, content_type: str, *, ocr: OcrFunction, dpi: int = 300, force_ocr: bool = False
) -> Iterator[PageText]:
    """Each page's text: the PDF text layer where it has one, else OCR of the rendered page or image."""
    if content_type == PDF:
        yield from _pdf_text(data, ocr=ocr, dpi=dpi, force_ocr=force_ocr)
    elif content_type in IMAGES:
        from PIL import Image  # heavy: Pillow, only for images

        with Image.open(io.BytesIO(data)) as image:
            for frame in range(int(getattr(image, "n_frames", 1))):
                image.seek(frame)
                yield PageText(frame + 1, ocr(image.copy()), True)
    elif content_type == DOCX:
        yield PageText(1, _docx_text(data), False)
    elif content_type == XLSX:
        yield from _xlsx_text(data)
    else:
        raise unsupported_type_error()


def _pdf_text(data: bytes, *, ocr: OcrFunction, dpi: int, force_ocr: bool) -> Iterator[PageText]:
    import pypdfium2 as pdfium  # heavy: PDFium, only for PDFs

    pdf = pdfium.PdfDocument(data)
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            text = textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n")
            text = repair_thai_text_layer(text)
            textpage.close()
            if not force_ocr and len("".join(text.split())) >= MIN_TEXT_CHARS:
                yield PageText(index + 1, text.strip(), False)
            else:
                yield PageText(index + 1, ocr(page_ocr_image(page, dpi)), True)
            page.close()
    finally:
        pdf.close()


def page_ocr_image(page: Any, dpi: int) -> Any:
    """What to OCR of a page without text: the scan itself when the page is one image, else a rendering.

    A scanner's PDF page is one image; OCR reads it best at its own resolution (rendering it again
    at another one resamples it: 0.84–0.94 character accuracy instead of 0.99 on the test scans).
    """
    import pypdfium2 as pdfium  # heavy: PDFium, only for PDFs
    import pypdfium2.raw as raw  # heavy: PDFium, only for PDFs

    images = list(page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=1))
    if len(images) == 1 and page.get_rotation() == 0:
        left, bottom, right, top = images[0].get_bounds()
        covered = (right - left) * (top - bottom) / max(page.get_width() * page.get_height(), 1)
        width_px, _height_px = images[0].get_px_size()
        native_dpi = width_px / max((right - left) / 72, 1e-6)
        if covered >= 0.8 and MIN_NATIVE_DPI <= native_dpi <= MAX_NATIVE_DPI:
            try:
                return images[0].get_bitmap(render=False).to_pil()
            except pdfium.PdfiumError:
                pass  # an image format pdfium cannot decode alone: render the page instead
    return page.render(scale=dpi / 72, grayscale=True).to_pil()


def _docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = ElementTree.fromstring(archive.read("word/document.xml"))  # noqa: S314  (see the import)
    paragraphs = []
    for paragraph in root.iter(f"{W}p"):
        pieces = []
        for node in paragraph.iter():
            if node.tag == f"{W}t" and node.text:
                pieces.append(node.text)
            elif node.tag == f"{W}tab":
                pieces.append("\t")
            elif node.tag in {f"{W}br", f"{W}cr"}:
                pieces.append("\n")
        paragraphs.append("".join(pieces))
    return "\n".join(p for p in paragraphs if p.strip())


def _xlsx_text(data: bytes) -> Iterator[PageText]:
    from openpyxl import load_workbook  # heavy: openpyxl, only for spreadsheets

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for number, sheet in enumerate(workbook.worksheets, start=1):
            lines = [sheet.title]
            for row in sheet.iter_rows(values_only=True):
                cells = ["" if value is None else str(value) for value in row]
                if any(cells):
                    lines.append("\t".join(cells).rstrip("\t"))
            yield PageText(number, "\n".join(lines), False)
    finally:
        workbook.close()


# --- thumbnail ----------------------------------------------------------------------------------


def make_thumbnail(data: bytes, content_type: str, *, text: str = "") -> bytes:
    """A PNG of at most 240×340 pixels: the first page, or the first lines of text for Office files."""
    from PIL import Image, ImageDraw, ImageFont  # heavy: Pillow, only for thumbnails

    if content_type == PDF:
        import pypdfium2 as pdfium  # heavy: PDFium, only for PDFs

        pdf = pdfium.PdfDocument(data)
        try:
            page = pdf[0]
            scale = min(THUMB_SIZE[0] / page.get_width(), THUMB_SIZE[1] / page.get_height())
            image = page.render(scale=scale).to_pil()
            page.close()
        finally:
            pdf.close()
    elif content_type in IMAGES:
        with Image.open(io.BytesIO(data)) as source:
            image = source.convert("RGB")
    else:
        from django.contrib.staticfiles import finders  # app registry: staticfiles finders need settings

        image = Image.new("RGB", THUMB_SIZE, "white")
        draw = ImageDraw.Draw(image)
        font_path = finders.find("codi/fonts/Sarabun-Regular.ttf")  # the shipped Sarabun
        font = ImageFont.truetype(str(font_path), 13) if font_path else ImageFont.load_default()
        for row, line in enumerate(text.splitlines()[:18]):
            draw.text((10, 10 + row * 18), line[:40], font=font, fill="#333333")
        draw.rectangle((0, 0, THUMB_SIZE[0] - 1, THUMB_SIZE[1] - 1), outline="#999999")
    image.thumbnail(THUMB_SIZE)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
