"""The cascading area picker: region → province → district → subdistrict, within the user's areas.

The filter forms render each level's options on the server (the lists work without script: choose
a province, press Filter, and the districts appear); ``area-picker.js`` refills the lower levels
as soon as a higher one changes, from ``area_options`` (JSON). Options are names, never codes, and
only areas the person works in or above them are offered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from codi.areas.models import District, Province, Region, Subdistrict
from codi.identity.roles import ScopeLevel
from codi.identity.selectors import user_grants

LEVELS = ("region", "province", "district", "subdistrict")


@dataclass
class Picker:
    """What each level of a filter form offers and which option is chosen."""

    regions: list[tuple[str, str]] = field(default_factory=list)
    provinces: list[tuple[str, str]] = field(default_factory=list)
    districts: list[tuple[str, str]] = field(default_factory=list)
    subdistricts: list[tuple[str, str]] = field(default_factory=list)
    chosen: dict[str, str] = field(default_factory=dict)


def scope_prefixes(user: Any) -> list[str] | None:
    """Area-code prefixes the user works in; ``None`` for the whole country."""
    prefixes: list[str] = []
    for grant in user_grants(user):
        if grant.scope_level == ScopeLevel.COUNTRY:
            return None
        if grant.scope_level == ScopeLevel.REGION:
            prefixes += list(
                Province.objects.filter(region_id=grant.scope_code).values_list("code", flat=True)
            )
        elif grant.scope_code:
            prefixes.append(grant.scope_code)
    return prefixes


def _in_scope(code: str, prefixes: list[str] | None) -> bool:
    """An area inside the user's scope, or above it (a province that holds the user's subdistrict)."""
    return prefixes is None or any(code.startswith(p) or p.startswith(code) for p in prefixes)


def options(user: Any, level: str, parent: str = "") -> list[tuple[str, str]]:
    """(code, Thai name) of ``level`` under ``parent`` (a region key or a DOPA code), in the user's scope."""
    prefixes = scope_prefixes(user)
    if level == "region":
        provinces = Province.objects.values_list("code", "region_id")
        shown = {region for code, region in provinces if _in_scope(code, prefixes)}
        return [(r.code, r.name_th) for r in Region.objects.order_by("code") if r.code in shown]
    rows: Any
    if level == "province":
        rows = Province.objects.filter(region_id=parent) if parent else Province.objects.all()
    elif level == "district" and len(parent) == 2:
        rows = District.objects.filter(province_id=parent)
    elif level == "subdistrict" and len(parent) == 4:
        rows = Subdistrict.objects.filter(district_id=parent)
    else:
        return []
    return [
        (code, name)
        for code, name in rows.order_by("name_th").values_list("code", "name_th")
        if _in_scope(code, prefixes)
    ]


def picker(user: Any, chosen: dict[str, str]) -> Picker:
    """The four lists for a form, each under the level chosen above it (a lower choice that does not
    belong to the higher one is dropped, as the person would expect)."""
    region = chosen.get("region", "")
    province = chosen.get("province", "")
    district = chosen.get("district", "")
    subdistrict = chosen.get("subdistrict", "")
    if province and region and not Province.objects.filter(code=province, region_id=region).exists():
        province = ""
    if district and not district.startswith(province or "--"):
        district = ""
    if subdistrict and not subdistrict.startswith(district or "----"):
        subdistrict = ""
    return Picker(
        regions=options(user, "region"),
        provinces=options(user, "province", region),
        districts=options(user, "district", province) if province else [],
        subdistricts=options(user, "subdistrict", district) if district else [],
        chosen={"region": region, "province": province, "district": district, "subdistrict": subdistrict},
    )


@login_required
@require_GET
def area_options(request: HttpRequest) -> JsonResponse:
    """``?level=district&parent=40`` → ``{"options": [{"code": "4001", "name": "เมืองขอนแก่น"}, ...]}``."""
    level = request.GET.get("level", "")
    if level not in LEVELS:
        return JsonResponse({"options": []}, status=400)
    parent = request.GET.get("parent", "")[:20]
    found = options(request.user, level, parent)
    return JsonResponse({"options": [{"code": code, "name": name} for code, name in found]})
