"""Page: "My devices" — the browsers the signed-in person trusts, and revoking one (codi.identity.trusted)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from codi.identity import trusted


@login_required
def device_list(request: HttpRequest) -> HttpResponse:
    current = trusted.current_device_token(request)
    devices = [
        {"device": device, "is_current": device.token == current}
        for device in trusted.device_list(user=request.user)
    ]
    return render(request, "identity/trusted_devices.html", {"devices": devices})


@login_required
@require_POST
def device_revoke(request: HttpRequest, device_id: int) -> HttpResponse:
    device = trusted.device_revoke(actor=request.user, device_id=device_id)
    if device is None:  # not one of the person's own trusted devices
        raise Http404
    messages.success(request, _("The device is no longer trusted."))
    response = redirect("trusted_devices")
    if device.token == trusted.current_device_token(request):
        response.delete_cookie(trusted.COOKIE_NAME, samesite="Lax")
    return response
