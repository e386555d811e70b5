"""Every uploaded file, one way: recognised by its bytes, stored under a name we make, served as a download.

``inspect_file`` tells what a file is from its magic bytes and structure (PDF, PNG, JPEG, TIFF,
GIF, WebP, HEIC, DOCX, XLSX) and refuses, with a Thai and an English reason, a type the caller
does not take, an encrypted or damaged file, one over the size, page or pixel limit, and
archives or images built to explode when opened. The client's file name and extension are never
trusted: ``StoredFiles`` saves under a random name whose extension comes from the detected type
and deletes what it saved when the surrounding block fails, and ``download_response`` answers
with ``Content-Disposition: attachment``, ``nosniff`` and the detected type. Heavy libraries
(pypdfium2, Pillow, openpyxl) load inside the functions.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
TIFF = "image/tiff"
GIF = "image/gif"
WEBP = "image/webp"
HEIC = "image/heic"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMAGES = frozenset({PNG, JPEG, TIFF, GIF, WEBP, HEIC})
# What documents and letter attachments take; photos and receipts take their own subsets.
OFFICE_AND_SCANS = frozenset({PDF, PNG, JPEG, TIFF, DOCX, XLSX})
EXTENSIONS = {
    PDF: "pdf",
    PNG: "png",
    JPEG: "jpg",
    TIFF: "tif",
    GIF: "gif",
    WEBP: "webp",
    HEIC: "heic",
    DOCX: "docx",
    XLSX: "xlsx",
}
TYPE_BY_EXTENSION = {extension: content_type for content_type, extension in EXTENSIONS.items()}
LABELS = {
    PDF: "PDF",
    PNG: "PNG",
    JPEG: "JPEG",
    TIFF: "TIFF",
    GIF: "GIF",
    WEBP: "WebP",
    HEIC: "HEIC",
    DOCX: "DOCX",
    XLSX: "XLSX",
}

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_PAGES = 200
DEFAULT_MAX_PIXELS = 80_000_000  # per page image: an A3 scan at 600 dpi is ~70 million
MAX_UNZIPPED_RATIO = 100  # an Office file whose parts unpack to more than 100× its size is a zip bomb


class FileRefusedError(ValueError):
    """An upload we do not take, with the reason in Thai and English."""

    def __init__(self, code: str, message_th: str, message_en: str) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_th = message_th
        self.message_en = message_en

    @property
    def message(self) -> str:
        return f"{self.message_th} ({self.message_en})"


@dataclass(frozen=True)
class FileInfo:
    content_type: str
    page_count: int
    size: int

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


def unsupported_type_error(accept: frozenset[str] = OFFICE_AND_SCANS) -> FileRefusedError:
    names = [LABELS[t] for t in LABELS if t in accept]
    listed = ", ".join(names[:-1]) + f" และ {names[-1]}" if len(names) > 1 else names[0]
    listed_en = ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else names[0]
    return FileRefusedError(
        "unsupported_type",
        f"ไม่รับไฟล์ประเภทนี้ รับเฉพาะ {listed} (ตรวจจากเนื้อไฟล์ ไม่ใช่นามสกุล)",
        f"This file type is not accepted: only {listed_en} (judged by the file's content, not its name)",
    )


def _corrupt(kind: str) -> FileRefusedError:
    return FileRefusedError(
        "corrupt", f"ไฟล์ {kind} เสียหายหรืออ่านไม่ได้", f"The {kind} file is damaged or cannot be read"
    )


def _encrypted(kind: str) -> FileRefusedError:
    return FileRefusedError(
        "encrypted",
        f"ไฟล์ {kind} ถูกเข้ารหัสหรือตั้งรหัสผ่านไว้ กรุณาปลดรหัสผ่านก่อนอัปโหลด",
        f"The {kind} file is encrypted or password-protected: remove the password before uploading",
    )


def _too_many_pages(pages: int, limit: int) -> FileRefusedError:
    return FileRefusedError(
        "too_many_pages",
        f"ไฟล์มี {pages:,} หน้า เกินจำนวนที่รับได้ ({limit:,} หน้า) กรุณาแบ่งเป็นหลายไฟล์",
        f"The file has {pages:,} pages, more than the {limit:,} accepted: split it into several files",
    )


def sniff(head: bytes) -> str | None:
    """The content type the first bytes announce (Office files need a look inside the zip)."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return TIFF
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftyphevc"):
        return HEIC
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    return None


def inspect_file(
    data: bytes,
    *,
    accept: frozenset[str] = OFFICE_AND_SCANS,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pages: int = DEFAULT_MAX_PAGES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> FileInfo:
    """Recognise and check an upload; raise :class:`FileRefusedError` with the reason."""
    size = len(data)
    if size == 0:
        raise FileRefusedError("empty", "ไฟล์ว่างเปล่า", "The file is empty")
    if size > max_bytes:
        raise FileRefusedError(
            "too_large",
            f"ไฟล์ใหญ่ {size / 1048576:.1f} MB เกินขนาดที่รับได้ ({max_bytes / 1048576:.0f} MB)",
            f"The file is {size / 1048576:.1f} MB, larger than the {max_bytes / 1048576:.0f} MB accepted",
        )
    kind = sniff(data[:16])
    if kind == "zip" and (accept & {DOCX, XLSX}):
        kind, pages = _office(data, size, accept)
    elif kind == "ole" and (accept & {DOCX, XLSX}):
        # Encrypted DOCX/XLSX are stored in an OLE container; so are the old .doc/.xls formats.
        raise FileRefusedError(
            "encrypted",
            "ไฟล์ Office นี้ถูกเข้ารหัสหรือเป็นรูปแบบเก่า (.doc/.xls) กรุณาปลดรหัสผ่านหรือบันทึกเป็น DOCX/XLSX",
            "This Office file is encrypted or in the old .doc/.xls format: remove the password or "
            "save it as DOCX/XLSX",
        )
    elif kind not in accept:
        raise unsupported_type_error(accept)
    elif kind == PDF:
        pages = _pdf_pages(data)
    elif kind == HEIC:
        pages = 1  # Pillow cannot open HEIC without a plug-in; the brand in the header is all we check
    else:
        assert kind is not None
        pages = _image_pages(data, kind, max_pixels, max_pages)
    if pages > max_pages:
        raise _too_many_pages(pages, max_pages)
    return FileInfo(content_type=kind, page_count=pages, size=size)


def _pdf_pages(data: bytes) -> int:
    import pypdfium2 as pdfium  # heavy: pdfium is loaded only when a PDF is checked

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise _encrypted("PDF") from exc
        raise _corrupt("PDF") from exc
    try:
        pages = len(pdf)
        if pages == 0:
            raise _corrupt("PDF")
        return pages
    finally:
        pdf.close()


def _image_pages(data: bytes, kind: str, max_pixels: int, max_pages: int) -> int:
    from PIL import Image, UnidentifiedImageError  # heavy: Pillow is loaded only when an image is checked

    label = LABELS[kind]
    # Pillow would load a cut-off image when another library (WeasyPrint does) has set
    # ImageFile.LOAD_TRUNCATED_IMAGES for the whole process: check the end marker ourselves.
    if (kind == PNG and b"IEND" not in data[-64:]) or (kind == JPEG and b"\xff\xd9" not in data[-1024:]):
        raise _corrupt(label)
    try:
        with Image.open(io.BytesIO(data)) as image:
            frames = int(getattr(image, "n_frames", 1))
            if frames > max_pages:
                raise _too_many_pages(frames, max_pages)
            for frame in range(frames):
                image.seek(frame)
                if image.width * image.height > max_pixels:
                    raise FileRefusedError(
                        "too_many_pixels",
                        f"ภาพมีขนาด {image.width}×{image.height} จุด ใหญ่เกินกว่าที่รับได้",
                        f"The image is {image.width}×{image.height} pixels, larger than accepted",
                    )
                image.load()
    except FileRefusedError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
        Image.DecompressionBombError,
    ) as exc:
        raise _corrupt(label) from exc
    return frames


def _office(data: bytes, size: int, accept: frozenset[str]) -> tuple[str, int]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
            if "EncryptedPackage" in names:
                raise _encrypted("Office")
            if "word/document.xml" in names and DOCX in accept:
                kind, label = DOCX, "DOCX"
            elif "xl/workbook.xml" in names and XLSX in accept:
                kind, label = XLSX, "XLSX"
            else:
                raise unsupported_type_error(accept)
            if unpacked > max(size, 1) * MAX_UNZIPPED_RATIO:
                raise _corrupt(label)
            if archive.testzip() is not None:
                raise _corrupt(label)
    except zipfile.BadZipFile as exc:
        raise _corrupt("ZIP/Office") from exc
    return kind, (_xlsx_sheets(data) if kind == XLSX else 1)


def _xlsx_sheets(data: bytes) -> int:
    from openpyxl import load_workbook  # heavy: openpyxl is loaded only when a workbook is checked

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise _corrupt("XLSX") from exc
    try:
        return len(workbook.sheetnames)
    finally:
        workbook.close()


# --- storing ------------------------------------------------------------------------------------


def generated_name(content_type: str) -> str:
    """A random file name with the extension of the detected type (never the client's)."""
    return f"{uuid.uuid4().hex}.{EXTENSIONS[content_type]}"


@dataclass
class StoredFiles:
    """The files one write saved, so that they can be removed again if the write fails."""

    saved: list[tuple[Any, str]] = field(default_factory=list)

    def save(self, field_file: FieldFile, data: bytes, *, content_type: str) -> str:
        """Write ``data`` to the field under a generated name; return the stored name."""
        field_file.save(generated_name(content_type), ContentFile(data), save=False)
        name = str(field_file.name)
        self.saved.append((field_file.storage, name))
        return name

    def remove_all(self) -> None:
        for storage, name in self.saved:
            storage.delete(name)
        self.saved.clear()


@contextmanager
def stored_files() -> Iterator[StoredFiles]:
    """Files saved inside the block are deleted when the block raises (its transaction rolled back).

    Use it around the ``transaction.atomic()`` block of a write that saves files::

        with uploads.stored_files() as files, transaction.atomic():
            files.save(row.file, data, content_type=info.content_type)
    """
    files = StoredFiles()
    try:
        yield files
    except BaseException:
        files.remove_all()
        raise


# --- serving ------------------------------------------------------------------------------------


def download_name(display_name: str, content_type: str, *, fallback: str = "file") -> str:
    """The name a download is saved under: the display name's stem with the detected type's extension."""
    stem = PurePosixPath(display_name.replace("\\", "/")).name.rsplit(".", 1)[0].strip() or fallback
    return f"{stem}.{EXTENSIONS.get(content_type, 'bin')}"


def content_type_of(name: str | None) -> str:
    """The type a stored (generated) name stands for; application/octet-stream when unknown."""
    return TYPE_BY_EXTENSION.get((name or "").rsplit(".", 1)[-1].lower(), "application/octet-stream")


def download_response(field_file: FieldFile, *, content_type: str, display_name: str) -> FileResponse:
    """A stored file as a download: attachment, our own content type, never sniffed by the browser.

    The caller has checked that the person may see the object the file belongs to.
    """
    response = FileResponse(
        field_file.open("rb"),
        as_attachment=True,
        filename=download_name(display_name, content_type),
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
