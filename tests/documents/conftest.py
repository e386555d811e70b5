"""Sample files built in memory (no network), media in a temporary folder, and document factories."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from codi.documents import services
from codi.documents.models import Document, DocumentVersion
from codi.identity.models import RoleAssignment, User
from tests.factories import UserFactory

DATA = Path(__file__).parent / "data"
THAI_LETTER = "เรื่อง ขอเชิญประชุมคณะทำงานโครงการบ้านมั่นคงชนบท เรียน ผู้อำนวยการสำนักงานภาค"


@cache
def digital_pdf() -> bytes:
    """A PDF with a real Thai text layer (WeasyPrint with the shipped Sarabun)."""
    from codi.core.pdf import font_faces_css, html_to_pdf

    style = f"<style>{font_faces_css()} body {{ font-family: Sarabun }}</style>"
    return html_to_pdf(
        f"<html><head>{style}</head><body><p>{THAI_LETTER}</p><p>งบประมาณสะพานไม้ไผ่</p></body></html>"
    )


@cache
def scanned_pdf() -> bytes:
    """An image-only PDF of a committed degraded scan (no text layer: OCR needed)."""
    from PIL import Image

    buffer = io.BytesIO()
    with Image.open(DATA / "scan_2.jpg") as image:
        image.convert("RGB").save(buffer, format="PDF", resolution=200)
    return buffer.getvalue()


@cache
def blank_pdf(pages: int) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@cache
def encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(digital_pdf())))
    writer.encrypt(user_password="secret-pw", owner_password="owner-pw", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def image_bytes(fmt: str, *, frames: int = 1) -> bytes:
    from PIL import Image

    images = [Image.new("L", (200, 100), 255) for _ in range(frames)]
    buffer = io.BytesIO()
    if frames > 1:
        images[0].save(buffer, format=fmt, save_all=True, append_images=images[1:])
    else:
        images[0].save(buffer, format=fmt)
    return buffer.getvalue()


def docx_bytes(paragraphs: list[str]) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "งบประมาณ"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def staff(role: str, level: str = "country", code: str = "") -> User:
    user = UserFactory()
    RoleAssignment.objects.create(user=user, role=role, scope_level=level, scope_code=code)
    return user


MakeDocument = Callable[..., DocumentVersion]


@pytest.fixture
def make_document(db) -> MakeDocument:
    """Create a document (and process its first version now, unless ``process=False``)."""

    def make(
        *,
        actor: User | None = None,
        title: str = "บันทึกข้อความทดสอบ",
        classification: str = "internal",
        area_code: str = "400104",
        data: bytes | None = None,
        filename: str = "letter.pdf",
        process: bool = True,
        **fields: object,
    ) -> DocumentVersion:
        actor = actor or staff("project_officer")
        version = services.document_create(
            actor=actor,
            fields=services.DocumentFields(
                title=title,
                classification=classification,
                area_code=area_code,
                **fields,  # type: ignore[arg-type]
            ),
            data=data if data is not None else digital_pdf(),
            filename=filename,
        )
        if process:
            version = services.version_process(version_id=version.pk)
        return version

    return make


def document_of(version: DocumentVersion) -> Document:
    return Document.objects.get(pk=version.document_id)
