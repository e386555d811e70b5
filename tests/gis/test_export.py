"""PDF and PNG print of the map's current view: valid files with the title, B.E. date and legend."""

from __future__ import annotations

import io
from datetime import date

import pypdfium2 as pdfium
from django.test import Client
from PIL import Image

from codi.core.thaidate import thai_date
from codi.gis.layers import area_boxes
from codi.gis.thematic import NO_DATA_COLOR, thematic_map
from tests.permissions import signed_in_client

VIEW = {"bbox": "97.3,5.6,105.7,20.5", "zoom": "6", "fiscal_year": "2569", "title": "โครงการขอนแก่น"}


def pdf_text(content: bytes) -> str:
    document = pdfium.PdfDocument(content)
    try:
        return "".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def test_pdf_of_the_view_has_title_date_legend_and_filters(world):
    client = signed_in_client(world["national"])
    response = client.get("/gis/export.pdf", {**VIEW, "layers": "projects-by-province,projects"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    assert "โครงการขอนแก่น" in text
    assert thai_date(date.today(), full_month=True) in text  # e.g. 7 ธันวาคม 2569
    # The legend, with each layer's feature count (pdfium splits the vowel ำ, so that word is cut).
    # Every province is drawn (a province without a project is a true 0), so the count is theirs.
    provinces = len(area_boxes("province"))
    assert f"โครงการรายจังหวัด (สาธารณะ) ({provinces})" in text and "แหน่งโครงการ (3)" in text
    assert "1 / 1" in text  # one page
    assert "fiscal_year: 2569" in text


def test_png_of_the_view_is_an_image_with_the_legend_in_its_text(world):
    client = signed_in_client(world["kk_officer"])
    response = client.get("/gis/export.png", {**VIEW, "layers": "projects"})
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG" and image.width > image.height > 1000  # A4 landscape at 150 dpi
    assert image.text["Title"] == "โครงการขอนแก่น"
    assert "ตำแหน่งโครงการ" in image.text["Description"]
    # The project layer's colour (#006d2c) is drawn somewhere on the page.
    rgb = image.convert("RGB")
    assert (0x00, 0x6D, 0x2C) in {c for _n, c in rgb.getcolors(maxcolors=1_000_000) or []}


def test_export_refuses_layers_out_of_scope_and_bad_input(world):
    hr = signed_in_client(world["hr"])
    assert hr.get("/gis/export.pdf", {"layers": "projects"}).status_code == 404
    assert hr.get("/gis/export.pdf", {"layers": "nope"}).status_code == 404
    assert Client(HTTP_HOST="127.0.0.1").get("/gis/export.pdf", {"layers": "projects"}).status_code == 302
    national = signed_in_client(world["national"])
    bad = national.get("/gis/export.pdf", {"layers": "projects", "bbox": "105,20,97,5"})
    assert bad.status_code == 400 and bad.json()["code"] == "InvalidParameterValue"
    assert national.get("/gis/export.pdf", {"layers": "projects", "zoom": "x"}).status_code == 400
    assert national.get("/gis/export.svg", {"layers": "projects"}).status_code == 404


def test_the_thematic_layer_is_printed_with_its_legend(world):
    """The choropleth shown on the map (projects per province in the officer's scope) is drawn in
    its class colour, the rest of Thailand as no data, and its legend is on the page."""
    officer = world["kk_officer"]
    themap = thematic_map(user=officer, key="gis.projects", level="province")
    assert themap is not None and len(themap.legend) == 1  # Khon Kaen's class alone
    colour = tuple(int(themap.legend[0].color[i : i + 2], 16) for i in (1, 3, 5))
    no_data = tuple(int(NO_DATA_COLOR[i : i + 2], 16) for i in (1, 3, 5))
    client = signed_in_client(officer)
    view = {
        **VIEW,
        "layers": "",
        "th_source": "gis.projects",
        "th_level": "province",
        "th_method": "quantiles",
    }
    image = Image.open(io.BytesIO(client.get("/gis/export.png", view).content))
    assert "โครงการ" in image.text["Description"]
    colours = {c for _n, c in image.convert("RGB").getcolors(maxcolors=1_000_000) or []}
    assert colour in colours and no_data in colours
    text = pdf_text(client.get("/gis/export.pdf", view).content)
    assert "แผนที่เฉพาะเรื่อง" in text and "ไม่มีข้อมูล" in text
    # Without the thematic parameters, neither the class colour nor its legend is printed.
    plain = Image.open(io.BytesIO(client.get("/gis/export.png", {**VIEW, "layers": ""}).content)).convert(
        "RGB"
    )
    assert colour not in {c for _n, c in plain.getcolors(maxcolors=1_000_000) or []}
    # A user without project rights prints the layer as no data everywhere: no class colour leaks.
    hr = Image.open(io.BytesIO(signed_in_client(world["hr"]).get("/gis/export.png", view).content)).convert(
        "RGB"
    )
    hr_colours = {c for _n, c in hr.getcolors(maxcolors=1_000_000) or []}
    assert colour not in hr_colours and no_data in hr_colours
