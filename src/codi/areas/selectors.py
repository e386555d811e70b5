"""Reads from the area registry.

Areas are reference data every signed-in user may read, so area reads are not
scoped; what other modules show *about* an area (panels, indicators, points)
is scoped by their own callables, which receive the acting user.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from codi.areas import boundaries
from codi.areas.models import AbolishedArea, AbolishedSuccessor, District, Province, Region, Subdistrict
from codi.areas.registry import Level, indicator
from codi.areas.search import Entry, get_index

# --- regions ------------------------------------------------------------------------------

# Province → region, read on every region-scoped permission check. Kept per process for a
# minute at most: a move in another process shows here within that time, and at once in
# the process that made it (``province_region_cache_clear`` runs after the commit).
_REGION_TTL_S = 60.0
_region_map: dict[str, str | None] = {}
_region_map_loaded_at = 0.0
_region_lock = threading.Lock()


def province_region_cache_clear() -> None:
    global _region_map_loaded_at
    with _region_lock:
        _region_map_loaded_at = 0.0


def _province_regions() -> dict[str, str | None]:
    global _region_map, _region_map_loaded_at
    now = time.monotonic()
    if now - _region_map_loaded_at > _REGION_TTL_S:
        rows: dict[str, str | None] = dict(Province.objects.values_list("code", "region_id"))
        with _region_lock:
            _region_map, _region_map_loaded_at = rows, now
    return _region_map


def province_region_code(*, province_code: str) -> str | None:
    return _province_regions().get(province_code)


def region_province_codes(*, region_code: str) -> list[str]:
    return list(Province.objects.filter(region_id=region_code).values_list("code", flat=True))


def region_list() -> QuerySet[Region]:
    return Region.objects.all()


def regions_with_provinces() -> list[tuple[Region, list[Province]]]:
    """Every CODI region with its provinces (two queries), for the region editor."""
    provinces: dict[str | None, list[Province]] = {}
    for province in Province.objects.order_by("name_th"):
        provinces.setdefault(province.region_id, []).append(province)
    return [(region, provinces.get(region.code, [])) for region in Region.objects.all()]


def provinces_without_region() -> list[Province]:
    return list(Province.objects.filter(region__isnull=True).order_by("name_th"))


# --- areas --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaRow:
    level: Level
    code: str
    name_th: str
    name_en: str


@dataclass(frozen=True)
class AreaDetail:
    """One province, district or subdistrict with its parents (region first) and its children."""

    level: Level
    code: str
    name_th: str
    name_en: str
    region: Region | None
    parents: list[AreaRow]
    postal_codes: list[str]
    has_polygon: bool
    children: list[AreaRow] = field(default_factory=list)


def subdistrict_names(*, codes: list[str]) -> dict[str, str]:
    """Thai names of these subdistricts with their district ("ท่าพระ อ.เมืองขอนแก่น"), in one query."""
    rows = Subdistrict.objects.filter(code__in=set(codes)).values_list("code", "name_th", "district__name_th")
    return {code: f"{name} อ.{district}" for code, name, district in rows}


def subdistrict_get(*, code: str) -> Subdistrict | None:
    return Subdistrict.objects.select_related("district__province").filter(code=code).first()


def area_get(*, code: str, with_children: bool = False) -> AreaDetail | None:
    """The area with this DOPA code (2, 4 or 6 digits), its parent chain and, if asked, its children."""
    level = boundaries.level_of(code)
    parents: list[AreaRow] = []
    postal: list[str] = []
    area: Province | District | Subdistrict | None
    if level == "province":
        area = Province.objects.select_related("region").filter(code=code).first()
        province = area
    elif level == "district":
        area = District.objects.select_related("province__region").filter(code=code).first()
        province = area.province if area else None
    elif level == "subdistrict":
        area = Subdistrict.objects.select_related("district__province__region").filter(code=code).first()
        province = area.district.province if area else None
        if area is not None:
            d = area.district
            parents.append(AreaRow("district", d.code, d.name_th, d.name_en))
            postal = area.postal_codes.split()
    else:
        return None
    if area is None or province is None or level is None:
        return None
    if level != "province":
        parents.insert(0, AreaRow("province", province.code, province.name_th, province.name_en))
    children = area_children(code=code) if with_children else []
    return AreaDetail(
        level=level,
        code=area.code,
        name_th=area.name_th,
        name_en=area.name_en,
        region=province.region,
        parents=parents,
        postal_codes=postal,
        has_polygon=boundaries.has_polygon(code),
        children=children,
    )


def area_children(*, code: str) -> list[AreaRow]:
    """The districts of a province or the subdistricts of a district, by code; none for a subdistrict."""
    level = boundaries.level_of(code)
    if level == "province":
        districts = District.objects.filter(province_id=code).values_list("code", "name_th", "name_en")
        return [AreaRow("district", *r) for r in districts]
    if level == "district":
        subdistricts = Subdistrict.objects.filter(district_id=code).values_list("code", "name_th", "name_en")
        return [AreaRow("subdistrict", *r) for r in subdistricts]
    return []


def area_list(*, level: Level, parent: str = "", postal_code: str = "", q: str = "") -> QuerySet[Any]:
    """Areas of one level, filtered by parent code prefix, postal code, or part of a name."""
    model: Any = {"province": Province, "district": District, "subdistrict": Subdistrict}[level]
    rows = model.objects.all()
    if parent:
        rows = rows.filter(code__startswith=parent)
    if postal_code and level == "subdistrict":
        # postal_codes holds space-separated 5-digit codes, so five digits match one whole code
        rows = rows.filter(postal_codes__contains=postal_code) if len(postal_code) == 5 else rows.none()
    if q:
        rows = rows.filter(Q(name_th__icontains=q) | Q(name_en__icontains=q))
    return rows


def area_counts() -> dict[str, int]:
    return {
        "regions": Region.objects.count(),
        "provinces": Province.objects.count(),
        "districts": District.objects.count(),
        "subdistricts": Subdistrict.objects.count(),
    }


# --- abolished codes ------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaResolution:
    """What an area code means today.

    ``current`` are the areas now in use that cover the code's land: the area itself
    when the code is in use; its successors (followed through any later abolition)
    when it was abolished; empty for an unknown code or an abolished one whose record
    names no successor.
    """

    code: str
    is_known: bool
    is_current: bool
    abolished: AbolishedArea | None
    current: list[AreaRow]


def _current_row(code: str) -> AreaRow | None:
    level = boundaries.level_of(code)
    model: Any = {"province": Province, "district": District, "subdistrict": Subdistrict}.get(level or "")
    if model is None:
        return None
    row = model.objects.filter(code=code).values_list("code", "name_th", "name_en").first()
    return AreaRow(level, *row) if row and level else None


def area_resolve(code: str) -> AreaResolution:
    """Resolve an old or current area code to the areas in use today, following successor codes."""
    own = _current_row(code)
    if own is not None:
        return AreaResolution(code=code, is_known=True, is_current=True, abolished=None, current=[own])
    abolished = AbolishedArea.objects.filter(code=code).first()
    if abolished is None:
        return AreaResolution(code=code, is_known=False, is_current=False, abolished=None, current=[])
    current: list[AreaRow] = []
    seen = {code}
    pending = list(abolished.successors.values_list("code", flat=True))
    while pending:  # breadth-first; ``seen`` guards against a cycle in the data
        successor = pending.pop(0)
        if successor in seen:
            continue
        seen.add(successor)
        row = _current_row(successor)
        if row is not None:
            current.append(row)
        else:
            pending.extend(
                AbolishedSuccessor.objects.filter(abolished_id=successor).values_list("code", flat=True)
            )
    return AreaResolution(code=code, is_known=True, is_current=False, abolished=abolished, current=current)


def area_predecessors(*, code: str) -> list[AbolishedArea]:
    """Abolished areas whose land passed (in part) to this area: "formerly …" on its page."""
    return list(AbolishedArea.objects.filter(successors__code=code).order_by("-abolished_on", "code"))


# --- geometry --------------------------------------------------------------------------------


def subdistrict_contains(*, code: str, lon: float, lat: float, margin_km: float = 0.0) -> bool | None:
    """Whether (lon, lat) lies in the subdistrict's boundary polygon; ``None`` when it has none.

    The polygons are simplified (about a hundred metres at their coarsest), so a
    point close to a border can land on the wrong side: pass ``margin_km`` to
    accept points that near the polygon. Each polygon is prepared once per process.
    """
    if boundaries.level_of(code) != "subdistrict":
        return None
    return boundaries.contains(code, lon, lat, margin_km=margin_km)


def point_in_thailand(lon: float, lat: float, *, margin_km: float = 5.0) -> bool:
    """Whether (lon, lat) is in Thailand: inside the country's outline or within ``margin_km`` of it.

    The margin absorbs the outline's simplification along coasts and borders;
    small islands missing from the source data (e.g. Ko Phi Phi) are farther out.
    """
    if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
        return False
    return boundaries.in_thailand(lon, lat, margin_km=margin_km)


def subdistrict_at(*, lon: float, lat: float) -> Subdistrict | None:
    """The subdistrict whose boundary holds (lon, lat): what a pin dropped on a map means."""
    if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
        return None
    code = boundaries.locate_subdistrict(lon, lat)
    return (
        Subdistrict.objects.select_related("district__province").filter(code=code).first() if code else None
    )


_PLACE = re.compile(r"(?P<kind>ตำบล|ต\.|แขวง|อำเภอ|อ\.|เขต|จังหวัด|จ\.)\s*(?P<name>[ก-๙]+)")
_PLACE_KIND = {"ตำบล": "sub", "ต.": "sub", "แขวง": "sub", "อำเภอ": "dist", "อ.": "dist", "เขต": "dist"}


def area_from_text(text: str) -> tuple[Subdistrict | None, Province | None]:
    """The subdistrict (or, failing that, the province) a Thai message names: "ต.ท่าพระ อ.เมือง จ.ขอนแก่น".

    Only names introduced by ตำบล/อำเภอ/จังหวัด (or their abbreviations, แขวง/เขต in
    Bangkok) count; a subdistrict is returned only when the names pick exactly one.
    """
    names: dict[str, list[str]] = {"sub": [], "dist": [], "prov": []}
    for match in _PLACE.finditer(text or ""):
        kind = _PLACE_KIND.get(match.group("kind"), "prov")
        names[kind].append(match.group("name").replace(" ", ""))
    province = None
    for name in names["prov"]:
        province = Province.objects.filter(name_th=name.removeprefix("จังหวัด")).first()
        if province is not None:
            break
    for name in names["sub"]:
        candidates = Subdistrict.objects.select_related("district__province").filter(name_th=name)
        if province is not None:
            candidates = candidates.filter(district__province=province)
        districts = [*names["dist"]]
        if province is not None and "เมือง" in districts:
            districts.append(f"เมือง{province.name_th}")  # "อ.เมือง" is the province's capital district
        if districts:
            narrowed = candidates.filter(district__name_th__in=districts)
            if narrowed.exists():
                candidates = narrowed
        found = list(candidates[:2])
        if len(found) == 1:
            return found[0], found[0].district.province
    return None, province


@dataclass(frozen=True)
class GeoJSONBody:
    """A serialized FeatureCollection with its strong ETag, and a gzip copy for clients that accept it."""

    content: bytes
    gzipped: bytes
    etag: str
    features: int


_geojson_cache: dict[tuple[str, str], GeoJSONBody] = {}
_geojson_lock = threading.Lock()


def area_geojson(*, level: Level, province: str = "") -> GeoJSONBody:
    """Every area of ``level`` (optionally within one province) as GeoJSON, serialized once per process.

    Properties: ``code``, ``name_th``, ``name_en``, ``has_polygon``; an area
    without a polygon is a feature with a ``null`` geometry, never an invented one.
    """
    key = (level, province)
    cached = _geojson_cache.get(key)
    if cached is not None:
        return cached
    geometries = boundaries.geometries(level)
    rows = area_list(level=level, parent=province).order_by("code").values_list("code", "name_th", "name_en")
    features = [
        {
            "type": "Feature",
            "id": code,
            "properties": {
                "code": code,
                "name_th": name_th,
                "name_en": name_en,
                "has_polygon": code in geometries,
            },
            "geometry": geometries.get(code),
        }
        for code, name_th, name_en in rows
    ]
    collection = {"type": "FeatureCollection", "attribution": boundaries.ATTRIBUTION, "features": features}
    content = json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    body = GeoJSONBody(
        content=content,
        gzipped=gzip.compress(content, compresslevel=6, mtime=0),
        etag='"' + hashlib.sha256(content).hexdigest()[:32] + '"',
        features=len(features),
    )
    if features:  # before the areas are loaded there is nothing worth keeping
        with _geojson_lock:
            _geojson_cache[key] = body
    return body


def area_geojson_cache_clear() -> None:
    with _geojson_lock:
        _geojson_cache.clear()


def area_features(codes: Iterable[str]) -> list[dict[str, Any]]:
    """GeoJSON features (code and geometry) for the given areas that have a polygon: small maps on pages."""
    features = []
    for code in codes:
        geo = boundaries.geometry(code)
        if geo is not None:
            features.append({"type": "Feature", "properties": {"code": code}, "geometry": geo})
    return features


# --- search ----------------------------------------------------------------------------------


def _search_entries() -> list[Any]:

    entries = [
        Entry("province", c, th, en, (), "")
        for c, th, en in Province.objects.values_list("code", "name_th", "name_en")
    ]
    entries += [
        Entry("district", c, th, en, (), p)
        for c, th, en, p in District.objects.values_list("code", "name_th", "name_en", "province_id")
    ]
    entries += [
        Entry("subdistrict", c, th, en, tuple(pc.split()), d)
        for c, th, en, pc, d in Subdistrict.objects.values_list(
            "code", "name_th", "name_en", "postal_codes", "district_id"
        )
    ]
    return entries


@dataclass(frozen=True)
class SearchResult:
    level: str
    code: str
    name_th: str
    name_en: str
    label_th: str
    label_en: str
    postal_codes: list[str]


def area_search(*, q: str, limit: int = 20) -> list[SearchResult]:
    """Find provinces, districts and subdistricts by Thai or English name, postal code or code.

    Thai names are segmented (PyThaiNLP newmm) when the index is built and when
    a query finds nothing as a whole; prefixes match ("บางก" → บางกะปิ, บางกรวย).
    """

    index = get_index(_search_entries)
    results = []
    for entry in index.search(q, limit=limit):
        chain = [entry]
        parent = index.by_code.get(entry.parent_code)
        while parent is not None:
            chain.append(parent)
            parent = index.by_code.get(parent.parent_code)
        results.append(
            SearchResult(
                level=entry.level,
                code=entry.code,
                name_th=entry.name_th,
                name_en=entry.name_en,
                label_th=" · ".join(e.name_th for e in chain),
                label_en=", ".join(e.name_en for e in chain),
                postal_codes=list(entry.postal_codes),
            )
        )
    return results


# --- indicators --------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorMap:
    key: str
    title: str
    unit: str
    level: Level
    values: dict[str, float]
    breaks: list[float]


def class_breaks(values: Iterable[float], classes: int = 5) -> list[float]:
    """Upper bounds of up to ``classes`` quantile classes over the positive values (zeros are a class of their own)."""
    positive = sorted(v for v in values if v > 0)
    if not positive:
        return []
    breaks: list[float] = []
    for k in range(1, classes + 1):
        rank = max(0, min(len(positive) - 1, round(k * len(positive) / classes) - 1))
        bound = positive[rank]
        if not breaks or bound > breaks[-1]:
            breaks.append(bound)
    return breaks


def indicator_map(*, user: Any, key: str, level: Level, province: str = "") -> IndicatorMap | None:
    """An indicator's value per area (scoped by the indicator itself), with class breaks for a legend."""

    found = indicator(key)
    if found is None:
        return None
    values = {
        code: float(v)
        for code, v in found.values(user, level).items()
        if boundaries.level_of(code) == level and code.startswith(province)
    }
    return IndicatorMap(
        key=found.key,
        title=str(found.title),
        unit=str(found.unit),
        level=level,
        values=values,
        breaks=class_breaks(values.values()),
    )
