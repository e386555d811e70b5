"""Models of the PKI and e-signatures: the platform's own keys, and people's signing certificates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuthorityKind(models.TextChoices):
    ROOT = "root", _("Root CA")
    ISSUING = "issuing", _("Issuing CA")
    TSA = "tsa", _("Timestamp authority")


class AuthorityKey(models.Model):
    """A key pair the platform itself holds: root CA, issuing CA or timestamp authority.

    The private key is sealed (``codi.signatures.keystore``). ``pki_init --force`` keeps the
    old rows, inactive, so certificates issued under them can still be looked up.
    """

    kind = models.CharField(_("authority kind"), max_length=10, choices=AuthorityKind.choices)
    subject = models.CharField(_("certificate subject"), max_length=300)
    serial_number = models.CharField(_("serial number"), max_length=64)
    certificate_pem = models.TextField(_("certificate (PEM)"))
    private_key_sealed = models.BinaryField(_("private key (encrypted)"))
    not_before = models.DateTimeField(_("valid from"))
    not_after = models.DateTimeField(_("valid until"))
    is_active = models.BooleanField(_("active"), default=True)
    crl_number = models.PositiveIntegerField(_("CRL number"), default=0)
    crl_der = models.BinaryField(_("current CRL (DER)"), default=b"", blank=True)
    crl_next_update = models.DateTimeField(_("CRL next update"), null=True, blank=True)
    created_at = models.DateTimeField(_("key created"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=Q(is_active=True), name="one_active_authority_per_kind"
            )
        ]

    def __str__(self) -> str:
        return self.subject


class CertificateStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    REVOKED = "revoked", _("Revoked")


class RevocationReason(models.TextChoices):
    # Names are RFC 5280 CRLReason values (cryptography's ReasonFlags).
    UNSPECIFIED = "unspecified", _("Unspecified")
    KEY_COMPROMISE = "key_compromise", _("Key compromised")
    AFFILIATION_CHANGED = "affiliation_changed", _("Left the unit or changed position")
    SUPERSEDED = "superseded", _("Replaced by a new certificate")
    CESSATION_OF_OPERATION = "cessation_of_operation", _("No longer needed")


class SigningCertificate(models.Model):
    """A person's document-signing certificate, issued by the platform's issuing CA.

    The platform signs on the person's behalf (server-side signing), so the key pair is made
    and kept here, sealed. A person has at most one active certificate.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signing_certificates"
    )
    issuer = models.ForeignKey(AuthorityKey, on_delete=models.PROTECT, related_name="issued_certificates")
    serial_number = models.CharField(_("serial number"), max_length=64, unique=True)
    subject_name = models.CharField(_("name in the certificate"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    certificate_pem = models.TextField(_("certificate (PEM)"))
    private_key_sealed = models.BinaryField(_("private key (encrypted)"))
    not_before = models.DateTimeField(_("valid from"))
    not_after = models.DateTimeField(_("valid until"))
    status = models.CharField(
        _("status"), max_length=10, choices=CertificateStatus.choices, default=CertificateStatus.ACTIVE
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revocation_reason = models.CharField(
        _("revocation reason"), max_length=30, choices=RevocationReason.choices, blank=True
    )
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(status="active"), name="one_active_signing_certificate_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject_name} ({self.serial_number})"

    @property
    def is_usable(self) -> bool:
        return self.status == CertificateStatus.ACTIVE and self.not_after > timezone.now()
