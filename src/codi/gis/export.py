"""Print of the map's current view as PDF or PNG, drawn on the server.

The view (``bbox``), the chosen layers and their filters come from the map page. The province
boundaries inside the box and each layer (read for the user, so scoped, through the same layer
fetch as the OGC API; point layers grid-clustered as on screen) are drawn into an SVG in a plain
equirectangular projection (x scaled by cos of the middle latitude); WeasyPrint renders the page
(title, date in the Buddhist Era, filters, legend, source credit) to PDF through
``codi.core.pdf``; the PNG is that page rasterised by pdfium, with the title and legend also
written into the PNG's text chunks (``Title``, ``Description``).
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.template.loader import render_to_string

from codi.areas import boundaries
from codi.core.pdf import font_faces_css, html_to_pdf
from codi.core.thaidate import english_date, thai_date
from codi.gis import clusters
from codi.gis.layers import BBox, Layer, LayerQuery, area_boxes, geometry_of, intersects
from codi.gis.thematic import NO_DATA_COLOR, ThematicMap

WIDTH = 1000.0
MAX_HEIGHT = 900.0
MAX_FEATURES = 20_000
MAP_BOX_CM = (19.5, 15.0)
VALUE_KEYS = ("projects", "settlements", "reports", "loans_in_arrears", "staff_trained")


@dataclass(frozen=True)
class ViewSpec:
    layers: list[Layer]
    bbox: BBox
    zoom: int
    filters: dict[str, str]
    title: str
    lang: str = "th"
    # The thematic choropleth shown on the map (classes, colours, values per area), if any.
    thematic: ThematicMap | None = None


class _Projection:
    def __init__(self, bbox: BBox) -> None:
        west, south, east, north = bbox
        self.west, self.north = west, north
        self.kx = math.cos(math.radians((south + north) / 2))
        span_x = max((east - west) * self.kx, 1e-6)
        span_y = max(north - south, 1e-6)
        self.scale = min(WIDTH / span_x, MAX_HEIGHT / span_y)
        self.width = round(span_x * self.scale)
        self.height = round(span_y * self.scale)

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return ((lon - self.west) * self.kx * self.scale, (self.north - lat) * self.scale)


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def _path(geometry: dict[str, Any], proj: _Projection) -> str:
    parts = []
    for ring in _rings(geometry):
        points = [proj.xy(float(p[0]), float(p[1])) for p in ring]
        if len(points) > 2:
            parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z")
    return "".join(parts)


def _value(props: dict[str, Any]) -> float | None:
    for key in VALUE_KEYS:
        if isinstance(props.get(key), int | float):
            return float(props[key])
    return None


def _layer_svg(layer: Layer, features: list[dict[str, Any]], proj: _Projection, zoom: int) -> str:
    out = []
    if layer.geometry == "point":
        for feature in clusters.grid_clusters(features, zoom):
            x, y = proj.xy(*(float(v) for v in geometry_of(feature)["coordinates"][:2]))
            count = feature["properties"].get("count", 1) if feature["properties"].get("cluster") else 1
            radius = 5 if count == 1 else min(6 + 3 * math.log10(count) * 3, 22)
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{layer.color}" '
                       f'fill-opacity="0.85" stroke="#fff" stroke-width="1"/>')  # fmt: skip
        return "".join(out)
    values = [v for v in (_value(f["properties"]) for f in features) if v is not None]
    top = max(values, default=0.0)
    for feature in features:
        value = _value(feature["properties"])
        opacity = 0.2 + 0.7 * (value / top) if value is not None and top else 0.5
        path = _path(geometry_of(feature), proj)
        if path:
            out.append(f'<path d="{path}" fill="{layer.color}" fill-opacity="{opacity:.2f}" '
                       f'stroke="{layer.color}" stroke-width="0.8"/>')  # fmt: skip
    return "".join(out)


def thematic_svg(themap: ThematicMap, bbox: BBox, proj: _Projection) -> str:
    """The choropleth: every area of the map's level in the view, filled with its class colour
    (no data grey), one path per colour; between the base boundaries and the module layers."""
    classes = {row.code: row.klass for row in themap.rows}
    boxes = area_boxes(themap.level)
    by_color: dict[str, list[str]] = {}
    for code, geometry in boundaries.geometries(themap.level).items():
        if code not in boxes or not intersects(boxes[code], bbox) or not code.startswith(themap.province):
            continue
        color = themap.legend[classes[code]].color if code in classes else NO_DATA_COLOR
        by_color.setdefault(color, []).append(_path(geometry, proj))
    width = 0.2 if themap.level == "subdistrict" else 0.5
    return "".join(
        f'<path d="{"".join(paths)}" fill="{color}" stroke="#4d5a53" stroke-width="{width}"/>'
        for color, paths in by_color.items()
    )


def map_svg(spec: ViewSpec, layer_features: list[tuple[Layer, list[dict[str, Any]]]]) -> str:
    proj = _Projection(spec.bbox)
    base = []
    boxes = area_boxes("province")
    for code, geometry in boundaries.geometries("province").items():
        if code in boxes and intersects(boxes[code], spec.bbox):
            base.append(_path(geometry, proj))
    choropleth = thematic_svg(spec.thematic, spec.bbox, proj) if spec.thematic is not None else ""
    layers = "".join(_layer_svg(layer, features, proj, spec.zoom) for layer, features in layer_features)
    # Fitted into the map's box on an A4 landscape page (beside the legend), aspect kept.
    fit = min(MAP_BOX_CM[0] / proj.width, MAP_BOX_CM[1] / proj.height)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {proj.width} {proj.height}" '
        f'style="width:{proj.width * fit:.2f}cm;height:{proj.height * fit:.2f}cm;border:0.5pt solid #999">'
        f'<clipPath id="view"><rect width="{proj.width}" height="{proj.height}"/></clipPath>'
        f'<g clip-path="url(#view)"><path d="{"".join(base)}" fill="#eef3ef" stroke="#4d5a53" stroke-width="0.6"/>'
        f"{choropleth}{layers}</g></svg>"
    )


def legend_rows(
    spec: ViewSpec, layer_features: list[tuple[Layer, list[dict[str, Any]]]]
) -> list[dict[str, Any]]:
    return [
        {
            "color": layer.color,
            "title": layer.title_en if spec.lang == "en" else layer.title_th,
            "count": len(features),
        }
        for layer, features in layer_features
    ]


def thematic_legend(themap: ThematicMap | None) -> dict[str, Any] | None:
    """The choropleth's legend: its title and unit, each class (range, colour, areas), no data."""
    if themap is None:
        return None
    return {
        "title": themap.source.title,
        "unit": themap.source.unit,
        "classes": [
            {
                "color": c.color,
                "lower": c.lower,
                "upper": c.upper,
                "single": c.lower == c.upper,
                "areas": c.areas,
            }
            for c in themap.legend
        ],
        "no_data": {"color": NO_DATA_COLOR, "areas": themap.no_data},
    }


def page_html(spec: ViewSpec, layer_features: list[tuple[Layer, list[dict[str, Any]]]], today: date) -> str:
    return render_to_string(
        "gis/export_pdf.html",
        {
            "pdf_font_faces": font_faces_css(),
            "title": spec.title,
            "date_text": english_date(today) if spec.lang == "en" else thai_date(today, full_month=True),
            "svg": map_svg(spec, layer_features),
            "legend": legend_rows(spec, layer_features),
            "thematic": thematic_legend(spec.thematic),
            "filters": sorted(spec.filters.items()),
            "bbox": ", ".join(f"{v:.4f}" for v in spec.bbox),
            "lang": spec.lang,
        },
    )


def to_pdf(html: str) -> bytes:
    return html_to_pdf(html)


def to_png(pdf: bytes, *, title: str, description: str) -> bytes:
    """The first page of ``pdf`` as PNG (150 dpi), with the title and legend as PNG text chunks."""
    # heavy: pdfium and Pillow are loaded only when a PNG is made
    import pypdfium2 as pdfium
    from PIL.PngImagePlugin import PngInfo

    document = pdfium.PdfDocument(pdf)
    try:
        image = document[0].render(scale=150 / 72).to_pil()
    finally:
        document.close()
    info = PngInfo()
    info.add_itxt("Title", title)
    info.add_itxt("Description", description)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", pnginfo=info, optimize=True)
    return buffer.getvalue()


def legend_text(spec: ViewSpec, layer_features: list[tuple[Layer, list[dict[str, Any]]]]) -> str:
    titles = [row["title"] for row in legend_rows(spec, layer_features)]
    if spec.thematic is not None:
        titles.append(spec.thematic.source.title)
    return "; ".join(titles) + "".join(f"; {k}={v}" for k, v in sorted(spec.filters.items()))


def default_zoom(bbox: BBox) -> int:
    """The web-map zoom at which ``bbox`` is about ``WIDTH`` pixels wide."""
    span = max(bbox[2] - bbox[0], 1e-6)
    return max(0, min(clusters.MAX_ZOOM, int(math.log2(360 / span * WIDTH / 256))))


def layer_query(bbox: BBox, filters: dict[str, str], layer: Layer) -> LayerQuery:
    return LayerQuery(bbox=bbox, filters={k: v for k, v in filters.items() if k in layer.params})
