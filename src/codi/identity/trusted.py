"""Trusted devices: a signed cookie a browser receives after a full two-step sign-in.

Someone who knows a username can pause its password sign-in (the per-account
backoff in ``services.login_check``) from anywhere; the cookie lets the account's
owner sign in from a browser where they have passed the second step before,
whatever strangers are trying elsewhere. It grants nothing by itself: the password
(and the second step) are still asked for.

Each such browser is a ``TrustedDevice`` row; the cookie names the user, the row's
random token and part of the user's session hash. So a device is trusted while

- the cookie's signature holds and it is younger than ``TRUSTED_DEVICE_DAYS``,
- the password has not changed since (changing it revokes every device at once),
- its row exists and the owner has not revoked it on "My devices" (``/accounts/devices/``).

The middleware checks the row once per session (not on every request) and gives a
browser that passed the second step a new device when it holds no trusted one. Adding
a device follows the (audited) sign-in; revoking one is written to the audit trail.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from codi.core.audit import audit_record
from codi.identity.models import TrustedDevice

COOKIE_NAME = "codi_trusted_device"
_SALT = "codi.identity.trusted-device"
_SESSION_KEY = "codi_trusted_device_checked"


def _max_age() -> int:
    return int(getattr(settings, "TRUSTED_DEVICE_DAYS", 30)) * 24 * 60 * 60


def _fingerprint(user: Any) -> str:
    return str(user.get_session_auth_hash())[:24]


def cookie_value(user: Any, device: TrustedDevice) -> str:
    return signing.dumps({"u": user.pk, "h": _fingerprint(user), "d": device.token}, salt=_SALT)


def _cookie_data(raw: str | None) -> dict[str, Any] | None:
    if not raw:
        return None
    try:
        data = signing.loads(raw, salt=_SALT, max_age=_max_age())
    except signing.BadSignature:
        return None
    return data if isinstance(data, dict) else None


def cookie_user_id(raw: str | None) -> int | None:
    """The user id a (valid, unexpired) cookie was issued to, or None."""
    data = _cookie_data(raw)
    user_id = data.get("u") if data else None
    return user_id if isinstance(user_id, int) else None


def _device_token(raw: str | None, user: Any) -> str | None:
    """The device token of a cookie issued to ``user`` whose password has not changed since."""
    data = _cookie_data(raw)
    if not data or user is None or data.get("u") != user.pk or data.get("h") != _fingerprint(user):
        return None
    token = data.get("d")
    return token if isinstance(token, str) and token else None


def is_trusted(raw: str | None, user: Any) -> bool:
    """True when the cookie names a device of ``user`` that is not revoked (password unchanged)."""
    token = _device_token(raw, user)
    if token is None:
        return False
    return TrustedDevice.objects.filter(user_id=user.pk, token=token, revoked_at__isnull=True).exists()


def mark_used(raw: str | None, user: Any) -> None:
    """Note that the device signed in (shown on "My devices")."""
    token = _device_token(raw, user)
    if token:
        TrustedDevice.objects.filter(user_id=user.pk, token=token).update(last_used_at=timezone.now())


_BROWSERS = (("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS", "macOS"),
    ("Linux", "Linux"),
)


def device_label(user_agent: str) -> str:
    """A short name for the browser, e.g. "Chrome · Windows", from its User-Agent."""
    browser = next((name for marker, name in _BROWSERS if marker in user_agent), "")
    system = next((name for marker, name in _SYSTEMS if marker in user_agent), "")
    label = " · ".join(part for part in (browser, system) if part)
    return label or re.sub(r"[\x00-\x1f]", "", user_agent)[:60]


def device_add(*, user: Any, user_agent: str) -> TrustedDevice:
    """A new trusted device for ``user``. Not audited by itself: it follows the two-step sign-in,
    which is; revoking one is audited."""
    return TrustedDevice.objects.create(
        user=user, token=secrets.token_urlsafe(32), label=device_label(user_agent)[:200]
    )


def device_list(*, user: Any) -> QuerySet[TrustedDevice]:
    """The user's own devices that are still trusted, newest first."""
    if not user.is_authenticated:
        return TrustedDevice.objects.none()
    return TrustedDevice.objects.filter(user_id=user.pk, revoked_at__isnull=True).order_by("-created_at")


def device_revoke(*, actor: Any, device_id: int) -> TrustedDevice | None:
    """Revoke one of the actor's own devices; ``None`` when it is not theirs (or not there)."""
    with transaction.atomic():
        device = (
            TrustedDevice.objects.select_for_update()
            .filter(pk=device_id, user_id=actor.pk, revoked_at__isnull=True)
            .first()
        )
        if device is None:
            return None
        device.revoked_at = timezone.now()
        device.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="identity.trusted_device_revoke",
            object_type="identity.trusteddevice",
            object_id=device.pk,
            changes={"label": device.label},
        )
    return device


def current_device_token(request: HttpRequest) -> str | None:
    return _device_token(request.COOKIES.get(COOKIE_NAME), getattr(request, "user", None))


class TrustedDeviceMiddleware:
    """Give the browser a trusted-device cookie once its session has passed the second step."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return response
        is_verified = getattr(user, "is_verified", None)
        if not callable(is_verified) or not is_verified():
            return response
        raw = request.COOKIES.get(COOKIE_NAME)
        session = getattr(request, "session", None)
        token = _device_token(raw, user)
        # The row is read once per session: a device revoked elsewhere gets a new one at its next sign-in.
        if token and session is not None and session.get(_SESSION_KEY) == token:
            return response
        if is_trusted(raw, user):
            if session is not None:
                session[_SESSION_KEY] = token
            return response
        device = device_add(user=user, user_agent=request.headers.get("User-Agent", ""))
        if session is not None:
            session[_SESSION_KEY] = device.token
        response.set_cookie(
            COOKIE_NAME,
            cookie_value(user, device),
            max_age=_max_age(),
            httponly=True,
            secure=settings.SESSION_COOKIE_SECURE,
            samesite="Lax",
        )
        return response
