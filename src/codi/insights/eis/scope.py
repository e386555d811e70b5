"""Who sees the executive board and which areas: the holders of the insights view right, within the
areas of their grants (a country-wide grant sees everything; a region or province grant sees its
provinces). Each KPI's source also reads through the owning app's selectors as the same person, so
the owning app's own scope applies on top.

Areas are named by code: ``""`` the whole country, a CODI region code (``northeast``), a DOPA
province (2 digits), district (4) or subdistrict (6 digits). The drill-down goes region → province →
district → subdistrict → the records.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from codi.areas.selectors import area_list, region_list, subdistrict_names
from codi.identity.roles import Perm
from codi.identity.selectors import scope_province_codes, user_has_perm


@dataclass(frozen=True)
class Scope:
    """The acting person and the provinces they may see (``None``: the whole country)."""

    user: Any
    provinces: frozenset[str] | None

    @property
    def country_wide(self) -> bool:
        return self.provinces is None

    def allows_province(self, province: str) -> bool:
        return self.provinces is None or province in self.provinces


def scope_for(user: Any) -> Scope | None:
    """The person's EIS scope, or ``None`` when they do not hold the insights view right."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if not user_has_perm(user, Perm.INSIGHTS_VIEW):
        return None
    codes = scope_province_codes(user, Perm.INSIGHTS_VIEW)
    return Scope(user=user, provinces=None if codes is None else frozenset(codes))


@dataclass(frozen=True)
class Area:
    code: str
    level: str  # country, region, province, subdistrict
    name: str


def _regions() -> dict[str, str]:
    return {r.code: r.name_th for r in region_list()}


def province_regions() -> dict[str, str]:
    """Province code → CODI region code."""
    return {
        code: region or "" for code, region in area_list(level="province").values_list("code", "region_id")
    }


def level_of(code: str) -> str:
    if not code:
        return "country"
    if code.isdigit() and len(code) == 2:
        return "province"
    if code.isdigit() and len(code) == 4:
        return "district"
    if code.isdigit() and len(code) == 6:
        return "subdistrict"
    return "region"


def area_get(code: str) -> Area | None:
    """The area named by ``code`` with its Thai name; ``None`` for an unknown code."""
    level = level_of(code)
    if level == "country":
        return Area("", "country", "ทั้งประเทศ")
    if level == "region":
        name = _regions().get(code)
        return Area(code, level, name) if name else None
    if level == "province":
        row = area_list(level="province").filter(code=code).values_list("name_th", flat=True).first()
        return Area(code, level, row) if row else None
    if level == "district":
        row = area_list(level="district").filter(code=code).values_list("name_th", flat=True).first()
        return Area(code, level, row) if row else None
    names = subdistrict_names(codes=[code])
    return Area(code, level, names[code]) if code in names else None


def in_scope(scope: Scope, code: str) -> bool:
    """Whether the area lies wholly inside the person's scope (the country only for country-wide)."""
    if scope.provinces is None:
        return True
    level = level_of(code)
    if level == "country":
        return False
    if level == "region":
        provinces = {p for p, r in province_regions().items() if r == code}
        return bool(provinces) and provinces <= scope.provinces
    return code[:2] in scope.provinces


def home_area(scope: Scope) -> str:
    """Where the board opens: the country, or the person's one region / one province."""
    if scope.provinces is None:
        return ""
    regions = province_regions()
    mine = {regions.get(p, "") for p in scope.provinces}
    if len(mine) == 1:
        region = next(iter(mine))
        if region and in_scope(scope, region):
            return region
    if len(scope.provinces) == 1:
        return next(iter(scope.provinces))
    return sorted(scope.provinces)[0]


def child_names(code: str, codes: set[str]) -> dict[str, str]:
    """Thai names of the child areas named in ``codes`` (regions, provinces or subdistricts)."""
    level = level_of(code)
    if level == "country":
        return {k: v for k, v in _regions().items() if k in codes}
    if level == "region":
        return dict(area_list(level="province").filter(code__in=codes).values_list("code", "name_th"))
    if level == "province":
        return dict(area_list(level="district").filter(code__in=codes).values_list("code", "name_th"))
    if level == "district":
        return subdistrict_names(codes=sorted(codes))
    return {}


def breadcrumbs(code: str) -> list[Area]:
    """Country → region → province → district → subdistrict down to ``code``."""
    trail = [Area("", "country", "ทั้งประเทศ")]
    level = level_of(code)
    if level == "country":
        return trail
    province = code[:2] if level in ("province", "district", "subdistrict") else ""
    district = code[:4] if level in ("district", "subdistrict") else ""
    region = code if level == "region" else province_regions().get(province, "")
    for part in (region, province, district, code if level == "subdistrict" else ""):
        if part:
            area = area_get(part)
            if area is not None:
                trail.append(area)
    return trail
