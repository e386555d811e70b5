"""An aggregate layer's values alone, keyed by area code, for the map to join to boundaries it
already holds.

The map used to read an aggregate layer as GeoJSON: every area's polygon on every request (2.8 MB
for the country's subdistricts). The boundaries are one cacheable resource of the areas app
(``/api/v1/areas/geojson/<level>``: simplified per level, strong ETag, ``max-age``); this answers
only the figures — ``{"level", "fields", "values": {code: [figures in the order of fields]}}`` —
for every area of the layer the caller sees (their scope, as the OGC items), with a strong ETag so
an unchanged answer is a 304. The aggregation itself is kept between requests
(``layer_defs.project_values``).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.http import HttpRequest, HttpResponse

from codi.gis.layers import LayerQuery
from codi.gis.ogc import OgcError, _layer, fetch, layer_query, ogc_view

AREA_KEYS = ("code", "name_th", "name_en")
MAX_AREAS = 100_000


def values_body(layer_level: str, features: list[dict[str, Any]]) -> dict[str, Any]:
    fields: list[str] = []
    for feature in features:
        for key in feature["properties"]:
            if key not in AREA_KEYS and key not in fields:
                fields.append(key)
    return {
        "level": layer_level,
        "fields": fields,
        "values": {f["id"]: [f["properties"].get(k) for k in fields] for f in features},
    }


@ogc_view
def layer_values(request: HttpRequest, user: Any, key: str) -> HttpResponse:
    layer = _layer(user, key)
    if not layer.aggregate or not layer.level:
        raise OgcError(404, "NotFound", f"ชั้นข้อมูล {key} ไม่ใช่ข้อมูลรายพื้นที่", f"{key} is not an area layer")
    asked = layer_query(request, layer)
    page = fetch(layer, user, LayerQuery(filters=asked.filters, limit=MAX_AREAS, geometry=False))
    text = json.dumps(values_body(layer.level, page.features), ensure_ascii=False, separators=(",", ":"))
    etag = '"' + hashlib.blake2b(text.encode(), digest_size=12).hexdigest() + '"'
    headers = {"ETag": etag, "Cache-Control": "private, no-cache", "Vary": "Cookie, X-API-Key"}
    wanted = [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]
    if etag in wanted:
        return HttpResponse(status=304, headers=headers)
    return HttpResponse(text, content_type="application/json", headers=headers)
