"""Area pages: one page per province, district or subdistrict, the maps, search, and the region editor."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from codi.areas import selectors
from codi.areas.boundaries import LEVELS
from codi.areas.models import Province
from codi.areas.registry import AreaRef, Panel, indicators, panels, point_layers
from codi.identity import selectors as identity_selectors
from codi.identity import services as identity_services

log = logging.getLogger(__name__)

BANGKOK = "10"


def _area_url_template() -> str:
    """The area page's URL with ``CODE`` where the code goes, for the maps' scripts."""
    return reverse("area_index") + "CODE/"


def level_label(level: str, code: str) -> str:
    """What Thai calls the area: Bangkok's districts and subdistricts are เขต and แขวง."""
    if code.startswith(BANGKOK) and level == "district":
        return _("District (khet)")
    if code.startswith(BANGKOK) and level == "subdistrict":
        return _("Subdistrict (khwaeng)")
    return {"province": _("Province"), "district": _("District"), "subdistrict": _("Subdistrict")}[level]


def _name(row: Any) -> str:
    return str(row.name_en if get_language() == "en" and row.name_en else row.name_th)


def _render_panel(request: HttpRequest, panel: Panel, ref: AreaRef) -> str | None:
    """A panel's own template with its own context; a failing panel must not take the page down."""
    try:
        return render_to_string(panel.template, panel.context(request.user, ref), request)
    except Exception:
        log.exception("area panel %s failed for %s", panel.key, ref.code)
        return None


@login_required
def area_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "areas/index.html",
        {
            "regions": selectors.regions_with_provinces(),
            "orphans": selectors.provinces_without_region(),
            "can_manage": identity_selectors.user_can_manage_areas(request.user),
        },
    )


@login_required
def area_page(request: HttpRequest, code: str) -> HttpResponse:
    area = selectors.area_get(code=code, with_children=True)
    if area is None:
        resolution = selectors.area_resolve(code)
        if resolution.abolished is None:
            raise Http404
        return render(request, "areas/abolished.html", {"resolution": resolution})
    ref = AreaRef(level=area.level, code=area.code)
    rendered_panels = [{"panel": panel, "html": _render_panel(request, panel, ref)} for panel in panels()]
    child_codes = [c.code for c in area.children]
    with_polygon = selectors.area_features(child_codes) if area.children else []
    drawn = {f["properties"]["code"] for f in with_polygon}
    map_data = {
        "area": selectors.area_features([area.code]),
        "children": with_polygon,
        "areaUrl": _area_url_template(),
    }
    map_level = "district" if area.level == "province" else "subdistrict"
    context = {
        "area": area,
        "name": _name(area),
        "level_label": level_label(area.level, area.code),
        "child_label": level_label(area.children[0].level, area.code) if area.children else "",
        "children": [{"row": c, "name": _name(c), "has_polygon": c.code in drawn} for c in area.children],
        "panels": rendered_panels,
        "predecessors": selectors.area_predecessors(code=area.code) if area.level != "province" else [],
        "map_data": map_data,
        "map_url": f"{reverse('area_map')}?level={map_level}&province={area.code[:2]}",
    }
    return render(request, "areas/area.html", context)


@login_required
def area_map(request: HttpRequest) -> HttpResponse:
    level = request.GET.get("level", "province")
    if level not in LEVELS:
        level = "province"
    province = request.GET.get("province", "")
    if not (len(province) == 2 and Province.objects.filter(code=province).exists()):
        province = ""
    available = indicators()
    key = request.GET.get("indicator", "")
    chosen = next((i for i in available if i.key == key), None)
    if chosen is None and key == "" and available:
        chosen = available[0]
    geojson_url = reverse("api:geojson", kwargs={"level": level})
    config = {
        "level": level,
        "geojsonUrl": geojson_url + (f"?province={province}" if province else ""),
        "indicatorUrl": (
            reverse("api:indicator_values", kwargs={"key": chosen.key})
            + f"?level={level}"
            + (f"&province={province}" if province else "")
            if chosen
            else ""
        ),
        "indicatorTitle": str(chosen.title) if chosen else "",
        "unit": str(chosen.unit) if chosen else "",
        "pointLayers": [
            {"key": p.key, "title": str(p.title), "url": reverse("api:points", kwargs={"key": p.key})}
            for p in point_layers()
        ],
        "areaUrl": _area_url_template(),
        "lang": get_language(),
        "text": {
            "noData": _("No data"),
            "noBoundary": _("No boundary data"),
            "loading": _("Loading the map…"),
            "failed": _("The map could not be loaded. Reload the page to try again."),
            "truncated": _("Too many points to show: zoom in."),
        },
    }
    context = {
        "level": level,
        "province": province,
        "provinces": Province.objects.order_by("name_th").only("code", "name_th", "name_en"),
        "indicators": available,
        "chosen": chosen,
        "config": config,
        "levels": [(v, level_label(v, "")) for v in LEVELS],
    }
    return render(request, "areas/map.html", context)


@login_required
def area_search_page(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    results = selectors.area_search(q=q, limit=50) if q else []
    if len(results) == 1:
        return redirect("area_page", code=results[0].code)
    rows = [{"result": r, "level_label": level_label(r.level, r.code)} for r in results]
    return render(request, "areas/search.html", {"q": q, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def region_admin(request: HttpRequest) -> HttpResponse:
    if not identity_selectors.user_can_manage_areas(request.user):
        raise PermissionDenied
    status = 200
    error = ""
    if request.method == "POST":
        province_code = request.POST.get("province", "")
        region_code = request.POST.get("region", "")
        try:
            province = identity_services.province_set_region(
                actor=request.user, province_code=province_code, region_code=region_code
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
            status = 422
        else:
            region = next(r for r in selectors.region_list() if r.code == province.region_id)
            messages.success(
                request,
                _("%(province)s is now in %(region)s.")
                % {"province": _name(province), "region": _name(region)},
            )
            return redirect(f"{reverse('region_admin')}#region-{province.region_id}")
    context = {
        "regions": selectors.regions_with_provinces(),
        "orphans": selectors.provinces_without_region(),
        "region_choices": list(selectors.region_list()),
        "error": error,
        "selected_province": request.POST.get("province", "") if error else "",
    }
    return render(request, "areas/regions.html", context, status=status)
