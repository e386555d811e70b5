"""Every write about users, roles, sign-in, MFA and API keys; each one audited."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from codi.areas.models import District, Province, Region, Subdistrict
from codi.areas.services import province_region_write
from codi.core import ratelimit
from codi.core.audit import audit_record
from codi.identity import trusted
from codi.identity.models import ApiKey, OrgUnit, RoleAssignment, User
from codi.identity.roles import Role, ScopeLevel
from codi.identity.selectors import user_can_manage_areas

RECOVERY_CODE_COUNT = 10


class IdentityError(ValidationError):
    """A rule about users or roles was broken; the message is Thai / English."""


# --- users --------------------------------------------------------------------------


def user_create(
    *,
    actor: Any,
    username: str,
    password: str,
    name_th: str = "",
    name_en: str = "",
    email: str = "",
    position: str = "",
    org_unit: OrgUnit | None = None,
    is_demo: bool = False,
) -> User:
    """Create a user after checking the password policy (≥ 12 characters, not common)."""
    username = username.strip()
    if not username:
        raise IdentityError("กรุณาระบุชื่อผู้ใช้ / Username is required", code="username")
    if User.objects.filter(username__iexact=username).exists():
        raise IdentityError("ชื่อผู้ใช้นี้มีอยู่แล้ว / This username is taken", code="username")
    user = User(
        username=username,
        name_th=name_th,
        name_en=name_en,
        email=email,
        position=position,
        org_unit=org_unit,
        is_demo=is_demo,
    )
    password_validation.validate_password(password, user)
    user.set_password(password)
    with transaction.atomic():
        user.save()
        audit_record(
            actor=actor,
            action="identity.user_create",
            object_type="identity.user",
            object_id=user.pk,
            changes={
                "username": username,
                "name_th": name_th,
                "org_unit": org_unit.code if org_unit else None,
            },
        )
    return user


def user_set_active(*, actor: Any, user: User, is_active: bool) -> User:
    with transaction.atomic():
        # save(), not update(): post_save tells the API key cache (codi.api.keycache) to forget the user.
        user.is_active = is_active
        user.session_version = user.session_version + 1
        user.save(update_fields=["is_active", "session_version"])
        user.refresh_from_db()
        audit_record(
            actor=actor,
            action="identity.user_activate" if is_active else "identity.user_deactivate",
            object_type="identity.user",
            object_id=user.pk,
            changes={"is_active": is_active},
        )
    return user


def user_change_password(*, actor: Any, user: User, new_password: str) -> None:
    password_validation.validate_password(new_password, user)
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        audit_record(
            actor=actor, action="identity.password_change", object_type="identity.user", object_id=user.pk
        )


def user_logout_everywhere(*, actor: Any, user: User) -> None:
    """End every session of ``user`` on every device (their session hash changes)."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(session_version=user.session_version + 1)
        user.refresh_from_db(fields=["session_version"])
        audit_record(
            actor=actor, action="identity.logout_everywhere", object_type="identity.user", object_id=user.pk
        )


# --- roles and scopes -------------------------------------------------------------


def _check_scope(scope_level: str, scope_code: str) -> None:
    lookups: dict[str, Any] = {
        ScopeLevel.REGION: Region.objects.filter(code=scope_code),
        ScopeLevel.PROVINCE: Province.objects.filter(code=scope_code),
        ScopeLevel.DISTRICT: District.objects.filter(code=scope_code),
        ScopeLevel.SUBDISTRICT: Subdistrict.objects.filter(code=scope_code),
    }
    if scope_level not in ScopeLevel.values:
        raise IdentityError("ระดับขอบเขตไม่ถูกต้อง / Unknown scope level", code="scope_level")
    if scope_level == ScopeLevel.COUNTRY:
        if scope_code:
            raise IdentityError(
                "ขอบเขตทั้งประเทศไม่ต้องระบุรหัสพื้นที่ / Country scope takes no code", code="scope_code"
            )
        return
    if not lookups[scope_level].exists():
        raise IdentityError(
            f"ไม่พบรหัสพื้นที่ {scope_code!r} / Unknown area code {scope_code!r} for {scope_level}",
            code="scope_code",
        )


def role_assign(
    *,
    actor: Any,
    user: User,
    role: str,
    scope_level: str,
    scope_code: str = "",
    org_unit: OrgUnit | None = None,
) -> RoleAssignment:
    """Grant ``role`` over an area; granting the same role and scope twice changes nothing."""
    if role not in Role.values:
        raise IdentityError("บทบาทไม่ถูกต้อง / Unknown role", code="role")
    scope_code = scope_code.strip()
    _check_scope(scope_level, scope_code)
    with transaction.atomic():
        assignment, created = RoleAssignment.objects.get_or_create(
            user=user,
            role=role,
            scope_level=scope_level,
            scope_code=scope_code,
            defaults={"org_unit": org_unit, "granted_by": actor if getattr(actor, "pk", None) else None},
        )
        if created:
            audit_record(
                actor=actor,
                action="identity.role_assign",
                object_type="identity.user",
                object_id=user.pk,
                changes={"role": role, "scope_level": scope_level, "scope_code": scope_code},
            )
    return assignment


def role_revoke(*, actor: Any, assignment: RoleAssignment) -> None:
    with transaction.atomic():
        details = {
            "role": assignment.role,
            "scope_level": assignment.scope_level,
            "scope_code": assignment.scope_code,
        }
        user_id = assignment.user_id
        assignment.delete()
        audit_record(
            actor=actor,
            action="identity.role_revoke",
            object_type="identity.user",
            object_id=user_id,
            changes=details,
        )


# --- sign-in ------------------------------------------------------------------------


@dataclass(frozen=True)
class LoginResult:
    """The answer to a sign-in attempt.

    ``user`` is set only on success. A refusal does not say whether the username exists
    or whether the account is paused (one message for all); ``is_throttled`` means the
    *address* has failed too often and gets 429 until ``retry_after`` seconds pass.
    """

    user: User | None
    is_throttled: bool = False
    retry_after: int = 0
    is_unavailable: bool = False
    # Set when a paused account signed in with password + second factor: the session is verified.
    otp_device: Any = None


_IP_SCOPE = "login-ip"


def _ip_usage(ip: str) -> ratelimit.Usage:
    return ratelimit.peek(
        _IP_SCOPE, ip, limit=settings.LOGIN_IP_FAILURES, window_seconds=settings.LOGIN_IP_WINDOW_SECONDS
    )


def _ip_failed(ip: str) -> None:
    ratelimit.hit(
        _IP_SCOPE, ip, limit=settings.LOGIN_IP_FAILURES, window_seconds=settings.LOGIN_IP_WINDOW_SECONDS
    )


def login_backoff_seconds(failures: int) -> int:
    """How long password sign-in pauses after ``failures`` failures in a row.

    Nothing below LOGIN_LOCKOUT_FAILURES; then 1, 2, 4, 8 … minutes up to LOGIN_LOCKOUT_SECONDS.
    """
    over = failures - settings.LOGIN_LOCKOUT_FAILURES
    if over < 0:
        return 0
    return int(min(settings.LOGIN_LOCKOUT_SECONDS, settings.LOGIN_BACKOFF_BASE_SECONDS * 2 ** min(over, 20)))


def login_check(
    *,
    username: str,
    password: str,
    ip: str | None = None,
    trusted_device: str | None = None,
    otp_token: str = "",
) -> LoginResult:
    """Check a password against two shared counters: one per address, one per account.

    * Per address (``ip``): after LOGIN_IP_FAILURES failures in LOGIN_IP_WINDOW_SECONDS the
      address gets ``is_throttled`` answers without any password being checked — guessing
      across many usernames from one place stops there.
    * Per account: LOGIN_LOCKOUT_FAILURES failures in a row pause password sign-in with a
      growing backoff (1, 2, 4 … minutes, at most LOGIN_LOCKOUT_SECONDS). A browser holding
      the account's trusted-device cookie (``trusted_device``, given after a full two-step
      sign-in) is not paused, so a stranger who knows a username cannot keep its owner out;
      nor is the right password with a valid second factor (``otp_token``: an authenticator
      code or a recovery code, used up) — a full two-step sign-in, returned with ``otp_device``.

    Unknown usernames, wrong passwords and paused accounts get the same answer after the
    same work (one password hash), so the answer does not reveal which usernames exist. With
    LDAP configured the directory is asked first; a refusal there falls through to the
    local password (and its count). The address counter lives in ``codi.core.ratelimit``
    (Redis or the database), the account's in its own row: both are shared by all processes.
    """
    address = ip or "unknown"
    try:
        usage = _ip_usage(address)
    except ratelimit.RateLimitUnavailableError:
        return LoginResult(None, is_unavailable=True)
    if usage.is_reached:
        return LoginResult(None, is_throttled=True, retry_after=usage.reset_in)
    if settings.LDAP_ENABLED:
        from codi.identity.ldap import ldap_authenticate  # heavy: python-ldap, only with LDAP on

        directory_user = ldap_authenticate(username=username.strip(), password=password)
        if directory_user is not None and directory_user.is_active and not directory_user.is_locked():
            with transaction.atomic():
                audit_record(
                    actor=directory_user,
                    action="identity.login",
                    object_type="identity.user",
                    object_id=directory_user.pk,
                    changes={"via": "ldap"},
                )
            return LoginResult(directory_user)
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username__iexact=username.strip()).first()
        if user is None:
            # Same work as a real check, so timing does not reveal which usernames exist.
            User().set_password(password)
            audit_record(
                actor=None,
                action="identity.login_failed",
                object_type="identity.user",
                changes={"username": username[:150]},
            )
        elif user.is_locked() and not trusted.is_trusted(trusted_device, user):
            device = None
            if otp_token.strip() and user.check_password(password) and user.is_active:
                device = mfa_verify(user=user, token=otp_token)
            if device is not None:
                User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)
                user.failed_login_count, user.locked_until = 0, None
                audit_record(
                    actor=user,
                    action="identity.login",
                    object_type="identity.user",
                    object_id=user.pk,
                    changes={"via": "second_factor_during_pause"},
                )
                return LoginResult(user, otp_device=device)
            if not otp_token.strip():
                User().set_password(password)  # the same work as a real check
            audit_record(
                actor=None,
                action="identity.login_refused_locked",
                object_type="identity.user",
                object_id=user.pk,
            )
        elif user.check_password(password) and user.is_active:
            if user.failed_login_count or user.locked_until:
                User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)
                user.failed_login_count, user.locked_until = 0, None
            changes = {"via": "trusted_device"} if trusted.is_trusted(trusted_device, user) else {}
            audit_record(
                actor=user,
                action="identity.login",
                object_type="identity.user",
                object_id=user.pk,
                changes=changes,
            )
            return LoginResult(user)
        else:
            failures = user.failed_login_count + 1
            pause = login_backoff_seconds(failures)
            locked_until = timezone.now() + timedelta(seconds=pause) if pause else None
            User.objects.filter(pk=user.pk).update(failed_login_count=failures, locked_until=locked_until)
            audit_record(
                actor=None,
                action="identity.login_locked" if locked_until else "identity.login_failed",
                object_type="identity.user",
                object_id=user.pk,
                changes={"failures": failures, "paused_seconds": pause},
            )
    # Counted after the transaction so a rollback cannot undo it; a store outage here still
    # refuses (the attempt already failed).
    try:
        _ip_failed(address)
    except ratelimit.RateLimitUnavailableError:
        return LoginResult(None, is_unavailable=True)
    return LoginResult(None)


# --- MFA --------------------------------------------------------------------------------


def mfa_totp_begin(*, user: User) -> TOTPDevice:
    """An unconfirmed authenticator for the user (replacing any earlier unconfirmed one)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def mfa_totp_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the authenticator with a first code; return fresh recovery codes, or None if the code is wrong."""
    if device.user_id != user.pk or not device.verify_token(token.strip()):
        return None
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        codes = _recovery_codes_replace(user)
        audit_record(actor=user, action="identity.mfa_enrol", object_type="identity.user", object_id=user.pk)
    return codes


def _recovery_codes_replace(user: User) -> list[str]:
    # Keep the device and replace its tokens: a session verified by a recovery code stays verified.
    static = StaticDevice.objects.filter(user=user).order_by("pk").first()
    if static is None:
        static = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    StaticDevice.objects.filter(user=user).exclude(pk=static.pk).delete()
    StaticToken.objects.filter(device=static).delete()
    codes = [f"{secrets.randbelow(10**10):010d}" for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    return codes


def mfa_recovery_codes_regenerate(*, user: User) -> list[str]:
    with transaction.atomic():
        codes = _recovery_codes_replace(user)
        audit_record(
            actor=user,
            action="identity.mfa_recovery_regenerate",
            object_type="identity.user",
            object_id=user.pk,
        )
    return codes


def mfa_verify(*, user: User, token: str) -> TOTPDevice | StaticDevice | None:
    """Check a code from the authenticator or one recovery code (used once)."""
    token = token.strip().replace(" ", "")
    with transaction.atomic():
        for device in [
            *TOTPDevice.objects.filter(user=user, confirmed=True),
            *StaticDevice.objects.filter(user=user),
        ]:
            if device.verify_token(token):
                kind = "recovery_code" if isinstance(device, StaticDevice) else "totp"
                audit_record(
                    actor=user,
                    action="identity.mfa_verify",
                    object_type="identity.user",
                    object_id=user.pk,
                    changes={"method": kind},
                )
                return device
        audit_record(actor=user, action="identity.mfa_failed", object_type="identity.user", object_id=user.pk)
    return None


def mfa_is_enrolled(*, user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


# --- API keys --------------------------------------------------------------------------


def _hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_key_create(
    *, actor: Any, user: User, name: str, rate_limit_per_minute: int | None = None
) -> tuple[ApiKey, str]:
    """Create a key for a partner system; the raw key is returned once and never stored."""
    if not name.strip():
        raise IdentityError("กรุณาตั้งชื่อกุญแจ / Give the key a name", code="name")
    prefix = secrets.token_hex(4)
    raw = f"codi_{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        key = ApiKey.objects.create(
            user=user,
            name=name.strip(),
            prefix=prefix,
            key_hash=_hash_key(raw),
            rate_limit_per_minute=rate_limit_per_minute,
        )
        audit_record(
            actor=actor,
            action="identity.api_key_create",
            object_type="identity.apikey",
            object_id=key.pk,
            changes={"user_id": user.pk, "name": key.name, "prefix": prefix},
        )
    return key, raw


def api_key_revoke(*, actor: Any, key: ApiKey) -> ApiKey:
    with transaction.atomic():
        if key.revoked_at is None:
            key.revoked_at = timezone.now()
            key.save(update_fields=["revoked_at"])
            audit_record(
                actor=actor, action="identity.api_key_revoke", object_type="identity.apikey", object_id=key.pk
            )
    return key


def api_key_authenticate(*, raw: str) -> ApiKey | None:
    """The active key matching ``raw`` (its user must be active too), or None."""
    parts = raw.split("_")
    if len(parts) < 3 or parts[0] != "codi":
        return None
    key = ApiKey.objects.select_related("user").filter(prefix=parts[1]).first()
    if key is None or not secrets.compare_digest(key.key_hash, _hash_key(raw)):
        return None
    if key.revoked_at is not None or not key.user.is_active:
        return None
    now = timezone.now()
    # Write at most once a minute per key, so a busy partner does not turn reads into writes.
    if key.last_used_at is None or now - key.last_used_at > timedelta(minutes=1):
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key


def province_set_region(*, actor: Any, province_code: str, region_code: str) -> Province:
    """Move a province to another CODI region (system administrators, country-wide).

    Identity decides who may; ``codi.areas.services`` validates, writes and audits.
    """
    if not user_can_manage_areas(actor):
        raise PermissionDenied("ไม่มีสิทธิ์แก้ไขภาคของ พอช. / Not permitted to edit CODI regions")
    return province_region_write(actor=actor, province_code=province_code, region_code=region_code)
