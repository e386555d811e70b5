from __future__ import annotations

from typing import Any

from django import template

from codi.website import selectors
from codi.website.cookies import CONSENT_COOKIE

register = template.Library()


@register.simple_tag(takes_context=True)
def website_frame(context: dict[str, Any]) -> dict[str, Any]:
    """The header menu, the demo flag and the visitor's cookie choice for the page frame."""
    request = context.get("request")
    home = selectors.site_home(request) if request is not None else None
    menu = list(home.get_children().live().public().in_menu().specific()) if home is not None else []
    menu = [item.localized for item in menu]  # English titles where translated
    consent = request.COOKIES.get(CONSENT_COOKIE, "") if request is not None else ""
    return {"home": home, "menu": menu, "is_demo": bool(home and home.is_demo), "consent": consent}
