"""Shared helpers of the project pages: the guard, filters, the project lookup, form values."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse

from codi.areas.models import Province, Region
from codi.identity.guards import need
from codi.identity.roles import Perm
from codi.projects import selectors
from codi.projects.models import (
    Program,
    Project,
    ProjectStatus,
)

PAGE_SIZE = 50
TABS = ("overview", "results", "budget", "installments", "reports", "attachments", "history")


def _need(request: HttpRequest, perm: str = Perm.PROJECTS_VIEW) -> None:
    need(request, perm)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


def _code(value: str | None, lengths: tuple[int, ...]) -> str:
    value = (value or "").strip()
    return value if value.isdigit() and len(value) in lengths else ""


def list_filters(get: Any) -> selectors.ProjectFilters:
    status = get.get("status", "")
    return selectors.ProjectFilters(
        fiscal_year=_int(get.get("fy")),
        program=_int(get.get("program")),
        region=get.get("region", "")[:20] if get.get("region", "") in _region_codes() else "",
        province=_code(get.get("province"), (2,)),
        district=_code(get.get("district"), (4,)),
        subdistrict=_code(get.get("subdistrict"), (6,)),
        status=status if status in ProjectStatus.values else "",
        organization=_int(get.get("org")),
        search=get.get("q", "").strip()[:100],
    )


def _region_codes() -> set[str]:
    return set(Region.objects.values_list("code", flat=True))


def _filter_choices() -> dict[str, Any]:
    return {
        "years": selectors.fiscal_years(),
        "programs": Program.objects.all(),
        "regions": Region.objects.all(),
        "provinces": Province.objects.all(),
        "statuses": ProjectStatus.choices,
    }


# --- one project ---------------------------------------------------------------------------------


def _get(request: HttpRequest, project_id: int) -> Project:
    _need(request)
    project = selectors.project_get(actor=request.user, project_id=project_id)
    if project is None:
        raise Http404
    return project


# --- actions -------------------------------------------------------------------------------------


def _money(value: str | None) -> Decimal | None:
    text = (value or "").replace(",", "").strip()
    if not text:
        return None
    try:
        amount = Decimal(text)
    except ArithmeticError:
        return None
    return amount if amount.is_finite() else None


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# --- printouts -----------------------------------------------------------------------------------


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response
