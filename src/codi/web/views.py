"""Home dashboard, organization list page, audit-log viewer."""

from __future__ import annotations

import contextlib
from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from codi.areas.selectors import area_counts
from codi.communities.selectors import organization_count
from codi.core.models import AuditEntry
from codi.core.spreadsheet import csv_response
from codi.identity.roles import Perm
from codi.identity.selectors import user_grants, user_has_perm
from codi.web.context import nav_tree
from codi.web.workspaces import workspace


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The person's workspace: their roles' work first, then the counts of their areas."""
    context = {
        **workspace(request.user),
        "counts": area_counts(),
        "organization_count": organization_count(actor=request.user),
        "has_roles": bool(user_grants(request.user)),
        "shortcuts": [item for item in nav_tree(request.user)[1:]],
    }
    return render(request, "web/home.html", context)


def _audit_entries(request: HttpRequest) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.all().order_by("-id")
    if actor := request.GET.get("actor", "").strip():
        entries = entries.filter(actor_label__icontains=actor)
    if action := request.GET.get("action", "").strip():
        entries = entries.filter(action__icontains=action)
    if object_type := request.GET.get("object_type", "").strip():
        entries = entries.filter(object_type=object_type)
    for key, lookup in (("since", "created_at__date__gte"), ("until", "created_at__date__lte")):
        raw = request.GET.get(key, "")
        if raw:
            with contextlib.suppress(ValueError):  # a malformed date is ignored, the rest still filters
                entries = entries.filter(**{lookup: date.fromisoformat(raw)})
    return entries


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def audit_log(request: HttpRequest) -> HttpResponseBase:
    if not user_has_perm(request.user, Perm.AUDIT_VIEW):
        raise PermissionDenied
    entries = _audit_entries(request)
    if request.GET.get("format") == "csv":
        header = ["id", "time", "actor", "action", "object_type", "object_id", "changes", "ip",
                  "request_id", "hash"]  # fmt: skip
        rows = (
            [e.id, e.created_at.isoformat(), e.actor_label, e.action, e.object_type, e.object_id,
             e.changes, e.ip or "", e.request_id, e.hash]
            for e in entries.iterator(2000)
        )  # fmt: skip
        return csv_response(filename="audit-log", header=header, rows=rows)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "web/audit_log.html", {"page": page, "params": request.GET})
