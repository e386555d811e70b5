"""GDAL's OGC API – Features driver (``OAPIF``, what QGIS's "WFS / OGC API – Features" connection
and ``ogrinfo OAPIF:…`` use) reads the layers from the running server, through pyogrio's GDAL.

GDAL runs in a child process: pyogrio holds the interpreter lock while GDAL fetches, which would
stop the live server's thread in this process from answering."""

from __future__ import annotations

import json
import subprocess
import sys

import pyogrio
import pytest

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
source, key, box = sys.argv[1], sys.argv[2], tuple(json.loads(sys.argv[3]))
out = {"anonymous": [n for n, _g in pyogrio.list_layers(source)]}
out["provinces"] = len(raw.read(source, layer="projects-by-province")[2])
print(json.dumps(out))
"""


def test_gdal_oapif_reads_the_public_layers(world, live_url):  # noqa: F811
    _key, secret = identity_services.api_key_create(actor=None, user=world["national"], name="GDAL")
    box = [KK[0] - 0.1, KK[1] - 0.1, KK[0] + 0.1, KK[1] + 0.1]
    done = subprocess.run(
        [sys.executable, "-c", CLIENT, f"OAPIF:{live_url}/gis/ogc/", secret, json.dumps(box)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert {"projects-by-province", "settlements-by-province"} <= set(got["anonymous"])
    assert "projects" not in got["anonymous"]  # a scoped layer is absent without the key
    assert got["provinces"] == len(area_boxes("province"))  # every province, a true 0 where none
    # Not yet: scoped layers with GDAL_HTTP_HEADERS="X-API-Key: …" (GDAL 3.12.4 through pyogrio did
    # not open the "projects" layer with the key; OWSLib's test covers keyed reads).
