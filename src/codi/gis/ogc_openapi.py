"""The API definition of ``/gis/ogc/`` (OpenAPI 3.0), linked from the landing page as
``service-desc`` as OGC API – Features Part 1 asks (/req/core/root-success, /req/oas30).

It describes the endpoints generically (``{collectionId}``) and lists the collection ids the
caller may see, so it never names a scoped layer to someone outside its scope.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from codi.gis.layers import visible_layers
from codi.gis.ogc import DEFAULT_LIMIT, MAX_LIMIT, _json, ogc_view

OPENAPI_TYPE = "application/vnd.oai.openapi+json;version=3.0"


def _param(
    name: str, where: str, schema: dict[str, Any], description: str, required: bool = False
) -> dict[str, Any]:
    return {"name": name, "in": where, "required": required, "schema": schema, "description": description}


def _ok(description: str, media: str = "application/json") -> dict[str, Any]:
    return {
        "200": {"description": description, "content": {media: {"schema": {"type": "object"}}}},
        "404": {"description": "Not found (or outside the caller's scope)"},
    }


def definition(request: HttpRequest, user: Any) -> dict[str, Any]:
    ids = sorted(layer.key for layer in visible_layers(user))
    collection = _param(
        "collectionId", "path", {"type": "string", "enum": ids}, "Collection id", required=True
    )
    feature = _param("featureId", "path", {"type": "string"}, "Feature id", required=True)
    items_params = [
        collection,
        _param("bbox", "query", {"type": "array", "minItems": 4, "maxItems": 4, "items": {"type": "number"}},
               "minLon,minLat,maxLon,maxLat (CRS84)"),
        _param("limit", "query", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
               "Features per page"),
        _param("offset", "query", {"type": "integer", "minimum": 0, "default": 0}, "Features to skip"),
        _param("datetime", "query", {"type": "string"}, "An instant or interval (RFC 3339), for temporal layers"),
    ]  # fmt: skip
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "CODI GIS – OGC API Features",
            "version": "1.0",
            "description": "ชั้นข้อมูลแผนที่ของ พอช. ตามมาตรฐาน OGC API – Features (GeoJSON)",
        },
        "servers": [{"url": request.build_absolute_uri(reverse("gis:ogc_landing")).rstrip("/")}],
        "paths": {
            "/": {"get": {"summary": "Landing page", "responses": _ok("Links to the API")}},
            "/api": {"get": {"summary": "This API definition", "responses": _ok("OpenAPI 3.0", OPENAPI_TYPE)}},
            "/conformance": {"get": {"summary": "Conformance classes", "responses": _ok("Conformance")}},
            "/collections": {"get": {"summary": "Collections the caller may read", "responses": _ok("Collections")}},
            "/collections/{collectionId}": {
                "get": {"summary": "One collection", "parameters": [collection], "responses": _ok("Collection")}
            },
            "/collections/{collectionId}/queryables": {
                "get": {"summary": "Queryable properties", "parameters": [collection],
                        "responses": _ok("JSON Schema", "application/schema+json")}
            },
            "/collections/{collectionId}/items": {
                "get": {"summary": "Features", "parameters": items_params,
                        "responses": _ok("GeoJSON feature collection", "application/geo+json")}
            },
            "/collections/{collectionId}/items/{featureId}": {
                "get": {"summary": "One feature", "parameters": [collection, feature],
                        "responses": _ok("GeoJSON feature", "application/geo+json")}
            },
        },
    }  # fmt: skip


@ogc_view
def api(request: HttpRequest, user: Any) -> HttpResponse:
    return _json(request, definition(request, user), content_type=OPENAPI_TYPE)
