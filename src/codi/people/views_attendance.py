"""HR's time-clock import page: upload a CSV/.xlsx export, see each bad row with its problem."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm
from codi.people import attendance

MAX_UPLOAD = 5 * 1024 * 1024


@login_required
@require_http_methods(["GET", "POST"])
def time_clock_import(request: HttpRequest) -> HttpResponse:
    if not user_has_perm(request.user, Perm.PEOPLE_MANAGE):
        raise PermissionDenied
    report, dry_run = None, request.method == "GET" or request.POST.get("dry_run") == "1"
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None or (upload.size or 0) > MAX_UPLOAD:
            messages.error(request, _("Choose a time-clock file of at most 5 MB."))
        else:
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "upload"
                with path.open("wb") as out:
                    for chunk in upload.chunks():
                        out.write(chunk)
                try:
                    report = attendance.time_clock_import(
                        actor=request.user, path=path, dry_run=dry_run, source=(upload.name or "")[:200]
                    )
                except ValidationError as exc:
                    th = getattr(exc, "message_th", "; ".join(exc.messages))
                    messages.error(
                        request, th if request.LANGUAGE_CODE == "th" else getattr(exc, "message_en", th)
                    )
    return render(
        request,
        "people/time_clock_import.html",
        {
            "report": report,
            "dry_run": dry_run,
            "period": attendance.period_label(report) if report else "",
            "columns": attendance.CLOCK_COLUMNS,
        },
    )
