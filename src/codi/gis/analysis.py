"""Spatial analysis: the Getis-Ord Gi* hot-spot statistic and distance queries.

**Gi\\* (Getis & Ord 1992; Ord & Getis 1995)** is computed here with numpy: PySAL's ``esda``
would bring pandas, scipy, scikit-learn and geopandas into the web process for one formula.

* Units: the subdistricts of the study region (every subdistrict with a polygon in the
  provinces the user may see for the layer, zeros included — a hot spot is only hot against
  its surroundings).
* Neighbours: **a distance band** — subdistrict *j* is a neighbour of *i* when the points inside
  their polygons (``representative_point``) lie within ``band_km`` (10 km by default) of each
  other, measured in degrees scaled at 111 km per degree (within 2 % across Thailand's
  latitudes for north-south distances; east-west distances are overstated by at most 6 %,
  which widens the band slightly in the south). Binary weights, *i* counts as its own
  neighbour (that is the star in Gi*).
* Statistic: ``z_i = (Σ_j w_ij x_j − x̄ W_i) / (S √((n W_i − W_i²)/(n − 1)))`` with
  ``W_i = Σ_j w_ij``, ``x̄`` the mean and ``S`` the (population) standard deviation of x.
  ``|z| ≥ 1.645 / 1.960 / 2.576`` is a hot (or cold) spot at 90 / 95 / 99 % confidence,
  with no correction for multiple tests (as ArcGIS's and PySAL's defaults).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from codi.gis.geometry import haversine_km
from codi.gis.layers import area_points

KM_PER_DEGREE = 111.0
DEFAULT_BAND_KM = 10.0
CLASSES = ((2.576, "hot_99"), (1.960, "hot_95"), (1.645, "hot_90"))


@dataclass(frozen=True)
class GiResult:
    code: str
    value: float
    z: float
    neighbours: int

    @property
    def hotspot(self) -> str:
        for threshold, name in CLASSES:
            if self.z >= threshold:
                return name
            if self.z <= -threshold:
                return name.replace("hot", "cold")
        return "not_significant"


def getis_ord_gi_star(
    values: dict[str, float], *, provinces: list[str] | None, band_km: float = DEFAULT_BAND_KM
) -> list[GiResult]:
    """Gi* z-scores for every subdistrict of the study region (``provinces``; ``None`` = the country)."""
    # heavy: numpy and shapely (GEOS) are loaded only when a hot-spot layer is asked for
    import numpy as np
    import shapely

    points = area_points("subdistrict")
    codes = sorted(c for c in points if provinces is None or c[:2] in provinces)
    n = len(codes)
    if n < 3:
        return []
    x = np.array([float(values.get(c, 0.0)) for c in codes])
    geoms = shapely.points(np.array([points[c] for c in codes]))
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="dwithin", distance=band_km / KM_PER_DEGREE)
    weight_sum = np.bincount(left, minlength=n).astype(float)  # W_i (self included: distance 0)
    lag = np.bincount(left, weights=x[right], minlength=n)  # Σ_j w_ij x_j
    mean = x.mean()
    s = np.sqrt((x**2).mean() - mean**2)
    if s == 0:
        return [GiResult(c, float(x[i]), 0.0, int(weight_sum[i])) for i, c in enumerate(codes)]
    denominator = s * np.sqrt((n * weight_sum - weight_sum**2) / (n - 1))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(denominator > 0, (lag - mean * weight_sum) / denominator, 0.0)
    return [GiResult(c, float(x[i]), round(float(z[i]), 4), int(weight_sum[i])) for i, c in enumerate(codes)]


def within_km(
    origin: tuple[float, float], rows: list[dict[str, Any]], km: float
) -> list[tuple[float, dict[str, Any]]]:
    """Rows (with ``lon``/``lat``) whose point lies within ``km`` of ``origin``, nearest first."""
    found = []
    for row in rows:
        distance = haversine_km(origin[0], origin[1], row["lon"], row["lat"])
        if distance <= km:
            found.append((round(distance, 3), row))
    return sorted(found, key=lambda pair: pair[0])


def degree_box(lon: float, lat: float, km: float) -> tuple[float, float, float, float]:
    """A box certainly holding every point within ``km`` of (lon, lat) (a pre-filter for queries)."""
    dlat = km / KM_PER_DEGREE
    dlon = km / (KM_PER_DEGREE * max(math.cos(math.radians(abs(lat) + dlat)), 0.2))
    return (lon - dlon, lat - dlat, lon + dlon, lat + dlat)
