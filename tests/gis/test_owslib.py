"""OWSLib, the OGC client library QGIS's Python tools use, against the running server.

The server is ``tests.opendata.conftest.live_url``: the whole WSGI stack on a real socket sharing
the test's database connection (pytest-django's ``live_server`` flushes the session's Thai areas).
"""

from __future__ import annotations

from owslib.ogcapi.features import Features

from codi.identity import services as identity_services
from tests.gis.conftest import KK
from tests.opendata.conftest import live_url  # noqa: F401 — the fixture


def test_owslib_lists_collections_and_pages_items_with_bbox(world, live_url):  # noqa: F811
    public = Features(f"{live_url}/gis/ogc/")
    ids = {c["id"] for c in public.collections()["collections"]}
    assert ids == {"projects-by-province", "settlements-by-province"}  # scoped layers absent anonymously
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in public.conformance()["conformsTo"]

    _key, raw = identity_services.api_key_create(actor=None, user=world["national"], name="QGIS")
    staff = Features(f"{live_url}/gis/ogc/", headers={"X-API-Key": raw})
    assert "projects" in {c["id"] for c in staff.collections()["collections"]}
    box = [KK[0] - 0.1, KK[1] - 0.1, KK[0] + 0.1, KK[1] + 0.1]
    first = staff.collection_items("projects", bbox=box, limit=2)
    assert first["numberMatched"] == 3 and len(first["features"]) == 2
    assert any(link["rel"] == "next" for link in first["links"])
    second = staff.collection_items("projects", bbox=box, limit=2, offset=2)
    assert len(second["features"]) == 1
    codes = {f["properties"]["code"] for f in first["features"] + second["features"]}
    assert codes == {"P-KK-1", "P-KK-2", "P-KK-3"}
    everywhere = staff.collection_items("projects", limit=10)
    assert "P-BKK-1" in {f["properties"]["code"] for f in everywhere["features"]}
