"""GIS pages: the map, informal settlements (list, record, edit, import), analysis and downloads."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from codi.core.spreadsheet import csv_response
from codi.gis import clusters, downloads, export, selectors, services, thematic_views
from codi.gis.geometry import GeometryError
from codi.gis.layers import THAILAND_BBOX, LayerQuery, collection_json, layer_for, visible_layers
from codi.gis.models import INFRASTRUCTURE, EvictionRisk, LandOwner, Tenure
from codi.gis.ogc import OgcError, exception_response, fetch, layer_query, parse_bbox
from codi.identity.guards import need
from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm
from codi.projects import gis_feed as project_feed


def _lang() -> str:
    return "en" if get_language() == "en" else "th"


@login_required
def map_page(request: HttpRequest) -> HttpResponse:
    layers = visible_layers(request.user)
    lang = _lang()
    config = {
        "layers": [
            {
                "key": layer.key,
                "title": layer.title_en if lang == "en" else layer.title_th,
                "url": reverse("gis:ogc_items", args=[layer.key]),
                "clusterUrl": reverse("gis:layer_clusters", args=[layer.key])
                if layer.geometry == "point"
                else "",
                "geometry": layer.geometry,
                "aggregate": layer.aggregate,
                # Area layers: figures only, joined in the browser to the level's cached boundaries.
                "level": layer.level if layer.aggregate else "",
                "valuesUrl": reverse("gis:layer_values", args=[layer.key])
                if layer.aggregate and layer.level
                else "",
                "projectFilters": "fiscal_year" in layer.params,
                "params": sorted(layer.params),
                "color": layer.color,
            }
            for layer in layers
        ],
        "geojsonUrl": reverse("api:geojson", kwargs={"level": "province"}),
        "boundaries": {
            level: reverse("api:geojson", kwargs={"level": level})
            for level in ("province", "district", "subdistrict")
        },
        "tileUrl": downloads.base_map_url(),
        "lang": lang,
        "text": {
            "loading": _("Loading the map…"),
            "failed": _("The map could not be loaded. Reload the page to try again."),
            "truncated": _("Only the first 1,000 features are drawn: zoom in."),
            "open": _("Open"),
        },
    }
    can_thematic = user_has_perm(request.user, thematic_views.PERM)
    if can_thematic:
        config["thematic"] = thematic_views.map_layer_config(lang)
    context = {
        "layers": layers,
        "config": config,
        "thematic": thematic_views.map_layer_choices() if can_thematic else None,
        "years": project_feed.years(),
        "programs": project_feed.programs(),
        "statuses": project_feed.statuses(),
        "can_edit": user_has_perm(request.user, services.EDIT_PERM),
    }
    return render(request, "gis/map.html", context)


@login_required
def settlement_list(request: HttpRequest) -> HttpResponse:
    need(request, selectors.VIEW_PERM)
    rows = selectors.settlement_list(actor=request.user).select_related("subdistrict").order_by("name", "id")
    risk = request.GET.get("eviction_risk", "")
    if risk in EvictionRisk.values:
        rows = rows.filter(eviction_risk=risk)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "gis/settlement_list.html",
        {
            "page": page,
            "risks": EvictionRisk.choices,
            "risk": risk,
            "can_edit": user_has_perm(request.user, services.EDIT_PERM),
        },
    )


@login_required
def settlement_detail(request: HttpRequest, settlement_id: int) -> HttpResponse:
    need(request, selectors.VIEW_PERM)
    settlement = selectors.settlement_get(actor=request.user, settlement_id=settlement_id)
    if settlement is None:
        raise Http404
    return render(
        request,
        "gis/settlement_detail.html",
        {
            "s": settlement,
            "infrastructure": [INFRASTRUCTURE[k] for k in settlement.infrastructure if k in INFRASTRUCTURE],
            "revisions": selectors.settlement_revisions(settlement=settlement),
            "geometry": settlement.geometry,
            "can_edit": user_has_perm(request.user, services.EDIT_PERM),
        },
    )


def _form_data(request: HttpRequest) -> tuple[dict[str, Any], Any]:
    data: dict[str, Any] = {
        key: request.POST.get(key, "") for key in services.FIELDS if key != "infrastructure"
    }
    data["infrastructure"] = request.POST.getlist("infrastructure")
    lon, lat = request.POST.get("lon", "").strip(), request.POST.get("lat", "").strip()
    text = request.POST.get("geometry", "").strip()
    if text:
        try:
            geometry = json.loads(text)
        except ValueError:
            raise GeometryError("รูปแปลงต้องเป็น GeoJSON", "The geometry must be GeoJSON") from None
        if isinstance(geometry, dict) and geometry.get("type") == "Feature":
            geometry = geometry.get("geometry")
    elif lon and lat:
        try:
            geometry = {"type": "Point", "coordinates": [float(lon), float(lat)]}
        except ValueError:
            raise GeometryError("พิกัดต้องเป็นตัวเลข", "Coordinates must be numbers") from None
    else:
        raise GeometryError(
            "กรุณาวาดขอบเขต ใส่ GeoJSON หรือกดใช้ตำแหน่ง GPS",
            "Draw the boundary, paste GeoJSON or use the GPS position",
        )
    return data, geometry


def _form_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {
        "land_owners": LandOwner.choices,
        "tenures": Tenure.choices,
        "risks": EvictionRisk.choices,
        "infrastructure": list(INFRASTRUCTURE.items()),
        "values": request.POST if request.method == "POST" else {},
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def settlement_create(request: HttpRequest) -> HttpResponse:
    need(request, services.EDIT_PERM)
    error = ""
    if request.method == "POST":
        try:
            data, geometry = _form_data(request)
            settlement = services.settlement_create(
                actor=request.user, data=data, geometry=geometry, source="form"
            )
        except GeometryError as exc:
            error = exc.text(_lang())
        else:
            return redirect("gis:settlement_detail", settlement_id=settlement.pk)
    context = _form_context(request, error=error, title=_("New settlement"))
    return render(request, "gis/settlement_form.html", context, status=422 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def settlement_edit(request: HttpRequest, settlement_id: int) -> HttpResponse:
    need(request, services.EDIT_PERM)
    settlement = selectors.settlement_get(actor=request.user, settlement_id=settlement_id)
    if settlement is None:
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            data, geometry = _form_data(request)
            services.settlement_update(
                actor=request.user,
                settlement=settlement,
                data=data,
                geometry=geometry,
                note=request.POST.get("note", ""),
            )
        except GeometryError as exc:
            error = exc.text(_lang())
        else:
            return redirect("gis:settlement_detail", settlement_id=settlement.pk)
    initial = {
        **{k: getattr(settlement, k) for k in ("name", "households", "population", "land_owner", "tenure",
                                               "eviction_risk", "year_surveyed")},
        "subdistrict": settlement.subdistrict_id, "organization": settlement.organization_id or "",
        "project": settlement.project.code if settlement.project else "",
        "geometry": json.dumps(settlement.geometry), "infrastructure": settlement.infrastructure,
    }  # fmt: skip
    context = _form_context(request, error=error, title=_("Edit settlement"), settlement=settlement)
    if request.method == "GET":
        context["values"] = initial
    return render(request, "gis/settlement_form.html", context, status=422 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def settlement_import(request: HttpRequest) -> HttpResponse:
    need(request, services.EDIT_PERM)
    outcome = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            outcome = services.ImportOutcome(errors=[(0, "กรุณาเลือกไฟล์", "Choose a file")])
        else:
            outcome = services.settlement_import(
                actor=request.user, filename=upload.name or "", content=upload.read()
            )
    status = 422 if outcome is not None and not outcome.ok else 200
    return render(request, "gis/settlement_import.html", {"outcome": outcome, "lang": _lang()}, status=status)


@login_required
def near_project(request: HttpRequest) -> HttpResponse:
    need(request, Perm.PROJECTS_VIEW)
    project_id, km_text = request.GET.get("project", ""), request.GET.get("km", "5")
    try:
        km = float(km_text)
    except ValueError:
        km = -1.0
    result, error = None, ""
    if project_id:
        if not project_id.isdigit() or not 0 < km <= 100:
            error = _("Give a project number and a distance from 0 to 100 km.")
        else:
            result = selectors.settlements_near_project(actor=request.user, project_id=int(project_id), km=km)
            if result is None:
                error = _("No project with a location that you may see has that number.")
    return render(
        request, "gis/near.html", {"result": result, "error": error, "project": project_id, "km": km_text},
        status=400 if error else 200,
    )  # fmt: skip


@login_required
def area_summary(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    need(request, Perm.AREAS_VIEW)
    level = request.GET.get("level", "province")
    if level not in ("province", "district", "subdistrict"):
        level = "province"
    rows = selectors.area_summary(actor=request.user, level=level, query=project_feed.ProjectQuery())
    if request.GET.get("format") == "csv":
        header = list(rows[0].keys()) if rows else ["code"]
        return csv_response(
            filename=f"gis-summary-{level}", header=header, rows=([*r.values()] for r in rows)
        )
    return render(request, "gis/summary.html", {"rows": rows, "level": level})


def layer_download(request: HttpRequest, key: str, file_format: str) -> HttpResponse | StreamingHttpResponse:
    """A whole layer (what the caller may see) as GeoJSON, CSV or GeoPackage; public layers without sign-in."""
    user = request.user
    layer = layer_for(user, key)
    if layer is None:
        raise Http404
    try:
        query = layer_query(request, layer, max_limit=downloads.MAX_FEATURES)
        features = downloads.collect(layer, user, LayerQuery(bbox=query.bbox, filters=query.filters), fetch)
    except OgcError as error:
        return exception_response(error)
    return downloads.respond(layer, features, file_format)


def layer_clusters(request: HttpRequest, key: str) -> HttpResponse:
    """A point layer clustered on a grid for ``zoom`` in the visible ``bbox`` (``codi.gis.clusters``)."""
    layer = layer_for(request.user, key)
    if layer is None or layer.geometry != "point":
        raise Http404
    params = request.GET.copy()
    zoom_text = params.pop("zoom", [""])[-1]
    if not zoom_text.isdigit() or int(zoom_text) > clusters.MAX_ZOOM:
        error = OgcError(
            400, "InvalidParameterValue",
            f"zoom ต้องเป็นจำนวนเต็ม 0 ถึง {clusters.MAX_ZOOM}", f"zoom must be an integer 0 to {clusters.MAX_ZOOM}",
        )  # fmt: skip
        return exception_response(error)
    request.GET = params  # type: ignore[assignment]  # the layer's own parameters, without zoom
    try:
        query = layer_query(request, layer, max_limit=downloads.MAX_FEATURES)
        features = downloads.collect(
            layer, request.user, LayerQuery(bbox=query.bbox, filters=query.filters), fetch
        )
    except OgcError as error:
        return exception_response(error)
    grouped = clusters.grid_clusters(features, int(zoom_text))
    body = {"type": "FeatureCollection", "features": grouped, "numberMatched": len(features)}
    response = HttpResponse(collection_json(body), content_type="application/geo+json")
    response["Vary"] = "Cookie"
    return response


@login_required
def map_export(request: HttpRequest, file_format: str) -> HttpResponse:
    """The map's current view (``layers``, ``bbox``, ``zoom``, filters, ``title``) as PDF or PNG."""
    if file_format not in ("pdf", "png"):
        raise Http404
    keys = [k for k in request.GET.get("layers", "").split(",") if k]
    if len(keys) > 12:
        return exception_response(
            OgcError(400, "InvalidParameterValue", "เลือกได้ไม่เกิน 12 ชั้นข้อมูล", "At most 12 layers")
        )
    layers = []
    for key in keys:
        layer = layer_for(request.user, key)
        if layer is None:
            raise Http404
        layers.append(layer)
    try:
        bbox = parse_bbox(request.GET["bbox"]) if request.GET.get("bbox") else THAILAND_BBOX
        zoom_text = request.GET.get("zoom", "")
        if zoom_text and not (zoom_text.isdigit() and int(zoom_text) <= clusters.MAX_ZOOM):
            raise OgcError(400, "InvalidParameterValue", "zoom ไม่ถูกต้อง", "Invalid zoom")
        filter_keys = {"fiscal_year", "program", "status", "area"}
        filters = {k: str(v)[:40] for k, v in request.GET.items() if k in filter_keys and v}
        spec = export.ViewSpec(
            layers=layers, bbox=bbox, zoom=int(zoom_text) if zoom_text else export.default_zoom(bbox),
            filters=filters, title=(request.GET.get("title", "").strip()[:120] or _("GIS map")), lang=_lang(),
            thematic=thematic_views.print_map(request),
        )  # fmt: skip
        drawn = []
        for layer in layers:
            query = export.layer_query(bbox, filters, layer)
            drawn.append((layer, downloads.collect(layer, request.user, query, fetch)[: export.MAX_FEATURES]))
    except OgcError as error:
        return exception_response(error)
    pdf = export.to_pdf(export.page_html(spec, drawn, date.today()))
    name = f"codi-gis-{date.today():%Y%m%d}"
    if file_format == "png":
        png = export.to_png(pdf, title=spec.title, description=export.legend_text(spec, drawn))
        response = HttpResponse(png, content_type="image/png")
    else:
        response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response
