"""API of the PKI and e-signatures: verify a signed PDF; list the certificates one may see."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from codi.api.kit import ERRORS, Pages
from codi.core.problems import problem
from codi.signatures import selectors, services
from codi.signatures.forms import MAX_PDF_BYTES
from codi.signatures.models import SigningCertificate

router = Router(tags=["signatures"])


class SignatureOut(Schema):
    field_name: str
    signer_name: str
    signer_position: str
    signer_serial: str = Field(..., description="hex serial number of the signer's certificate")
    issuer_name: str
    signing_time: datetime | None = Field(None, description="time the signer's software claimed")
    timestamp: datetime | None = Field(None, description="time from the signature timestamp token")
    timestamp_trusted: bool
    is_intact: bool = Field(..., description="the signed bytes are unchanged")
    is_signature_valid: bool
    is_trusted: bool = Field(..., description="the certificate chains to the CODI root and is not revoked")
    is_revoked: bool
    revoked_at: datetime | None
    revocation_status: str = Field(..., description="good | revoked | unknown")
    coverage: str = Field(..., description="entire_file | entire_revision | ...")
    modification_level: str = Field(
        ..., description="changes after signing: none | lta_updates | form_filling | annotations | other"
    )
    is_certification: bool
    docmdp_ok: bool | None
    has_validation_data: bool = Field(..., description="chain and CRLs embedded (PAdES B-LT)")
    is_valid: bool
    problems: list[str]
    detail: str


class VerificationOut(Schema):
    is_valid: bool = Field(..., description="at least one signature, and every one valid and trusted")
    signatures: list[SignatureOut]


class CertificateOut(Schema):
    id: int
    user_id: int
    subject_name: str
    position: str
    serial_number: str
    status: str
    not_before: datetime
    not_after: datetime
    revoked_at: datetime | None
    revocation_reason: str


@router.post(
    "/verify",
    response={200: VerificationOut, **ERRORS},
    summary="Verify every signature in an uploaded PDF",
)
def verify(request: HttpRequest, file: File[UploadedFile]) -> VerificationOut | HttpResponse:
    if file.size is not None and file.size > MAX_PDF_BYTES:
        return problem(422, detail_th="ไฟล์ใหญ่เกิน 10 MB", detail_en="The file is larger than 10 MB")
    data = file.read()
    actor = request.user if request.user.is_authenticated else None
    try:
        report = services.pdf_verify(pdf=data, actor=actor)
    except (services.PdfRejectedError, services.PkiError) as exc:
        return problem(422, detail_th=exc.thai, detail_en=exc.english)
    return VerificationOut(
        is_valid=report.is_valid,
        signatures=[SignatureOut(**vars(s)) for s in report.signatures],
    )


@router.get(
    "/certificates",
    response={200: list[CertificateOut], **ERRORS},
    summary="Signing certificates: all for a PKI manager, else the caller's own",
)
@paginate(Pages)
def certificate_list(request: HttpRequest, status: str = "") -> QuerySet[SigningCertificate]:
    return selectors.certificate_list(actor=request.user, status=status)
