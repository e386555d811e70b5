"""Reads from the area registry. Areas are public reference data: no scoping needed."""

from __future__ import annotations

from functools import lru_cache

from django.db.models import QuerySet

from codi.areas.models import Province, Region, Subdistrict


def region_province_codes(*, region_code: str) -> list[str]:
    return list(Province.objects.filter(region_id=region_code).values_list("code", flat=True))


@lru_cache(maxsize=128)
def _province_region(province_code: str) -> str | None:
    return Province.objects.filter(code=province_code).values_list("region_id", flat=True).first()


def province_region_code(*, province_code: str) -> str | None:
    return _province_region(province_code)


def region_list() -> QuerySet[Region]:
    return Region.objects.all()


def subdistrict_get(*, code: str) -> Subdistrict | None:
    return Subdistrict.objects.select_related("district__province").filter(code=code).first()


def area_counts() -> dict[str, int]:
    from codi.areas.models import District

    return {
        "regions": Region.objects.count(),
        "provinces": Province.objects.count(),
        "districts": District.objects.count(),
        "subdistricts": Subdistrict.objects.count(),
    }
