"""QGIS itself (its "OAPIF" provider, the "WFS / OGC API – Features" connection) opens the layers
from the running server: ``scripts/qgis_check.py`` run with the system Python that has QGIS's
bindings (``python3-qgis``), in a child process so this process's live server keeps answering."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
import shapely
from django.core.signals import request_started
from django.test import Client
from shapely.geometry import shape

from codi.identity import services as identity_services
from tests.gis.conftest import KK
from tests.opendata.conftest import live_url  # noqa: F401 — the fixture

QGIS_PYTHON = os.environ.get("QGIS_PYTHON", "/usr/bin/python3")
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "qgis_check.py"


def _has_qgis() -> bool:
    try:
        done = subprocess.run(
            [QGIS_PYTHON, "-c", "import qgis.core"], capture_output=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


pytestmark = pytest.mark.skipif(
    not _has_qgis(), reason=f"QGIS's Python bindings are not installed for {QGIS_PYTHON} (python3-qgis)"
)


def _items(client: Client, layer: str, **params: str) -> list[dict]:
    response = client.get(f"/gis/ogc/collections/{layer}/items", {"limit": 1000, **params})
    assert response.status_code == 200, response.content[:300]
    return response.json()["features"]


def _in_box(client: Client, layer: str, box: list[float]) -> tuple[set[str], set[str]]:
    """The codes the server returns for ``bbox`` (areas whose bounding box meets it), and those of
    them whose polygon meets it: QGIS keeps only the latter."""
    found = _items(client, layer, bbox=",".join(str(n) for n in box))
    return {f["id"] for f in found}, {
        f["id"] for f in found if shape(f["geometry"]).intersects(shapely.box(*box))
    }


def test_qgis_opens_public_and_keyed_layers(world, live_url):  # noqa: F811
    _key, secret = identity_services.api_key_create(actor=None, user=world["kk_officer"], name="QGIS")
    box = [KK[0] - 0.1, KK[1] - 0.1, KK[0] + 0.1, KK[1] + 0.1]
    seen: list[str] = []

    def note(sender, environ, **kwargs):
        seen.append(environ.get("QUERY_STRING", ""))

    request_started.connect(note)
    try:
        done = subprocess.run(
            [QGIS_PYTHON, str(SCRIPT), live_url, secret, json.dumps(box)],
            capture_output=True, text=True, timeout=300, check=False,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )  # fmt: skip
    finally:
        request_started.disconnect(note)
    assert done.returncode == 0, done.stderr[-2000:]
    got = json.loads(done.stdout.strip().splitlines()[-1])
    public, keyed = Client(), Client(HTTP_X_API_KEY=secret)
    assert (
        got["public"]["features"] == got["public"]["distinct"] == len(_items(public, "projects-by-province"))
    )
    assert got["public_paged"]["features"] == got["public"]["features"]  # pages of 10, next links followed
    assert any("limit=10&" in q or q.endswith("limit=10") for q in seen) and any(
        "offset=70" in q for q in seen
    )
    assert any("bbox=" in q for q in seen), seen  # QGIS asked the server for the box
    for name, layer, client in (("public_bbox", "projects-by-province", public),
                                ("scoped_with_key_bbox", "projects-by-subdistrict", keyed)):  # fmt: skip
        served, meeting = _in_box(client, layer, box)
        assert meeting <= set(got[name]["codes"]) <= served and got[name]["codes"]
    assert got["scoped_without_key"]["valid"] is False  # not offered without the key
    scoped = len(_items(keyed, "projects-by-subdistrict"))
    assert 0 < got["scoped_with_key"]["features"] == got["scoped_with_uri_password"]["features"] == scoped
    assert "projects" in got["scoped_with_key"]["fields"]
