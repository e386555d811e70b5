"""The analytics store's page (``/insights/marts/``): each mart with its freshness, rows and
downloads (Parquet, CSV, Excel) for Power BI and Excel, and a link to its column lineage in the
data catalog.

Who may see: holders of the insights view right. A reader with a region or province grant gets
only the rows of their provinces; a fact mart without a province column (payroll cost, training,
satisfaction, budgets by unit) is for country-wide readers only and refused (403) to the others.
Every download is audited (``insights.mart_export``: the unusual-exports alert counts them)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from codi.core.audit import audit_record
from codi.insights.eis.scope import Scope, scope_for
from codi.insights.marts import exports, store
from codi.insights.marts.freshness import Freshness, all_freshness, freshness


def _scope(request: HttpRequest) -> Scope:
    scope = scope_for(request.user)
    if scope is None:
        raise PermissionDenied
    return scope


def _readable(scope: Scope, item: Freshness) -> bool:
    return scope.country_wide or item.kind == "dimension" or item.province_column


@login_required
def marts_page(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    items = [f for f in all_freshness() if _readable(scope, f)]
    return render(
        request,
        "insights/marts.html",
        {"items": items, "country_wide": scope.country_wide, "formats": exports.FORMATS},
    )


@login_required
def mart_download(request: HttpRequest, name: str, fmt: str) -> HttpResponseBase:
    scope = _scope(request)
    src = store.sources().get(name)
    if src is None or fmt not in exports.FORMATS:
        raise Http404
    item = freshness(src)
    if not _readable(scope, item):
        raise PermissionDenied
    if item.state == "never":
        messages.error(
            request, _("This mart has not been built yet; it is built at the next scheduled refresh.")
        )
        return redirect("insights:marts")
    provinces = scope.provinces if item.scoped else None
    try:
        response = exports.export(name, fmt, provinces=provinces)
    except exports.TooManyRowsError:
        messages.error(request, _("Too many rows for one Excel sheet: download the Parquet or CSV file."))
        return redirect("insights:marts")
    audit_record(
        actor=request.user,
        action="insights.mart_export",
        object_type="mart",
        object_id=name,
        changes={"format": fmt, "provinces": sorted(provinces) if provinces is not None else "all"},
    )
    return response
