"""The processing pipeline, versions, OCR accuracy on the committed scans, and ``manage.py ocr``."""

from __future__ import annotations

import importlib.util
import io
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from codi.core.models import AuditEntry
from codi.documents import files, services
from codi.documents.models import DocumentVersion, Status
from codi.documents.ocr import character_error_rate, normalise_ocr_text, ocr_image
from codi.search.models import Chunk
from codi.search.query import Access
from codi.search.query import search as search_index
from tests.documents.conftest import DATA, digital_pdf, docx_bytes, scanned_pdf, staff

ROOT = Path(__file__).resolve().parents[2]


def _letters() -> list[str]:
    spec = importlib.util.spec_from_file_location("make_ocr_samples", ROOT / "scripts/make_ocr_samples.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_ocr_samples", module)
    spec.loader.exec_module(module)
    return module.letters()


def test_ocr_reaches_95_percent_character_accuracy_on_the_committed_scans():
    from PIL import Image

    letters = _letters()
    scans = sorted(DATA.glob("scan_*.jpg"))
    assert len(scans) == len(letters) == 4
    assert sum(p.stat().st_size for p in scans) < 1_000_000
    accuracies = []
    for scan, letter in zip(scans, letters, strict=True):
        with Image.open(scan) as image:
            accuracies.append(1 - character_error_rate(letter, ocr_image(image)))
    assert min(accuracies) >= 0.95, accuracies


def test_ocr_normalising_removes_spaces_between_thai_letters_only():
    assert (
        normalise_ocr_text("ก า ร ป ระ ชุม  Meeting  at 09.30\n\n\n\nจบ") == "การประชุม Meeting at 09.30\n\nจบ"
    )


def test_character_error_rate_ignores_spaces():
    assert character_error_rate("การ ประชุม", "การประชุม") == 0.0
    assert character_error_rate("abcd", "abxd") == 0.25
    assert character_error_rate("", "") == 0.0


def test_pdf_text_layer_repair():
    # WeasyPrint's glyph-to-text map, SARA AM first: real SARA AA reads as SARA AM, real SARA AM as U+02F8 + SARA AM.
    assert files.repair_thai_text_layer("ท\u02f8ำงำน") == "ทำงาน"
    assert files.repair_thai_text_layer("งาน ท\u02f8า") == "งาน ทำ"


def test_digital_pdf_goes_through_every_step_to_indexed(make_document):
    version = make_document(title="หนังสือเชิญประชุม", process=False)
    assert version.status == Status.QUEUED

    version = services.version_process(version_id=version.pk)

    assert version.status == Status.INDEXED
    assert version.ocr_pages == 0
    assert "งบประมาณสะพานไม้ไผ่" in version.text
    assert version.thumbnail.name.endswith(".png")
    chunk = Chunk.objects.get(source="documents.document", object_id=str(version.document_id))
    assert (chunk.classification, chunk.area_code, chunk.title) == ("internal", "400104", "หนังสือเชิญประชุม")
    assert (
        AuditEntry.objects.filter(action="documents.version.process", object_id=str(version.pk)).count() == 1
    )
    # Running it again changes nothing (tasks may run twice).
    assert services.version_process(version_id=version.pk).processed_at == version.processed_at


def test_scanned_pdf_is_read_by_ocr(make_document):
    version = make_document(data=scanned_pdf(), filename="scan.pdf")

    assert version.status == Status.INDEXED
    assert version.ocr_pages == 1
    assert "เบิกจ่ายงบประมาณ" in version.text
    hits = search_index("ใบเสร็จรับเงิน", access=Access.everything()).hits
    assert [h.object_id for h in hits] == [str(version.document_id)]


def test_a_new_upload_is_the_next_version_and_old_ones_stay(make_document):
    first = make_document()
    actor = first.uploaded_by

    second = services.document_version_add(
        actor=actor,
        document_id=first.document_id,
        data=docx_bytes(["ฉบับแก้ไขเรื่องฝายชะลอน้ำ"]),
        filename="v2.docx",
    )
    assert second.number == 2
    # Until version 2 is processed, search still finds version 1's text.
    assert search_index("สะพาน", access=Access.everything()).total == 1
    services.version_process(version_id=second.pk)

    assert list(
        DocumentVersion.objects.filter(document_id=first.document_id).values_list("number", "status")
    ) == [
        (2, Status.INDEXED),
        (1, Status.INDEXED),
    ]
    assert search_index("สะพาน", access=Access.everything()).total == 0
    assert search_index("ฝายชะลอน้ำ", access=Access.everything()).total == 1


def test_failure_leaves_a_reason_and_nothing_half_processed(make_document, settings):
    # Given a version whose stored file was changed after upload
    version = make_document(process=False)
    with version.file.open("wb") as handle:
        handle.write(b"%PDF-1.7 tampered")

    version = services.version_process(version_id=version.pk)

    assert version.status == Status.FAILED
    assert "ไฟล์ถูกแก้ไขหลังอัปโหลด" in version.status_reason
    assert (version.text, version.thumbnail.name, version.ocr_pages) == ("", "", 0)
    assert not Chunk.objects.filter(source="documents.document").exists()


def test_missing_tesseract_fails_with_a_clear_reason(make_document, monkeypatch):
    from codi.documents import ocr

    monkeypatch.setattr(ocr, "tesseract_path", lambda: None)
    version = make_document(data=scanned_pdf(), filename="scan.pdf")

    assert version.status == Status.FAILED
    assert "OCR unavailable" in version.status_reason
    assert not Chunk.objects.exists()
    # And once Tesseract is back, a retry makes it searchable.
    monkeypatch.undo()
    services.version_retry(actor=version.uploaded_by, version_id=version.pk)
    assert services.version_process(version_id=version.pk).status == Status.INDEXED


def test_refused_upload_stores_nothing(db):
    actor = staff("project_officer")
    with pytest.raises(files.FileRefusedError):
        services.document_create(
            actor=actor,
            fields=services.DocumentFields(title="x", area_code="400104"),
            data=b"not a pdf",
            filename="x.pdf",
        )
    assert not DocumentVersion.objects.exists()


def test_upload_is_processed_after_commit_by_the_task(db, settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    actor = staff("project_officer")
    with django_capture_on_commit_callbacks(execute=True):
        version = services.document_create(
            actor=actor,
            fields=services.DocumentFields(title="สัญญา", area_code="400104"),
            data=digital_pdf(),
            filename="a.pdf",
        )
    version.refresh_from_db()
    assert version.status == Status.INDEXED


def test_ocr_command_prints_the_text():
    out = io.StringIO()
    call_command("ocr", str(DATA / "scan_3.jpg"), stdout=out)
    assert "อนุมัติโครงการ" in out.getvalue()


def test_ocr_command_refuses_a_bad_file(tmp_path):
    path = tmp_path / "fake.pdf"
    path.write_bytes(b"not a pdf")
    with pytest.raises(CommandError, match="ไม่รับไฟล์ประเภทนี้"):
        call_command("ocr", str(path))
