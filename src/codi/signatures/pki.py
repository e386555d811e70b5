"""Certificates and CRLs of the platform's internal PKI, built with ``cryptography``.

Pure functions: no database. Every key is EC P-256 (fast to make and to sign with, and
accepted by Adobe, poppler/NSS and pyHanko). The URLs embedded in certificates (CRL
distribution points, CA issuers) start at the public base URL the caller passes.
"""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

ORGANIZATION = "Community Organizations Development Institute (Public Organization)"
ROOT_CN = "CODI Root CA"
ISSUING_CN = "CODI Issuing CA"
TSA_CN = "CODI Time-Stamping Authority"

ROOT_YEARS = 20
ISSUING_YEARS = 10
TSA_YEARS = 5
SIGNING_YEARS = 2
ROOT_CRL_DAYS = 180
ISSUING_CRL_DAYS = 7
# Backdated a little so a validator whose clock is a few seconds behind still accepts them.
_SKEW = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class Urls:
    """Where the PKI's public objects are served (see ``codi.signatures.urls``)."""

    base: str

    @property
    def root_cert(self) -> str:
        return f"{self.base}/pki/root.crt"

    @property
    def issuing_cert(self) -> str:
        return f"{self.base}/pki/issuing.crt"

    @property
    def root_crl(self) -> str:
        return f"{self.base}/pki/crl/root.crl"

    @property
    def issuing_crl(self) -> str:
        return f"{self.base}/pki/crl/issuing.crl"

    @property
    def tsa(self) -> str:
        return f"{self.base}/pki/tsa"


def new_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _common_name(value: str) -> x509.NameAttribute:
    """RFC 5280 bounds a common name at 64 characters; cryptography checks 64 UTF-8 bytes, which a Thai
    name passes at only ~21 characters (3 bytes each). Keep up to 64 characters, skip the byte check."""

    value = value.strip()[:64] or "-"
    if len(value.encode("utf-8")) <= 64:
        return x509.NameAttribute(NameOID.COMMON_NAME, value)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return x509.NameAttribute(NameOID.COMMON_NAME, value, _validate=False)


def _name(common_name: str, *extra: x509.NameAttribute) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "TH"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANIZATION),
            *extra,
            _common_name(common_name),
        ]
    )


def _cdp(url: str) -> x509.CRLDistributionPoints:
    return x509.CRLDistributionPoints(
        [
            x509.DistributionPoint(
                full_name=[x509.UniformResourceIdentifier(url)],
                relative_name=None,
                reasons=None,
                crl_issuer=None,
            )
        ]
    )


def _aia(url: str) -> x509.AuthorityInformationAccess:
    return x509.AuthorityInformationAccess(
        [
            x509.AccessDescription(
                x509.AuthorityInformationAccessOID.CA_ISSUERS, x509.UniformResourceIdentifier(url)
            )
        ]
    )


def _key_usage(*, signing: bool = False, ca: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signing or not ca,
        content_commitment=signing,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _builder(
    *,
    subject: x509.Name,
    issuer: x509.Name,
    public_key: ec.EllipticCurvePublicKey,
    issuer_key: ec.EllipticCurvePrivateKey,
    now: dt.datetime,
    years: int,
    not_after_cap: dt.datetime | None = None,
) -> x509.CertificateBuilder:
    not_after = now + dt.timedelta(days=365 * years)
    if not_after_cap is not None:
        not_after = min(not_after, not_after_cap)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _SKEW)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False
        )
    )


def make_root(*, key: ec.EllipticCurvePrivateKey, now: dt.datetime) -> x509.Certificate:
    name = _name(ROOT_CN)
    return (
        _builder(
            subject=name, issuer=name, public_key=key.public_key(), issuer_key=key, now=now, years=ROOT_YEARS
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=1), critical=True)
        .add_extension(_key_usage(ca=True), critical=True)
        .sign(key, hashes.SHA256())
    )


def make_issuing(
    *,
    key: ec.EllipticCurvePrivateKey,
    root: x509.Certificate,
    root_key: ec.EllipticCurvePrivateKey,
    urls: Urls,
    now: dt.datetime,
) -> x509.Certificate:
    return (
        _builder(
            subject=_name(ISSUING_CN),
            issuer=root.subject,
            public_key=key.public_key(),
            issuer_key=root_key,
            now=now,
            years=ISSUING_YEARS,
            not_after_cap=root.not_valid_after_utc,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(ca=True), critical=True)
        .add_extension(_cdp(urls.root_crl), critical=False)
        .add_extension(_aia(urls.root_cert), critical=False)
        .sign(root_key, hashes.SHA256())
    )


def make_tsa(
    *,
    key: ec.EllipticCurvePrivateKey,
    issuing: x509.Certificate,
    issuing_key: ec.EllipticCurvePrivateKey,
    urls: Urls,
    now: dt.datetime,
) -> x509.Certificate:
    return (
        _builder(
            subject=_name(TSA_CN),
            issuer=issuing.subject,
            public_key=key.public_key(),
            issuer_key=issuing_key,
            now=now,
            years=TSA_YEARS,
            not_after_cap=issuing.not_valid_after_utc,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(signing=True), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .add_extension(_cdp(urls.issuing_crl), critical=False)
        .add_extension(_aia(urls.issuing_cert), critical=False)
        .sign(issuing_key, hashes.SHA256())
    )


def make_signing(
    *,
    public_key: ec.EllipticCurvePublicKey,
    common_name: str,
    position: str,
    unit: str,
    email: str,
    user_id: int,
    issuing: x509.Certificate,
    issuing_key: ec.EllipticCurvePrivateKey,
    urls: Urls,
    now: dt.datetime,
) -> x509.Certificate:
    """A person's document-signing certificate: name, position (title) and unit in the subject."""
    extra = [x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit)] if unit else []
    if position:
        extra.append(x509.NameAttribute(NameOID.TITLE, position))
    # A stable identifier of the person in the platform: names may repeat.
    extra.append(x509.NameAttribute(NameOID.USER_ID, f"codi-user-{user_id}"))
    builder = _builder(
        subject=_name(common_name, *extra),
        issuer=issuing.subject,
        public_key=public_key,
        issuer_key=issuing_key,
        now=now,
        years=SIGNING_YEARS,
        not_after_cap=issuing.not_valid_after_utc,
    )
    builder = (
        builder.add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(signing=True), critical=True)
        .add_extension(_cdp(urls.issuing_crl), critical=False)
        .add_extension(_aia(urls.issuing_cert), critical=False)
    )
    if email:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False)
    return builder.sign(issuing_key, hashes.SHA256())


@dataclass(frozen=True)
class Revoked:
    serial_number: int
    revoked_at: dt.datetime
    reason: x509.ReasonFlags


def make_crl(
    *,
    issuer: x509.Certificate,
    issuer_key: ec.EllipticCurvePrivateKey,
    number: int,
    revoked: list[Revoked],
    now: dt.datetime,
    days: int,
) -> x509.CertificateRevocationList:
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.subject)
        .last_update(now - _SKEW)
        .next_update(now + dt.timedelta(days=days))
        .add_extension(x509.CRLNumber(number), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False
        )
    )
    for entry in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(entry.serial_number)
            .revocation_date(entry.revoked_at)
            .add_extension(x509.CRLReason(entry.reason), critical=False)
            .build()
        )
    return builder.sign(issuer_key, hashes.SHA256())


def cert_pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii")


def cert_der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def load_pem(pem: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate(pem.encode("ascii"))
