"""Pages: sign-in, MFA set-up and challenge, profile, user and role administration."""

from __future__ import annotations

from typing import Any

import django_otp
import segno
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from codi.identity import selectors, services
from codi.identity.forms import LoginForm, PasswordChangeForm, RoleAssignForm, TokenForm, UserCreateForm
from codi.identity.models import ApiKey, RoleAssignment, User
from codi.identity.roles import Perm

_PENDING_CODES = "codi_recovery_codes"


def _next_url(request: HttpRequest, default: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse(default)


def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        result = services.login_check(
            username=form.cleaned_data["username"], password=form.cleaned_data["password"]
        )
        if result.user is not None:
            login(request, result.user, backend="django.contrib.auth.backends.ModelBackend")
            if selectors.user_needs_mfa(result.user):
                target = "mfa_challenge" if services.mfa_is_enrolled(user=result.user) else "mfa_setup"
                return HttpResponseRedirect(reverse(target) + "?" + urlencode({"next": _next_url(request)}))
            return HttpResponseRedirect(_next_url(request))
        status = 401
        if result.is_locked:
            form.add_error(None, _("Too many failed attempts. This account is locked for 15 minutes."))
        else:
            form.add_error(None, _("Wrong username or password."))
    return render(
        request, "identity/login.html", {"form": form, "next": request.GET.get("next", "")}, status=status
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("login")


@login_required
def mfa_setup(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if services.mfa_is_enrolled(user=user) and not request.user.is_verified():  # type: ignore[union-attr]
        return redirect("mfa_challenge")
    device_id = request.session.get("codi_pending_totp")
    device = (
        TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False).first() if device_id else None
    )
    if device is None:
        device = services.mfa_totp_begin(user=user)
        request.session["codi_pending_totp"] = device.pk
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.mfa_totp_confirm(user=user, device=device, token=form.cleaned_data["token"])
        if codes is not None:
            django_otp.login(request, device)
            request.session.pop("codi_pending_totp", None)
            request.session[_PENDING_CODES] = codes
            return HttpResponseRedirect(
                reverse("mfa_recovery_codes") + "?" + urlencode({"next": _next_url(request)})
            )
        form.add_error(
            "token", _("That code is not right. Check the time on your phone and try the newest code.")
        )
    # omitsize: a viewBox instead of a fixed 225 px, so the code scales to its box and is never cropped.
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=5, omitsize=True)
    secret = _base32(device.bin_key)
    return render(
        request,
        "identity/mfa_setup.html",
        {"form": form, "qr_svg": qr_svg, "secret": secret, "next": request.GET.get("next", "")},
    )


def _base32(key: bytes) -> str:
    import base64

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
            django_otp.login(request, device)
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
            from django.contrib.auth import update_session_auth_hash

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
    codes = services.mfa_recovery_codes_regenerate(user=request.user)  # type: ignore[arg-type]
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
