"""Checking a settlement's geometry: GeoJSON in WGS84, valid, inside Thailand and its subdistrict.

Every refusal is a ``GeometryError`` with a Thai and an English message, so pages and the import
report can show the person's language and the API can answer both. shapely (GEOS) is heavy, so
it is imported inside the functions that need it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from codi.areas import selectors as area_selectors

ALLOWED_TYPES = ("Point", "Polygon", "MultiPolygon")
# A polygon may touch the subdistrict's boundary: the committed boundaries are simplified.
SUBDISTRICT_MARGIN_KM = 0.5
THAILAND_MARGIN_KM = 5.0


class GeometryError(ValueError):
    def __init__(self, th: str, en: str) -> None:
        super().__init__(en)
        self.th = th
        self.en = en

    def text(self, lang: str = "th") -> str:
        return self.en if lang == "en" else self.th


@dataclass(frozen=True)
class CheckedGeometry:
    geometry: dict[str, Any]
    geometry_type: str
    bbox: tuple[float, float, float, float]
    lon: float
    lat: float


def check(geometry: Any, *, subdistrict_code: str) -> CheckedGeometry:
    """The geometry, normalised, or a ``GeometryError`` naming what is wrong with it."""
    # heavy: shapely (GEOS) is loaded only when a geometry is checked
    import shapely
    from shapely.geometry import mapping, shape

    if not isinstance(geometry, dict) or geometry.get("type") not in ALLOWED_TYPES:
        raise GeometryError(
            "รูปแปลงต้องเป็นจุด (Point) หรือรูปหลายเหลี่ยม (Polygon/MultiPolygon) แบบ GeoJSON",
            "The geometry must be a GeoJSON Point, Polygon or MultiPolygon",
        )
    try:
        geom = shape(geometry)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        raise GeometryError(
            "พิกัดของรูปแปลงอ่านไม่ได้", f"The geometry's coordinates cannot be read ({exc})"
        ) from exc
    if geom.is_empty:
        raise GeometryError("รูปแปลงว่างเปล่า", "The geometry is empty")
    if geom.has_z:
        geom = shapely.force_2d(geom)
    minx, miny, maxx, maxy = geom.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise GeometryError(
            "พิกัดไม่ใช่ละติจูด/ลองจิจูด (WGS84) ตรวจสอบระบบพิกัดของไฟล์",
            "The coordinates are not longitude/latitude (WGS84): check the file's coordinate system",
        )
    if not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        raise GeometryError(
            f"รูปแปลงไม่ถูกต้อง (เช่น เส้นขอบตัดกันเอง): {reason}",
            f"The geometry is invalid (e.g. self-intersecting): {reason}",
        )
    point = geom if geom.geom_type == "Point" else geom.representative_point()
    lon, lat = float(point.x), float(point.y)
    if not area_selectors.point_in_thailand(lon, lat, margin_km=THAILAND_MARGIN_KM) or not (
        minx >= 97 and maxx <= 106 and miny >= 5 and maxy <= 21
    ):
        raise GeometryError("รูปแปลงอยู่นอกประเทศไทย", "The geometry lies outside Thailand")
    inside = area_selectors.subdistrict_contains(
        code=subdistrict_code, lon=lon, lat=lat, margin_km=SUBDISTRICT_MARGIN_KM
    )
    if inside is False:
        found = area_selectors.subdistrict_at(lon=lon, lat=lat)
        where_th = f" (อยู่ในตำบล{found.name_th} รหัส {found.code})" if found else ""
        where_en = f" (it lies in {found.name_en or found.name_th}, {found.code})" if found else ""
        raise GeometryError(
            f"รูปแปลงไม่อยู่ในตำบลรหัส {subdistrict_code} ที่ระบุ{where_th}",
            f"The geometry is not inside subdistrict {subdistrict_code} that it names{where_en}",
        )
    return CheckedGeometry(
        geometry=dict(mapping(geom)) | {"coordinates": _lists(mapping(geom)["coordinates"])},
        geometry_type=geom.geom_type,
        bbox=(float(minx), float(miny), float(maxx), float(maxy)),
        lon=round(lon, 7),
        lat=round(lat, 7),
    )


def _lists(value: Any) -> Any:
    """shapely's mapping gives tuples; JSON fields and comparisons want lists."""
    if isinstance(value, list | tuple):
        return [_lists(v) for v in value]
    return round(float(value), 7)


def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in kilometres (mean Earth radius 6,371 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))
