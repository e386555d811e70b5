"""Spatial analysis (Gi*, distance, summaries), the map page and downloads."""

from __future__ import annotations

import io
import json

import numpy
import pyogrio.raw
import pytest
from django.test import Client

from codi.gis import services
from codi.gis.analysis import KM_PER_DEGREE, getis_ord_gi_star
from codi.gis.layers import area_points
from codi.opendata.builders import get
from tests.gis.conftest import KK, square
from tests.gis.test_settlements import DATA
from tests.permissions import signed_in_client


def brute_force_gi(values: dict[str, float], codes: list[str], band_km: float) -> dict[str, float]:
    """Gi* from the textbook formula with a dense distance matrix (what the sparse code must equal)."""
    pts = numpy.array([area_points("subdistrict")[c] for c in codes])
    x = numpy.array([values.get(c, 0.0) for c in codes])
    d = numpy.sqrt(((pts[:, None, :] - pts[None, :, :]) ** 2).sum(axis=2)) * KM_PER_DEGREE
    w = (d <= band_km).astype(float)
    n, mean = len(x), x.mean()
    s = numpy.sqrt((x**2).mean() - mean**2)
    wi = w.sum(axis=1)
    z = (w @ x - mean * wi) / (s * numpy.sqrt((n * (w**2).sum(axis=1) - wi**2) / (n - 1)))
    return dict(zip(codes, z, strict=True))


def test_gi_star_matches_the_formula_and_finds_the_cluster():
    codes = sorted(c for c in area_points("subdistrict") if c.startswith("40"))
    cluster = [c for c in codes if c.startswith("4001")]  # Mueang Khon Kaen's subdistricts
    values = {c: 12.0 for c in cluster} | {codes[-1]: 1.0}
    results = {r.code: r for r in getis_ord_gi_star(values, provinces=["40"], band_km=10)}
    expected = brute_force_gi(values, codes, 10)
    assert set(results) == set(codes)
    for code in codes:
        assert results[code].z == pytest.approx(expected[code], abs=1e-3)
    assert results[cluster[0]].hotspot.startswith("hot")
    far = min(codes, key=lambda c: expected[c])
    assert results[far].z < 1.0


def test_settlements_near_a_project_page_is_scoped(world, matrix):
    s = services.settlement_create(actor=world["kk_officer"], data=DATA, geometry=square(KK[0] + 0.02, KK[1]))
    url = f"/gis/analysis/near/?project={world['kk_project'].pk}&km=5"
    page = signed_in_client(world["kk_officer"]).get(url).content.decode()
    assert s.name in page and "2.1" in page  # 0.02° of longitude at 16.4° N ≈ 2.13 km
    assert (
        s.name not in signed_in_client(world["kk_officer"]).get(url.replace("km=5", "km=1")).content.decode()
    )
    matrix.check(
        lambda c: c.get(url),
        allowed=world["kk_officer"], wrong_role=world["hr"], out_of_scope=world["bkk_officer"],
        refused=lambda r: r.status_code in (400, 403) and s.name not in r.content.decode(),
    )  # fmt: skip


def test_area_summary_counts_only_what_the_user_sees(world):
    services.settlement_create(actor=world["kk_officer"], data=DATA, geometry=square(*KK))
    kk = signed_in_client(world["kk_officer"]).get("/gis/analysis/summary/?level=province").content.decode()
    assert "(40)" in kk and "(10)" not in kk
    national = signed_in_client(world["national"]).get("/gis/analysis/summary/?format=csv")
    body = b"".join(national.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[0].startswith("code,name_th,name_en,projects")
    assert any(line.startswith("40,") for line in body.splitlines())
    assert Client(HTTP_HOST="127.0.0.1").get("/gis/analysis/summary/").status_code == 302


def test_map_page_lists_the_layers_the_user_may_see(world):
    page = signed_in_client(world["kk_officer"]).get("/gis/")
    config = json.loads(
        page.content.decode().split('id="gis-config" type="application/json">')[1].split("</script>")[0]
    )
    assert "projects" in {layer["key"] for layer in config["layers"]}
    hr = signed_in_client(world["hr"]).get("/gis/").content.decode()
    assert "/gis/ogc/collections/projects/items" not in hr
    assert Client(HTTP_HOST="127.0.0.1").get("/gis/").status_code == 302


def test_downloads_geojson_csv_geopackage(world, tmp_path):
    services.settlement_create(actor=world["kk_officer"], data=DATA, geometry=square(*KK))
    client = signed_in_client(world["kk_officer"])
    geojson = client.get("/gis/layers/settlements.geojson").json()
    assert geojson["features"][0]["properties"]["name"] == DATA["name"]
    csv = b"".join(client.get("/gis/layers/settlements.csv").streaming_content).decode("utf-8-sig")
    assert "POLYGON ((" in csv and DATA["name"] in csv
    gpkg = client.get("/gis/layers/settlements.gpkg")
    path = tmp_path / "out.gpkg"
    path.write_bytes(gpkg.content)
    meta, _fids, geoms, fields = pyogrio.raw.read(str(path))[:4]
    assert meta["crs"] == "EPSG:4326" and len(geoms) == 1
    assert fields[list(meta["fields"]).index("name")][0] == DATA["name"]
    anon = Client(HTTP_HOST="127.0.0.1")
    assert anon.get("/gis/layers/settlements.geojson").status_code == 404  # scoped layer: absent
    assert (
        signed_in_client(world["bkk_officer"]).get("/gis/layers/settlements.geojson").json()["features"] == []
    )
    public = anon.get("/gis/layers/settlements-by-province.csv")
    assert (
        public.status_code == 200 and io.BytesIO(b"".join(public.streaming_content)).read().count(b"\n") == 2
    )
    assert anon.get("/gis/layers/projects-by-province.xls").status_code == 404


def test_public_layer_is_an_open_dataset(world):
    services.settlement_create(actor=world["kk_officer"], data=DATA, geometry=square(*KK))
    builder = get("gis-informal-settlements-by-province")
    assert builder is not None
    assert list(builder.rows()) == [("40", "ขอนแก่น", 1, 120, 430, 1)]
