"""Signing and verifying PDFs through the platform, checked by two independent validators."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from pypdf import PdfReader, PdfWriter

from codi.signatures import services
from codi.signatures.models import AuthorityKey, SigningCertificate
from tests.signatures.conftest import certificate_of, change_one_byte, minimal_pdf, root_pem_file

PYHANKO = str(Path(sys.executable).parent / "pyhanko")
NSSDB_SCRIPT = str(Path(__file__).parent / "nssdb.py")


def pdfsig(path: Path, nssdir: Path) -> str:
    result = subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{nssdir}", str(path)],
        capture_output=True,
        timeout=60,
        check=False,
    )
    # pdfsig cuts long names in the middle of a UTF-8 sequence
    return (result.stdout + result.stderr).decode("utf-8", errors="replace")


def pyhanko_adesverify(path: Path, root: str) -> subprocess.CompletedProcess[str]:
    """pyHanko's own command-line validator, AdES style (uses the embedded chain and CRLs)."""
    return subprocess.run(
        [PYHANKO, "sign", "adesverify", "--trust", root, "--trust-replace", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=path.parent,
    )


@pytest.fixture
def nssdir(pki, tmp_path) -> Path:
    directory = tmp_path / "nss"
    directory.mkdir()
    subprocess.run(
        [sys.executable, NSSDB_SCRIPT, str(directory), root_pem_file(tmp_path)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return directory


def test_signed_pdf_is_accepted_by_pdfsig_and_pyhanko_cli_and_fails_after_one_byte_changes(
    signer, sample_pdf, nssdir, tmp_path
):
    # given a PDF signed by the platform, and the exported root as the validators' trust anchor
    signed = services.pdf_sign(signer=signer, pdf=sample_pdf, reason="อนุมัติ", location="ขอนแก่น")
    good = tmp_path / "signed.pdf"
    good.write_bytes(signed)
    root = root_pem_file(tmp_path)

    # then poppler's pdfsig (NSS) says the signature is valid and the certificate trusted
    out = pdfsig(good, nssdir)
    assert "Signature Validation: Signature is Valid." in out
    assert "Certificate Validation: Certificate is Trusted." in out
    assert "Signer Certificate Common Name: สมหญิง ใจดี" in out
    assert "Signature Type: ETSI.CAdES.detached" in out
    # and pyHanko's CLI judges it intact and trusted, its timestamp too
    result = pyhanko_adesverify(good, root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "INTACT:TRUSTED,TIMESTAMP_TOKEN<INTACT:TRUSTED>" in result.stdout

    # when one byte of the signed content changes
    bad = tmp_path / "changed.pdf"
    bad.write_bytes(change_one_byte(signed))

    # then both tools and our own validator report failure
    assert "Signature Validation: Digest Mismatch." in pdfsig(bad, nssdir)
    result = pyhanko_adesverify(bad, root)
    assert result.returncode != 0
    report = services.pdf_verify(pdf=bad.read_bytes())
    assert report.is_valid is False
    assert report.signatures[0].is_intact is False
    assert report.signatures[0].problems[0] == "The document was changed after signing."


def test_platform_report_for_a_signed_pdf(signer, sample_pdf):
    # when
    signed = services.pdf_sign(signer=signer, pdf=sample_pdf, reason="อนุมัติ")
    report = services.pdf_verify(pdf=signed)

    # then
    assert report.is_valid is True
    [s] = report.signatures
    assert (s.field_name, s.signer_name, s.signer_position, s.issuer_name) == (
        "CODI-Signature-1",
        "สมหญิง ใจดี",
        "ผู้อำนวยการสำนักงานภาค",
        "CODI Issuing CA",
    )
    assert s.signer_serial == certificate_of(signer).serial_number
    assert (s.is_intact, s.is_signature_valid, s.is_trusted, s.timestamp_trusted) == (True, True, True, True)
    assert s.revocation_status == "good"
    assert s.has_validation_data is True  # B-LT: chain and CRLs in the DSS
    assert s.modification_level == "lta_updates"  # only the DSS was added after signing
    assert s.signing_time is not None and s.timestamp is not None
    assert abs((s.timestamp - s.signing_time).total_seconds()) < 60
    assert s.problems == []


def test_visible_stamp_uses_the_thai_font(signer, sample_pdf):
    signed = services.pdf_sign(signer=signer, pdf=sample_pdf, reason="อนุมัติ")
    assert b"+Sarabun-Regular" in signed  # an embedded subset of the shipped Sarabun

    invisible = services.pdf_sign(signer=signer, pdf=sample_pdf, reason="อนุมัติ", visible=False)
    assert b"Sarabun" not in invisible
    assert services.pdf_verify(pdf=invisible).is_valid is True


def test_a_revoked_signer_shows_as_revoked(signer, sample_pdf, tmp_path):
    # given a document signed while the certificate was good
    signed = services.pdf_sign(signer=signer, pdf=sample_pdf, reason="อนุมัติ")

    # when the certificate is revoked
    services.certificate_revoke(actor=signer, certificate=certificate_of(signer), reason="key_compromise")

    # then the report shows it revoked and not valid; verify_pdf fails
    report = services.pdf_verify(pdf=signed)
    [s] = report.signatures
    assert (s.is_revoked, s.revocation_status, s.is_valid) == (True, "revoked", False)
    assert s.revoked_at is not None
    assert "The signer's certificate is revoked." in s.problems
    assert report.is_valid is False
    path = tmp_path / "revoked.pdf"
    path.write_bytes(signed)
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_pdf", str(path), stdout=out)
    assert exit_info.value.code == 1
    assert "  revocation:        revoked at " in out.getvalue()


def test_sequential_signatures_each_stay_valid(signer, second_signer, sample_pdf):
    once = services.pdf_sign(signer=signer, pdf=sample_pdf, reason="เสนอ")
    twice = services.pdf_sign(signer=second_signer, pdf=once, reason="อนุมัติ")

    report = services.pdf_verify(pdf=twice)

    assert report.is_valid is True
    assert [s.signer_name for s in report.signatures] == ["สมหญิง ใจดี", "สมชาย รักงาน"]
    assert [s.field_name for s in report.signatures] == ["CODI-Signature-1", "CODI-Signature-2"]
    assert report.signatures[0].modification_level == "form_filling"  # a later signature was added
    assert all(s.docmdp_ok for s in report.signatures)


def test_certification_signature_locks_the_document(signer, second_signer, sample_pdf):
    # given a certified document
    certified = services.pdf_sign(signer=signer, pdf=sample_pdf, reason="รับรองเอกสาร", certify=True)
    report = services.pdf_verify(pdf=certified)
    assert report.is_valid is True
    assert report.signatures[0].is_certification is True

    # then the platform refuses to sign it again
    with pytest.raises(services.PdfRejectedError) as refused:
        services.pdf_sign(signer=second_signer, pdf=certified, reason="ลงนามเพิ่ม")
    assert refused.value.english == "This document is certified and locked; it cannot be signed again"

    # and a change made by other software shows as a change the certification does not allow
    first = services.pdf_verify(pdf=append_page_text_change(certified)).signatures[0]
    assert first.is_intact is True
    assert first.docmdp_ok is False
    assert first.is_valid is False
    assert "The document was changed after signing in a way the signature does not allow." in first.problems


def append_page_text_change(pdf: bytes) -> bytes:
    """An incremental update that replaces the first page's text (what an editor would do)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    page_ref = writer.root["/Pages"]["/Kids"][0]
    page = page_ref.get_object()
    stream = generic.StreamObject(stream_data=b"BT /F1 18 Tf 72 700 Td (Changed text) Tj ET")
    page["/Contents"] = writer.add_object(stream)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_certify_after_approvals_adds_a_locking_final_signature(signer, second_signer, sample_pdf):
    approved = services.pdf_sign(signer=signer, pdf=sample_pdf, reason="เสนอ")
    final = services.pdf_sign(signer=second_signer, pdf=approved, reason="อนุมัติขั้นสุดท้าย", certify=True)

    report = services.pdf_verify(pdf=final)

    assert report.is_valid is True
    assert len(report.signatures) == 2
    assert b"/Lock" in final
    with pytest.raises(services.PdfRejectedError):
        services.pdf_sign(signer=signer, pdf=final, reason="ลงนามเพิ่ม")


def test_not_a_pdf_is_refused(signer):
    with pytest.raises(services.PdfRejectedError) as refused:
        services.pdf_sign(signer=signer, pdf=b"GIF89a not a pdf", reason="x")
    assert refused.value.english == "This file is not a PDF"
    with pytest.raises(services.PdfRejectedError):
        services.pdf_verify(pdf=b"PK\x03\x04 a zip file")


def test_damaged_pdf_is_refused(signer):
    with pytest.raises(services.PdfRejectedError) as refused:
        services.pdf_verify(pdf=b"%PDF-1.7\n garbage without objects")
    assert refused.value.english == "The PDF is damaged and cannot be read"


def test_encrypted_pdf_is_refused(signer):
    reader = PdfReader(io.BytesIO(minimal_pdf()))
    writer = PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)

    with pytest.raises(services.PdfRejectedError) as refused:
        services.pdf_sign(signer=signer, pdf=buffer.getvalue(), reason="x")
    assert "encrypted" in refused.value.english
    with pytest.raises(services.PdfRejectedError):
        services.pdf_verify(pdf=buffer.getvalue())


def test_signing_with_a_revoked_certificate_is_refused(signer, sample_pdf):
    services.certificate_revoke(
        actor=signer, certificate=certificate_of(signer), reason="affiliation_changed"
    )

    with pytest.raises(services.SigningRefusedError) as refused:
        services.pdf_sign(signer=signer, pdf=sample_pdf, reason="x")

    assert (
        refused.value.english
        == "The signer's certificate is revoked; it cannot sign (request a new certificate)"
    )
    assert refused.value.thai == "ใบรับรองของผู้ลงนามถูกเพิกถอนแล้ว ลงนามไม่ได้ (ขอใบรับรองใหม่)"


def test_signing_without_or_with_an_expired_certificate_is_refused(pki, signer, sample_pdf):
    from django.utils import timezone

    from tests.signatures.conftest import staff_user

    with pytest.raises(services.SigningRefusedError) as refused:
        services.pdf_sign(signer=staff_user(), pdf=sample_pdf, reason="x")
    assert refused.value.english.startswith("The signer has no signing certificate")

    SigningCertificate.objects.filter(user=signer).update(not_after=timezone.now())
    with pytest.raises(services.SigningRefusedError) as refused:
        services.pdf_sign(signer=signer, pdf=sample_pdf, reason="x")
    assert refused.value.english.startswith("The signer's certificate has expired")


def test_unsigned_pdf_is_not_valid(pki, sample_pdf):
    report = services.pdf_verify(pdf=sample_pdf)
    assert report.signatures == []
    assert report.is_valid is False


def test_signature_from_a_replaced_pki_is_not_trusted(signer, sample_pdf):
    # given a signature, then the PKI is replaced (pki_init --force)
    signed = services.pdf_sign(signer=signer, pdf=sample_pdf, reason="x")
    services.pki_init(force=True)

    # then the old signature no longer chains to the (new) root
    [s] = services.pdf_verify(pdf=signed).signatures
    assert (s.is_intact, s.is_trusted, s.is_valid) == (True, False, False)
    assert AuthorityKey.objects.filter(is_active=False).count() == 3
    assert certificate_of_status(signer) == "revoked"


def certificate_of_status(user) -> str:
    return SigningCertificate.objects.get(user=user).status


def test_signing_and_verifying_are_audited(signer, sample_pdf):
    from codi.core.models import AuditEntry

    signed = services.pdf_sign(signer=signer, pdf=sample_pdf, reason="อนุมัติ")
    services.pdf_verify(pdf=signed, actor=signer)

    actions = list(AuditEntry.objects.order_by("-id").values_list("action", flat=True)[:2])
    assert actions == ["signatures.pdf.verify", "signatures.pdf.sign"]
