"""CODI's own regulations: clauses (ข้อ) split, indexed and cited like an Act's sections."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from codi.core.pdf import html_to_pdf
from codi.knowledge import assistant, services
from codi.knowledge.models import Act, ActKind
from codi.knowledge.parser import CLAUSE_MARKER, parse_act
from tests.permissions import signed_in_client

pytestmark = pytest.mark.django_db

REGULATION = """ระเบียบสถาบันพัฒนาองค์กรชุมชน
ว่าด้วยการเบิกจ่ายเงินอุดหนุนโครงการชุมชน พ.ศ. ๒๕๖๙

ข้อ ๑ ระเบียบนี้เรียกว่า ระเบียบสถาบันพัฒนาองค์กรชุมชน ว่าด้วยการเบิกจ่ายเงินอุดหนุนโครงการชุมชน
ข้อ ๒ ระเบียบนี้ให้ใช้บังคับตั้งแต่วันถัดจากวันประกาศเป็นต้นไป
ข้อ ๓ การเบิกเงินงวดที่สองขึ้นไป องค์กรชุมชนต้องส่งรายงานความก้าวหน้าของงวดก่อนหน้า
พร้อมใบเสร็จรับเงินและภาพถ่ายกิจกรรม และเจ้าหน้าที่โครงการต้องรับรายงานแล้ว
ข้อ ๔ เงินที่เหลือจ่ายเมื่อปิดโครงการ ให้องค์กรชุมชนคืนสถาบันภายในสามสิบวัน
"""


def _docx(text: str) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in text.splitlines())
    document = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


def test_clauses_are_split_with_thai_numerals_normalised():
    parsed = parse_act(REGULATION, marker=CLAUSE_MARKER)

    assert [s.number for s in parsed.sections] == ["1", "2", "3", "4"]
    assert parsed.year_be == 2569
    assert parsed.sections[2].body.startswith("การเบิกเงินงวดที่สองขึ้นไป")
    assert "ใบเสร็จรับเงิน" in parsed.sections[2].body


@pytest.mark.parametrize(
    ("make", "name"),
    [
        (lambda t: t.encode(), "reg.txt"),
        (_docx, "reg.docx"),
        (lambda t: html_to_pdf("<html><body>" + t.replace("\n", "<br>") + "</body></html>"), "reg.pdf"),
    ],
)
def test_upload_text_word_and_pdf_then_the_assistant_cites_the_clause(matrix, make, name):
    officer = matrix.user("knowledge_officer", "country")

    act = services.regulation_upload(actor=officer, data=make(REGULATION), filename=name)

    assert act.kind == ActKind.REGULATION and act.sections.count() == 4
    answer = assistant.answer("ขอเบิกเงินงวดที่สองต้องส่งรายงานความก้าวหน้าและใบเสร็จไหม")
    labels = [p.label for p in answer.passages]
    assert any(label.endswith("ข้อ 3") and act.title in label for label in labels), labels


def test_the_same_file_twice_is_one_regulation(matrix):
    officer = matrix.user("knowledge_officer", "country")
    first = services.regulation_upload(actor=officer, data=REGULATION.encode(), filename="a.txt")
    second = services.regulation_upload(actor=officer, data=REGULATION.encode(), filename="b.txt")
    assert first.pk == second.pk
    assert Act.objects.filter(kind=ActKind.REGULATION).count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\xff\xfe\x00garbage\x80", "Only PDF"),
        ("ประกาศทั่วไป ไม่มีการแบ่งเป็นข้อ".encode(), "No clauses"),
        (b"%PDF-1.4 not really a pdf", "damaged"),
        (b"PK\x03\x04broken zip", "cannot be read"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(matrix, data, message):
    officer = matrix.user("knowledge_officer", "country")
    with pytest.raises(ValidationError) as error:
        services.regulation_upload(actor=officer, data=data, filename="x")
    assert message in " ".join(error.value.messages)
    assert not Act.objects.filter(kind=ActKind.REGULATION).exists()


def test_a_scanned_regulation_is_read_with_ocr(matrix):
    from django.contrib.staticfiles import finders
    from PIL import Image, ImageDraw, ImageFont

    from codi.core.pdf import FONT_FILES

    # given a regulation that exists only as a scanned image inside a PDF (no text layer)
    font = ImageFont.truetype(str(finders.find(FONT_FILES["normal"])), 40)
    lines = [
        "ระเบียบสถาบันว่าด้วยกองทุนสวัสดิการ",
        "ข้อ 1 ระเบียบนี้ใช้กับกองทุนสวัสดิการชุมชน",
        "ข้อ 2 กองทุนต้องรายงานบัญชีต่อสมาชิกทุกเดือน",
    ]
    image = Image.new("L", (1700, 400), 255)
    draw = ImageDraw.Draw(image)
    for row, line in enumerate(lines):
        draw.text((60, 40 + row * 110), line, font=font, fill=0)
    scan = io.BytesIO()
    image.save(scan, format="PDF", resolution=200)

    # when a knowledge officer uploads it
    act = services.regulation_upload(
        actor=matrix.user("knowledge_officer", "country"), data=scan.getvalue(), filename="scan.pdf"
    )

    # then OCR found both clauses
    assert sorted(act.sections.values_list("number", flat=True)) == ["1", "2"]
    assert "รายงานบัญชี" in act.sections.get(number="2").body


def test_a_scan_without_any_text_is_refused_clearly(matrix):
    blank = html_to_pdf("<html><body><div style='width:10cm;height:5cm;background:#000'></div></body></html>")
    with pytest.raises(ValidationError, match="even with OCR"):
        services.regulation_upload(
            actor=matrix.user("knowledge_officer", "country"), data=blank, filename="s.pdf"
        )


def test_only_knowledge_officers_upload(matrix):
    with pytest.raises(PermissionDenied):
        services.regulation_upload(
            actor=matrix.user("project_officer", "country"), data=REGULATION.encode(), filename="a.txt"
        )


def test_regulations_page_permission_matrix_and_upload(matrix):
    url = reverse("knowledge_regulations")
    matrix.check(
        lambda client: client.get(url),
        allowed=matrix.user("project_officer", "province", "40"),
        wrong_role=matrix.user("community_leader", "subdistrict", "400104"),
        out_of_scope=None,
    )
    officer_client = signed_in_client(matrix.user("project_officer", "country"))
    refused = officer_client.post(url, {"file": SimpleUploadedFile("r.txt", REGULATION.encode())})
    assert refused.status_code == 403

    client = signed_in_client(matrix.user("knowledge_officer", "country"))
    response = client.post(url, {"title": "", "file": SimpleUploadedFile("r.txt", REGULATION.encode())})

    act = Act.objects.get(kind=ActKind.REGULATION)
    assert response.status_code == 302 and response["Location"] == reverse("knowledge_act", args=[act.act_id])
    page = client.get(reverse("knowledge_section", args=[act.act_id, "3"])).content.decode()
    assert "ข้อ 3" in page


def test_index_status_page_shows_progress_and_queues_the_rest(matrix):
    from django_tasks_db.models import DBTaskResult

    officer = matrix.user("knowledge_officer", "country")
    services.regulation_upload(actor=officer, data=REGULATION.encode(), filename="a.txt")
    url = reverse("knowledge_index_status")
    matrix.check(
        lambda client: client.get(url),
        allowed=officer,
        wrong_role=matrix.user("project_officer", "country"),
        out_of_scope=None,
    )
    client = signed_in_client(officer)
    page = client.get(url).content.decode()
    assert 'http-equiv="refresh"' in page  # 4 clauses indexed for words, none with vectors yet

    before = DBTaskResult.objects.count()
    assert client.post(url).status_code == 302
    assert DBTaskResult.objects.count() == before + 3
