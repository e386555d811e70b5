"""Trusted devices: a signed cookie a browser receives after a full two-step sign-in.

Someone who knows a username can pause its password sign-in (the per-account
backoff in ``services.login_check``) from anywhere; the cookie lets the account's
owner sign in from a browser where they have passed the second step before,
whatever strangers are trying elsewhere. The cookie names the user and carries
part of the user's session hash, so changing the password revokes every trusted
device at once. It grants nothing by itself: the password (and the second step)
are still asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

COOKIE_NAME = "codi_trusted_device"
_SALT = "codi.identity.trusted-device"


def _max_age() -> int:
    return int(getattr(settings, "TRUSTED_DEVICE_DAYS", 30)) * 24 * 60 * 60


def _fingerprint(user: Any) -> str:
    return str(user.get_session_auth_hash())[:24]


def cookie_value(user: Any) -> str:
    return signing.dumps({"u": user.pk, "h": _fingerprint(user)}, salt=_SALT)


def cookie_user_id(raw: str | None) -> int | None:
    """The user id a (valid, unexpired) cookie was issued to, or None."""
    if not raw:
        return None
    try:
        data = signing.loads(raw, salt=_SALT, max_age=_max_age())
    except signing.BadSignature:
        return None
    user_id = data.get("u") if isinstance(data, dict) else None
    return user_id if isinstance(user_id, int) else None


def is_trusted(raw: str | None, user: Any) -> bool:
    """True when the cookie was issued to ``user`` and their password has not changed since."""
    if not raw or user is None or cookie_user_id(raw) != user.pk:
        return False
    data = signing.loads(raw, salt=_SALT, max_age=_max_age())
    return bool(data.get("h") == _fingerprint(user))


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
        if is_trusted(request.COOKIES.get(COOKIE_NAME), user):
            return response
        response.set_cookie(
            COOKIE_NAME,
            cookie_value(user),
            max_age=_max_age(),
            httponly=True,
            secure=settings.SESSION_COOKIE_SECURE,
            samesite="Lax",
        )
        return response
