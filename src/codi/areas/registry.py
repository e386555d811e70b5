"""Extension points of the area pages and maps.

Other modules add a panel to every area page, or an indicator to the maps,
by registering here from their ``AppConfig.ready()`` — this app never imports
them. Each callable receives the acting user so it can apply area scoping.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

Level = Literal["province", "district", "subdistrict"]


@dataclass(frozen=True)
class AreaRef:
    """An area by level and DOPA code (2, 4 or 6 digits)."""

    level: Level
    code: str


@dataclass(frozen=True)
class Panel:
    """A block on the area page: ``context(user, area)`` feeds ``template``."""

    key: str
    title: str
    template: str
    context: Callable[[Any, AreaRef], dict[str, Any]]
    order: int = 100


@dataclass(frozen=True)
class Indicator:
    """A number per area for choropleth maps: ``values(user, level)`` maps area code → value."""

    key: str
    title: str
    values: Callable[[Any, Level], dict[str, float]]
    unit: str = ""


_panels: dict[str, Panel] = {}
_indicators: dict[str, Indicator] = {}


def register_panel(panel: Panel) -> None:
    _panels[panel.key] = panel


def register_indicator(indicator: Indicator) -> None:
    _indicators[indicator.key] = indicator


def panels() -> list[Panel]:
    return sorted(_panels.values(), key=lambda p: (p.order, p.key))


def indicators() -> list[Indicator]:
    return sorted(_indicators.values(), key=lambda i: i.key)


def indicator(key: str) -> Indicator | None:
    return _indicators.get(key)


# --- point layers on the maps (appended; the names above are unchanged) -------------------

BBox = tuple[float, float, float, float]  # west (min lon), south (min lat), east, north


@dataclass(frozen=True)
class PointLayer:
    """Points on the maps, clustered: ``points(user, bbox)`` returns dicts with
    ``lon``, ``lat``, ``label`` and ``url`` for what the user may see inside ``bbox``
    (``None`` for the whole country)."""

    key: str
    title: str
    points: Callable[[Any, BBox | None], list[dict[str, Any]]]
    order: int = 100


_point_layers: dict[str, PointLayer] = {}


def register_point_layer(layer: PointLayer) -> None:
    _point_layers[layer.key] = layer


def point_layers() -> list[PointLayer]:
    return sorted(_point_layers.values(), key=lambda p: (p.order, p.key))


def point_layer(key: str) -> PointLayer | None:
    return _point_layers.get(key)
