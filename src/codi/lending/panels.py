"""The lending block on every area page and the "NPL" indicator on the areas' choropleth map."""

from __future__ import annotations

from typing import Any, cast

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from codi.areas.registry import AreaRef, Indicator, Level, Panel, register_indicator, register_panel
from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm
from codi.lending import selectors, trend


def _panel_context(user: Any, area: AreaRef) -> dict[str, Any]:
    if not user_has_perm(user, Perm.LENDING_VIEW):
        return {"lending": {"visible": False}}
    today = timezone.localdate()
    here = set(
        selectors.loan_list(actor=user)
        .filter(subdistrict__code__startswith=area.code)
        .values_list("pk", flat=True)
    )
    figures = selectors.PortfolioFigures()
    if here:
        for row in selectors.loan_arrears(actor=user, as_of=today):
            if row.loan_id in here:
                figures.add(row)
    return {"lending": {"visible": True, "code": area.code, "f": figures}}


def _indicator_values(user: Any, level: Level) -> dict[str, float]:
    if not user_has_perm(user, Perm.LENDING_VIEW):
        return {}
    return trend.npl_by_area(actor=user, level=level, as_of=timezone.localdate())


def register() -> None:
    register_panel(
        Panel(
            key="lending",
            title=cast(str, _("Community loans")),
            template="lending/area_panel.html",
            context=_panel_context,
            order=70,
        )
    )
    register_indicator(
        Indicator(
            key="lending_npl",
            title=cast(str, _("Non-performing loans (NPL, % of outstanding)")),
            values=_indicator_values,
            unit="%",
        )
    )
