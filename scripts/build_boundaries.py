"""Build the committed boundary files from OCHA's COD-AB GeoJSON, once.

    PYTHONPATH=src .venv/bin/python scripts/build_boundaries.py [--source ../shared/data/boundaries]

Reads ``provinces-adm1``, ``districts-adm2`` and ``subdistricts-adm3`` (OCHA COD-AB
Thailand, Royal Thai Survey Department 2019, CC BY-IGO — credit "OCHA / RTSD") and
writes ``src/codi/areas/data/{provinces,districts,subdistricts,thailand}.geojson``:

- codes: ``ADM1_PCODE`` "TH"+2 digits, ``ADM2_PCODE`` "TH"+4 digits, subdistrict ``code``;
  only codes that exist today (``geothai``) are kept, with geothai's Thai and English names,
  so the files agree with the area tables. A subdistrict with no polygon in the source (newer
  than the 2019 survey) simply has no feature: nothing is invented for it.
- geometry: each level is simplified as a *coverage* (``shapely.coverage_simplify``), so
  neighbours keep one shared edge and no gaps or overlaps appear, then snapped to a grid of
  ``PRECISION`` degrees (~11 m), which keeps the polygons valid.
- ``thailand.geojson``: the country's outline, the union of every source subdistrict polygon
  (including three abolished codes whose land is still Thailand), for ``point_in_thailand``.

The product reads only the committed files; it never reads the source folder.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "src" / "codi" / "areas" / "data"
DEFAULT_SOURCE = REPO.parent / "shared" / "data" / "boundaries"
PRECISION = 1e-4  # degrees; ~11 m, well below the source's own simplification
# Tolerances for coverage_simplify (degrees, roughly the side of the smallest triangle removed).
# The source is already generalised, so these trim little; the size budget is met by the grid.
TOLERANCE = {"province": 0.002, "district": 0.001, "subdistrict": 0.0005}
SIZE_BUDGET = {"province": 500_000, "district": 1_500_000, "subdistrict": 3_000_000}
SOURCE_FILES = {
    "province": "provinces-adm1.geojson",
    "district": "districts-adm2.geojson",
    "subdistrict": "subdistricts-adm3.geojson",
}
OUT_FILES = {
    "province": "provinces.geojson",
    "district": "districts.geojson",
    "subdistrict": "subdistricts.geojson",
}
ATTRIBUTION = (
    "Boundaries: OCHA / RTSD — OCHA COD-AB Thailand (Royal Thai Survey Department, 2019), CC BY-IGO; "
    "simplified by scripts/build_boundaries.py. Names: GeoThai (CC BY 4.0)."
)


def _source_code(level: str, properties: dict[str, Any]) -> str:
    if level == "province":
        return str(properties["ADM1_PCODE"]).removeprefix("TH")
    if level == "district":
        return str(properties["ADM2_PCODE"]).removeprefix("TH")
    return str(properties["code"])


def _current_names() -> dict[str, dict[str, tuple[str, str]]]:
    import geothai

    names: dict[str, dict[str, tuple[str, str]]] = {"province": {}, "district": {}, "subdistrict": {}}
    for p in geothai.provinces():
        names["province"][p.code] = (p.name_th, p.name_en)
        for d in geothai.districts(p.code):
            names["district"][d.code] = (d.name_th, d.name_en)
            for s in geothai.subdistricts(d.code):
                names["subdistrict"][s.code] = (s.name_th, s.name_en)
    return names


def _feature_line(code: str, name_th: str, name_en: str, geometry: Any) -> str:
    from shapely.geometry import mapping

    feature = {
        "type": "Feature",
        "properties": {"code": code, "name_th": name_th, "name_en": name_en},
        "geometry": mapping(geometry),
    }
    # mapping() gives tuples of floats already on the grid; repr of a float on a 1e-4 grid can
    # still carry noise (100.30000000000001), so round once more when writing.
    return json.dumps(_rounded(feature), ensure_ascii=False, separators=(",", ":"))


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


def _write_collection(path: Path, lines: list[str]) -> int:
    # One feature per line: reviewable diffs when the boundaries are rebuilt.
    head = json.dumps({"type": "FeatureCollection", "attribution": ATTRIBUTION}, ensure_ascii=False)[:-1]
    text = head + ',"features":[\n' + ",\n".join(lines) + "\n]}\n"
    path.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))


def build(source: Path) -> dict[str, Any]:
    import numpy as np
    import shapely
    from shapely.geometry import shape

    names = _current_names()
    OUT.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {}
    outline_parts: list[Any] = []
    for level, filename in SOURCE_FILES.items():
        features = json.loads((source / filename).read_text(encoding="utf-8"))["features"]
        codes = [_source_code(level, f["properties"]) for f in features]
        geometries = np.array([shape(f["geometry"]) for f in features])
        if level == "subdistrict":
            outline_parts = list(geometries)
        if not shapely.coverage_is_valid(geometries):
            raise SystemExit(f"{filename}: polygons overlap; coverage simplification needs a clean coverage")
        simplified = shapely.set_precision(shapely.coverage_simplify(geometries, TOLERANCE[level]), PRECISION)
        current = names[level]
        lines: list[str] = []
        written: set[str] = set()
        dropped: list[str] = []
        for code, geometry in sorted(zip(codes, simplified, strict=True)):
            if code not in current:
                dropped.append(code)
                continue
            if geometry.is_empty or not geometry.is_valid:
                raise SystemExit(f"{level} {code}: geometry became empty or invalid; lower PRECISION")
            lines.append(_feature_line(code, *current[code], geometry))
            written.add(code)
        size = _write_collection(OUT / OUT_FILES[level], lines)
        if size > SIZE_BUDGET[level]:
            raise SystemExit(f"{OUT_FILES[level]} is {size} bytes, over its budget of {SIZE_BUDGET[level]}")
        report[level] = {
            "source_features": len(features),
            "written": len(lines),
            "bytes": size,
            "points_before": int(sum(len(shapely.get_coordinates(g)) for g in geometries)),
            "points_after": int(sum(len(shapely.get_coordinates(g)) for g in simplified)),
            "dropped_not_current": dropped,
            "current_without_polygon": sorted(set(current) - written),
            "tolerance": TOLERANCE[level],
        }
    outline = shapely.set_precision(
        shapely.coverage_simplify(shapely.coverage_union_all(np.array(outline_parts)), TOLERANCE["district"]),
        PRECISION,
    )
    size = _write_collection(
        OUT / "thailand.geojson", [_feature_line("TH", "ประเทศไทย", "Thailand", outline)]
    )
    report["thailand"] = {"bytes": size, "points": len(shapely.get_coordinates(outline))}
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    args = parser.parse_args(argv)
    report = build(args.source)
    json.dump(report, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
