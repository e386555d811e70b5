"""Column headers that sort a list on the server: plain links, so they work by keyboard and without script."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from codi.web.areapicker import picker

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_header(context: Any, key: str, label: str, css: str = "") -> str:
    """A ``<th>`` whose link orders the list by ``key``, the other way round when it already does.

    The current filters are kept, the page number is dropped (page 1 of the new order), and
    ``aria-sort`` tells a screen reader which column orders the table.
    """
    request = context["request"]
    sort = context.get("sort")
    active = sort is not None and sort.key == key
    descending = bool(active and sort.descending)
    params = [(k, v) for k, values in request.GET.lists() for v in values if k not in {"sort", "page"}]
    params.append(("sort", key if active and descending else (f"-{key}" if active else key)))
    state = ("descending" if descending else "ascending") if active else "none"
    arrow = ("▼" if descending else "▲") if active else "↕"
    hint = _("sorted, click to reverse") if active else _("click to sort")
    return format_html(
        '<th scope="col" class="{}" aria-sort="{}"><a class="sort" href="?{}" title="{}">{} '
        '<span aria-hidden="true">{}</span></a></th>',
        css,
        state,
        urlencode(params),
        hint,
        label,
        arrow,
    )


@register.inclusion_tag("web/area_picker.html", takes_context=True)
def area_picker(context: Any, levels: str = "region,province,district,subdistrict") -> dict[str, Any]:
    """The cascading area selects of a filter form, from the request's own choices and the user's areas."""
    request = context["request"]
    chosen = {
        level: request.GET.get(level, "")[:20] for level in ("region", "province", "district", "subdistrict")
    }
    state = picker(request.user, chosen)
    wanted = levels.split(",")
    rows = [
        ("region", _("Region"), state.regions, "f-r"),
        ("province", _("Province"), state.provinces, "f-p"),
        ("district", _("District"), state.districts, "f-d"),
        ("subdistrict", _("Subdistrict"), state.subdistricts, "f-sd"),
    ]
    return {
        "levels": [
            {"name": name, "label": label, "options": opts, "id": html_id, "chosen": state.chosen[name]}
            for name, label, opts, html_id in rows
            if name in wanted
        ],
        "options_url": reverse("area_options"),
    }
