"""Pages: my messages (marking them read) and my notification preferences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from codi.notifications import selectors, services


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notification_list(user=request.user), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "unread": selectors.unread_count(user=request.user),
            "preference": selectors.preference_get(user=request.user),
        },
    )


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    raw = request.POST.get("id", "")
    services.notification_mark_read(user=request.user, notification_id=int(raw) if raw.isdigit() else None)  # type: ignore[arg-type]
    return redirect("notifications:inbox")


@login_required
@require_POST
def preferences(request: HttpRequest) -> HttpResponse:
    services.preference_update(
        user=request.user,  # type: ignore[arg-type]
        is_email_enabled=request.POST.get("email") == "on",
        is_in_app_enabled=request.POST.get("in_app") == "on",
        is_line_enabled=request.POST.get("line") == "on",
        language=request.POST.get("language", "th"),
    )
    messages.success(request, _("Your notification settings were saved."))
    return redirect("notifications:inbox")
