"""The feedback block on every area page, and the "feedback" indicator on the maps."""

from __future__ import annotations

from typing import Any, cast

from django.utils.translation import gettext_lazy as _

from codi.areas.registry import (
    AreaRef,
    BBox,
    Indicator,
    Level,
    Panel,
    PointLayer,
    register_indicator,
    register_panel,
    register_point_layer,
)
from codi.feedback import selectors
from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm


def _panel_context(user: Any, area: AreaRef) -> dict[str, Any]:
    if not user_has_perm(user, Perm.FEEDBACK_VIEW):
        return {"feedback": {"visible": False, "code": area.code}}
    summary = selectors.area_summary(user=user, code=area.code)
    return {"feedback": {"visible": True, "code": area.code, **summary}}


def _indicator_values(user: Any, level: Level) -> dict[str, float]:
    if not user_has_perm(user, Perm.FEEDBACK_VIEW):
        return {}
    return selectors.area_counts(user=user, level=level)


def _points(user: Any, bbox: BBox | None) -> list[dict[str, Any]]:
    if not user_has_perm(user, Perm.FEEDBACK_VIEW):
        return []
    return selectors.ticket_points(user=user, bbox=bbox)


def register() -> None:
    register_panel(
        Panel(
            key="feedback",
            title=cast(str, _("Community feedback")),
            template="feedback/area_panel.html",
            context=_panel_context,
            order=60,
        )
    )
    register_indicator(
        Indicator(
            key="feedback",
            title=cast(str, _("Community feedback reports")),
            values=_indicator_values,
            unit="reports",
        )
    )
    register_point_layer(
        PointLayer(key="feedback", title=cast(str, _("Reported problems (pins)")), points=_points, order=60)
    )
