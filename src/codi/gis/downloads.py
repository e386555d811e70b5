"""Whole-layer downloads: GeoJSON, CSV (geometry as WKT) and GeoPackage (written by pyogrio)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import Http404, HttpResponse, StreamingHttpResponse

from codi.core.spreadsheet import csv_response
from codi.gis.layers import Layer, LayerQuery, collection_json, geometry_of

MAX_FEATURES = 50_000
PAGE = 1000


def base_map_url() -> str:
    """Tiles under the vector boundaries when the site may reach them (``GIS_BASE_MAP_URL``); none offline."""
    return str(getattr(settings, "GIS_BASE_MAP_URL", "") or "")


def collect(layer: Layer, user: Any, query: LayerQuery, fetch: Callable[..., Any]) -> list[dict[str, Any]]:
    features: list[dict[str, Any]] = []
    offset = 0
    while len(features) < MAX_FEATURES:
        page = fetch(
            layer, user, LayerQuery(bbox=query.bbox, limit=PAGE, offset=offset, filters=query.filters)
        )
        features.extend(page.features)
        offset += PAGE
        if offset >= page.matched or not page.features:
            break
    return features[:MAX_FEATURES]


def _columns(features: list[dict[str, Any]]) -> list[str]:
    columns: dict[str, None] = {}
    for feature in features:
        for key in feature["properties"]:
            columns.setdefault(key, None)
    return list(columns)


def respond(
    layer: Layer, features: list[dict[str, Any]], file_format: str
) -> HttpResponse | StreamingHttpResponse:
    if file_format == "geojson":
        body = {"type": "FeatureCollection", "name": layer.key, "features": features}
        response = HttpResponse(collection_json(body), content_type="application/geo+json")
        response["Content-Disposition"] = f'attachment; filename="{layer.key}.geojson"'
        return response
    # heavy: shapely (GEOS) is loaded only for a CSV or GeoPackage download
    import shapely
    from shapely.geometry import shape

    columns = _columns(features)
    geometries = [shape(geometry_of(f)) for f in features]
    if file_format == "csv":
        rows = (
            [str(f["id"]), *[f["properties"].get(c) for c in columns], g.wkt]
            for f, g in zip(features, geometries, strict=True)
        )
        return csv_response(filename=layer.key, header=["id", *columns, "geometry_wkt"], rows=rows)
    if file_format == "gpkg":
        return _geopackage(
            layer,
            features,
            columns,
            [shapely.to_wkb(g) for g in geometries],
            [g.geom_type for g in geometries],
        )
    raise Http404


def _geopackage(
    layer: Layer, features: list[dict[str, Any]], columns: list[str], wkbs: list[bytes], types: list[str]
) -> HttpResponse:
    # heavy: GDAL (pyogrio) and numpy are loaded only for a GeoPackage download
    import numpy
    import pyogrio.raw

    if not features:
        raise Http404
    geometry_type = "Unknown" if len(set(types)) > 1 else types[0]
    field_data = [
        numpy.array([_cell(f["properties"].get(c)) for f in features], dtype=object) for c in columns
    ]
    with tempfile.TemporaryDirectory(prefix="codi-gis-") as tmp:
        path = Path(tmp) / f"{layer.key}.gpkg"
        pyogrio.raw.write(
            str(path),
            numpy.array(wkbs, dtype=object),
            field_data,
            columns,
            driver="GPKG",
            layer=layer.key.replace("-", "_"),
            crs="EPSG:4326",
            geometry_type=geometry_type,
            encoding="UTF-8",
        )
        content = path.read_bytes()
    response = HttpResponse(content, content_type="application/geopackage+sqlite3")
    response["Content-Disposition"] = f'attachment; filename="{layer.key}.gpkg"'
    return response


def _cell(value: Any) -> Any:
    """GeoPackage columns are written as text: one type per column whatever the rows hold."""
    return "" if value is None else str(value)
