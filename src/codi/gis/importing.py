"""Reading settlement files: GeoJSON, GeoPackage, Shapefile (zip) and KML, through pyogrio (GDAL).

The file's real format is told by its first bytes, not its name, and must match what its name
claims. Coordinates are transformed to WGS84 with pyproj from the CRS the file declares; a
shapefile without its ``.prj`` is refused (its coordinates could be in any system). What comes
out is a list of ``(row number, attributes, GeoJSON geometry)``; checking the rows is the
services' job, so nothing here writes anything.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from codi.gis.geometry import GeometryError

MAX_BYTES = 20 * 1024 * 1024
MAX_FEATURES = 5000
FORMATS = {".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg", ".zip": "shapefile", ".kml": "kml"}
COLUMNS = (
    "name", "subdistrict", "households", "population", "land_owner", "tenure", "eviction_risk",
    "infrastructure", "year_surveyed", "organization", "project",
)  # fmt: skip
FORMAT_NAMES = {"geojson": "GeoJSON", "gpkg": "GeoPackage", "shapefile": "Shapefile (zip)", "kml": "KML"}


@dataclass(frozen=True)
class RawFeature:
    row: int
    attributes: dict[str, Any]
    geometry: dict[str, Any] | None


def sniff(content: bytes) -> str | None:
    """The format the bytes are in, whatever the file is called."""
    head = content[:512].lstrip()
    if content.startswith(b"PK\x03\x04"):
        return "shapefile"
    if content.startswith(b"SQLite format 3\x00"):
        return "gpkg"
    if head.startswith(b"{"):
        return "geojson"
    if head.startswith(b"<") and b"<kml" in content[:2048]:
        return "kml"
    return None


def read(filename: str, content: bytes) -> list[RawFeature]:
    """The features of an uploaded file in WGS84, or a ``GeometryError`` saying why not."""
    claimed = FORMATS.get(PurePosixPath(filename.lower()).suffix)
    if claimed is None:
        raise GeometryError(
            "รองรับเฉพาะไฟล์ .geojson .gpkg .zip (Shapefile) และ .kml",
            "Only .geojson, .gpkg, .zip (Shapefile) and .kml files are accepted",
        )
    if len(content) > MAX_BYTES:
        raise GeometryError("ไฟล์ใหญ่เกิน 20 MB", "The file is larger than 20 MB")
    actual = sniff(content)
    if actual != claimed:
        raise GeometryError(
            f"ไฟล์นี้ไม่ใช่ {FORMAT_NAMES[claimed]} ตามที่นามสกุลระบุ",
            f"This file is not {FORMAT_NAMES[claimed]} as its name says",
        )
    if claimed == "geojson":
        _check_geojson(content)
    with tempfile.TemporaryDirectory(prefix="codi-gis-") as tmp:
        path = _materialise(Path(tmp), claimed, content)
        return _read_path(path, claimed)


def _check_geojson(content: bytes) -> None:
    """Valid JSON, and a legacy ``crs`` member (RFC 7946 drops it) that names a system PROJ knows:
    GDAL would otherwise read an unknown one silently as WGS84."""
    # heavy: PROJ (pyproj) is loaded only for an import
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    try:
        body = json.loads(content)
    except (ValueError, UnicodeDecodeError) as exc:
        raise GeometryError(
            "ไฟล์ GeoJSON อ่านไม่ได้ (JSON ไม่ถูกต้อง)", "The GeoJSON file is not valid JSON"
        ) from exc
    name = body.get("crs", {}).get("properties", {}).get("name") if isinstance(body, dict) else None
    if isinstance(body, dict) and "crs" in body:
        try:
            CRS.from_user_input(str(name))
        except CRSError as exc:
            raise GeometryError(
                f"ไม่รู้จักระบบพิกัด {name} ของไฟล์", f"The file's coordinate system {name} is unknown"
            ) from exc


def _key(name: str) -> str:
    """A column name as the services know it: lower case; shapefiles cut names at 10 characters."""
    lowered = name.strip().lower()
    return next((known for known in COLUMNS if known[:10] == lowered), lowered)


def _materialise(tmp: Path, fmt: str, content: bytes) -> Path:
    if fmt != "shapefile":
        path = tmp / f"upload.{ {'geojson': 'geojson', 'gpkg': 'gpkg', 'kml': 'kml'}[fmt] }"
        path.write_bytes(content)
        return path
    zip_path = tmp / "upload.zip"
    zip_path.write_bytes(content)
    try:
        with zipfile.ZipFile(zip_path) as archive:
            names = [n for n in archive.namelist() if not n.endswith("/") and "__MACOSX" not in n]
            shps = [n for n in names if n.lower().endswith(".shp")]
            if len(shps) != 1:
                raise GeometryError("ไฟล์ zip ต้องมีไฟล์ .shp หนึ่งไฟล์", "The zip must hold exactly one .shp file")
            stem = shps[0][:-4]
            present = {n[len(stem) :].lower() for n in names if n.startswith(stem)}
            missing = [ext for ext in (".shx", ".dbf", ".prj") if ext not in present]
            if missing:
                raise GeometryError(
                    f"Shapefile ขาดไฟล์ {', '.join(missing)} (ไฟล์ .prj บอกระบบพิกัด จำเป็นต้องมี)",
                    f"The shapefile lacks {', '.join(missing)} (the .prj names its coordinate system and is required)",
                )
            total = sum(i.file_size for i in archive.infolist())
            if total > 5 * MAX_BYTES:
                raise GeometryError("ไฟล์ใน zip ใหญ่เกินไป", "The files in the zip are too large")
            out = tmp / "shp"
            out.mkdir()
            for name in names:
                if name.startswith(stem):
                    target = out / ("layer" + name[len(stem) :].lower())
                    target.write_bytes(archive.read(name))
            return out / "layer.shp"
    except zipfile.BadZipFile as exc:
        raise GeometryError("ไฟล์ zip เสียหาย", "The zip file is damaged") from exc


def _read_path(path: Path, fmt: str) -> list[RawFeature]:
    # heavy: GDAL (pyogrio), PROJ (pyproj) and GEOS (shapely) are loaded only for an import
    import pyogrio.raw
    import shapely
    from pyogrio.errors import DataLayerError, DataSourceError
    from pyproj import CRS, Transformer
    from pyproj.exceptions import CRSError, ProjError
    from shapely.geometry import mapping

    try:
        meta, _fids, wkbs, field_data = pyogrio.raw.read(str(path), max_features=MAX_FEATURES + 1)[:4]
    except (DataSourceError, DataLayerError, OSError, ValueError) as exc:
        raise GeometryError(
            f"อ่านไฟล์ {FORMAT_NAMES[fmt]} ไม่ได้", f"The {FORMAT_NAMES[fmt]} file cannot be read ({exc})"
        ) from exc
    if wkbs is None or len(wkbs) == 0:
        raise GeometryError("ไม่พบรูปแปลงในไฟล์", "The file holds no features")
    if len(wkbs) > MAX_FEATURES:
        raise GeometryError(
            f"นำเข้าได้ครั้งละไม่เกิน {MAX_FEATURES:,} รายการ", f"At most {MAX_FEATURES:,} features per import"
        )
    crs_text = meta.get("crs")
    transformer = None
    if crs_text:
        try:
            crs = CRS.from_user_input(crs_text)
            if crs.to_epsg() != 4326:
                transformer = Transformer.from_crs(crs, CRS.from_epsg(4326), always_xy=True)
        except (CRSError, ProjError) as exc:
            raise GeometryError(
                f"แปลงระบบพิกัด {crs_text} เป็น WGS84 ไม่ได้",
                f"The coordinate system {crs_text} cannot be transformed to WGS84",
            ) from exc
    elif fmt in ("gpkg", "shapefile"):
        raise GeometryError("ไฟล์ไม่ระบุระบบพิกัด", "The file does not name its coordinate system")
    names = [_key(str(n)) for n in meta["fields"]]
    features: list[RawFeature] = []
    for i, wkb in enumerate(wkbs):
        attributes = {name: _plain(field_data[j][i]) for j, name in enumerate(names)}
        geometry = None
        if wkb is not None:
            geom = shapely.force_2d(shapely.from_wkb(wkb))
            if transformer is not None:
                try:
                    geom = shapely.transform(
                        geom, lambda xy: _stack(transformer.transform(xy[:, 0], xy[:, 1]))
                    )
                except Exception as exc:  # PROJ raises several types for points it cannot map
                    raise GeometryError(
                        "แปลงพิกัดเป็น WGS84 ไม่ได้", f"Coordinates cannot be transformed to WGS84 ({exc})"
                    ) from exc
            geometry = dict(mapping(geom))
        features.append(RawFeature(row=i + 1, attributes=attributes, geometry=geometry))
    return features


def _stack(xy: tuple[Any, Any]) -> Any:
    # heavy: numpy comes with shapely, loaded only for an import
    import numpy

    return numpy.column_stack(xy)


def _plain(value: Any) -> Any:
    """numpy scalars to Python values; empty strings and NaN to None."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, str) and not value.strip():
        return None
    return value
