"""The thematic map page: a choropleth (and graduated symbols) of one source at one level, with a
Thai legend, a table of the areas' values (paginated, Excel) and the same data as JSON.

Values come from ``codi.gis.thematic``, whose sources apply the user's scope themselves: an area
the user may not see has no value and is drawn as *no data*, the same as an area without one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from codi.core.spreadsheet import xlsx_response
from codi.gis import selectors, thematic
from codi.identity.guards import need
from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm

PERM = Perm.AREAS_VIEW


def _choices(request: HttpRequest) -> dict[str, Any]:
    return choices_from(request.GET)


def choices_from(params: Mapping[str, str]) -> dict[str, Any]:
    """The form's values, each checked against what it may be (unknown values fall back)."""
    keys = [s.key for s in thematic.sources()]
    key = params.get("source", "")
    provinces = selectors.area_names("province")
    province = params.get("province", "")
    try:
        classes = int(params.get("classes", thematic.DEFAULT_CLASSES))
    except ValueError:
        classes = thematic.DEFAULT_CLASSES
    return {
        "source": key if key in keys else keys[0],
        "level": thematic.level_of(params.get("level", "")),
        "province": province if province in provinces else "",
        "method": params.get("method", "")
        if params.get("method") in thematic.METHODS
        else thematic.METHODS[0],
        "classes": min(thematic.MAX_CLASSES, max(thematic.MIN_CLASSES, classes)),
    }


def print_map(request: HttpRequest) -> thematic.ThematicMap | None:
    """The thematic layer of the map's print (``th_source``, ``th_level``, ``th_method``,
    ``th_classes`` as the map sends them), for a user who may see it; else ``None``."""
    if not request.GET.get("th_source") or not user_has_perm(request.user, PERM):
        return None
    params = {k[3:]: str(v) for k, v in request.GET.items() if k.startswith("th_")}
    return _map(request, choices_from(params))


def _map(request: HttpRequest, chosen: dict[str, Any]) -> thematic.ThematicMap:
    themap = thematic.thematic_map(
        user=request.user,
        key=chosen["source"],
        level=chosen["level"],
        province=chosen["province"],
        method=chosen["method"],
        classes=chosen["classes"],
    )
    assert themap is not None  # the source and level were checked in _choices
    return themap


def _legend(themap: thematic.ThematicMap) -> list[dict[str, Any]]:
    return [{"lower": c.lower, "upper": c.upper, "color": c.color, "areas": c.areas} for c in themap.legend]


LEVEL_LABELS = (
    ("province", gettext_lazy("Province")),
    ("district", gettext_lazy("District")),
    ("subdistrict", gettext_lazy("Subdistrict")),
)
METHOD_LABELS = (
    ("natural_breaks", gettext_lazy("Natural breaks (least variance within classes)")),
    ("quantiles", gettext_lazy("Quantiles (equal numbers of areas)")),
)


def map_layer_choices() -> dict[str, Any]:
    """The thematic layer's pickers on the main map page (``/gis/``)."""
    return {
        "sources": [(s.key, s.title) for s in thematic.sources()],
        "levels": [(value, str(label)) for value, label in LEVEL_LABELS],
        "methods": [(value, str(label)) for value, label in METHOD_LABELS],
        "class_counts": list(range(thematic.MIN_CLASSES, thematic.MAX_CLASSES + 1)),
        "default_classes": thematic.DEFAULT_CLASSES,
    }


def map_layer_config(lang: str) -> dict[str, Any]:
    """What the main map's script needs to draw the thematic layer: the data URL (the JSON below),
    the boundaries of each level, and the legend's words."""
    return {
        "dataUrl": reverse("gis:thematic_data"),
        "geojson": {level: reverse("api:geojson", kwargs={"level": level}) for level in thematic.LEVELS},
        "noDataColor": thematic.NO_DATA_COLOR,
        "text": {
            "noData": _("No data"),
            "areas": _("%(n)s areas"),
        },
    }


@login_required
def thematic_page(request: HttpRequest) -> HttpResponse | FileResponse:
    need(request, PERM)
    chosen = _choices(request)
    themap = _map(request, chosen)
    lang = "en" if get_language() == "en" else "th"
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            filename=f"gis-thematic-{themap.level}",
            sheets=[
                (
                    "".join(ch for ch in str(themap.source.title) if ch not in "[]:*?/\\")[:31],
                    [_("Area code"), _("Area"), _("Province"), themap.source.unit, _("Map class")],
                    ([r.code, r.name_th, r.province_th, r.value, r.klass + 1] for r in themap.rows),
                )
            ],
        )
    geojson_url = reverse("api:geojson", kwargs={"level": themap.level})
    if chosen["province"]:
        geojson_url += "?" + urlencode({"province": chosen["province"]})
    config = {
        "geojsonUrl": geojson_url,
        "features": themap.features(),
        "colors": [c.color for c in themap.legend],
        "noDataColor": thematic.NO_DATA_COLOR,
        "symbolColor": thematic.SYMBOL_COLOR,
        "lang": lang,
        "unit": themap.source.unit,
        "text": {
            "noData": _("No data"),
            "failed": _("The map could not be loaded. Reload the page to try again."),
            "loaded": _("Map loaded."),
        },
    }
    provinces = sorted(selectors.area_names("province").items(), key=lambda item: item[1][0])
    query = {k: v for k, v in chosen.items() if v != ""}
    context = {
        "themap": themap,
        "chosen": chosen,
        "sources": thematic.sources(),
        "levels": LEVEL_LABELS,
        "methods": METHOD_LABELS,
        "class_counts": range(thematic.MIN_CLASSES, thematic.MAX_CLASSES + 1),
        "provinces": [(code, names[0]) for code, names in provinces],
        "page": Paginator(themap.rows, 50).get_page(request.GET.get("page")),
        "query": urlencode(query),
        "no_data_color": thematic.NO_DATA_COLOR,
        "symbol_color": thematic.SYMBOL_COLOR,
        "config": config,
    }
    return render(request, "gis/thematic.html", context)


@login_required
def thematic_data(request: HttpRequest) -> JsonResponse:
    """The map as JSON: legend classes and, per area with a value, [class, value, lon, lat, radius]."""
    need(request, PERM)
    chosen = _choices(request)
    themap = _map(request, chosen)
    return JsonResponse(
        {
            "source": themap.source.key,
            "title": str(themap.source.title),
            "unit": themap.source.unit,
            "level": themap.level,
            "province": themap.province,
            "method": themap.method,
            "legend": _legend(themap),
            "no_data": {"areas": themap.no_data, "color": thematic.NO_DATA_COLOR},
            "features": themap.features(),
        }
    )
