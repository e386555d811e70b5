"""The legacy project import page."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from codi.communities.importing import error_text
from codi.communities.spreadsheet import FileRefused, sniff_format
from codi.identity.roles import Perm
from codi.projects import exporting
from codi.projects.importing import PROJECT_COLUMNS, ProjectImport
from codi.projects.views.common import (
    _need,
)
from codi.projects.views.lists import _xlsx_response

# --- legacy import -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponseBase:

    _need(request, Perm.PROJECTS_MANAGE)
    if request.GET.get("template"):
        export = exporting.Export([c.th for c in PROJECT_COLUMNS], iter([]))
        return _xlsx_response(export, "projects-template", sheet=_("Projects"))
    context: dict[str, Any] = {"outcome": None, "errors": [], "refused": "", "written": None}
    upload = request.FILES.get("file") if request.method == "POST" else None
    if upload is not None:
        with tempfile.NamedTemporaryFile(suffix=".upload") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
            handle.flush()
            path = Path(handle.name)
            try:
                with path.open("rb") as head:
                    file_format = sniff_format(head.read(8))
                importer = ProjectImport(actor=request.user)
                write = request.POST.get("write") == "1"
                outcome = importer.write(path, file_format) if write else importer.check(path, file_format)[0]
            except FileRefused as exc:
                context["refused"] = exc.th
            else:
                context.update(
                    outcome=outcome,
                    errors=[error_text(e) for e in outcome.errors[:200]],
                    written=write,
                )
    return render(request, "projects/import.html", context)
