"""Project lists, the inbox, overdue steps, budget lines and the dashboard."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from codi.core.spreadsheet import xlsx_response
from codi.core.tables import sort_queryset
from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm
from codi.projects import exporting, reporting, selectors
from codi.projects.views.common import (
    PAGE_SIZE,
    _code,
    _filter_choices,
    _int,
    _need,
    _region_codes,
    list_filters,
)

# --- lists ---------------------------------------------------------------------------------------


# The columns a person may order the project list by (``?sort=``), and the fields behind each.
PROJECT_COLUMNS = {
    "code": ["code"],
    "title": ["title"],
    "organization": ["lead_organization__name_th"],
    "province": ["subdistrict__district__province__name_th"],
    "status": ["status"],
    "requested": ["requested_amount"],
    "approved": ["approved_amount"],
}


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    _need(request)
    filters = list_filters(request.GET)
    projects, sort = sort_queryset(
        selectors.project_list_for_page(actor=request.user, filters=filters),
        request.GET.get("sort"),
        PROJECT_COLUMNS,
        "-code",
    )
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/project_list.html",
        {
            "page": page,
            "sort": sort,
            "filters": filters,
            **_filter_choices(),
            "query": request.GET.urlencode(),
            "can_create": selectors.is_portal_user(request.user)
            or user_has_perm(request.user, Perm.PROJECTS_MANAGE),
        },
    )


@login_required
def project_export(request: HttpRequest) -> HttpResponseBase:
    _need(request)
    projects = selectors.project_list(actor=request.user, filters=list_filters(request.GET))
    return _xlsx_response(exporting.project_rows(projects), "projects", sheet=_("Projects"))


def _xlsx_response(export: exporting.Export, name: str, *, sheet: str) -> HttpResponseBase:
    return xlsx_response(filename=name, sheets=[(sheet, export.header, export.rows)])


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    _need(request)
    steps = selectors.task_inbox(actor=request.user)
    page = Paginator(steps, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "projects/inbox.html", {"page": page, "today": timezone.localdate()})


@login_required
def overdue(request: HttpRequest) -> HttpResponse:
    _need(request)
    if selectors.is_portal_user(request.user):
        raise PermissionDenied
    steps = selectors.overdue_steps(actor=request.user)
    page = Paginator(steps, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "projects/overdue.html", {"page": page, "today": timezone.localdate()})


@login_required
def budget_lines(request: HttpRequest) -> HttpResponse:
    _need(request)
    if selectors.is_portal_user(request.user):
        raise PermissionDenied
    fy, program = _int(request.GET.get("fy")), _int(request.GET.get("program"))
    region = request.GET.get("region", "")[:20]
    lines = selectors.budget_line_list(actor=request.user, fiscal_year=fy, program=program, region=region)
    return render(
        request,
        "projects/budget_lines.html",
        {
            "lines": lines,
            "totals": selectors.budget_totals(lines),
            "filters": {"fy": fy, "program": program, "region": region},
            **_filter_choices(),
        },
    )


# --- dashboard -----------------------------------------------------------------------------------


def _dashboard(request: HttpRequest) -> tuple[dict[str, Any], reporting.Dashboard]:
    _need(request)
    if selectors.is_portal_user(request.user):
        raise PermissionDenied
    get = request.GET
    filters: dict[str, Any] = {
        "fiscal_year": _int(get.get("fy")),
        "program": _int(get.get("program")),
        "region": get.get("region", "")[:20] if get.get("region", "") in _region_codes() else "",
        "province": _code(get.get("province"), (2,)),
    }
    return filters, reporting.dashboard(actor=request.user, **filters)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    filters, board = _dashboard(request)
    money_chart = reporting.bar_chart(
        [
            (_("Approved"), board.total.approved),
            (_("Disbursed"), board.total.disbursed),
            (_("Reported"), board.total.reported),
        ]
    )
    status_chart = reporting.bar_chart([(label, n) for _s, label, n in board.by_status if n])
    region_chart = reporting.bar_chart([(r.label, r.figures.disbursed) for r in board.by_region])
    return render(
        request,
        "projects/dashboard.html",
        {
            "board": board,
            "filters": filters,
            "money_chart": money_chart,
            "status_chart": status_chart,
            "region_chart": region_chart,
            "query": request.GET.urlencode(),
            **_filter_choices(),
        },
    )


@login_required
def dashboard_export(request: HttpRequest) -> HttpResponseBase:
    _filters, board = _dashboard(request)
    return _xlsx_response(exporting.dashboard_rows(board), "projects-dashboard", sheet=_("Dashboard"))
