"""The official letter as PDF (2526 regulation layout), the register report, and signing through the PKI."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from codi.correspondence import services
from codi.correspondence.models import Letter
from tests.correspondence.helpers import letter, registrar, staff, unit

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    """The PDF's text with runs of white space made single spaces.

    Sarabun's shaped SARA AM glyph maps back to SARA AA in text extraction, so "ำ" reads as "า";
    ``_expect`` makes the expected text the same way.
    """
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def _expect(text: str) -> str:
    return " ".join(text.replace("ำ", "า").split())


def test_an_outgoing_letter_prints_in_the_official_layout_with_thai_digits():
    # given an urgent outgoing letter of a unit whose book prints Thai digits
    owner = unit("สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน)", letter_code="พอช 12.3")
    clerk = registrar(owner)
    registered = letter(
        owner,
        clerk,
        urgency="most_urgent",
        salutation="นายกองค์การบริหารส่วนตำบลท่าพระ",
        enclosures="กำหนดการประชุม 1 ฉบับ",
        signer_name="นางสาวสมหญิง ใจดี",
        signer_position="ผู้อำนวยการสำนักงานภาค",
        contact="สำนักงานภาคอีสาน\nโทร. 0 4324 1234",
    )

    # when it is printed
    pdf = services.letter_pdf_render(letter=registered)

    # then the PDF carries every part of a หนังสือภายนอก, Thai shaped, digits in Thai
    text = _text(pdf)
    assert pdf.startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    for part in (
        "ด่วนที่สุด",
        "ที่ พอช ๑๒.๓/๑",
        "สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน)",
        "๒๙ พฤศจิกายน ๒๕๖๙",
        "เรื่อง",
        "ขอเชิญประชุมสภาองค์กรชุมชนตำบลท่าพระ",
        "เรียน",
        "นายกองค์การบริหารส่วนตำบลท่าพระ",
        "สิ่งที่ส่งมาด้วย",
        "กำหนดการประชุม ๑ ฉบับ",
        "จึงเรียนมาเพื่อโปรดทราบ",
        "ขอแสดงความนับถือ",
        "(นางสาวสมหญิง ใจดี)",
        "ผู้อำนวยการสำนักงานภาค",
        "โทร. ๐ ๔๓๒๔ ๑๒๓๔",
        "ตราครุฑ",  # the labelled placeholder where the emblem goes
    ):
        assert _expect(part) in text, part
    # and the Sarabun font is embedded
    fonts = {
        str(f) for page in PdfReader(io.BytesIO(pdf)).pages for f in page["/Resources"]["/Font"].values()
    }
    assert fonts


def test_a_classified_memo_prints_its_class_at_top_and_bottom_in_arabic_digits():
    owner = unit("ฝ่ายบริหารงานบุคคล", letter_code="พอช 03", thai_digits=False)
    clerk = registrar(owner)
    memo = letter(owner, clerk, kind="memo", secrecy="secret", salutation="ผู้อำนวยการ", signer_name="นายสมชาย")

    text = _text(services.letter_pdf_render(letter=memo))

    assert "บันทึกข้อความ" in text
    assert "ส่วนราชการ" in text and "ฝ่ายบริหารงานบุคคล" in text
    assert "พอช 03/1" in text
    assert "29 พฤศจิกายน 2569" in text
    assert text.count("ลับมาก") == 2


def test_generating_keeps_the_pdf_with_the_letter(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    owner = unit()
    clerk = registrar(owner)
    registered = letter(owner, clerk)
    outsider = staff(unit())

    services.letter_pdf_generate(actor=clerk, letter=registered)

    stored = Letter.objects.get(pk=registered.pk)
    assert stored.pdf.name.endswith(".pdf")
    assert stored.pdf.read().startswith(b"%PDF")
    assert stored.pdf_signed_at is None
    with pytest.raises(PermissionDenied):
        services.letter_pdf_generate(actor=outsider, letter=registered)


def test_the_signer_signs_the_letter_through_the_pki_and_validators_accept_it(settings, tmp_path):
    from codi.signatures import services as signatures

    settings.MEDIA_ROOT = tmp_path
    # given the platform PKI and a director with a signing certificate named as the signer
    signatures.pki_init()
    owner = unit()
    clerk = registrar(owner)
    director = staff(owner, name_th="นางสาวสมหญิง ใจดี", position="ผู้อำนวยการสำนักงานภาค")
    signatures.certificate_issue(actor=director, user=director, second_factor_verified=True)
    registered = letter(owner, clerk, signer_id=director.pk)

    # when the clerk tries to sign, then the director signs
    with pytest.raises(PermissionDenied):
        services.letter_sign(actor=clerk, letter=registered)
    services.letter_sign(actor=director, letter=registered)

    # then the signed PDF is kept with the letter, validates, and cannot be replaced or re-signed
    stored = Letter.objects.get(pk=registered.pk)
    assert stored.pdf_signed_at is not None
    signed = stored.pdf.read()
    report = signatures.pdf_verify(pdf=signed)
    assert report.is_valid
    assert "นางสาวสมหญิง ใจดี" in report.signatures[0].signer_name
    assert "พอช ๑๒.๓/๑" in _text(signed)
    with pytest.raises(services.LetterRefusedError):
        services.letter_pdf_generate(actor=clerk, letter=stored)
    with pytest.raises(services.LetterRefusedError):
        services.letter_sign(actor=director, letter=stored)


def test_a_signer_without_a_certificate_is_refused_and_nothing_is_stored(settings, tmp_path):
    from codi.signatures import services as signatures

    settings.MEDIA_ROOT = tmp_path
    signatures.pki_init()
    owner = unit()
    clerk = registrar(owner)
    director = staff(owner)
    registered = letter(owner, clerk, signer_id=director.pk)

    with pytest.raises(ValidationError, match="no signing certificate"):
        services.letter_sign(actor=director, letter=registered)

    stored = Letter.objects.get(pk=registered.pk)
    assert not stored.pdf and stored.pdf_signed_at is None
