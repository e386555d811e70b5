"""Open CODI's OGC API – Features layers in QGIS itself, headless, and print what it read as JSON.

Run with the Python that has QGIS's bindings (Debian/Ubuntu ``python3-qgis``, e.g.
``/usr/bin/python3``), not the project's virtual environment:

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 scripts/qgis_check.py http://127.0.0.1:8000 KEY \
        '[102.7, 16.3, 102.9, 16.5]'

It uses QGIS's own "OAPIF" provider (the "WFS / OGC API – Features" connection of the Data Source
Manager): the public ``projects-by-province`` layer without a key, the same with a small page
size (QGIS follows the ``next`` links) and with a ``bbox`` (a feature request with a rectangle,
which QGIS sends as ``bbox``), and the scoped ``projects-by-subdistrict`` layer without a key
(not offered) and with the key given as QGIS gives credentials: a *Basic* authentication
configuration whose password is the key (the user name is not read). ``tests/gis/test_qgis.py``
runs it against the live test server.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QGIS_AUTH_DB_DIR_PATH", tempfile.mkdtemp(prefix="qgis-auth-"))

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsAuthMethodConfig,
    QgsFeatureRequest,
    QgsRectangle,
    QgsVectorLayer,
)

MESSAGES: list[str] = []  # what the provider logged (why a layer did not open)


def uri(base: str, typename: str, **extra: str) -> str:
    parts = [f"url='{base}/gis/ogc/'", f"typename='{typename}'"]
    parts += [f"{key}='{value}'" for key, value in extra.items()]
    return " ".join(parts)


def read(base: str, typename: str, rect: QgsRectangle | None = None, **extra: str) -> dict:
    """Whether QGIS opens the layer, and the features it reads (all pages, or those in ``rect``)."""
    del MESSAGES[:]
    layer = QgsVectorLayer(uri(base, typename, **extra), typename, "OAPIF")
    if not layer.isValid():  # (layer.error() crashes QGIS 3.22 on an invalid OAPIF layer)
        return {"valid": False, "messages": MESSAGES[-3:]}
    request = QgsFeatureRequest()
    if rect is not None:
        request.setFilterRect(rect)
    codes = [feature["code"] for feature in layer.getFeatures(request)]
    first = next(layer.getFeatures(QgsFeatureRequest().setLimit(1)), None)
    return {
        "valid": True,
        "features": len(codes),
        "distinct": len(set(codes)),
        "codes": sorted(codes) if rect is not None else [],
        "fields": [field.name() for field in layer.fields()],
        "geometry": first.geometry().wkbType() if first is not None and first.hasGeometry() else None,
    }


def basic_authcfg(key: str) -> str:
    """A *Basic* authentication configuration holding the API key as its password."""
    manager = QgsApplication.authManager()
    manager.setMasterPassword("qgis-check", True)
    config = QgsAuthMethodConfig("Basic")
    config.setName("CODI API key")
    config.setConfig("username", "apikey")
    config.setConfig("password", key)
    ok, stored = manager.storeAuthenticationConfig(config)
    if not ok:
        raise SystemExit("QGIS could not store the authentication configuration")
    return stored.id()


def main(base: str, key: str, box: list[float]) -> dict:
    QgsApplication.setPrefixPath(os.environ.get("QGIS_PREFIX_PATH", "/usr"), True)  # else providers crash
    app = QgsApplication([], False)
    app.initQgis()
    QgsApplication.messageLog().messageReceived.connect(lambda text, *_: MESSAGES.append(text[:300]))
    try:
        rect = QgsRectangle(*box)
        authcfg = basic_authcfg(key)
        return {
            "qgis": Qgis.QGIS_VERSION,
            "public": read(base, "projects-by-province"),
            "public_paged": read(base, "projects-by-province", pageSize="10"),
            # "Only request features overlapping the view extent": QGIS sends the box as ``bbox``.
            "public_bbox": read(base, "projects-by-province", rect, restrictToRequestBBOX="1"),
            "scoped_without_key": read(base, "projects-by-subdistrict"),
            "scoped_with_key": read(base, "projects-by-subdistrict", authcfg=authcfg),
            "scoped_with_key_bbox": read(
                base, "projects-by-subdistrict", rect, authcfg=authcfg, restrictToRequestBBOX="1"
            ),
            "scoped_with_uri_password": read(
                base, "projects-by-subdistrict", username="apikey", password=key
            ),
        }
    finally:
        app.exitQgis()


if __name__ == "__main__":
    result = main(sys.argv[1].rstrip("/"), sys.argv[2], json.loads(sys.argv[3]))
    print(json.dumps(result))
