"""``{% record_badges "app.Model" pk %}``: the badges other apps pin on this record (codi.core.badges)."""

from __future__ import annotations

from typing import Any

from django import template

from codi.core.badges import badges_for

register = template.Library()


@register.inclusion_tag("core/_record_badges.html", takes_context=True)
def record_badges(context: Any, object_type: str, object_id: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"badges": badges_for(user=user, object_type=object_type, object_id=object_id) if user else []}
