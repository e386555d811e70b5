"""Area boundaries from the committed GeoJSON files (``codi/areas/data/``).

The files are built once by ``scripts/build_boundaries.py`` from OCHA COD-AB
(CC BY-IGO, credit "OCHA / RTSD"). Reading them needs only ``json``; shapely,
which is heavy, is imported inside the functions that test points, so importing
the web app never loads it. Everything is cached per process: the files do not
change while the server runs.
"""

from __future__ import annotations

import json
import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from codi.areas.registry import Level

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

DATA_DIR = Path(__file__).resolve().parent / "data"
FILES: dict[str, str] = {
    "province": "provinces.geojson",
    "district": "districts.geojson",
    "subdistrict": "subdistricts.geojson",
}
LEVELS: tuple[Level, ...] = ("province", "district", "subdistrict")
CODE_LENGTH: dict[str, int] = {"province": 2, "district": 4, "subdistrict": 6}
ATTRIBUTION = "OCHA / RTSD (CC BY-IGO)"
# Degrees per kilometre, near enough at Thailand's latitudes (6°–21° N) for a margin.
_DEGREES_PER_KM = 1 / 111.0
_lock = threading.Lock()


def level_of(code: str) -> Level | None:
    """The level a DOPA code names, by its length (2, 4 or 6 digits)."""
    if not code.isdigit():
        return None
    return {2: "province", 4: "district", 6: "subdistrict"}.get(len(code))  # type: ignore[return-value]


def _read(filename: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA_DIR / filename).read_text(encoding="utf-8"))
    return data


@lru_cache(maxsize=4)
def geometries(level: str) -> dict[str, dict[str, Any]]:
    """Area code → GeoJSON geometry (a dict) for every area of ``level`` that has a polygon."""
    with _lock:
        features = _read(FILES[level])["features"]
    return {f["properties"]["code"]: f["geometry"] for f in features}


def geometry(code: str) -> dict[str, Any] | None:
    """The GeoJSON geometry of one province, district or subdistrict; ``None`` without a polygon."""
    level = level_of(code)
    if level is None:
        return None
    return geometries(level).get(code)


def has_polygon(code: str) -> bool:
    return geometry(code) is not None


def codes_with_polygon(level: str) -> frozenset[str]:
    return frozenset(geometries(level))


@lru_cache(maxsize=16_384)
def _prepared(code: str) -> BaseGeometry | None:
    # heavy: shapely (GEOS) is loaded only when a point is placed
    import shapely
    from shapely.geometry import shape

    geo = geometry(code)
    if geo is None:
        return None
    polygon = shape(geo)
    shapely.prepare(polygon)
    return polygon


@lru_cache(maxsize=1)
def _country() -> BaseGeometry:
    # heavy: shapely (GEOS) is loaded only when a point is placed
    import shapely
    from shapely.geometry import shape

    outline = shape(_read("thailand.geojson")["features"][0]["geometry"])
    shapely.prepare(outline)
    return outline


def contains(code: str, lon: float, lat: float, *, margin_km: float = 0.0) -> bool | None:
    """Whether the point lies in the area's polygon (or within ``margin_km`` of it); ``None`` without one."""
    # heavy: shapely (GEOS) is loaded only when a point is placed
    import shapely

    polygon = _prepared(code)
    if polygon is None:
        return None
    point = shapely.Point(lon, lat)
    if margin_km > 0:
        return bool(shapely.dwithin(polygon, point, margin_km * _DEGREES_PER_KM))
    return bool(shapely.intersects(polygon, point))


def in_thailand(lon: float, lat: float, *, margin_km: float) -> bool:
    # heavy: shapely (GEOS) is loaded only when a point is placed
    import shapely

    return bool(shapely.dwithin(_country(), shapely.Point(lon, lat), margin_km * _DEGREES_PER_KM))


@lru_cache(maxsize=1)
def _subdistrict_tree() -> tuple[Any, list[str], list[BaseGeometry]]:
    # heavy: shapely (GEOS) is loaded only when a point is placed
    import shapely
    from shapely.geometry import shape

    codes = sorted(geometries("subdistrict"))
    shapes = [shape(geometries("subdistrict")[code]) for code in codes]
    for polygon in shapes:
        shapely.prepare(polygon)
    return shapely.STRtree(shapes), codes, shapes


def locate_subdistrict(lon: float, lat: float) -> str | None:
    """The code of the subdistrict whose polygon holds the point (``None`` outside every polygon).

    An R-tree narrows ~7,400 polygons to the few whose boxes hold the point; the first
    call builds it (about a second), later calls take well under a millisecond.
    """
    # heavy: shapely (GEOS) is loaded only when a point is placed
    import shapely

    tree, codes, shapes = _subdistrict_tree()
    point = shapely.Point(lon, lat)
    for index in tree.query(point):
        if shapely.intersects(shapes[int(index)], point):
            return codes[int(index)]
    return None
