"""Writes of the PKI and e-signatures: set up the CAs, issue and revoke certificates, publish
CRLs, issue timestamps, sign and verify PDFs. Every one is audited.

Other modules call ``pdf_sign`` and ``pdf_verify`` (keyword-only):

    signed = pdf_sign(signer=user, pdf=data, reason="อนุมัติ", location="กรุงเทพฯ")
    report = pdf_verify(pdf=signed)  # report.is_valid, report.signatures[i].signer_name, ...
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from dataclasses import dataclass
from typing import Any, cast

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from codi.core.audit import audit_record
from codi.core.pdf import render_pdf
from codi.core.thaidate import thai_date
from codi.identity.models import User
from codi.signatures import keystore, pades, pki
from codi.signatures.models import (
    AuthorityKey,
    AuthorityKind,
    CertificateStatus,
    RevocationReason,
    SigningCertificate,
)
from codi.signatures.pades import PdfRejectedError, SignatureReport, VerificationReport
from codi.signatures.tsa import TsaCredentials, respond_der

__all__ = [
    "PdfRejectedError",
    "PkiError",
    "SignatureReport",
    "SignedPdf",
    "SigningRefusedError",
    "VerificationReport",
    "certificate_issue",
    "certificate_revoke",
    "crl_current",
    "pdf_render_sign",
    "pdf_sign",
    "pdf_verify",
    "pki_init",
    "public_base_url",
    "timestamp_issue",
]

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"
# A CRL is republished when less than this is left before its nextUpdate.
_CRL_REFRESH_MARGIN = {AuthorityKind.ROOT: dt.timedelta(days=30), AuthorityKind.ISSUING: dt.timedelta(days=1)}
_CRL_DAYS = {AuthorityKind.ROOT: pki.ROOT_CRL_DAYS, AuthorityKind.ISSUING: pki.ISSUING_CRL_DAYS}


class PkiError(ValidationError):
    """The PKI is not set up, or is set up already (Thai / English message)."""

    def __init__(self, thai: str, english: str) -> None:
        super().__init__(f"{thai} / {english}", code="pki")
        self.thai = thai
        self.english = english


class SigningRefusedError(PkiError):
    """The signer has no usable certificate, or the request lacks a verified second factor."""


def public_base_url() -> str:
    """Where the platform is reached from outside; embedded in certificates (CRL, CA issuer URLs)."""
    return str(getattr(settings, "CODI_PUBLIC_URL", "") or DEFAULT_PUBLIC_URL).rstrip("/")


def _urls() -> pki.Urls:
    return pki.Urls(base=public_base_url())


def _store(kind: str, cert: x509.Certificate, key: Any) -> AuthorityKey:
    return AuthorityKey.objects.create(
        kind=kind,
        subject=cert.subject.rfc4514_string(),
        serial_number=format(cert.serial_number, "x"),
        certificate_pem=pki.cert_pem(cert),
        private_key_sealed=keystore.seal_private_key(key),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
    )


def _active(kind: str) -> AuthorityKey:
    authority = AuthorityKey.objects.filter(kind=kind, is_active=True).first()
    if authority is None:
        raise PkiError(
            "ยังไม่ได้ตั้งค่าระบบใบรับรอง (ให้ผู้ดูแลระบบสั่ง manage.py pki_init)",
            "The PKI is not set up yet (an administrator runs manage.py pki_init)",
        )
    return authority


def pki_init(*, actor: User | None = None, force: bool = False) -> list[AuthorityKey]:
    """Create the root CA, the issuing CA and the timestamp authority's certificate.

    Refuses when a PKI exists unless ``force``; then the old authorities are kept inactive and
    every certificate they issued is revoked as superseded (it no longer chains to the root).
    """
    with transaction.atomic():
        existing = list(AuthorityKey.objects.select_for_update().filter(is_active=True))
        if existing and not force:
            raise PkiError(
                "มีระบบใบรับรองอยู่แล้ว (ใช้ --force เพื่อสร้างใหม่ ใบรับรองเดิมทั้งหมดจะถูกเพิกถอน)",
                "A PKI exists already (use --force to replace it; every certificate it issued is revoked)",
            )
        now = timezone.now()
        revoked = 0
        if existing:
            revoked = SigningCertificate.objects.filter(
                issuer__in=existing, status=CertificateStatus.ACTIVE
            ).update(
                status=CertificateStatus.REVOKED,
                revoked_at=now,
                revocation_reason=RevocationReason.SUPERSEDED,
                revoked_by=actor,
            )
            AuthorityKey.objects.filter(pk__in=[a.pk for a in existing]).update(is_active=False)
        urls = _urls()
        root_key, issuing_key, tsa_key = pki.new_key(), pki.new_key(), pki.new_key()
        root = pki.make_root(key=root_key, now=now)
        issuing = pki.make_issuing(key=issuing_key, root=root, root_key=root_key, urls=urls, now=now)
        tsa = pki.make_tsa(key=tsa_key, issuing=issuing, issuing_key=issuing_key, urls=urls, now=now)
        created = [
            _store(AuthorityKind.ROOT, root, root_key),
            _store(AuthorityKind.ISSUING, issuing, issuing_key),
            _store(AuthorityKind.TSA, tsa, tsa_key),
        ]
        for authority in created[:2]:
            _crl_publish(authority, now=now)
        audit_record(
            actor=actor,
            action="signatures.pki.init",
            object_type="signatures.AuthorityKey",
            object_id=created[0].pk,
            changes={
                "root": created[0].serial_number,
                "issuing": created[1].serial_number,
                "tsa": created[2].serial_number,
                "replaced": [a.serial_number for a in existing],
                "certificates_revoked": revoked,
                "public_url": urls.base,
            },
        )
        return created


def _crl_publish(authority: AuthorityKey, *, now: dt.datetime) -> None:
    """Sign a new CRL for a CA (root: revoked issuing CAs, none so far; issuing: revoked people)."""
    revoked: list[pki.Revoked] = []
    if authority.kind == AuthorityKind.ISSUING:
        for serial, revoked_at, reason in SigningCertificate.objects.filter(
            issuer=authority, status=CertificateStatus.REVOKED
        ).values_list("serial_number", "revoked_at", "revocation_reason"):
            revoked.append(
                pki.Revoked(
                    serial_number=int(serial, 16),
                    revoked_at=revoked_at or now,
                    reason=x509.ReasonFlags[reason or "unspecified"],
                )
            )
    authority.crl_number += 1
    crl = pki.make_crl(
        issuer=pki.load_pem(authority.certificate_pem),
        issuer_key=keystore.open_private_key(authority.private_key_sealed),
        number=authority.crl_number,
        revoked=revoked,
        now=now,
        days=_CRL_DAYS[AuthorityKind(authority.kind)],
    )
    authority.crl_der = crl.public_bytes(encoding=serialization.Encoding.DER)
    authority.crl_next_update = crl.next_update_utc
    authority.save(update_fields=["crl_number", "crl_der", "crl_next_update"])


def crl_current(*, kind: str) -> bytes:
    """The current CRL (DER) of the root or issuing CA, republished first when it is near expiry."""
    now = timezone.now()
    authority = _active(kind)
    margin = _CRL_REFRESH_MARGIN[AuthorityKind(kind)]
    if authority.crl_der and authority.crl_next_update and authority.crl_next_update - now > margin:
        return bytes(authority.crl_der)
    with transaction.atomic():
        authority = AuthorityKey.objects.select_for_update().get(pk=authority.pk)
        if not (authority.crl_der and authority.crl_next_update and authority.crl_next_update - now > margin):
            _crl_publish(authority, now=now)
            audit_record(
                actor=None,
                action="signatures.crl.publish",
                object_type="signatures.AuthorityKey",
                object_id=authority.pk,
                changes={"kind": kind, "crl_number": authority.crl_number},
            )
        return bytes(authority.crl_der)


def certificate_issue(
    *, actor: User | None, user: User, position: str = "", second_factor_verified: bool
) -> SigningCertificate:
    """Issue a signing certificate for ``user`` (name, position, unit, CRL URL, signing key usage).

    The request must come from a session that passed the second factor
    (``second_factor_verified``: the caller passes ``request.user.is_verified()``). An active
    certificate the user had is revoked as superseded.
    """
    if not second_factor_verified:
        raise SigningRefusedError(
            "ต้องยืนยันตัวตนสองขั้นตอน (รหัส OTP) ก่อนขอใบรับรองลายมือชื่ออิเล็กทรอนิกส์",
            "Pass two-factor verification (OTP code) before requesting a signing certificate",
        )
    name = user.name_th or user.name_en or user.get_full_name() or user.get_username()
    position = (position or user.position).strip()
    unit = user.org_unit.name_th if user.org_unit is not None else ""
    with transaction.atomic():
        issuing = AuthorityKey.objects.select_for_update().get(pk=_active(AuthorityKind.ISSUING).pk)
        now = timezone.now()
        previous = list(
            SigningCertificate.objects.select_for_update().filter(user=user, status=CertificateStatus.ACTIVE)
        )
        for old in previous:
            _revoke(old, actor=actor, reason=RevocationReason.SUPERSEDED, now=now)
        key = pki.new_key()
        cert = pki.make_signing(
            public_key=key.public_key(),
            common_name=name,
            position=position,
            unit=unit,
            email=user.email,
            user_id=user.pk,
            issuing=pki.load_pem(issuing.certificate_pem),
            issuing_key=keystore.open_private_key(issuing.private_key_sealed),
            urls=_urls(),
            now=now,
        )
        certificate = SigningCertificate.objects.create(
            user=user,
            issuer=issuing,
            serial_number=format(cert.serial_number, "x"),
            subject_name=name,
            position=position,
            certificate_pem=pki.cert_pem(cert),
            private_key_sealed=keystore.seal_private_key(key),
            not_before=cert.not_valid_before_utc,
            not_after=cert.not_valid_after_utc,
            requested_at=now,
            requested_by=actor,
        )
        if previous:
            _crl_publish(issuing, now=now)
        audit_record(
            actor=actor,
            action="signatures.certificate.issue",
            object_type="signatures.SigningCertificate",
            object_id=certificate.pk,
            changes={
                "user_id": user.pk,
                "serial_number": certificate.serial_number,
                "subject_name": name,
                "position": position,
                "not_after": certificate.not_after.isoformat(),
                "superseded": [c.serial_number for c in previous],
            },
            personal_fields=["subject_name"],
        )
        return certificate


def _revoke(certificate: SigningCertificate, *, actor: User | None, reason: str, now: dt.datetime) -> None:
    certificate.status = CertificateStatus.REVOKED
    certificate.revoked_at = now
    certificate.revocation_reason = reason
    certificate.revoked_by = actor
    certificate.save(update_fields=["status", "revoked_at", "revocation_reason", "revoked_by"])


def certificate_revoke(
    *, actor: User, certificate: SigningCertificate, reason: str = RevocationReason.UNSPECIFIED
) -> SigningCertificate:
    """Revoke a certificate and publish a new CRL at once, so validators see it immediately."""
    if reason not in RevocationReason.values:
        raise PkiError("เหตุผลการเพิกถอนไม่ถูกต้อง", "Unknown revocation reason")
    with transaction.atomic():
        certificate = SigningCertificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.status == CertificateStatus.REVOKED:
            raise PkiError("ใบรับรองนี้ถูกเพิกถอนไปแล้ว", "This certificate is revoked already")
        now = timezone.now()
        _revoke(certificate, actor=actor, reason=reason, now=now)
        issuer = AuthorityKey.objects.select_for_update().get(pk=certificate.issuer_id)
        if issuer.is_active:
            _crl_publish(issuer, now=now)
        audit_record(
            actor=actor,
            action="signatures.certificate.revoke",
            object_type="signatures.SigningCertificate",
            object_id=certificate.pk,
            changes={
                "status": [CertificateStatus.ACTIVE, CertificateStatus.REVOKED],
                "reason": reason,
                "serial_number": certificate.serial_number,
                "crl_number": issuer.crl_number,
            },
        )
        return certificate


@dataclass(frozen=True)
class _Platform:
    """What signing, timestamping and verifying need from the active authorities."""

    trust: pades.TrustMaterial
    tsa: TsaCredentials
    tsa_id: int


# Per thread: parsed certificates, the opened TSA key and the CRLs, rebuilt whenever an authority
# or a CRL changes (serial numbers and CRL numbers are the key), so a revocation is seen at once.
_cache = threading.local()


def _crl_is_fresh(authority: AuthorityKey, now: dt.datetime) -> bool:
    margin = _CRL_REFRESH_MARGIN[AuthorityKind(authority.kind)]
    return (
        bool(authority.crl_der)
        and authority.crl_next_update is not None
        and (authority.crl_next_update - now > margin)
    )


def _platform() -> _Platform:
    authorities = {a.kind: a for a in AuthorityKey.objects.filter(is_active=True)}
    if len(authorities) < len(AuthorityKind.values):
        _active(AuthorityKind.ROOT)  # raises the "not set up" error
        raise PkiError(
            "ระบบใบรับรองไม่ครบ (สั่ง pki_init --force)", "The PKI is incomplete (run pki_init --force)"
        )
    now = timezone.now()
    for kind in (AuthorityKind.ROOT, AuthorityKind.ISSUING):
        if not _crl_is_fresh(authorities[kind], now):
            crl_current(kind=kind)
            authorities[kind].refresh_from_db()
    key = tuple((kind, a.serial_number, a.crl_number) for kind, a in sorted(authorities.items()))
    cached = getattr(_cache, "platform", None)
    if cached is not None and cached[0] == key:
        return cast(_Platform, cached[1])
    root, issuing, tsa = (
        authorities[k] for k in (AuthorityKind.ROOT, AuthorityKind.ISSUING, AuthorityKind.TSA)
    )
    root_der, issuing_der, tsa_der = (
        pki.cert_der(pki.load_pem(a.certificate_pem)) for a in (root, issuing, tsa)
    )
    platform = _Platform(
        trust=pades.TrustMaterial(
            roots_der=(root_der,),
            other_certs_der=(issuing_der, tsa_der),
            crls_der=(bytes(root.crl_der), bytes(issuing.crl_der)),
        ),
        tsa=TsaCredentials(
            cert_der=tsa_der,
            key=keystore.open_private_key(tsa.private_key_sealed),
            chain_der=(issuing_der, root_der),
        ),
        tsa_id=tsa.pk,
    )
    _cache.platform = (key, platform)
    return platform


def timestamp_issue(*, actor: User | None, request_der: bytes) -> bytes:
    """Answer an RFC 3161 request (DER) with a timestamp reply (DER) from the platform's TSA."""
    platform = _platform()
    reply, status = respond_der(request_der, creds=platform.tsa)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="signatures.timestamp.issue",
            object_type="signatures.AuthorityKey",
            object_id=platform.tsa_id,
            changes={"status": status, "request_sha256": hashlib.sha256(request_der).hexdigest()},
        )
    return reply


def _usable_certificate(signer: User) -> SigningCertificate:
    certificate = (
        SigningCertificate.objects.select_related("issuer")
        .filter(user=signer)
        .order_by("-requested_at", "-id")
        .first()
    )
    if certificate is None:
        raise SigningRefusedError(
            "ผู้ลงนามยังไม่มีใบรับรองลายมือชื่ออิเล็กทรอนิกส์ (ขอได้ที่หน้า ใบรับรองของฉัน)",
            "The signer has no signing certificate (request one on the My certificates page)",
        )
    if certificate.status == CertificateStatus.REVOKED:
        raise SigningRefusedError(
            "ใบรับรองของผู้ลงนามถูกเพิกถอนแล้ว ลงนามไม่ได้ (ขอใบรับรองใหม่)",
            "The signer's certificate is revoked; it cannot sign (request a new certificate)",
        )
    if certificate.not_after <= timezone.now():
        raise SigningRefusedError(
            "ใบรับรองของผู้ลงนามหมดอายุแล้ว ลงนามไม่ได้ (ขอใบรับรองใหม่)",
            "The signer's certificate has expired; it cannot sign (request a new certificate)",
        )
    if not certificate.issuer.is_active:
        raise SigningRefusedError(
            "ใบรับรองของผู้ลงนามออกโดยผู้ออกใบรับรองที่ถูกแทนที่แล้ว (ขอใบรับรองใหม่)",
            "The signer's certificate was issued by a replaced CA (request a new certificate)",
        )
    return certificate


@dataclass(frozen=True)
class _SigningSetup:
    signer: pades.SignerCredentials
    tsa: TsaCredentials
    trust: pades.TrustMaterial


def _signing_setup(certificate: SigningCertificate) -> _SigningSetup:
    platform = _platform()
    return _SigningSetup(
        signer=pades.SignerCredentials(
            cert_der=pki.cert_der(pki.load_pem(certificate.certificate_pem)),
            key_der=keystore.open_private_key_der(certificate.private_key_sealed),
            chain_der=(platform.trust.other_certs_der[0], platform.trust.roots_der[0]),
        ),
        tsa=platform.tsa,
        trust=platform.trust,
    )


def pdf_sign(
    *,
    signer: User,
    pdf: bytes,
    reason: str,
    location: str = "",
    visible: bool = True,
    certify: bool = False,
) -> bytes:
    """Sign ``pdf`` as ``signer`` (PAdES B-LT) and return the signed PDF.

    Signature timestamp from the platform TSA (in process), certificate chain and CRLs
    embedded, an optional visible stamp (name, position, Buddhist-Era date, in Sarabun) on the
    last page. Each call appends an incremental update, so earlier signatures stay valid.
    ``certify`` locks the document (see ``pades.sign``). Raises ``SigningRefusedError`` (no,
    revoked or expired certificate) or ``PdfRejectedError`` (not a PDF, encrypted, damaged).
    """
    certificate = _usable_certificate(signer)
    setup = _signing_setup(certificate)
    stamp = None
    if visible:
        stamp = pades.StampText(
            name=certificate.subject_name,
            position=certificate.position,
            date=thai_date(timezone.now(), with_time=True),
        )
    signed = pades.sign(
        pdf,
        signer=setup.signer,
        tsa=setup.tsa,
        trust=setup.trust,
        reason=reason,
        location=location,
        stamp=stamp,
        certify=certify,
    )
    with transaction.atomic():
        audit_record(
            actor=signer,
            action="signatures.pdf.sign",
            object_type="signatures.SigningCertificate",
            object_id=certificate.pk,
            changes={
                "serial_number": certificate.serial_number,
                "reason": reason,
                "location": location,
                "visible": visible,
                "certify": certify,
                "input_sha256": hashlib.sha256(pdf).hexdigest(),
                "output_sha256": hashlib.sha256(signed).hexdigest(),
            },
        )
    return signed


@dataclass(frozen=True)
class SignedPdf:
    """A document printed from a template and signed: the bytes and their SHA-256."""

    data: bytes
    sha256: str

    def file(self, stem: str) -> ContentFile[bytes]:
        """The signed bytes as a file to keep, named ``<stem>-<first 12 hex of the digest>.pdf``."""
        return ContentFile(self.data, name=f"{stem}-{self.sha256[:12]}.pdf")


def pdf_render_sign(
    *,
    signer: User,
    template: str,
    context: dict[str, Any],
    reason: str,
    location: str = "",
    visible: bool = True,
) -> SignedPdf:
    """Print a document and sign it: ``template`` (a ``core/pdf_base.html`` page, Thai-shaped) rendered
    with ``context`` by ``codi.core.pdf.render_pdf``, then ``pdf_sign`` as ``signer``.

    The one path other modules use to issue a signed document (a loan contract, an audit report, a
    self-assessment). Nothing is kept here: the caller stores ``SignedPdf.file(stem)`` with its own
    record, in its own transaction. Raises ``SigningRefusedError`` (a ``PkiError``) before anything
    is written when the signer has no usable certificate or the PKI is not set up.
    """
    _usable_certificate(signer)  # refuse before spending the render on a signer who cannot sign
    signed = pdf_sign(
        signer=signer, pdf=render_pdf(template, context), reason=reason, location=location, visible=visible
    )
    return SignedPdf(data=signed, sha256=hashlib.sha256(signed).hexdigest())


def pdf_verify(*, pdf: bytes, actor: User | None = None) -> VerificationReport:
    """Validate every signature in ``pdf`` against the platform root and its current CRLs.

    Per signature: signer, signing time, timestamp, integrity, trust chain, revocation status,
    changes after signing. ``report.is_valid`` is true only when there is at least one
    signature and all are valid and trusted. Raises ``PdfRejectedError`` for a file that is not a
    readable, unencrypted PDF.
    """
    report = pades.verify(pdf, trust=_platform().trust)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="signatures.pdf.verify",
            object_type="signatures.VerificationReport",
            changes={
                "sha256": hashlib.sha256(pdf).hexdigest(),
                "signatures": len(report.signatures),
                "valid": report.is_valid,
                "serials": [s.signer_serial for s in report.signatures],
            },
        )
    return report
