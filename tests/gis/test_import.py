"""Importing settlements from GeoJSON, GeoPackage, Shapefile (zip) and KML, and the refusals.

The files are made in the test with pyogrio (GDAL), the same library that reads them.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy
import pyogrio.raw
import pytest
import shapely
from pyproj import Transformer

from codi.gis import services
from codi.gis.models import Settlement
from tests.gis.conftest import BKK, KK, square
from tests.permissions import signed_in_client

FIELDS = [
    "name",
    "subdistrict",
    "households",
    "population",
    "land_owner",
    "tenure",
    "eviction_risk",
    "year_surveyed",
]
ROWS = [
    ["ชุมชนหนึ่ง", "400101", "50", "180", "state", "permit", "medium", "2568"],
    ["ชุมชนสอง", "400101", "30", "90", "private", "none", "high", "2567"],
]


def write(path: Path, driver: str, geometries: list, crs: str = "EPSG:4326", rows=ROWS) -> Path:
    pyogrio.raw.write(
        str(path), numpy.array([shapely.to_wkb(g) for g in geometries], dtype=object),
        [numpy.array([r[i] for r in rows], dtype=object) for i in range(len(FIELDS))], FIELDS,
        driver=driver, crs=crs, geometry_type="Polygon" if geometries[0].geom_type == "Polygon" else "Point",
    )  # fmt: skip
    return path


def polygons() -> list:
    return [shapely.geometry.shape(square(*KK)), shapely.geometry.shape(square(KK[0] + 0.003, KK[1]))]


def shapefile_zip(tmp_path: Path, *, with_prj: bool = True, utm: bool = True) -> bytes:
    folder = tmp_path / "shp"
    folder.mkdir()
    geoms = polygons()
    crs = "EPSG:4326"
    if utm:  # UTM zone 48N, as Thai survey files often are; the import must bring it back to WGS84
        to_utm = Transformer.from_crs("EPSG:4326", "EPSG:32648", always_xy=True)
        geoms = [
            shapely.transform(g, lambda xy: numpy.column_stack(to_utm.transform(xy[:, 0], xy[:, 1])))
            for g in geoms
        ]
        crs = "EPSG:32648"
    write(folder / "slum.shp", "ESRI Shapefile", geoms, crs=crs)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for file in folder.iterdir():
            if with_prj or file.suffix != ".prj":
                archive.write(file, file.name)
    return buffer.getvalue()


def run(world, filename: str, content: bytes) -> services.ImportOutcome:
    return services.settlement_import(actor=world["kk_officer"], filename=filename, content=content)


def test_geojson(world):
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": square(*KK), "properties": dict(zip(FIELDS, ROWS[0], strict=True))},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": list(KK)},
         "properties": dict(zip(FIELDS, ROWS[1], strict=True)) | {"infrastructure": "water, road"}},
    ]}  # fmt: skip
    outcome = run(world, "slum.geojson", json.dumps(collection).encode())
    assert outcome.ok, outcome.errors
    assert sorted(s.name for s in outcome.created) == ["ชุมชนสอง", "ชุมชนหนึ่ง"]
    assert Settlement.objects.get(name="ชุมชนสอง").infrastructure == ["road", "water"]


def test_geopackage(world, tmp_path):
    content = write(tmp_path / "slum.gpkg", "GPKG", polygons()).read_bytes()
    outcome = run(world, "slum.gpkg", content)
    assert outcome.ok, outcome.errors
    assert Settlement.objects.count() == 2


def test_shapefile_zip_in_utm_is_transformed_to_wgs84(world, tmp_path):
    outcome = run(world, "slum.zip", shapefile_zip(tmp_path))
    assert outcome.ok, outcome.errors
    first = Settlement.objects.get(name="ชุมชนหนึ่ง")
    assert first.min_lon == pytest.approx(KK[0] - 0.001, abs=1e-6)
    assert first.max_lat == pytest.approx(KK[1] + 0.001, abs=1e-6)


def test_kml(world, tmp_path):
    content = write(tmp_path / "slum.kml", "KML", polygons()).read_bytes()
    outcome = run(world, "slum.kml", content)
    assert outcome.ok, outcome.errors
    assert Settlement.objects.count() == 2


def test_shapefile_without_prj_is_refused(world, tmp_path):
    outcome = run(world, "slum.zip", shapefile_zip(tmp_path, with_prj=False))
    assert not outcome.ok and ".prj" in outcome.errors[0][2] and ".prj" in outcome.errors[0][1]
    assert not Settlement.objects.exists()


def test_a_file_that_is_not_what_it_claims_is_refused(world, tmp_path):
    gpkg = write(tmp_path / "slum.gpkg", "GPKG", polygons()).read_bytes()
    outcome = run(world, "slum.geojson", gpkg)
    assert outcome.errors[0][2] == "This file is not GeoJSON as its name says"
    outcome = run(world, "slum.kml", b"not xml at all")
    assert "not KML" in outcome.errors[0][2]
    outcome = run(world, "slum.geojson", b"{broken")
    assert "not valid JSON" in outcome.errors[0][2]
    outcome = run(world, "slum.shp", b"whatever")
    assert ".geojson" in outcome.errors[0][2]
    assert not Settlement.objects.exists()


def test_an_untransformable_crs_is_refused(world, tmp_path):
    content = shapefile_zip(tmp_path, utm=False)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        files = {n: archive.read(n) for n in archive.namelist()}
    files["slum.prj"] = b'LOCAL_CS["site grid",UNIT["metre",1]]'  # a local engineering grid: no way to WGS84
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    outcome = run(world, "slum.zip", buffer.getvalue())
    assert not outcome.ok and "cannot be transformed to WGS84" in outcome.errors[0][2]
    assert not Settlement.objects.exists()


def test_an_unknown_crs_is_refused(world):
    collection = {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::999999"}},
                  "features": [{"type": "Feature", "geometry": square(*KK), "properties": dict(zip(FIELDS, ROWS[0], strict=True))}]}  # fmt: skip
    outcome = run(world, "slum.geojson", json.dumps(collection).encode())
    assert not outcome.ok and "unknown" in outcome.errors[0][2]
    assert not Settlement.objects.exists()


def test_one_bad_row_and_nothing_is_written(world, tmp_path):
    bad_rows = [ROWS[0], ["ชุมชนสาม", "400101", "10", "30", "state", "permit", "low", "2568"]]
    geoms = [polygons()[0], shapely.geometry.Point(*BKK)]  # the second lies in Bangkok, not 400101
    content = write(
        tmp_path / "slum.gpkg", "GPKG", [g.buffer(0.0005) for g in geoms], rows=bad_rows
    ).read_bytes()
    outcome = run(world, "slum.gpkg", content)
    assert [row for row, _th, _en in outcome.errors] == [2]
    assert "400101" in outcome.errors[0][1]
    assert not Settlement.objects.exists()


def test_import_page(world, tmp_path):
    client = signed_in_client(world["kk_officer"])
    content = write(tmp_path / "slum.gpkg", "GPKG", polygons()).read_bytes()
    upload = io.BytesIO(content)
    upload.name = "slum.gpkg"
    response = client.post("/gis/settlements/import/", {"file": upload})
    assert response.status_code == 200 and Settlement.objects.count() == 2
    bad = io.BytesIO(b"{}")
    bad.name = "x.kml"
    response = client.post("/gis/settlements/import/", {"file": bad})
    assert response.status_code == 422 and "ไม่ใช่ KML" in response.content.decode()
    assert signed_in_client(world["hr"]).post("/gis/settlements/import/", {"file": upload}).status_code == 403
