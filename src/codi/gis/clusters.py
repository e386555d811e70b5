"""Server-side grid clustering of a point layer for the map, per zoom level.

The visible box is cut into square cells of ``360 / 2**zoom / CELLS_PER_TILE`` degrees (about 64
screen pixels of a 256-pixel web-map tile); the points of a cell with more than one point become
one cluster feature at their mean position, with ``count`` and the cell's bounds (the map zooms
to them on a click); a lone point is returned as its own feature. Cells are anchored at (0, 0),
so the same point falls in the same cell whatever box is asked for. From zoom
``UNCLUSTERED_FROM`` on, every point is returned as it is.
"""

from __future__ import annotations

import math
from typing import Any

from codi.gis.layers import geometry_of

CELLS_PER_TILE = 4
MAX_ZOOM = 22
UNCLUSTERED_FROM = 14  # street level: every point is drawn (and clickable)


def cell_degrees(zoom: int) -> float:
    return 360.0 / (2**zoom) / CELLS_PER_TILE


def grid_clusters(features: list[dict[str, Any]], zoom: int) -> list[dict[str, Any]]:
    """Clusters and lone points of ``features`` (GeoJSON points) at ``zoom``, in cell order."""
    if zoom >= UNCLUSTERED_FROM:
        return [f for f in features if geometry_of(f).get("type") == "Point"]
    size = cell_degrees(zoom)
    cells: dict[tuple[int, int], list[tuple[float, float, dict[str, Any]]]] = {}
    for feature in features:
        geometry = geometry_of(feature)
        if geometry.get("type") != "Point":
            continue
        lon, lat = (float(v) for v in geometry["coordinates"][:2])
        cells.setdefault((math.floor(lon / size), math.floor(lat / size)), []).append((lon, lat, feature))
    out: list[dict[str, Any]] = []
    for (col, row), members in sorted(cells.items()):
        if len(members) == 1:
            out.append(members[0][2])
            continue
        lon = sum(m[0] for m in members) / len(members)
        lat = sum(m[1] for m in members) / len(members)
        out.append(
            {
                "type": "Feature",
                "id": f"cluster-{zoom}-{col}-{row}",
                "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
                "properties": {
                    "cluster": True,
                    "count": len(members),
                    "bounds": [col * size, row * size, (col + 1) * size, (row + 1) * size],
                },
            }
        )
    return out
