"""The GIS in a real browser: a province officer's project layer, a click opens the project; a
settlement imported from a GeoJSON file appears on the map and through the OGC API."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import DEMO_PASSWORD, Server
from tests.e2e.test_journey import totp

pytestmark = [pytest.mark.e2e]

SETUP = """
from decimal import Decimal
from codi.communities.models import Organization
from codi.gis.layers import area_points
from codi.identity.services import role_assign, user_create
from codi.projects.models import Program, Project
lon, lat = area_points("subdistrict")["400101"]
user = user_create(actor=None, username="e2e_gis_officer", password=PASSWORD, name_th="e2e_gis_officer")
role_assign(actor=None, user=user, role="project_officer", scope_level="province", scope_code="40")
org = Organization.objects.create(name_th="องค์กรทดสอบแผนที่", org_type="community_org",
    subdistrict_id="400101", latitude=Decimal(f"{lat:.6f}"), longitude=Decimal(f"{lon:.6f}"))
program, _ = Program.objects.get_or_create(code="E2EGIS", defaults={"kind": "housing", "name_th": "บ้านมั่นคง (ทดสอบ)"})
project = Project.objects.create(code="E2E-GIS-1", program=program, fiscal_year=2569, subdistrict_id="400101",
    lead_organization=org, title="โครงการบ้านมั่นคงทดสอบแผนที่", requested_amount=Decimal("100000"), status="approved")
near = Organization.objects.create(name_th="องค์กรทดสอบแผนที่ใกล้เคียง", org_type="community_org",
    subdistrict_id="400101", latitude=Decimal(f"{lat:.6f}"), longitude=Decimal(f"{lon + 0.01:.6f}"))
Project.objects.create(code="E2E-GIS-2", program=program, fiscal_year=2569, subdistrict_id="400101",
    lead_organization=near, title="โครงการใกล้เคียงทดสอบแผนที่", requested_amount=Decimal("100000"), status="approved")
print("PROJECT", project.pk, lon, lat)
"""


def _sign_in(page: Page) -> None:
    page.goto("/gis/")
    page.locator("#id_username").fill("e2e_gis_officer")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/mfa/setup/"))
    secret = page.get_by_test_id("totp-secret").inner_text().strip()
    page.locator("#id_token").fill(totp(secret))
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/mfa/recovery-codes/"))
    page.goto("/gis/")


def test_project_layer_click_and_imported_settlement(page: Page, e2e_server: Server) -> None:
    out = e2e_server.manage("shell", "-c", SETUP.replace("PASSWORD", repr(DEMO_PASSWORD)))
    _, project_id, lon, lat = next(line for line in out.splitlines() if line.startswith("PROJECT")).split()
    _sign_in(page)
    expect(page.get_by_test_id("gis-map")).to_have_attribute("data-ready", "true")
    expect(page.locator("h1")).to_have_text("แผนที่ GIS")
    # At the country view the two Khon Kaen projects (1 km apart) are one cluster of the server's grid.
    page.locator('#gis-layers input[value="projects"]').check()
    cluster = page.locator("#gis-map .gis-cluster").first
    expect(cluster).to_be_visible()
    # Street level (the view in the address): every point on its own, clickable.
    page.goto(f"/gis/#16/{lat}/{lon}")
    page.locator('#gis-layers input[value="projects"]').check()
    point = page.locator(f'path[data-layer="projects"][data-id="{project_id}"]')
    expect(point).to_have_count(1)
    point.click()
    expect(page).to_have_url(re.compile(rf"/projects/{project_id}/$"))

    lon_f, lat_f = float(lon), float(lat)
    h = 0.001
    ring = [[lon_f - h, lat_f - h], [lon_f + h, lat_f - h], [lon_f + h, lat_f + h], [lon_f - h, lat_f + h]]
    collection = {"type": "FeatureCollection", "features": [{"type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
        "properties": {"name": "ชุมชนทดสอบเบราว์เซอร์", "subdistrict": "400101", "households": 42, "population": 150,
                       "land_owner": "treasury", "tenure": "permit", "eviction_risk": "high", "year_surveyed": 2568}}]}  # fmt: skip
    page.goto("/gis/settlements/import/")
    page.locator("#i-file").set_input_files(
        files=[
            {
                "name": "slum.geojson",
                "mimeType": "application/geo+json",
                "buffer": json.dumps(collection).encode(),
            }
        ]
    )
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#import-done")).to_be_visible()

    page.goto("/gis/")
    expect(page.get_by_test_id("gis-map")).to_have_attribute("data-ready", "true")
    page.locator('#gis-layers input[value="settlements"]').check()
    expect(page.locator('path[data-layer="settlements"]')).to_have_count(1)
    api = page.request.get("/gis/ogc/collections/settlements/items?bbox=102,16,104,17")
    names = [f["properties"]["name"] for f in api.json()["features"]]
    assert names == ["ชุมชนทดสอบเบราว์เซอร์"]
