"""The "related knowledge" block on every area page."""

from __future__ import annotations

from typing import Any, cast

from django.utils.translation import gettext_lazy as _

from codi.areas.registry import AreaRef, Panel, register_panel
from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm
from codi.knowledge import selectors


def _panel_context(user: Any, area: AreaRef) -> dict[str, Any]:
    if not user_has_perm(user, Perm.KNOWLEDGE_SHARE):
        return {"knowledge": {"code": area.code, "articles": [], "questions": []}}
    related = selectors.related_knowledge(actor=user, area_code=area.code, limit=5)
    return {"knowledge": {"code": area.code, **related}}


def register() -> None:
    register_panel(
        Panel(
            key="knowledge",
            title=cast(str, _("Related knowledge")),
            template="knowledge/area_panel.html",
            context=_panel_context,
            order=80,
        )
    )
