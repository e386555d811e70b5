"""API: Thai administrative areas and CODI regions (reference data, readable by any signed-in user)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from codi.api.pagination import Pages
from codi.api.schemas import ERRORS
from codi.areas.models import Province, Region, Subdistrict

router = Router(tags=["areas"])


class RegionOut(Schema):
    code: str
    name_th: str
    name_en: str


class ProvinceOut(Schema):
    code: str
    name_th: str
    name_en: str
    region_id: str | None


class SubdistrictOut(Schema):
    code: str
    name_th: str
    name_en: str
    district_id: str
    postal_codes: str


@router.get("/regions", response={200: list[RegionOut], **ERRORS}, summary="CODI regions")
def regions(request: HttpRequest) -> QuerySet[Region]:
    return Region.objects.all()


@router.get("/provinces", response={200: list[ProvinceOut], **ERRORS}, summary="Provinces")
def provinces(request: HttpRequest) -> QuerySet[Province]:
    return Province.objects.all()


@router.get(
    "/subdistricts", response={200: list[SubdistrictOut], **ERRORS}, summary="Subdistricts, filterable"
)
@paginate(Pages)
def subdistricts(
    request: HttpRequest, district: str = "", province: str = "", q: str = ""
) -> QuerySet[Subdistrict]:
    rows = Subdistrict.objects.all()
    if district:
        rows = rows.filter(district_id=district)
    elif province:
        rows = rows.filter(code__startswith=province)
    if q:
        rows = rows.filter(name_th__icontains=q)
    return rows
