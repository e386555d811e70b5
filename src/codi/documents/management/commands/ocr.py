"""``manage.py ocr FILE``: print the text the document pipeline reads in a file (text layer or Thai OCR)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from codi.documents import files
from codi.documents.ocr import OcrFailedError, OcrUnavailableError, ocr_image, ocr_settings


class Command(BaseCommand):
    help = "Print the text recognised in FILE (PDF, PNG, JPEG, TIFF, DOCX, XLSX) as the document pipeline reads it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--force-ocr", action="store_true", help="OCR every page, even where a PDF has text"
        )
        parser.add_argument(
            "--languages", default="", help="Tesseract languages (default: DOCUMENTS_OCR_LANGUAGES)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        try:
            info = files.inspect_file(data)
        except files.FileRefusedError as exc:
            raise CommandError(exc.message) from exc
        languages = options["languages"] or None

        def ocr(image: Any) -> str:
            return ocr_image(image, languages=languages)

        try:
            pages = list(
                files.extract_pages(
                    data, info.content_type, ocr=ocr, dpi=ocr_settings().dpi, force_ocr=options["force_ocr"]
                )
            )
        except (OcrUnavailableError, OcrFailedError) as exc:
            raise CommandError(str(exc)) from exc
        for page in pages:
            if len(pages) > 1:
                source = "OCR" if page.is_ocr else "text layer"
                self.stdout.write(f"--- page {page.number} ({source}) ---")
            self.stdout.write(page.text)
