"""Executive pages: the KPI board of a fiscal year and area, one KPI's drill-down (region →
province) with its chart, and the board as a PDF briefing or an Excel workbook.

Who may see: holders of the insights view right, within the areas of their grants (``scope``);
an area outside them is refused (403)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from codi.core.pdf import render_pdf
from codi.core.spreadsheet import xlsx_response
from codi.core.thaidate import fiscal_year_be, thai_date
from codi.insights.eis import board as eis_board
from codi.insights.eis import scope as eis_scope
from codi.insights.eis.registry import kpi_get
from codi.insights.eis.sources import PLAN_YEARS


def _context(request: HttpRequest) -> tuple[eis_scope.Scope, int, list[int], eis_scope.Area]:
    scope = eis_scope.scope_for(request.user)
    if scope is None:
        raise PermissionDenied
    current = fiscal_year_be(timezone.localdate())
    years = sorted(set(PLAN_YEARS) | {current, current - 1}, reverse=True)
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and int(raw) in years else current
    code = request.GET.get("area", eis_scope.home_area(scope))[:10]
    area = eis_scope.area_get(code)
    if area is None:
        raise Http404
    if not eis_scope.in_scope(scope, code):
        raise PermissionDenied
    return scope, year, years, area


def _number(value: object) -> object:
    return float(value) if value is not None else None  # type: ignore[arg-type]


def source_text(view: eis_board.KpiView) -> str:
    """Where the figure came from, in words: the analytics store with its marts' refresh time, or the
    operational database (for the Excel export, where the page's note on sources is not seen)."""
    refreshed, _marts = eis_board.freshness_of([view])
    if refreshed is None:
        return view.source_label
    when = _("last refreshed %(when)s") % {"when": thai_date(refreshed, with_time=True)}
    return f"{view.source_label}, {when}"


@login_required
def executive_board(request: HttpRequest) -> HttpResponseBase:
    scope, year, years, area = _context(request)
    views = eis_board.board(scope=scope, fiscal_year=year, area=area.code)
    fmt = request.GET.get("format", "")
    if fmt == "xlsx":
        header = [_("Indicator"), _("Fiscal year"), _("Area"), _("Actual"), _("Target"), _("Unit"), _("Status"),
                  _("Reason"), _("Source")]  # fmt: skip
        body = [
            [str(v.kpi.name), year, area.name, _number(v.line.value), _number(v.line.target),
             "%" if v.kpi.unit == "percent" else _("count"), v.line.status_label, v.line.reason, source_text(v)]
            for v in views
        ]  # fmt: skip
        return xlsx_response(filename=f"eis-{year}", sheets=[(str(_("Executive indicators")), header, body)])
    refreshed, marts = eis_board.freshness_of(views)
    context = {
        "views": views,
        "refreshed": thai_date(refreshed, with_time=True) if refreshed else "",
        "marts_used": marts,
        "fallback": any(v.source == "fallback" for v in views),
        "year": year,
        "years": years,
        "area": area,
        "trail": eis_scope.breadcrumbs(area.code),
        "today": thai_date(timezone.localdate(), full_month=True),
    }
    if fmt == "pdf":
        response = HttpResponse(
            render_pdf("insights/eis_briefing_pdf.html", context), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'attachment; filename="eis-briefing-{year}.pdf"'
        return response
    return render(request, "insights/eis_board.html", context)


@login_required
def kpi_detail(request: HttpRequest, key: str) -> HttpResponse:
    scope, year, years, area = _context(request)
    kpi = kpi_get(key)
    if kpi is None:
        raise Http404
    view = eis_board.kpi_view(kpi, scope=scope, fiscal_year=year, area=area.code)
    previous = eis_board.kpi_view(kpi, scope=scope, fiscal_year=year - 1, area=area.code, children=False)
    drillable = {c.key for c in view.children if eis_scope.in_scope(scope, c.key)}
    trend = eis_board.trend(kpi, scope=scope, years=years, area=area.code)
    refreshed, _marts = eis_board.freshness_of([view])
    change = None
    if view.line.value is not None and previous.line.value is not None:
        change = view.line.value - previous.line.value
    return render(
        request,
        "insights/eis_kpi.html",
        {
            "view": view,
            "previous": previous.line,
            "previous_year": year - 1,
            "change": change,
            "trend": trend,
            "trend_chart": eis_board.bar_chart(trend),
            "refreshed": thai_date(refreshed, with_time=True) if refreshed else "",
            "drillable": drillable,
            "chart": eis_board.bar_chart(view.children),
            "year": year,
            "years": years,
            "area": area,
            "trail": eis_scope.breadcrumbs(area.code),
        },
    )
