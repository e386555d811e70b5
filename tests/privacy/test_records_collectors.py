"""Documents and correspondence answer data-subject requests through their own collectors.

A document whose words hold the person's national ID and a letter addressed to the person by
name are found by ``dsr_export`` and kept by ``dsr_erase`` under the official-record rule (they
are CODI's records); a document about someone else is not touched.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import call_command

from codi.core import personaldata
from codi.correspondence.models import Letter, LetterKind
from codi.documents.models import Document, DocumentVersion
from codi.identity.models import OrgUnit
from codi.privacy.models import DataSubjectRequest, RequestKind
from tests.privacy.conftest import FIRST_NAME, LAST_NAME, NATIONAL_ID
from tests.privacy.test_dsr import NEEDLES, scan_database

pytestmark = pytest.mark.django_db


def _document(officer, title: str, text: str) -> Document:
    document = Document.objects.create(title=title, created_by=officer)
    body = text.encode()
    DocumentVersion.objects.create(
        document=document,
        number=1,
        file=ContentFile(body, name="minutes.txt"),
        original_name="minutes.txt",
        content_type="text/plain",
        size=len(body),
        sha256=hashlib.sha256(body).hexdigest(),
        text=text,
        uploaded_by=officer,
        status="ready",
    )
    return document


@pytest.fixture
def records(seeded, officer):
    unit = OrgUnit.objects.create(code="REG-TEST", name_th="ภาคทดสอบ")
    letter = Letter.objects.create(
        org_unit=unit,
        kind=LetterKind.OUTGOING,
        year=2569,
        register_number=1,
        letter_date=date(2026, 11, 2),
        recipient=f"นาง{FIRST_NAME} {LAST_NAME}",
        subject="แจ้งผลการพิจารณาโครงการ",
        registered_by=officer,
    )
    about = _document(officer, "บันทึกการประชุม", f"ผู้เข้าร่วม เลขประจำตัวประชาชน {NATIONAL_ID} ลงชื่อแล้ว")
    other = _document(officer, "บันทึกอื่น", "ผู้เข้าร่วม นายสมชาย ไม่เกี่ยวข้อง 0899999999")
    return letter, about, other


def test_documents_and_letters_are_exported_and_kept_under_the_official_record_rule(records, tmp_path):
    letter, about, other = records
    assert {"documents", "correspondence"} <= {c.name for c in personaldata.registered()}

    output = tmp_path / "export.json"
    call_command("dsr_export", "--national-id", NATIONAL_ID, "--output", str(output))
    export = json.loads(output.read_text(encoding="utf-8"))

    assert [d["id"] for d in export["sources"]["documents"]["documents.Document"]] == [about.pk]
    assert [row["id"] for row in export["sources"]["correspondence"]["correspondence.Letter"]] == [letter.pk]

    call_command("dsr_erase", "--national-id", NATIONAL_ID)

    erase = DataSubjectRequest.objects.get(kind=RequestKind.ERASURE)
    by_dataset = {(o["dataset"], o["record"]): o for o in erase.result["outcomes"]}
    assert by_dataset[("documents.Document", str(about.pk))]["action"] == "keep"
    assert by_dataset[("documents.Document", str(about.pk))]["rule"] == personaldata.RULE_OFFICIAL_RECORD
    assert by_dataset[("correspondence.Letter", str(letter.pk))]["rule"] == personaldata.RULE_OFFICIAL_RECORD
    assert by_dataset[("correspondence.Letter", str(letter.pk))]["fields"] == ["recipient"]
    assert ("documents.Document", str(other.pk)) not in by_dataset
    assert personaldata.RULE_OFFICIAL_RECORD in erase.result["rules"]
    # What is left of the person lies only in records a named rule keeps (the document's text
    # lives in its version row: kept with its document).
    kept = {
        (apps.get_model(o["dataset"])._meta.db_table, o["record"])
        for o in erase.result["outcomes"]
        if o["action"] == "keep"
    }
    kept |= {("documents_documentversion", str(v.pk)) for v in about.versions.all()}
    hits = scan_database(NEEDLES)
    assert hits <= kept, sorted(hits - kept)
    letter.refresh_from_db()
    assert FIRST_NAME in letter.recipient


def test_a_first_name_alone_does_not_make_a_document_the_persons(seeded, officer):
    only_first = _document(officer, "ทะเบียนผู้เข้าร่วม", f"ผู้เข้าร่วม {FIRST_NAME} คนอื่นที่ชื่อเหมือนกัน")
    full = _document(officer, "หนังสือรับรอง", f"รับรองว่า {FIRST_NAME} {LAST_NAME} เป็นสมาชิก")

    found = personaldata.collector("documents").collect(personaldata.Subject.of(seeded.person))

    assert [d["id"] for d in found["documents.Document"]] == [full.pk]
    assert only_first.pk != full.pk
