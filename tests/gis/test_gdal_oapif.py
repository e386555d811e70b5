"""GDAL's OGC API – Features driver (``OAPIF``, what QGIS's "WFS / OGC API – Features" connection
and ``ogrinfo OAPIF:…`` use) reads the layers from the running server, through pyogrio's GDAL."""

from __future__ import annotations

import pyogrio
import pytest
from pyogrio import raw

from codi.gis.layers import area_boxes
from codi.identity import services as identity_services
from tests.gis.conftest import KK
from tests.opendata.conftest import live_url  # noqa: F401 — the fixture

pytestmark = pytest.mark.skipif(
    "OAPIF" not in pyogrio.list_drivers(), reason="pyogrio's GDAL was built without the OAPIF driver"
)


def test_gdal_oapif_reads_the_public_layer_and_a_scoped_one_with_a_key(world, live_url):  # noqa: F811
    source = f"OAPIF:{live_url}/gis/ogc/"
    assert {"projects-by-province", "settlements-by-province"} <= {n for n, _g in pyogrio.list_layers(source)}
    _meta, _fids, geometry, fields = raw.read(source, layer="projects-by-province")
    assert len(geometry) == len(area_boxes("province"))  # every province, a true 0 where none
    _key, secret = identity_services.api_key_create(actor=None, user=world["national"], name="GDAL")
    with pyogrio.set_gdal_config_options({"GDAL_HTTP_HEADERS": f"X-API-Key: {secret}"}):
        assert "projects" in {n for n, _g in pyogrio.list_layers(source)}
        box = (KK[0] - 0.1, KK[1] - 0.1, KK[0] + 0.1, KK[1] + 0.1)
        meta, _fids, points, fields = raw.read(source, layer="projects", bbox=box)
    codes = set(fields[list(meta["fields"]).index("code")])
    assert codes == {"P-KK-1", "P-KK-2", "P-KK-3"} and len(points) == 3
    # Without the key, the scoped layer is not there.
    assert "projects" not in {n for n, _g in pyogrio.list_layers(source)}
