"""Pages: sign-in, MFA set-up and challenge, profile, user and role administration."""

from __future__ import annotations

import base64
from typing import Any

import django_otp
import segno
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import rotate_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from codi.core.middleware import client_ip
from codi.identity import selectors, services, trusted
from codi.identity.forms import (
    DeviceChangeForm,
    LoginForm,
    PasswordChangeForm,
    RoleAssignForm,
    TokenForm,
    UserCreateForm,
)
from codi.identity.models import ApiKey, RoleAssignment, User
from codi.identity.roles import Perm

_PENDING_CODES = "codi_recovery_codes"


def _second_factor_passed(request: HttpRequest, device: Any) -> None:
    """Mark the session verified and give it a new key, so a session id seen before the second step is useless."""
    django_otp.login(request, device)
    request.session.cycle_key()
    rotate_token(request)


def _next_url(request: HttpRequest, default: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse(default)


# One message for an unknown username, a wrong password and a paused account alike.
_LOGIN_REFUSED = gettext_lazy(
    "Wrong username or password, or sign-in is paused after several failed attempts. "
    "Wait a few minutes and try again, or sign in from a device you have used with your authenticator."
)


def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = LoginForm(request.POST or None)
    status = 200
    retry_after = 0
    if request.method == "POST" and form.is_valid():
        result = services.login_check(
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
            ip=client_ip(request),
            trusted_device=request.COOKIES.get(trusted.COOKIE_NAME),
            otp_token=form.cleaned_data.get("otp_token") or "",
        )
        if result.user is not None:
            login(request, result.user, backend="django.contrib.auth.backends.ModelBackend")
            if result.otp_device is not None:
                django_otp.login(request, result.otp_device)
                return HttpResponseRedirect(_next_url(request))
            if selectors.user_needs_mfa(result.user):
                target = "mfa_challenge" if services.mfa_is_enrolled(user=result.user) else "mfa_setup"
                return HttpResponseRedirect(reverse(target) + "?" + urlencode({"next": _next_url(request)}))
            return HttpResponseRedirect(_next_url(request))
        if result.is_unavailable:
            status = 503
            form.add_error(None, _("Sign-in is unavailable for a moment. Please try again shortly."))
        elif result.is_throttled:
            status, retry_after = 429, result.retry_after
            form.add_error(
                None,
                _("Too many failed sign-ins from your network. Try again in %(minutes)d minutes.")
                % {"minutes": max(1, (result.retry_after + 59) // 60)},
            )
        else:
            status = 401
            form.add_error(None, _LOGIN_REFUSED)
    response = render(
        request, "identity/login.html", {"form": form, "next": request.GET.get("next", "")}, status=status
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("login")


@login_required
def mfa_setup(request: HttpRequest) -> HttpResponse:
    """First-time set-up, or (for an enrolled, verified user) a change of authenticator.

    A change needs a fresh code from the current authenticator or a recovery code in the same
    request: a borrowed session alone cannot move the second factor to the borrower's phone.
    """
    user: User = request.user  # type: ignore[assignment]
    is_change = services.mfa_is_enrolled(user=user)
    if is_change and not request.user.is_verified():  # type: ignore[union-attr]
        return redirect("mfa_challenge")
    device_id = request.session.get("codi_pending_totp")
    device = (
        TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False).first() if device_id else None
    )
    if device is None:
        device = services.mfa_totp_begin(user=user)
        request.session["codi_pending_totp"] = device.pk
    form = DeviceChangeForm(request.POST or None) if is_change else TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if is_change and services.mfa_verify(user=user, token=form.cleaned_data["current_token"]) is None:
            form.add_error("current_token", _("That code is not right."))
            codes = None
        else:
            codes = services.mfa_totp_confirm(user=user, device=device, token=form.cleaned_data["token"])
            if codes is None:
                form.add_error(
                    "token",
                    _("That code is not right. Check the time on your phone and try the newest code."),
                )
        if codes is not None:
            _second_factor_passed(request, device)
            request.session.pop("codi_pending_totp", None)
            request.session[_PENDING_CODES] = codes
            return HttpResponseRedirect(
                reverse("mfa_recovery_codes") + "?" + urlencode({"next": _next_url(request)})
            )
    # omitsize: a viewBox instead of a fixed 225 px, so the code scales to its box and is never cropped.
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=5, omitsize=True)
    secret = _base32(device.bin_key)
    return render(
        request,
        "identity/mfa_setup.html",
        {
            "form": form,
            "qr_svg": qr_svg,
            "secret": secret,
            "next": request.GET.get("next", ""),
            "is_change": is_change,
        },
        status=422 if form.errors else 200,
    )


def _base32(key: bytes) -> str:
    return base64.b32encode(key).decode().rstrip("=")


@login_required
def mfa_recovery_codes(request: HttpRequest) -> HttpResponse:
    codes = request.session.pop(_PENDING_CODES, None)
    if codes is None:
        return HttpResponseRedirect(_next_url(request))
    return render(request, "identity/mfa_recovery.html", {"codes": codes, "next": _next_url(request)})


@login_required
def mfa_challenge(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if request.user.is_verified():  # type: ignore[union-attr]
        return HttpResponseRedirect(_next_url(request))
    if not services.mfa_is_enrolled(user=user):
        return HttpResponseRedirect(reverse("mfa_setup") + "?" + urlencode({"next": _next_url(request)}))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.mfa_verify(user=user, token=form.cleaned_data["token"])
        if device is not None:
            _second_factor_passed(request, device)
            return HttpResponseRedirect(_next_url(request))
        form.add_error("token", _("That code is not right."))
    return render(request, "identity/mfa_challenge.html", {"form": form, "next": request.GET.get("next", "")})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_change_password(
                actor=user, user=user, new_password=form.cleaned_data["new_password"]
            )
        except ValidationError as exc:
            form.add_error("new_password", exc)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("Your password has been changed."))
            return redirect("profile")
    return render(
        request,
        "identity/profile.html",
        {
            "form": form,
            "grants": selectors.user_grants(user),
            "mfa_enrolled": services.mfa_is_enrolled(user=user),
        },
    )


@login_required
@require_POST
def logout_everywhere(request: HttpRequest) -> HttpResponse:
    services.user_logout_everywhere(actor=request.user, user=request.user)  # type: ignore[arg-type]
    logout(request)
    messages.info(request, _("You have been signed out on every device."))
    return redirect("login")


@login_required
@require_POST
def recovery_codes_regenerate(request: HttpRequest) -> HttpResponse:
    """New recovery codes only for a verified session that also gives a fresh code now."""
    user: User = request.user  # type: ignore[assignment]
    if not request.user.is_verified():  # type: ignore[union-attr]
        raise PermissionDenied
    form = TokenForm(request.POST)
    if not form.is_valid() or services.mfa_verify(user=user, token=form.cleaned_data["token"]) is None:
        messages.error(request, _("Enter a current code from your authenticator to make new recovery codes."))
        return redirect("profile")
    codes = services.mfa_recovery_codes_regenerate(user=user)
    request.session[_PENDING_CODES] = codes
    return HttpResponseRedirect(reverse("mfa_recovery_codes") + "?next=" + reverse("profile"))


# --- administration ------------------------------------------------------------------


def _require_admin(request: HttpRequest) -> None:
    if not selectors.user_has_perm(request.user, Perm.USERS_MANAGE):
        raise PermissionDenied


@login_required
def user_admin_list(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    search = request.GET.get("q", "").strip()
    page = Paginator(selectors.user_list(actor=request.user, search=search), 50).get_page(
        request.GET.get("page")
    )
    form = UserCreateForm()
    return render(request, "identity/user_list.html", {"page": page, "q": search, "form": form})


@login_required
@require_POST
def user_admin_create(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = UserCreateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(actor=request.user, **data)
        except ValidationError as exc:
            form.add_error("username" if getattr(exc, "code", None) == "username" else "password", exc)
        else:
            messages.success(request, _("User %(name)s created.") % {"name": user.username})
            return redirect("user_admin_detail", user_id=user.pk)
    page = Paginator(selectors.user_list(actor=request.user), 50).get_page(1)
    return render(request, "identity/user_list.html", {"page": page, "q": "", "form": form}, status=422)


@login_required
def user_admin_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    _require_admin(request)
    target = get_object_or_404(selectors.user_list(actor=request.user), pk=user_id)
    form = RoleAssignForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.role_assign(actor=request.user, user=target, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("scope_code", exc)
            status = 422
        else:
            messages.success(request, _("Role assigned."))
            return redirect("user_admin_detail", user_id=target.pk)
    elif request.method == "POST":
        status = 422
    assignments = RoleAssignment.objects.filter(user=target).order_by("role")
    context: dict[str, Any] = {
        "target": target,
        "assignments": assignments,
        "form": form,
        "api_keys": ApiKey.objects.filter(user=target),
        "new_api_key": request.session.pop("codi_new_api_key", None),
    }
    return render(request, "identity/user_detail.html", context, status=status)


@login_required
@require_POST
def user_admin_revoke(request: HttpRequest, user_id: int, assignment_id: int) -> HttpResponse:
    _require_admin(request)
    assignment = get_object_or_404(RoleAssignment, pk=assignment_id, user_id=user_id)
    services.role_revoke(actor=request.user, assignment=assignment)
    messages.success(request, _("Role removed."))
    return redirect("user_admin_detail", user_id=user_id)


@login_required
@require_POST
def user_admin_set_active(request: HttpRequest, user_id: int) -> HttpResponse:
    _require_admin(request)
    target = get_object_or_404(User, pk=user_id)
    services.user_set_active(actor=request.user, user=target, is_active=request.POST.get("is_active") == "1")
    return redirect("user_admin_detail", user_id=user_id)


@login_required
@require_POST
def api_key_create(request: HttpRequest, user_id: int) -> HttpResponse:
    _require_admin(request)
    target = get_object_or_404(User, pk=user_id)
    try:
        _, raw = services.api_key_create(actor=request.user, user=target, name=request.POST.get("name", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        # Shown once on the next page, then gone: only its hash is stored.
        request.session["codi_new_api_key"] = raw
    return redirect("user_admin_detail", user_id=user_id)


@login_required
@require_POST
def api_key_revoke(request: HttpRequest, user_id: int, key_id: int) -> HttpResponse:
    _require_admin(request)
    key = get_object_or_404(ApiKey, pk=key_id, user_id=user_id)
    services.api_key_revoke(actor=request.user, key=key)
    messages.success(request, _("API key revoked."))
    return redirect("user_admin_detail", user_id=user_id)
