"""API: Thai administrative areas, boundaries, search and CODI regions.

Areas are reference data: any signed-in user (or API key) reads them. Moving a
province to another CODI region is for system administrators with a
country-wide grant.
"""

from __future__ import annotations

from typing import Any, Literal

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from codi.api.kit import ERRORS, Pages
from codi.areas import selectors
from codi.areas.models import District, Province, Region, Subdistrict
from codi.areas.registry import BBox, indicators, point_layer, point_layers
from codi.identity import services as identity_services

router = Router(tags=["areas"])

LevelName = Literal["province", "district", "subdistrict"]
ProvinceCode = Query("", pattern=r"^(\d{2})?$", description="2-digit province code")
# Free text never carries NUL (the server refuses it with 400 before any view runs).
TEXT = r"^[^\x00]*$"
KEY = r"^[A-Za-z0-9_-]{1,50}$"
MAX_POINTS = 5_000


class RegionOut(Schema):
    code: str
    name_th: str
    name_en: str


class ProvinceOut(Schema):
    code: str
    name_th: str
    name_en: str
    region_id: str | None


class DistrictOut(Schema):
    code: str
    name_th: str
    name_en: str
    province_id: str


class SubdistrictOut(Schema):
    code: str
    name_th: str
    name_en: str
    district_id: str
    postal_codes: str


class AreaRefOut(Schema):
    level: str
    code: str
    name_th: str
    name_en: str


class AreaDetailOut(Schema):
    level: str
    code: str
    name_th: str
    name_en: str
    region: RegionOut | None
    parents: list[AreaRefOut] = Field(description="province first, then district")
    children: list[AreaRefOut]
    postal_codes: list[str]
    has_polygon: bool = Field(description="false when no boundary polygon is known for this area")


class AbolishedOut(Schema):
    code: str
    level: str
    name_th: str
    name_en: str
    abolished_on: str | None
    successors: list[str]
    successors_source: str


class ResolveOut(Schema):
    code: str
    is_known: bool
    is_current: bool
    abolished: AbolishedOut | None
    current: list[AreaRefOut] = Field(description="areas in use today that cover this code's land")


class SearchOut(Schema):
    level: str
    code: str
    name_th: str
    name_en: str
    label_th: str
    label_en: str
    postal_codes: list[str]


class FeatureProperties(Schema):
    code: str
    name_th: str
    name_en: str
    has_polygon: bool


class Feature(Schema):
    type: Literal["Feature"]
    id: str
    properties: FeatureProperties
    geometry: dict[str, Any] | None = Field(
        description="Polygon or MultiPolygon (lon, lat); null: no boundary"
    )


class FeatureCollection(Schema):
    type: Literal["FeatureCollection"]
    attribution: str
    features: list[Feature]


class IndicatorOut(Schema):
    key: str
    title: str
    unit: str


class IndicatorValuesOut(Schema):
    key: str
    title: str
    unit: str
    level: str
    values: dict[str, float] = Field(description="area code → value")
    breaks: list[float] = Field(description="upper bounds of the legend's classes")


class PointOut(Schema):
    lon: float
    lat: float
    label: str
    url: str


class PointLayerOut(Schema):
    key: str
    title: str
    points: list[PointOut]
    is_truncated: bool


class RegionMoveIn(Schema):
    region: str = Field(
        pattern=r"^[a-z0-9_]{1,20}$", description="code of the CODI region to move the province to"
    )


# --- reference lists --------------------------------------------------------------------------


@router.get("/regions", response={200: list[RegionOut], **ERRORS}, summary="CODI regions")
def regions(request: HttpRequest) -> QuerySet[Region]:
    return selectors.region_list()


@router.get("/provinces", response={200: list[ProvinceOut], **ERRORS}, summary="Provinces")
def provinces(
    request: HttpRequest, region: str = Query("", pattern=r"^[a-z0-9_]{0,20}$")
) -> QuerySet[Province]:
    rows = Province.objects.all()
    return rows.filter(region_id=region) if region else rows


@router.get("/districts", response={200: list[DistrictOut], **ERRORS}, summary="Districts, filterable")
@paginate(Pages)
def districts(
    request: HttpRequest, province: str = ProvinceCode, q: str = Query("", max_length=100, pattern=TEXT)
) -> QuerySet[District]:
    return selectors.area_list(level="district", parent=province, q=q)


@router.get(
    "/subdistricts", response={200: list[SubdistrictOut], **ERRORS}, summary="Subdistricts, filterable"
)
@paginate(Pages)
def subdistricts(
    request: HttpRequest,
    district: str = Query("", pattern=r"^(\d{4})?$"),
    province: str = ProvinceCode,
    postal_code: str = Query("", pattern=r"^(\d{5})?$"),
    q: str = Query("", max_length=100, pattern=TEXT),
) -> QuerySet[Subdistrict]:
    return selectors.area_list(level="subdistrict", parent=district or province, postal_code=postal_code, q=q)


@router.get(
    "/search",
    response={200: list[SearchOut], **ERRORS},
    summary="Search areas by Thai or English name, postal code or code",
)
def search(
    request: HttpRequest,
    q: str = Query(..., min_length=1, max_length=100, pattern=TEXT),
    limit: int = Query(20, ge=1, le=50),
) -> list[selectors.SearchResult]:
    return selectors.area_search(q=q, limit=limit)


@router.get(
    "/resolve/{code}",
    response={200: ResolveOut, **ERRORS},
    summary="What an old or current area code means today (follows abolished codes to their successors)",
)
def resolve(request: HttpRequest, code: str = Path(..., pattern=r"^\d{2,6}$")) -> dict[str, Any]:
    found = selectors.area_resolve(code)
    if not found.is_known:
        raise Http404
    abolished = None
    if found.abolished is not None:
        a = found.abolished
        abolished = {
            "code": a.code,
            "level": a.level,
            "name_th": a.name_th,
            "name_en": a.name_en,
            "abolished_on": a.abolished_on.isoformat() if a.abolished_on else None,
            "successors": list(a.successors.values_list("code", flat=True)),
            "successors_source": a.successors_source,
        }
    return {
        "code": found.code,
        "is_known": found.is_known,
        "is_current": found.is_current,
        "abolished": abolished,
        "current": found.current,
    }


# --- boundaries, indicators, points -------------------------------------------------------------


@router.get(
    "/geojson/{level}",
    response={200: FeatureCollection, 304: None, **ERRORS},
    summary="Boundaries of every area of a level as GeoJSON (simplified; strong ETag, gzip)",
    description=(
        "Boundaries: OCHA / RTSD (OCHA COD-AB Thailand, CC BY-IGO), simplified per level. "
        "Areas without a known polygon are features with a null geometry and has_polygon false. "
        "Send If-None-Match with the ETag to get 304."
    ),
    # The body is GeoJSON (RFC 7946) and says so in its media type.
    openapi_extra={
        "responses": {
            200: {
                "content": {
                    "application/geo+json": {"schema": {"$ref": "#/components/schemas/FeatureCollection"}}
                }
            }
        }
    },
)
def geojson(request: HttpRequest, level: LevelName, province: str = ProvinceCode) -> HttpResponse:
    body = selectors.area_geojson(level=level, province=province)
    if not body.features and province:
        raise Http404
    use_gzip = "gzip" in request.headers.get("Accept-Encoding", "")
    # Each encoding is its own representation, so each has its own strong validator.
    etag = body.etag[:-1] + '-gz"' if use_gzip else body.etag
    headers = {
        "ETag": etag,
        "Cache-Control": "private, max-age=3600",
        "Vary": "Accept-Encoding, Cookie, X-API-Key",
    }
    wanted = [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]
    if etag in wanted or "*" in wanted:
        return HttpResponse(status=304, headers=headers)
    response = HttpResponse(
        body.gzipped if use_gzip else body.content, content_type="application/geo+json", headers=headers
    )
    if use_gzip:
        response["Content-Encoding"] = "gzip"
    return response


@router.get("/indicators", response={200: list[IndicatorOut], **ERRORS}, summary="Indicators for the maps")
def indicator_list(request: HttpRequest) -> list[dict[str, str]]:
    return [{"key": i.key, "title": str(i.title), "unit": str(i.unit)} for i in indicators()]


@router.get(
    "/indicators/{key}",
    response={200: IndicatorValuesOut, **ERRORS},
    summary="An indicator's value per area of a level (as far as your grants reach), with class breaks",
)
def indicator_values(
    request: HttpRequest,
    key: str = Path(..., pattern=KEY),
    level: LevelName = "province",
    province: str = ProvinceCode,
) -> selectors.IndicatorMap:
    found = selectors.indicator_map(user=request.user, key=key, level=level, province=province)
    if found is None:
        raise Http404
    return found


class BBoxQuery(Schema):
    bbox: str = Field(
        "",
        pattern=r"^(-?\d+(\.\d+)?,){3}-?\d+(\.\d+)?$|^$",
        description="west,south,east,north in degrees; empty for the whole country",
    )


@router.get(
    "/points/{key}",
    response={200: PointLayerOut, **ERRORS},
    summary="Points of a map layer inside a bounding box (as far as your grants reach)",
)
def points(
    request: HttpRequest, query: Query[BBoxQuery], key: str = Path(..., pattern=KEY)
) -> dict[str, Any]:
    layer = point_layer(key)
    if layer is None:
        raise Http404
    bbox: BBox | None = None
    if query.bbox:
        west, south, east, north = (float(v) for v in query.bbox.split(","))
        bbox = (west, south, east, north)
    found = layer.points(request.user, bbox)
    return {
        "key": layer.key,
        "title": str(layer.title),
        "points": found[:MAX_POINTS],
        "is_truncated": len(found) > MAX_POINTS,
    }


@router.get(
    "/point-layers", response={200: list[IndicatorOut], **ERRORS}, summary="Point layers for the maps"
)
def point_layer_list(request: HttpRequest) -> list[dict[str, str]]:
    return [{"key": p.key, "title": str(p.title), "unit": ""} for p in point_layers()]


# --- one area, and region editing -----------------------------------------------------------------


@router.post(
    "/provinces/{code}/region",
    response={200: ProvinceOut, **ERRORS},
    summary="Move a province to another CODI region (system administrators)",
)
def province_move(
    request: HttpRequest, payload: RegionMoveIn, code: str = Path(..., pattern=r"^\d{2}$")
) -> Province:
    if not Province.objects.filter(code=code).exists():
        raise Http404
    return identity_services.province_set_region(
        actor=request.user, province_code=code, region_code=payload.region
    )


# Last on purpose: "/{code}" would shadow any one-segment path registered after it.
@router.get(
    "/{code}",
    response={200: AreaDetailOut, **ERRORS},
    summary="One province, district or subdistrict by DOPA code, with its parents and children",
)
def area_detail(
    request: HttpRequest, code: str = Path(..., pattern=r"^\d{2}(\d{2}(\d{2})?)?$")
) -> selectors.AreaDetail:
    found = selectors.area_get(code=code, with_children=True)
    if found is None:
        raise Http404
    return found
