"""PAdES signing and validation with pyHanko (imported lazily, inside the functions).

Pure functions over bytes and key material: the services in ``codi.signatures.services``
fetch the keys, CRLs and certificates from the database and call these.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_noop as _noop

from codi.signatures.tsa import TsaCredentials, in_process_timestamper

FONT_PATH = (
    Path(__file__).resolve().parent.parent / "web" / "static" / "codi" / "fonts" / "Sarabun-Regular.ttf"
)
STAMP_TEXT = "ลงนามโดย %(name)s\nตำแหน่ง %(position)s\nวันที่ %(date)s"
STAMP_WIDTH, STAMP_HEIGHT, STAMP_MARGIN = 180, 54, 36
STAMP_FONT_SIZE, STAMP_LEADING = 9, 13  # Thai needs room above and below for vowels and tone marks
_PDF_HEADER_WINDOW = 1024


class _NoFetchingNotice(logging.Filter):
    """pyHanko warns on every signature that it may not fetch revocation data; we supply it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "fetching is not allowed" not in record.getMessage()


logging.getLogger("pyhanko.sign.signers.pdf_signer").addFilter(_NoFetchingNotice())


class PdfRejectedError(ValidationError):
    """The file cannot be signed or verified: not a PDF, encrypted, or damaged (Thai / English)."""

    def __init__(self, thai: str, english: str) -> None:
        super().__init__(f"{thai} / {english}", code="pdf_rejected")
        self.thai = thai
        self.english = english


@dataclass(frozen=True)
class SignerCredentials:
    cert_der: bytes
    key_der: bytes  # PKCS#8
    chain_der: tuple[bytes, ...]  # issuing CA, root


@dataclass(frozen=True)
class TrustMaterial:
    """What a validator needs to judge our signatures now: roots, intermediates, current CRLs."""

    roots_der: tuple[bytes, ...]
    other_certs_der: tuple[bytes, ...]
    crls_der: tuple[bytes, ...]


@dataclass(frozen=True)
class StampText:
    name: str
    position: str
    date: str


@dataclass
class SignatureReport:
    """One signature in a PDF, as the validation page and API show it."""

    field_name: str
    signer_name: str = ""
    signer_position: str = ""
    signer_serial: str = ""
    issuer_name: str = ""
    signing_time: dt.datetime | None = None
    timestamp: dt.datetime | None = None
    timestamp_trusted: bool = False
    is_intact: bool = False
    is_signature_valid: bool = False
    is_trusted: bool = False
    is_revoked: bool = False
    revoked_at: dt.datetime | None = None
    revocation_status: str = "unknown"  # good | revoked | unknown
    coverage: str = ""  # entire_file | entire_revision | partial
    modification_level: str = ""  # none | lta_updates | form_filling | annotations | other
    is_certification: bool = False
    docmdp_ok: bool | None = None
    has_validation_data: bool = False
    is_valid: bool = False
    problems: list[str] = field(default_factory=list)  # English message ids (translated on pages)
    detail: str = ""  # technical detail from the validator, for the log and the API


@dataclass
class VerificationReport:
    signatures: list[SignatureReport]

    @property
    def is_valid(self) -> bool:
        """True when the PDF holds at least one signature and every one is valid and trusted."""
        return bool(self.signatures) and all(s.is_valid for s in self.signatures)


def _read(pdf: bytes) -> Any:
    # heavy: pyHanko is loaded only when a PDF is signed or validated
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader

    if b"%PDF-" not in pdf[:_PDF_HEADER_WINDOW]:
        raise PdfRejectedError("ไฟล์นี้ไม่ใช่ PDF", "This file is not a PDF")
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        is_encrypted = reader.encrypted
    except (PdfReadError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise PdfRejectedError("ไฟล์ PDF เสียหาย อ่านไม่ได้", "The PDF is damaged and cannot be read") from exc
    if is_encrypted:
        raise PdfRejectedError(
            "ไฟล์ PDF เข้ารหัสไว้ กรุณาถอดรหัสก่อนลงนามหรือตรวจสอบ",
            "The PDF is encrypted; remove the password before signing or verifying it",
        )
    return reader


def _validation_context(trust: TrustMaterial, *, moment: dt.datetime | None = None) -> Any:
    # heavy: pyHanko is loaded only when a PDF is signed or validated
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(
        trust_roots=[_asn1_cert(der) for der in trust.roots_der],
        other_certs=[_asn1_cert(der) for der in trust.other_certs_der],
        crls=list(trust.crls_der),
        allow_fetching=False,
        revocation_mode="hard-fail",
        moment=moment,
    )


# Per thread, for a few minutes: a validation context caches the paths and CRL checks it has done,
# which every signature by the same CA chain repeats. A change of CRL makes a new one at once.
_local = threading.local()
_VALIDATION_CONTEXT_MAX_AGE_S = 300.0


def _cached_validation_context(trust: TrustMaterial) -> Any:
    now = time.monotonic()
    cached = getattr(_local, "validation_context", None)
    if cached is not None and cached[0] == trust and now - cached[1] < _VALIDATION_CONTEXT_MAX_AGE_S:
        return cached[2]
    context = _validation_context(trust)
    _local.validation_context = (trust, now, context)
    return context


def _cached(slot: str, key: Any, make: Callable[[], Any]) -> Any:
    """One object per thread and slot, remade when ``key`` changes: the signer of the last
    certificate used, the timestamper (it keeps the dummy reply pyHanko sizes signatures with),
    the stamp style. Per thread because pyHanko's objects are not made for concurrent use."""
    cached = getattr(_local, slot, None)
    if cached is not None and cached[0] == key:
        return cached[1]
    value = make()
    setattr(_local, slot, (key, value))
    return value


def _asn1_cert(der: bytes) -> Any:
    # heavy: pyHanko is loaded only when a PDF is signed or validated
    from asn1crypto import x509

    return x509.Certificate.load(der)


def _is_locked(reader: Any) -> bool:
    """A certification signature allowing no changes, or a /Lock dictionary that says so."""
    # heavy: pyHanko is loaded only when a PDF is signed or validated
    from pyhanko.sign.fields import MDPPerm
    from pyhanko.sign.validation import read_certification_data

    certification = read_certification_data(reader)
    if certification is not None and certification.permission == MDPPerm.NO_CHANGES:
        return True
    for embedded in reader.embedded_signatures:
        lock = embedded.sig_field.get("/Lock")
        if lock is not None and int(lock.get_object().get("/P", 0)) == MDPPerm.NO_CHANGES.value:
            return True
    return False


def sign(
    pdf: bytes,
    *,
    signer: SignerCredentials,
    tsa: TsaCredentials,
    trust: TrustMaterial,
    reason: str,
    location: str,
    stamp: StampText | None,
    certify: bool,
) -> bytes:
    """Add one PAdES B-LT signature: signature timestamp from our TSA, chain and CRLs embedded.

    ``certify`` on an unsigned document makes a certification signature (DocMDP: no changes
    allowed); on a document already signed (an approval chain) it adds the final approval
    signature with a lock dictionary (PDF 2.0 /Lock, all fields, no changes) instead, since a
    certification signature must be a document's first.
    """
    # heavy: pyHanko is loaded only when a PDF is signed or validated
    from asn1crypto import keys
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields, signers
    from pyhanko.sign.fields import MDPPerm, SigSeedSubFilter
    from pyhanko.stamp import TextStampStyle
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    reader = _read(pdf)
    existing = len(reader.embedded_signatures)
    if _is_locked(reader):
        raise PdfRejectedError(
            "เอกสารนี้ถูกรับรองและล็อกแล้ว ลงนามเพิ่มไม่ได้",
            "This document is certified and locked; it cannot be signed again",
        )
    writer = IncrementalPdfFileWriter.from_reader(reader)
    field_name = f"CODI-Signature-{existing + 1}"
    lock_instead = certify and existing > 0
    field_spec: Any = None
    stamp_style: Any = None
    if stamp is not None or lock_instead:
        box = None
        if stamp is not None:
            per_row = 3
            x = STAMP_MARGIN + (existing % per_row) * (STAMP_WIDTH + 8)
            y = STAMP_MARGIN + (existing // per_row) * (STAMP_HEIGHT + 8)
            box = (x, y, x + STAMP_WIDTH, y + STAMP_HEIGHT)
        field_spec = fields.SigFieldSpec(
            sig_field_name=field_name,
            on_page=-1,
            box=box,
            field_mdp_spec=fields.FieldMDPSpec(fields.FieldMDPAction.ALL) if lock_instead else None,
            doc_mdp_update_value=MDPPerm.NO_CHANGES if lock_instead else None,
        )
    if stamp is not None:
        stamp_style = _cached(
            "stamp_style",
            FONT_PATH,
            lambda: TextStampStyle(
                stamp_text=STAMP_TEXT,
                text_box_style=TextBoxStyle(
                    font=GlyphAccumulatorFactory(str(FONT_PATH), font_size=STAMP_FONT_SIZE),
                    leading=STAMP_LEADING,
                ),
                border_width=1,
            ),
        )
    cms_signer = _cached(
        "signer",
        signer,
        lambda: signers.SimpleSigner(
            signing_cert=_asn1_cert(signer.cert_der),
            signing_key=keys.PrivateKeyInfo.load(signer.key_der),
            cert_registry=SimpleCertificateStore.from_certs([_asn1_cert(d) for d in signer.chain_der]),
        ),
    )
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        reason=reason or None,
        location=location or None,
        subfilter=SigSeedSubFilter.PADES,
        embed_validation_info=True,
        validation_context=_cached_validation_context(trust),
        certify=certify and not lock_instead,
        docmdp_permissions=MDPPerm.NO_CHANGES,
    )
    pdf_signer = signers.PdfSigner(
        meta,
        cms_signer,
        timestamper=_cached("timestamper", tsa, lambda: in_process_timestamper(tsa)),
        stamp_style=stamp_style,
        new_field_spec=field_spec,
    )
    params = None
    if stamp is not None:
        params = {"name": stamp.name, "position": stamp.position or "-", "date": stamp.date}
    out = pdf_signer.sign_pdf(writer, appearance_text_params=params)
    return bytes(out.getbuffer())


def _name_attr(cert: Any, attr: str) -> str:
    for rdn in cert.subject.chosen:
        for type_value in rdn:
            if type_value["type"].native == attr:
                return str(type_value["value"].native)
    return ""


def _report_one(embedded: Any, trust: TrustMaterial) -> SignatureReport:
    # heavy: pyHanko is loaded only when a PDF is signed or validated
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError

    report = SignatureReport(field_name=str(embedded.field_name))
    try:
        cert = embedded.signer_cert
        report.signer_name = _name_attr(cert, "common_name")
        report.signer_position = _name_attr(cert, "title")
        report.signer_serial = format(cert.serial_number, "x")
        report.issuer_name = str(cert.issuer.native.get("common_name", ""))
    except (ValueError, KeyError, TypeError):
        report.problems.append(_noop("The signer's certificate cannot be read."))
    report.has_validation_data = embedded.reader.root.get("/DSS") is not None
    try:
        status = validate_pdf_signature(embedded, signer_validation_context=_validation_context(trust))
    except (SignatureValidationError, ValueError, KeyError, TypeError) as exc:
        report.problems.append(_noop("The signature cannot be validated."))
        report.detail = str(exc)
        return report
    report.is_intact = bool(status.intact)
    report.is_signature_valid = bool(status.valid)
    report.is_trusted = bool(status.trusted)
    report.signing_time = status.signer_reported_dt
    tst = status.timestamp_validity
    if tst is not None:
        report.timestamp = tst.timestamp
        report.timestamp_trusted = bool(tst.intact and tst.valid and tst.trusted)
    details = status.revocation_details
    if details is not None:
        report.is_revoked = True
        report.revoked_at = details.revocation_date
        report.revocation_status = "revoked"
    elif status.trusted:
        report.revocation_status = "good"
    report.coverage = status.coverage.name.lower() if status.coverage is not None else ""
    report.modification_level = status.modification_level.name.lower() if status.modification_level else ""
    report.docmdp_ok = status.docmdp_ok
    report.is_certification = embedded.docmdp_level is not None
    report.is_valid = bool(status.bottom_line) and not report.is_revoked
    if not report.is_intact:
        report.problems.append(_noop("The document was changed after signing."))
    elif not report.is_signature_valid:
        report.problems.append(_noop("The signature value does not verify."))
    if report.is_revoked:
        report.problems.append(_noop("The signer's certificate is revoked."))
    elif not report.is_trusted and report.is_intact and report.is_signature_valid:
        # (a signature that does not verify is never judged trusted; saying so would mislead)
        indic = status.trust_problem_indic
        report.problems.append(_noop("The signer's certificate does not chain to the CODI root."))
        report.detail = str(indic) if indic else "no path to a trusted root"
    if status.docmdp_ok is False:
        report.problems.append(
            _noop("The document was changed after signing in a way the signature does not allow.")
        )
    if tst is not None and not report.timestamp_trusted:
        report.problems.append(_noop("The signature timestamp is not valid or not trusted."))
    return report


def verify(pdf: bytes, *, trust: TrustMaterial) -> VerificationReport:
    """Validate every signature in the PDF against our roots and current CRLs, at this moment."""
    reader = _read(pdf)
    return VerificationReport(signatures=[_report_one(sig, trust) for sig in reader.embedded_signatures])
