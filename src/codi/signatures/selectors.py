"""Reads of the PKI: certificates a user may see, and the platform's public certificates and CRLs.

Certificates have no area: a PKI manager sees every one, anyone else only their own.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm
from codi.signatures.models import AuthorityKey, CertificateStatus, SigningCertificate


def can_manage(user: Any) -> bool:
    return bool(user.is_authenticated) and user_has_perm(user, Perm.SIGNATURES_MANAGE)


def can_sign(user: Any) -> bool:
    return bool(user.is_authenticated) and user_has_perm(user, Perm.SIGNATURES_SIGN)


def certificate_list(*, actor: Any, status: str = "", search: str = "") -> QuerySet[SigningCertificate]:
    """Certificates the actor may see, newest first: all for a PKI manager, else their own."""
    queryset = SigningCertificate.objects.select_related("user", "revoked_by")
    if not can_manage(actor):
        if not actor.is_authenticated:
            return queryset.none()
        queryset = queryset.filter(user=actor)
    if status in CertificateStatus.values:
        queryset = queryset.filter(status=status)
    if search:
        queryset = queryset.filter(
            Q(subject_name__icontains=search)
            | Q(user__username__icontains=search)
            | Q(serial_number__iexact=search.lower())
        )
    return queryset.order_by("-requested_at", "-id")


def certificate_get(*, actor: Any, certificate_id: int) -> SigningCertificate | None:
    return certificate_list(actor=actor).filter(pk=certificate_id).first()


def certificate_active_for(*, user: Any) -> SigningCertificate | None:
    return SigningCertificate.objects.filter(user=user, status=CertificateStatus.ACTIVE).first()


def authority_active(*, kind: str) -> AuthorityKey | None:
    """The active root CA, issuing CA or TSA (public certificates: no actor needed)."""
    return AuthorityKey.objects.filter(kind=kind, is_active=True).first()
