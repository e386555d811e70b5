"""The situation room on the map: open audit findings and open exceptions per area, as two
indicators of the areas' choropleth map (``codi.areas.registry``), read through
``situation.area_item_counts`` (the viewer's ``eaudit.view`` scope; empty for anyone else). An item
placed at a subdistrict (a project's) counts at that subdistrict, its district and its province."""

from __future__ import annotations

from typing import Any, cast

from django.utils.translation import gettext_lazy as _

from codi.areas.registry import Indicator, Level, register_indicator
from codi.audit import situation

FINDINGS, EXCEPTIONS = "eaudit_findings", "eaudit_exceptions"


def _values(position: int) -> Any:
    def values(user: Any, level: Level) -> dict[str, float]:
        counts = situation.area_item_counts(actor=user, level=level)
        return {code: float(n[position]) for code, n in counts.items()}

    return values


def register() -> None:
    register_indicator(
        Indicator(key=FINDINGS, title=cast(str, _("Open audit findings")), values=_values(0), unit="")
    )
    register_indicator(
        Indicator(key=EXCEPTIONS, title=cast(str, _("Open audit exceptions")), values=_values(1), unit="")
    )
