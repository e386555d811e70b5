"""OGC API – Features (Part 1: Core, GeoJSON) at ``/gis/ogc/``: what QGIS, OWSLib and GDAL read.

Public aggregated layers are served to anyone; scoped layers need a signed-in session or an API
key (``X-API-Key`` header, the platform's keys with their rate limit) and are absent — not
listed, 404 — for a caller without the right. Errors are OGC exception JSON
(``{"code": ..., "description": ...}``) with a Thai description beside the English one.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import json
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET
from ninja.errors import HttpError

from codi.api.kit import RateLimitedError, api_key_auth
from codi.core.thaidate import be_year, fiscal_year_be
from codi.gis.geometry import GeometryError
from codi.gis.layers import (
    THAILAND_BBOX,
    BBox,
    Layer,
    LayerQuery,
    collection_json,
    feature_json,
    layer_for,
    visible_layers,
)

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
VARY = "Accept-Encoding, Cookie, X-API-Key, Authorization"
GZIP_MIN_BYTES = 1024
CORE_PARAMS = {"bbox", "limit", "offset", "f", "bbox-crs"}
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-common-2/1.0/conf/collections",
]


class OgcError(Exception):
    def __init__(self, status: int, code: str, th: str, en: str) -> None:
        super().__init__(en)
        self.status, self.code, self.th, self.en = status, code, th, en


def exception_response(error: OgcError) -> JsonResponse:
    return JsonResponse(
        {"code": error.code, "description": error.en, "description_th": error.th},
        status=error.status,
        json_dumps_params={"ensure_ascii": False},
    )


def respond(request: HttpRequest, text: str, content_type: str) -> HttpResponse:
    """The body, gzip-compressed when the client accepts it and did not come with the browser's
    session cookie. An OGC body holds no secret (no CSRF token, no key), and what a cookie-less
    request reads an attacker's page cannot make a victim's browser send with the victim's
    rights, so BREACH-style guessing through the compressed length has nothing to work on; the
    map in the browser reads figures (``values_views``), not these pages. A whole country layer
    by subdistrict (7,400 polygons) goes from about 2.9 MB to about 0.5 MB."""
    data = text.encode()
    response = HttpResponse(content_type=content_type)
    response["Vary"] = VARY
    accepts = "gzip" in request.headers.get("Accept-Encoding", "").lower()
    if accepts and len(data) >= GZIP_MIN_BYTES and not getattr(request, "ogc_by_session", False):
        data = gzip.compress(data, compresslevel=4, mtime=0)  # level 4: ~9 ms a 370 kB page, ~16 %
        response["Content-Encoding"] = "gzip"
    response.content = data
    return response


def _json(request: HttpRequest, body: dict[str, Any], content_type: str = "application/json") -> HttpResponse:
    return respond(request, json.dumps(body, ensure_ascii=False), content_type)


def api_key(request: HttpRequest) -> str:
    """The key from ``X-API-Key``, or the password of HTTP Basic authentication (any user name):
    QGIS before 3.26 and GDAL (``GDAL_HTTP_USERPWD``) can send a user name and password to an
    OGC API but not every version can add a header of one's own. No ``WWW-Authenticate``
    challenge is sent, so a browser never asks for, keeps or resends these credentials."""
    key = request.headers.get("X-API-Key", "")
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    if key or scheme.lower() != "basic":
        return key
    try:
        decoded = base64.b64decode(credentials.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        decoded = ""
    _user, _, password = decoded.partition(":")
    if not password:
        raise OgcError(401, "InvalidApiKey", "ใส่ API key เป็นรหัสผ่าน", "Give the API key as the Basic password")
    return password


def _caller(request: HttpRequest) -> Any:
    """The session user, or the API key's user; a bad key is refused rather than ignored."""
    key = api_key(request)
    request.ogc_by_session = not key and request.user.is_authenticated  # type: ignore[attr-defined]
    if not key:
        return request.user
    try:
        user = api_key_auth.authenticate(request, key)
    except RateLimitedError as exc:
        raise OgcError(429, "TooManyRequests", "เรียกใช้บ่อยเกินไป", "Rate limit exceeded") from exc
    except HttpError as exc:
        raise OgcError(exc.status_code, "ServiceUnavailable", "ระบบไม่พร้อม", str(exc)) from exc
    if user is None:
        raise OgcError(
            401, "InvalidApiKey", "API key ไม่ถูกต้องหรือถูกเพิกถอน", "The API key is invalid or revoked"
        )
    return user


def ogc_view(func: Any) -> Any:
    @require_GET
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return func(request, _caller(request), *args, **kwargs)
        except OgcError as error:
            return exception_response(error)

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper


def _abs(request: HttpRequest, path: str, params: dict[str, Any] | None = None) -> str:
    url = request.build_absolute_uri(path)
    return f"{url}?{urlencode(params)}" if params else url


@ogc_view
def landing(request: HttpRequest, user: Any) -> HttpResponse:
    base = reverse("gis:ogc_landing")
    return _json(
        request,
        {
            "title": "CODI GIS – OGC API Features",
            "description": "ชั้นข้อมูลแผนที่ของ พอช. (สถาบันพัฒนาองค์กรชุมชน): โครงการ องค์กรชุมชน ชุมชนแออัด และอื่น ๆ",
            "links": [
                {
                    "rel": "self",
                    "type": "application/json",
                    "title": "This document",
                    "href": _abs(request, base),
                },
                {
                    "rel": "service-desc",
                    "type": "application/vnd.oai.openapi+json;version=3.0",
                    "title": "The API definition (OpenAPI 3.0)",
                    "href": _abs(request, reverse("gis:ogc_api")),
                },
                {
                    "rel": "conformance",
                    "type": "application/json",
                    "title": "Conformance",
                    "href": _abs(request, reverse("gis:ogc_conformance")),
                },
                {
                    "rel": "data",
                    "type": "application/json",
                    "title": "Collections",
                    "href": _abs(request, reverse("gis:ogc_collections")),
                },
            ],
        },
    )


@ogc_view
def conformance(request: HttpRequest, user: Any) -> HttpResponse:
    return _json(request, {"conformsTo": CONFORMANCE})


def _collection(request: HttpRequest, layer: Layer) -> dict[str, Any]:
    items = reverse("gis:ogc_items", args=[layer.key])
    return {
        "id": layer.key,
        "title": layer.title_th,
        "description": f"{layer.description_th} / {layer.title_en}: {layer.description_en}",
        "keywords": [layer.group, "public" if layer.public else "scoped"],
        "itemType": "feature",
        "crs": [CRS84],
        "extent": {"spatial": {"bbox": [list(THAILAND_BBOX)], "crs": CRS84}}
        | ({"temporal": {"interval": [[None, None]]}} if layer.temporal else {}),
        "links": [
            {"rel": "self", "type": "application/json", "href": _abs(request, reverse("gis:ogc_collection", args=[layer.key]))},
            {"rel": "items", "type": "application/geo+json", "title": layer.title_en, "href": _abs(request, items)},
            {"rel": "http://www.opengis.net/def/rel/ogc/1.0/queryables", "type": "application/schema+json",
             "href": _abs(request, reverse("gis:ogc_queryables", args=[layer.key]))},
        ],
    }  # fmt: skip


@ogc_view
def collections(request: HttpRequest, user: Any) -> HttpResponse:
    return _json(
        request,
        {
            "links": [
                {
                    "rel": "self",
                    "type": "application/json",
                    "href": _abs(request, reverse("gis:ogc_collections")),
                }
            ],
            "collections": [_collection(request, layer) for layer in visible_layers(user)],
        },
    )


def _layer(user: Any, key: str) -> Layer:
    layer = layer_for(user, key)
    if layer is None:
        raise OgcError(404, "NotFound", f"ไม่พบชั้นข้อมูล {key}", f"No collection {key}")
    return layer


@ogc_view
def collection(request: HttpRequest, user: Any, key: str) -> HttpResponse:
    return _json(request, _collection(request, _layer(user, key)))


@ogc_view
def queryables(request: HttpRequest, user: Any, key: str) -> HttpResponse:
    layer = _layer(user, key)
    return _json(
        request,
        {
            "$schema": "https://json-schema.org/draft/2019-09/schema",
            "$id": _abs(request, reverse("gis:ogc_queryables", args=[key])),
            "type": "object",
            "title": layer.title_en,
            "properties": {name: {"title": text, "type": "string"} for name, text in layer.params.items()},
        },
        "application/schema+json",
    )


def parse_bbox(text: str) -> BBox:
    parts = text.split(",")
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        numbers = []
    if len(numbers) != 4 or any(n != n or n in (float("inf"), float("-inf")) for n in numbers):
        raise OgcError(
            400, "InvalidParameterValue",
            "bbox ต้องเป็นตัวเลขสี่ค่า: ลองจิจูดต่ำสุด,ละติจูดต่ำสุด,ลองจิจูดสูงสุด,ละติจูดสูงสุด",
            "bbox must be four numbers: minLon,minLat,maxLon,maxLat",
        )  # fmt: skip
    west, south, east, north = numbers
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= 90 and -90 <= north <= 90):
        raise OgcError(400, "InvalidParameterValue", "bbox อยู่นอกช่วงพิกัด WGS84", "bbox is outside WGS84 range")
    if west > east or south > north:
        raise OgcError(
            400, "InvalidParameterValue",
            "ลำดับค่า bbox ไม่ถูกต้อง: ค่าต่ำสุดต้องมาก่อนค่าสูงสุด",
            "bbox values are out of order: the minimum must come before the maximum",
        )  # fmt: skip
    return (west, south, east, north)


def _int_param(request: HttpRequest, name: str, default: int, high: int) -> int:
    text = request.GET.get(name, "")
    if text == "":
        return default
    if not text.isdigit():
        raise OgcError(
            400,
            "InvalidParameterValue",
            f"{name} ต้องเป็นจำนวนเต็มไม่ติดลบ",
            f"{name} must be a non-negative integer",
        )
    value = int(text)
    if value > high:
        raise OgcError(
            400, "InvalidParameterValue", f"{name} ต้องไม่เกิน {high:,}", f"{name} must not exceed {high:,}"
        )
    if name == "limit" and value < 1:
        raise OgcError(400, "InvalidParameterValue", "limit ต้องอย่างน้อย 1", "limit must be at least 1")
    return value


def _date(text: str) -> date | None:
    if text in ("", ".."):
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        raise OgcError(
            400, "InvalidParameterValue",
            "datetime ต้องเป็นวันที่ตาม RFC 3339 หรือช่วง เช่น 2025-10-01/2026-09-30",
            "datetime must be an RFC 3339 date or interval, e.g. 2025-10-01/2026-09-30",
        ) from None  # fmt: skip


def year_range(layer: Layer, text: str) -> dict[str, str]:
    """OGC ``datetime`` (an instant or ``start/end`` with ``..`` open) as a range of B.E. years."""
    start_text, _, end_text = text.partition("/")
    start = _date(start_text)
    end = _date(end_text) if "/" in text else start
    if start and end and start > end:
        raise OgcError(
            400, "InvalidParameterValue", "ช่วงเวลา datetime กลับด้าน", "datetime interval is reversed"
        )
    to_year = fiscal_year_be if layer.temporal == "fiscal_year" else be_year
    out = {}
    if start:
        out["year_from"] = str(to_year(start))
    if end:
        out["year_to"] = str(to_year(end))
    return out


def layer_query(request: HttpRequest, layer: Layer, *, max_limit: int = MAX_LIMIT) -> LayerQuery:
    params = set(layer.params) | ({"datetime"} if layer.temporal else set())
    unknown = sorted(set(request.GET) - CORE_PARAMS - params)
    if unknown:
        raise OgcError(
            400, "InvalidParameterValue",
            f"ไม่รู้จักพารามิเตอร์ {', '.join(unknown)}", f"Unknown parameter(s): {', '.join(unknown)}",
        )  # fmt: skip
    crs = request.GET.get("bbox-crs", CRS84)
    if crs not in (CRS84, "http://www.opengis.net/def/crs/EPSG/0/4326"):
        raise OgcError(
            400, "InvalidParameterValue", "รองรับเฉพาะ bbox-crs แบบ CRS84", "Only CRS84 bbox-crs is supported"
        )
    filters = {k: str(v) for k, v in request.GET.items() if k in layer.params and v != ""}
    if layer.temporal and request.GET.get("datetime"):
        filters |= year_range(layer, request.GET["datetime"])
    return LayerQuery(
        bbox=parse_bbox(request.GET["bbox"]) if request.GET.get("bbox") else None,
        limit=_int_param(request, "limit", DEFAULT_LIMIT, max_limit),
        offset=_int_param(request, "offset", 0, 10_000_000),
        filters=filters,
    )


def fetch(layer: Layer, user: Any, query: LayerQuery) -> Any:
    try:
        return layer.fetch(user, query)
    except GeometryError as exc:
        raise OgcError(400, "InvalidParameterValue", exc.th, exc.en) from exc


@ogc_view
def items(request: HttpRequest, user: Any, key: str) -> HttpResponse:
    layer = _layer(user, key)
    query = layer_query(request, layer)
    page = fetch(layer, user, query)
    path = reverse("gis:ogc_items", args=[key])
    params = {k: v for k, v in request.GET.items() if k != "offset"}
    links = [
        {"rel": "self", "type": "application/geo+json", "href": _abs(request, path, dict(request.GET.items()))},
        {"rel": "collection", "type": "application/json", "href": _abs(request, reverse("gis:ogc_collection", args=[key]))},
    ]  # fmt: skip
    if query.offset + len(page.features) < page.matched:
        links.append(
            {"rel": "next", "type": "application/geo+json", "title": "next page",
             "href": _abs(request, path, params | {"offset": query.offset + query.limit, "limit": query.limit})}
        )  # fmt: skip
    if query.offset > 0:
        links.append(
            {"rel": "prev", "type": "application/geo+json", "title": "previous page",
             "href": _abs(request, path, params | {"offset": max(query.offset - query.limit, 0), "limit": query.limit})}
        )  # fmt: skip
    body = {
        "type": "FeatureCollection",
        "features": page.features,
        "numberMatched": page.matched,
        "numberReturned": len(page.features),
        "timeStamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "links": links,
    }
    return respond(request, collection_json(body), "application/geo+json")


@ogc_view
def item(request: HttpRequest, user: Any, key: str, fid: str) -> HttpResponse:
    layer = _layer(user, key)
    if not fid.isdigit() or len(fid) > 12:
        raise OgcError(404, "NotFound", "ไม่พบรายการ", f"No feature {fid[:20]}")
    filters = {"area": fid} if layer.aggregate else {"id": fid}
    page = fetch(layer, user, LayerQuery(limit=MAX_LIMIT, filters=filters))
    found = next((f for f in page.features if str(f["id"]) == fid), None)
    if found is None:
        raise OgcError(404, "NotFound", "ไม่พบรายการ", f"No feature {fid}")
    found = found | {
        "links": [{"rel": "collection", "href": _abs(request, reverse("gis:ogc_collection", args=[key]))}]
    }
    return respond(request, feature_json(found), "application/geo+json")
