"""The GIS layer registry: each layer answers a ``LayerQuery`` (bbox, paging, filters) for a user.

A layer is either **public** (aggregated per area, no names: readable without signing in, and
published as open data) or **scoped** (needs ``perm``; the rows come from the owning app's
selectors, which apply the user's area scope). A scoped layer the user holds no right for is
not listed and not served (``visible_layers``).

Scope, said plainly: a province officer sees the scoped layers in detail for their own
province only, and the public province aggregates for the whole country — nothing else.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from codi.areas import boundaries
from codi.identity.selectors import user_has_perm

BBox = tuple[float, float, float, float]
THAILAND_BBOX: BBox = (97.3, 5.6, 105.7, 20.5)


class RawGeometry(str):
    """A geometry that is already GeoJSON text (as the database stores it): written into the
    response as is, not decoded and encoded again (most of an item page's time otherwise)."""


def geometry_of(feature: dict[str, Any]) -> dict[str, Any]:
    geometry = feature["geometry"]
    return json.loads(geometry) if isinstance(geometry, RawGeometry) else geometry


def feature_json(feature: dict[str, Any]) -> str:
    geometry = feature["geometry"]
    if not isinstance(geometry, RawGeometry):
        return json.dumps(feature, ensure_ascii=False)
    # "type" and "id" come first and hold no such text, so the first null is the geometry's.
    text = json.dumps({**feature, "geometry": None}, ensure_ascii=False)
    return text.replace('"geometry": null', f'"geometry": {geometry}', 1)


def collection_json(body: dict[str, Any]) -> str:
    """A FeatureCollection as JSON text, raw geometries spliced in."""
    rest = json.dumps({k: v for k, v in body.items() if k != "features"}, ensure_ascii=False)
    features = ",".join(feature_json(f) for f in body["features"])
    return '{"features": [' + features + "], " + rest[1:]


@dataclass(frozen=True)
class LayerQuery:
    bbox: BBox | None = None
    limit: int = 100
    offset: int = 0
    filters: dict[str, str] = field(default_factory=dict)
    # False: aggregate layers leave the geometry out (null), for values-only reads (``values_views``).
    geometry: bool = True


@dataclass
class LayerPage:
    features: list[dict[str, Any]]
    matched: int


@dataclass(frozen=True)
class Layer:
    key: str
    title_th: str
    title_en: str
    description_th: str
    description_en: str
    fetch: Callable[[Any, LayerQuery], LayerPage]
    public: bool = False
    perm: str = ""
    geometry: str = "polygon"  # polygon | point
    # Query parameters the layer accepts (also its OGC queryables), each with a short description.
    params: dict[str, str] = field(default_factory=dict)
    aggregate: bool = False  # one feature per area (its id is the area code)
    level: str = ""  # an aggregate layer's area level: the boundaries its values join to
    # What OGC ``datetime`` selects: "fiscal_year" (Thai fiscal years, Oct–Sep) or "year" (B.E. years).
    temporal: str = ""
    group: str = ""  # the module it belongs to, for the map's layer list
    order: int = 100
    color: str = "#2b8cbe"

    def visible_to(self, user: Any) -> bool:
        return self.public or bool(self.perm and user_has_perm(user, self.perm))


_layers: dict[str, Layer] = {}


def register(layer: Layer) -> Layer:
    _layers[layer.key] = layer
    return layer


def all_layers() -> list[Layer]:
    return sorted(_layers.values(), key=lambda x: (x.order, x.key))


def visible_layers(user: Any) -> list[Layer]:
    return [layer for layer in all_layers() if layer.visible_to(user)]


def layer_for(user: Any, key: str) -> Layer | None:
    layer = _layers.get(key)
    return layer if layer is not None and layer.visible_to(user) else None


# --- helpers for layers aggregated per area -----------------------------------------------------


def _walk(coords: Any, box: list[float]) -> None:
    if coords and isinstance(coords[0], int | float):
        x, y = float(coords[0]), float(coords[1])
        box[0], box[1], box[2], box[3] = min(box[0], x), min(box[1], y), max(box[2], x), max(box[3], y)
        return
    for part in coords:
        _walk(part, box)


@lru_cache(maxsize=3)
def area_boxes(level: str) -> dict[str, BBox]:
    """Area code → bounding box of its polygon, for every area of ``level`` that has one."""
    boxes: dict[str, BBox] = {}
    for code, geometry in boundaries.geometries(level).items():
        box = [180.0, 90.0, -180.0, -90.0]
        _walk(geometry["coordinates"], box)
        boxes[code] = (box[0], box[1], box[2], box[3])
    return boxes


@lru_cache(maxsize=3)
def area_points(level: str) -> dict[str, tuple[float, float]]:
    """Area code → a point inside its polygon (lon, lat), for labels, points and neighbours."""
    # heavy: shapely (GEOS) is loaded only when a layer needs area points
    from shapely.geometry import shape

    out: dict[str, tuple[float, float]] = {}
    for code, geometry in boundaries.geometries(level).items():
        point = shape(geometry).representative_point()
        out[code] = (round(point.x, 6), round(point.y, 6))
    return out


@lru_cache(maxsize=3)
def area_geometry_text(level: str) -> dict[str, RawGeometry]:
    """Area code → its polygon as GeoJSON text, encoded once: an aggregate layer's page splices
    these in (``collection_json``) instead of encoding thousands of polygons on every request."""
    return {
        code: RawGeometry(json.dumps(geometry, separators=(",", ":")))
        for code, geometry in boundaries.geometries(level).items()
    }


def intersects(a: BBox, b: BBox) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def area_page(
    *,
    level: str,
    values: dict[str, dict[str, Any]],
    query: LayerQuery,
    names: dict[str, tuple[str, str]],
    geometry: str = "polygon",
    include_empty: bool = False,
) -> LayerPage:
    """Features for the areas of ``level`` that have values, in code order, with bbox and paging."""
    boxes = area_boxes(level)
    codes = sorted(boxes if include_empty else (c for c in values if c in boxes))
    if query.bbox is not None:
        codes = [c for c in codes if intersects(boxes[c], query.bbox)]
    area_filter = query.filters.get("area", "")
    if area_filter:
        codes = [c for c in codes if c.startswith(area_filter)]
    page = codes[query.offset : query.offset + query.limit]
    geometries = area_geometry_text(level) if geometry != "point" and query.geometry else {}
    points = area_points(level) if geometry == "point" and query.geometry else {}
    features = []
    for code in page:
        name_th, name_en = names.get(code, ("", ""))
        geo: Any = None
        if query.geometry:
            geo = (
                {"type": "Point", "coordinates": list(points[code])}
                if geometry == "point"
                else geometries[code]
            )
        features.append(
            {
                "type": "Feature",
                "id": code,
                "geometry": geo,
                "properties": {"code": code, "name_th": name_th, "name_en": name_en, **values.get(code, {})},
            }
        )
    return LayerPage(features=features, matched=len(codes))
