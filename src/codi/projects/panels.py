"""The projects block on every area page (registered from the app's ``ready()``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from codi.areas.registry import AreaRef, Panel, register_panel
from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm
from codi.projects import selectors
from codi.projects.models import Installment


def _panel_context(user: Any, area: AreaRef) -> dict[str, Any]:
    if not user_has_perm(user, Perm.PROJECTS_VIEW) or selectors.is_portal_user(user):
        return {"projects": {"visible": False}}
    key = area.level
    filters = selectors.ProjectFilters(
        province=area.code if key == "province" else "",
        district=area.code if key == "district" else "",
        subdistrict=area.code if key == "subdistrict" else "",
    )
    projects = selectors.project_list(actor=user, filters=filters)
    sums = projects.order_by().aggregate(n=Count("pk"), approved=Sum("approved_amount"))
    disbursed = Installment.objects.filter(project__in=projects.values("pk"), status="disbursed").aggregate(
        s=Sum("amount")
    )["s"]
    return {
        "projects": {
            "visible": True,
            "query": f"{key}={area.code}",
            "total": {
                "projects": sums["n"],
                "approved": sums["approved"] or Decimal("0.00"),
                "disbursed": disbursed or Decimal("0.00"),
            },
        }
    }


def register() -> None:
    register_panel(
        Panel(
            key="projects",
            title=cast(str, _("Community projects")),
            template="projects/area_panel.html",
            context=_panel_context,
            order=40,
        )
    )
