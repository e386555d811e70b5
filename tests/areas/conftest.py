from __future__ import annotations

import copy
from pathlib import Path

import pytest

from codi.areas import registry
from codi.areas.registry import AreaRef, Indicator, Panel, PointLayer
from codi.areas.selectors import province_region_cache_clear

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


@pytest.fixture(autouse=True)
def fresh_region_cache():
    """Tests move provinces inside rolled-back transactions: never let one test's map reach another."""
    province_region_cache_clear()
    yield
    province_region_cache_clear()


@pytest.fixture(autouse=True)
def own_registry(monkeypatch):
    """Only what a test registers: other apps' panels and indicators are theirs to test."""
    monkeypatch.setattr(registry, "_panels", {})
    monkeypatch.setattr(registry, "_indicators", {})
    monkeypatch.setattr(registry, "_point_layers", {})


@pytest.fixture
def test_templates(settings):
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], str(TEMPLATES_DIR)]
    settings.TEMPLATES = templates


@pytest.fixture
def test_panel(test_templates) -> list[tuple[object, AreaRef]]:
    """A panel that records who asked about which area."""
    calls: list[tuple[object, AreaRef]] = []

    def context(user, area: AreaRef) -> dict[str, str]:
        calls.append((user, area))
        return {"label": "แผงทดสอบ", "code": area.code}

    registry.register_panel(
        Panel(key="test", title="แผงทดสอบ", template="test_panels/area_test_panel.html", context=context)
    )
    return calls


@pytest.fixture
def test_indicator() -> Indicator:
    def values(user, level):
        # Scoped like a real indicator: a user without roles sees nothing.
        if not user.role_assignments.exists():
            return {}
        return {"province": {"40": 5, "10": 1, "50": 3}, "district": {"4001": 2.5, "1001": 0}}.get(level, {})

    indicator = Indicator(key="test_orgs", title="องค์กรทดสอบ", values=values, unit="แห่ง")
    registry.register_indicator(indicator)
    return indicator


@pytest.fixture
def test_point_layer() -> PointLayer:
    def points(user, bbox):
        rows = [
            {"lon": 102.83, "lat": 16.43, "label": "กลุ่มขอนแก่น", "url": "/areas/400101/"},
            {"lon": 100.50, "lat": 13.75, "label": "กลุ่มพระนคร", "url": "/areas/100101/"},
        ]
        if bbox is None:
            return rows
        west, south, east, north = bbox
        return [r for r in rows if west <= r["lon"] <= east and south <= r["lat"] <= north]

    layer = PointLayer(key="test_points", title="จุดทดสอบ", points=points)
    registry.register_point_layer(layer)
    return layer
