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

from codi.areas.models import District, Province, Subdistrict
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


def _provinces() -> list[tuple[str, str, str, str]]:
    """(code, Thai name, region key, region's Thai name) of every province, in one query."""
    return list(
        Province.objects.order_by("name_th").values_list("code", "name_th", "region_id", "region__name_th")
    )


def scope_prefixes(user: Any, provinces: list[tuple[str, str, str, str]] | None = None) -> list[str] | None:
    """Area-code prefixes the user works in; ``None`` for the whole country."""
    prefixes: list[str] = []
    for grant in user_grants(user):
        if grant.scope_level == ScopeLevel.COUNTRY:
            return None
        if grant.scope_level == ScopeLevel.REGION:
            rows = provinces if provinces is not None else _provinces()
            prefixes += [code for code, _name, region, _region_name in rows if region == grant.scope_code]
        elif grant.scope_code:
            prefixes.append(grant.scope_code)
    return prefixes


def _in_scope(code: str, prefixes: list[str] | None) -> bool:
    """An area inside the user's scope, or above it (a province that holds the user's subdistrict)."""
    return prefixes is None or any(code.startswith(p) or p.startswith(code) for p in prefixes)


def options(user: Any, level: str, parent: str = "", *, prefixes: Any = ...) -> list[tuple[str, str]]:
    """(code, Thai name) of ``level`` under ``parent`` (a region key or a DOPA code), in the user's scope."""
    if level in ("region", "province"):
        provinces = _provinces()
        prefixes = scope_prefixes(user, provinces)
        if level == "region":
            shown = {(region, name) for code, _n, region, name in provinces if _in_scope(code, prefixes)}
            return sorted(shown)
        return [
            (code, name)
            for code, name, region, _rn in provinces
            if (not parent or region == parent) and _in_scope(code, prefixes)
        ]
    if prefixes is ...:
        prefixes = scope_prefixes(user)
    rows: Any
    if level == "district" and len(parent) == 2:
        rows = District.objects.filter(province_id=parent)
    elif level == "subdistrict" and len(parent) == 4:
        rows = Subdistrict.objects.filter(district_id=parent)
    else:
        return []
    found = rows.order_by("name_th").values_list("code", "name_th")
    return [(code, name) for code, name in found if _in_scope(code, prefixes)]


def picker(user: Any, chosen: dict[str, str]) -> Picker:
    """The four lists for a form, each under the level chosen above it (a lower choice that does not
    belong to the higher one is dropped, as the person would expect). Regions and provinces come
    from one query; a district and a subdistrict list add one each, only when a level above is chosen."""
    provinces = _provinces()
    prefixes = scope_prefixes(user, provinces)
    region = chosen.get("region", "")
    province = chosen.get("province", "")
    district = chosen.get("district", "")
    subdistrict = chosen.get("subdistrict", "")
    regions_of = {code: region_key for code, _n, region_key, _rn in provinces}
    if province and (province not in regions_of or (region and regions_of[province] != region)):
        province = ""
    if district and not district.startswith(province or "--"):
        district = ""
    if subdistrict and not subdistrict.startswith(district or "----"):
        subdistrict = ""
    shown = [(c, n, r, rn) for c, n, r, rn in provinces if _in_scope(c, prefixes)]
    return Picker(
        regions=sorted({(r, rn) for _c, _n, r, rn in shown}),
        provinces=[(c, n) for c, n, r, _rn in shown if not region or r == region],
        districts=options(user, "district", province, prefixes=prefixes) if province else [],
        subdistricts=options(user, "subdistrict", district, prefixes=prefixes) if district else [],
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
