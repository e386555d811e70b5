from __future__ import annotations

from typing import Any

from django import template
from wagtail.models import Locale, Page

from codi.website import selectors
from codi.website.cookies import CONSENT_COOKIE

register = template.Library()


@register.simple_tag(takes_context=True)
def website_frame(context: dict[str, Any]) -> dict[str, Any]:
    """The header menu, the demo flag and the visitor's cookie choice for the page frame."""
    request = context.get("request")
    home = selectors.site_home(request) if request is not None else None
    menu = _menu(home) if home is not None else []
    consent = request.COOKIES.get(CONSENT_COOKIE, "") if request is not None else ""
    return {"home": home, "menu": menu, "is_demo": bool(home and home.is_demo), "consent": consent}


def _menu(home: Page) -> list[Page]:
    """The home's menu pages in the visitor's language where translated: two queries in all.

    The menu needs titles and URLs only, so the pages stay plain ``Page`` rows (no ``specific()``:
    one query per page type), and the translations come in one query instead of one per item.
    """
    items = list(home.get_children().live().public().in_menu())
    active = Locale.get_active()
    if all(item.locale_id == active.pk for item in items):
        return items
    translated = {
        page.translation_key: page
        for page in Page.objects.live()
        .public()
        .filter(locale=active, translation_key__in=[item.translation_key for item in items])
    }
    return [translated.get(item.translation_key, item) for item in items]
