"""Thematic maps: choropleths and graduated symbols from the areas indicator registry.

A *source* is a number per area for a user: every indicator other modules register in
``codi.areas.registry`` (each applies the user's scope itself), plus the GIS's own project count
(``projects.gis_feed`` with the user, so scoped too). Values are classed by natural breaks
(Fisher–Jenks, exact dynamic programming over the sorted values) or quantiles; mapclassify is not
a dependency of the platform, and both methods are short. An area absent from a source's values
is *no data* (grey), never zero; the project count gives 0 to the areas in the user's project
scope that have none (a true zero), and nothing to those outside it.

Graduated symbols are circles at a point inside each area whose *area* is proportional to the
value (radius ∝ √value), the usual rule for counts (projects, organizations per area).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.utils.translation import gettext_lazy as _

from codi.areas.registry import Level, indicators
from codi.gis import selectors
from codi.gis.layers import area_points
from codi.identity.roles import Perm
from codi.projects import gis_feed as project_feed

LEVELS: tuple[Level, ...] = ("province", "district", "subdistrict")
METHODS = ("natural_breaks", "quantiles")
MIN_CLASSES, MAX_CLASSES, DEFAULT_CLASSES = 3, 7, 5
# Fisher–Jenks is O(k·n²) (the inner minimum vectorised): above this many values it runs on an evenly spaced sample of the
# sorted values (as mapclassify's sampled variants do); the breaks are then values of the sample.
JENKS_MAX_VALUES = 2_000
# ColorBrewer YlGnBu, sequential, colour-blind safe (Cynthia Brewer, Apache-2.0 licensed scheme).
PALETTES: dict[int, tuple[str, ...]] = {
    3: ("#edf8b1", "#7fcdbb", "#2c7fb8"),
    4: ("#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"),
    5: ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"),
    6: ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"),
    7: ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"),
}
NO_DATA_COLOR = "#d9d9d9"
SYMBOL_COLOR = "#d95f0e"
MAX_RADIUS_PX = 24.0
MIN_RADIUS_PX = 2.0

# Units other modules register untranslated (their msgids live here so the page shows Thai).
UNIT_LABELS = {"reports": _("reports"), "%": "%"}


# --- classification --------------------------------------------------------------------------------


def quantile_breaks(values: Iterable[float], classes: int) -> list[float]:
    """Upper bounds of up to ``classes`` classes holding about equal numbers of values."""
    ordered = sorted(values)
    if not ordered:
        return []
    breaks: list[float] = []
    for k in range(1, classes + 1):
        rank = max(0, min(len(ordered) - 1, math.ceil(k * len(ordered) / classes) - 1))
        if not breaks or ordered[rank] > breaks[-1]:
            breaks.append(ordered[rank])
    return breaks


def _sample(ordered: list[float], size: int) -> list[float]:
    if len(ordered) <= size:
        return ordered
    step = (len(ordered) - 1) / (size - 1)
    return [ordered[round(i * step)] for i in range(size)]


def jenks_breaks(values: Iterable[float], classes: int) -> list[float]:
    """Upper bounds of the Fisher–Jenks natural breaks: the split of the sorted values into
    ``classes`` runs with the least total within-class squared deviation (exact, O(k·n²))."""
    ordered = _sample(sorted(values), JENKS_MAX_VALUES)
    n = len(ordered)
    if n == 0:
        return []
    distinct = sorted(set(ordered))
    if len(distinct) <= classes:
        return distinct
    # heavy: numpy runs the dynamic programme's inner minimum as one vector operation
    import numpy as np

    data = np.asarray(ordered, dtype=float)
    # Prefix sums: the squared deviation of data[i:j] is s2 - s1² / (j - i).
    s1 = np.concatenate(([0.0], np.cumsum(data)))
    s2 = np.concatenate(([0.0], np.cumsum(data * data)))
    # cost[k][j]: least cost of the first j values in k classes; start[k][j]: where the last class begins.
    cost = np.full((classes + 1, n + 1), np.inf)
    start = np.zeros((classes + 1, n + 1), dtype=np.int64)
    cost[0][0] = 0.0
    for k in range(1, classes + 1):
        for j in range(k, n + 1):
            i = np.arange(k - 1, j)
            total = s1[j] - s1[i]
            candidates = cost[k - 1][i] + (s2[j] - s2[i] - total * total / (j - i))
            best = int(np.argmin(candidates))
            cost[k][j], start[k][j] = candidates[best], i[best]
    bounds: list[float] = []
    j = n
    for k in range(classes, 0, -1):
        bounds.append(float(data[j - 1]))
        j = int(start[k][j])
    return sorted(set(bounds))


def class_of(value: float, breaks: Sequence[float]) -> int:
    """Index of the class ``value`` falls in (the first upper bound at or above it)."""
    for index, bound in enumerate(breaks):
        if value <= bound:
            return index
    return max(0, len(breaks) - 1)


def radius(value: float, peak: float) -> float:
    """Circle radius in pixels, its area proportional to ``value`` (the largest is MAX_RADIUS_PX)."""
    if value <= 0 or peak <= 0:
        return 0.0
    return round(max(MIN_RADIUS_PX, MAX_RADIUS_PX * math.sqrt(value / peak)), 1)


# --- sources -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    unit: str
    values: Callable[[Any, Level], dict[str, float]]


def _project_counts(user: Any, level: Level) -> dict[str, float]:
    """Projects per area: 0 for an area in the user's project scope without one (a true zero),
    nothing for an area outside it (no data)."""
    totals = project_feed.totals_by_area(actor=user, level=level, query=project_feed.ProjectQuery())
    counts = dict.fromkeys(selectors.areas_in_scope(actor=user, perm=Perm.PROJECTS_VIEW, level=level), 0.0)
    counts.update({code: float(v["projects"]) for code, v in totals.items()})
    return counts


def sources() -> list[Source]:
    """The GIS's project count first, then every indicator of the areas registry."""
    own = [Source("gis.projects", str(_("Projects (in your scope)")), str(_("projects")), _project_counts)]
    registered = [
        Source(i.key, str(i.title), str(UNIT_LABELS.get(str(i.unit), i.unit)), i.values) for i in indicators()
    ]
    return own + registered


def source(key: str) -> Source | None:
    return next((s for s in sources() if s.key == key), None)


# --- the map -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LegendClass:
    lower: float
    upper: float
    color: str
    areas: int


@dataclass(frozen=True)
class AreaValue:
    code: str
    name_th: str
    name_en: str
    province_th: str
    province_en: str
    value: float
    klass: int  # index into ``ThematicMap.legend``
    radius: float


@dataclass(frozen=True)
class ThematicMap:
    source: Source
    level: Level
    province: str
    method: str
    classes: int
    legend: list[LegendClass]
    rows: list[AreaValue]  # by value, highest first
    no_data: int  # areas of the level (within the province) without a value
    symbols: list[tuple[float, float]]  # graduated-symbol legend: (value, radius)

    def features(self) -> dict[str, list[Any]]:
        """Code → [class, value, lon, lat, radius] for the map script."""
        points = area_points(self.level)
        out: dict[str, list[Any]] = {}
        for row in self.rows:
            lon, lat = points.get(row.code, (None, None))
            out[row.code] = [row.klass, row.value, lon, lat, row.radius]
        return out


def _nice(value: float) -> float:
    """``value`` rounded down to one significant figure (1, 2 or 5 × 10ⁿ) for a symbol legend."""
    if value <= 0:
        return 0.0
    power = 10 ** math.floor(math.log10(value))
    for step in (5, 2, 1):
        if step * power <= value:
            return float(step * power)
    return float(power)


def thematic_map(
    *, user: Any, key: str, level: Level, province: str = "", method: str = "natural_breaks", classes: int = 5
) -> ThematicMap | None:
    """The source's values for ``level`` (within ``province`` when given), classed, with names."""
    found = source(key)
    if found is None or level not in LEVELS:
        return None
    method = method if method in METHODS else METHODS[0]
    classes = min(MAX_CLASSES, max(MIN_CLASSES, classes))
    length = {"province": 2, "district": 4, "subdistrict": 6}[level]
    names = selectors.area_names(level)
    provinces = selectors.area_names("province")
    values = {
        code: float(v)
        for code, v in found.values(user, level).items()
        if len(code) == length
        and code.startswith(province)
        and code in names
        and v is not None
        and math.isfinite(float(v))
    }
    breaks = (jenks_breaks if method == "natural_breaks" else quantile_breaks)(values.values(), classes)
    palette = PALETTES[max(MIN_CLASSES, len(breaks))] if breaks else ()
    if len(breaks) < MIN_CLASSES:
        palette = PALETTES[MIN_CLASSES][-len(breaks) :] if breaks else ()
    counts = [0] * len(breaks)
    lowest: list[float | None] = [None] * len(breaks)
    peak = max(values.values(), default=0.0)
    rows = []
    for code, value in values.items():
        klass = class_of(value, breaks)
        counts[klass] += 1
        low = lowest[klass]
        lowest[klass] = value if low is None else min(low, value)
        name_th, name_en = names[code]
        prov_th, prov_en = provinces.get(code[:2], ("", ""))
        rows.append(AreaValue(code, name_th, name_en, prov_th, prov_en, value, klass, radius(value, peak)))
    rows.sort(key=lambda r: (-r.value, r.code))
    # Each class shows the range of the values it holds (lowest to its upper bound), so the
    # ranges never overlap on the legend.
    legend = [
        LegendClass(lower=low if low is not None else bound, upper=bound, color=palette[i], areas=counts[i])
        for i, (bound, low) in enumerate(zip(breaks, lowest, strict=True))
    ]
    in_scope = sum(1 for code in names if code.startswith(province))
    # The symbol legend: the largest value and rounder values at about a quarter and a sixteenth of
    # it, none below the smallest value drawn (a count of 1 to 3 shows one circle, not 0.5 and 0.1).
    smallest = min((v for v in values.values() if v > 0), default=0.0)
    candidates = {peak, _nice(peak / 4), _nice(peak / 16)}
    symbol_values = sorted((v for v in candidates if v > 0 and v >= smallest), reverse=True)
    return ThematicMap(
        source=found,
        level=level,
        province=province,
        method=method,
        classes=classes,
        legend=legend,
        rows=rows,
        no_data=in_scope - len(values),
        symbols=[(v, radius(v, peak)) for v in symbol_values],
    )


def level_of(text: str) -> Level:
    return cast(Level, text) if text in LEVELS else "province"
