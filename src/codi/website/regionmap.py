"""The map block's picture: a static SVG of Thailand's provinces, each filled by its CODI region's figure.

The outlines are the areas app's own simplified province polygons (``areas.boundaries``); a province
belongs to the region the areas app maps it to (``areas.selectors.province_region_code``, editable by
the system admin), else to CODI's default grouping. Nothing is fetched from another site and no
script runs: the SVG is drawn on the server, its colours come from ``site.css`` classes, and a table
of the same figures follows it for screen readers and keyboard users.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from codi.areas import boundaries
from codi.areas import selectors as areas
from codi.areas.regions import default_region_for

WIDTH = 300.0  # the viewBox width; the height follows Thailand's shape
_MID_LATITUDE = math.radians(13.0)


@dataclass(frozen=True)
class Shape:
    code: str  # province code
    d: str  # SVG path data


def _rings(geometry: dict[str, Any]) -> Iterable[Sequence[Sequence[float]]]:
    if geometry["type"] == "Polygon":
        yield from geometry["coordinates"]
    elif geometry["type"] == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield from polygon


@lru_cache(maxsize=1)
def province_shapes() -> tuple[tuple[Shape, ...], float]:
    """Every province with a polygon as SVG path data (computed once per process), and the height."""
    geometries = boundaries.geometries("province")
    points = [p for g in geometries.values() for ring in _rings(g) for p in ring]
    if not points:
        return (), 0.0
    kx = math.cos(_MID_LATITUDE)
    min_x = min(p[0] for p in points) * kx
    max_x = max(p[0] for p in points) * kx
    min_y, max_y = min(p[1] for p in points), max(p[1] for p in points)
    scale = WIDTH / (max_x - min_x)
    shapes = []
    for code in sorted(geometries):
        parts = []
        for ring in _rings(geometries[code]):
            xy = [f"{(lon * kx - min_x) * scale:.1f} {(max_y - lat) * scale:.1f}" for lon, lat in ring]
            parts.append("M" + "L".join(xy) + "Z")
        shapes.append(Shape(code=code, d="".join(parts)))
    return tuple(shapes), round((max_y - min_y) * scale, 1)


def region_of(province_code: str) -> str:
    return areas.province_region_code(province_code=province_code) or default_region_for(province_code)


def class_of(value: float, breaks: Sequence[float]) -> int:
    """0 for no value, else 1 + the quantile class (as the areas app's choropleths count them)."""
    if value <= 0:
        return 0
    for index, bound in enumerate(breaks, start=1):
        if value <= bound:
            return index
    return len(breaks)


def region_map(values: dict[str, float]) -> dict[str, Any]:
    """The SVG's shapes with a colour class each, from one figure per region code."""
    shapes, height = province_shapes()
    if not shapes:
        raise LookupError("no province outlines")
    breaks = areas.class_breaks(values.values(), classes=5)
    drawn = []
    for shape in shapes:
        region = region_of(shape.code)
        drawn.append({"d": shape.d, "region": region, "cls": class_of(values.get(region, 0.0), breaks)})
    return {"width": WIDTH, "height": height, "shapes": drawn, "breaks": breaks}
