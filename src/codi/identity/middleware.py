"""Idle session expiry and the second-factor requirement for staff."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from codi.core.problems import problem
from codi.identity.selectors import user_needs_mfa

Handler = Callable[[HttpRequest], HttpResponse]
_OPEN_PREFIXES = (
    "/static/",
    "/healthz",
    "/readyz",
    "/metrics",
    "/i18n/",
    "/accounts/logout",
    # Only the challenge and first-time set-up are reachable with a password alone; every other
    # /accounts/mfa/ page (recovery codes, device change) needs the second factor first.
    "/accounts/mfa/verify/",
    "/accounts/mfa/setup/",
)
_SEEN_KEY = "codi_last_seen"


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


class IdleTimeoutMiddleware:
    """Log out a session that has been idle longer than SESSION_IDLE_SECONDS."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(_SEEN_KEY, now)
            if now - last_seen > settings.SESSION_IDLE_SECONDS:
                logout(request)
                if _is_api(request):
                    return problem(
                        401,
                        detail_th="หมดเวลาการใช้งาน กรุณาเข้าสู่ระบบใหม่",
                        detail_en="Your session expired; sign in again",
                    )
                messages.info(
                    request, _("Your session expired after a period of inactivity. Please sign in again.")
                )
                return HttpResponseRedirect(
                    reverse("login") + "?" + urlencode({"next": request.get_full_path()})
                )
            # Touch the session at most once a minute: most requests then write nothing.
            if now - last_seen >= 60 or _SEEN_KEY not in request.session:
                request.session[_SEEN_KEY] = now
        return self.get_response(request)


class MfaRequiredMiddleware:
    """Staff who signed in with a password alone may only set up or pass the second factor."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            and not user.is_verified()  # type: ignore[attr-defined]  # added by django-otp middleware
            and user_needs_mfa(user)
        ):
            if _is_api(request):
                return problem(
                    401,
                    detail_th="ต้องยืนยันตัวตนสองขั้นตอนก่อน",
                    detail_en="Two-factor verification is required",
                )
            return HttpResponseRedirect(
                reverse("mfa_challenge") + "?" + urlencode({"next": request.get_full_path()})
            )
        return self.get_response(request)
