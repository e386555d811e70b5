"""GDAL's OGC API – Features driver (``OAPIF``, what ``ogrinfo OAPIF:…`` and GDAL-based tools use;
QGIS has its own provider: ``test_qgis.py``) reads the layers from the running server, through pyogrio's GDAL.

GDAL runs in a child process: pyogrio holds the interpreter lock while GDAL fetches, which would
stop the live server's thread in this process from answering."""

from __future__ import annotations

import json
import subprocess
import sys

import pyogrio
import pytest
from django.test import Client

from codi.gis.layers import area_boxes
from codi.identity import services as identity_services
from tests.gis.conftest import KK
from tests.opendata.conftest import live_url  # noqa: F401 — the fixture

pytestmark = pytest.mark.skipif(
    "OAPIF" not in pyogrio.list_drivers(), reason="pyogrio's GDAL was built without the OAPIF driver"
)

CLIENT = """
import json, sys
import pyogrio
from pyogrio import raw
source, key, box, how = sys.argv[1], sys.argv[2], tuple(json.loads(sys.argv[3])), sys.argv[4]
if how == "header_file":
    with open(sys.argv[5], "w") as f:
        f.write("X-API-Key: " + key)
    pyogrio.set_gdal_config_options({"GDAL_HTTP_HEADER_FILE": sys.argv[5]})
elif how == "basic":
    pyogrio.set_gdal_config_options({"GDAL_HTTP_AUTH": "BASIC", "GDAL_HTTP_USERPWD": "apikey:" + key})
out = {"layers": [n for n, _g in pyogrio.list_layers(source)]}
out["provinces"] = len(raw.read(source, layer="projects-by-province")[2])
if "projects-by-subdistrict" in out["layers"]:
    out["subdistricts"] = sorted(raw.read(source, layer="projects-by-subdistrict", columns=["code"])[3][0])
    out["in_box"] = sorted(raw.read(source, layer="projects-by-subdistrict", columns=["code"], bbox=box)[3][0])
print(json.dumps(out))
"""


def _gdal(base: str, secret: str, box: list[float], how: str, tmp: str = "") -> dict:
    done = subprocess.run(
        [sys.executable, "-c", CLIENT, f"OAPIF:{base}/gis/ogc/", secret, json.dumps(box), how, tmp],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_gdal_oapif_reads_the_public_layers_and_with_a_key_the_scoped_ones(world, live_url, tmp_path):  # noqa: F811
    _key, secret = identity_services.api_key_create(actor=None, user=world["kk_officer"], name="GDAL")
    box = [KK[0] - 0.1, KK[1] - 0.1, KK[0] + 0.1, KK[1] + 0.1]
    anonymous = _gdal(live_url, secret, box, "none")
    assert {"projects-by-province", "settlements-by-province"} <= set(anonymous["layers"])
    assert "projects-by-subdistrict" not in anonymous["layers"]  # a scoped layer is absent without the key
    assert anonymous["provinces"] == len(area_boxes("province"))  # every province, a true 0 where none
    # GDAL_HTTP_HEADERS is not read by the OAPIF driver (its own HEADERS option, Accept, wins):
    # a header file (GDAL_HTTP_HEADER_FILE) or HTTP Basic with the key as the password.
    results = {
        how: _gdal(live_url, secret, box, how, str(tmp_path / "headers")) for how in ("header_file", "basic")
    }
    # Django's test client only after the live server is done: it reconnects the signal that closes
    # the shared PostgreSQL connection at the server's next request.
    keyed = Client(HTTP_X_API_KEY=secret)
    url = "/gis/ogc/collections/projects-by-subdistrict/items"
    expected = sorted(f["id"] for f in keyed.get(url, {"limit": 1000}).json()["features"])
    in_box = {
        f["id"] for f in keyed.get(url, {"limit": 1000, "bbox": ",".join(map(str, box))}).json()["features"]
    }
    assert len(expected) == sum(c[:2] == "40" for c in area_boxes("subdistrict"))
    for how, got in results.items():
        assert "projects-by-subdistrict" in got["layers"], how
        assert got["subdistricts"] == expected, how
        assert got["in_box"] and set(got["in_box"]) <= in_box, how
