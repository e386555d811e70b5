"""Users, org units, role assignments with area scopes, API keys."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from codi.identity.roles import EXTERNAL_ROLES, Role, ScopeLevel


class OrgUnit(models.Model):
    """A CODI unit: head office department, regional office, sub-unit."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name_th = models.CharField(_("Thai name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name_th


class User(AbstractUser):
    name_th = models.CharField(_("name (Thai)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    failed_login_count = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    # Raised by "log out everywhere": every session signed with the old value stops working.
    session_version = models.PositiveIntegerField(default=0)
    is_demo = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.name_th or self.get_username()

    def get_session_auth_hash(self) -> str:
        return salted_hmac(
            "codi.identity.User.get_session_auth_hash",
            f"{self.password}:{self.session_version}",
            algorithm="sha256",
        ).hexdigest()

    @property
    def display_name(self) -> str:
        return self.name_th or self.name_en or self.get_username()

    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()


class RoleAssignment(models.Model):
    """A role granted to a user over an area (and optionally one org unit)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=40, choices=Role.choices)
    scope_level = models.CharField(_("scope"), max_length=20, choices=ScopeLevel.choices)
    # Empty for the whole country; a CODI region code; a 2-, 4- or 6-digit DOPA code.
    scope_code = models.CharField(_("area code"), max_length=10, blank=True)
    org_unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT)
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="role_grants_made"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "scope_level", "scope_code"], name="unique_role_scope_per_user"
            )
        ]
        ordering = ["user_id", "role"]

    def __str__(self) -> str:
        return f"{self.user} {self.role} @ {self.scope_level}:{self.scope_code or '*'}"

    @property
    def is_external(self) -> bool:
        return self.role in EXTERNAL_ROLES


class ApiKey(models.Model):
    """A partner system's key. Only a hash is stored; the key is shown once when created."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    rate_limit_per_minute = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class TrustedDevice(models.Model):
    """A browser that passed a full two-step sign-in; its signed cookie names ``token``.

    The owner lists and revokes them on "My devices" (``codi.identity.trusted``); a revoked
    device's cookie no longer lets its owner sign in during a sign-in pause.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="trusted_devices")
    token = models.CharField(max_length=43, unique=True)
    label = models.CharField(_("device"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.label or self.token[:8]


class OidcCodeExchange(models.Model):
    """Which tokens an authorization code was exchanged for, so that a replayed code revokes them.

    RFC 6749 §4.1.2: a code used twice means it leaked; the tokens issued from it are revoked.
    The code itself is kept only as a SHA-256 hash; rows are kept for a day (codes live a minute).
    """

    code_sha256 = models.CharField(max_length=64, unique=True)
    client_id = models.CharField(max_length=100)
    access_token_id = models.BigIntegerField(null=True, blank=True)
    refresh_token_family = models.UUIDField(null=True, blank=True)
    exchanged_at = models.DateTimeField(default=timezone.now, db_index=True)
    replayed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.client_id} {self.code_sha256[:12]}…"
