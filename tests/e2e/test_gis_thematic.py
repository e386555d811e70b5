"""The GIS map and the thematic map in a real browser: module layers and the thematic layer are
toggled with their legends, the thematic page keeps its own legend, both pages fit 360 px
without sideways scrolling, and the browser reports no console error."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import DEMO_PASSWORD, Server
from tests.e2e.test_journey import totp

pytestmark = [pytest.mark.e2e]

USER = "e2e_gis_thematic"
SETUP = """
from decimal import Decimal
from codi.communities.models import Organization
from codi.identity.services import role_assign, user_create
from codi.projects.models import Program, Project
user = user_create(actor=None, username="USER", password=PASSWORD, name_th="USER")
role_assign(actor=None, user=user, role="project_officer", scope_level="province", scope_code="40")
org = Organization.objects.create(name_th="องค์กรทดสอบแผนที่เฉพาะเรื่อง", org_type="community_org", subdistrict_id="400101")
program, _ = Program.objects.get_or_create(code="E2ETHM", defaults={"kind": "housing", "name_th": "บ้านมั่นคง (ทดสอบ)"})
for n in range(3):
    Project.objects.create(code=f"E2E-THM-{n}", program=program, fiscal_year=2569, subdistrict_id="400101",
        lead_organization=org, title=f"โครงการทดสอบแผนที่เฉพาะเรื่อง {n}", requested_amount=Decimal("100000"),
        status="approved")
print("READY")
"""


def _sign_in(page: Page) -> None:
    page.goto("/gis/")
    page.locator("#id_username").fill(USER)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/mfa/setup/"))
    secret = page.get_by_test_id("totp-secret").inner_text().strip()
    page.locator("#id_token").fill(totp(secret))
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/mfa/recovery-codes/"))


def _no_sideways_scroll(page: Page) -> None:
    width = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert width[0] <= width[1], f"{page.url}: page is {width[0]} px wide in a {width[1]} px window"


def test_layers_thematic_layer_legends_and_360px(page: Page, e2e_server: Server) -> None:
    out = e2e_server.manage(
        "shell", "-c", SETUP.replace("USER", USER).replace("PASSWORD", repr(DEMO_PASSWORD))
    )
    assert "READY" in out
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    _sign_in(page)

    page.goto("/gis/")
    gis_map = page.get_by_test_id("gis-map")
    expect(gis_map).to_have_attribute("data-ready", "true")
    legend = page.locator("#gis-legend")
    # Module layers: the first is on; turning one on and off adds and removes its legend row.
    first = page.locator("#gis-layers input[name=layer]").first
    expect(first).to_be_checked()
    by_subdistrict = page.locator('#gis-layers input[value="projects-by-subdistrict"]')
    by_subdistrict.check()
    expect(gis_map).to_have_attribute("data-layer-projects-by-subdistrict", re.compile(r"^[1-9]"))
    expect(legend).to_contain_text("โครงการรายตำบล")
    by_subdistrict.uncheck()
    expect(legend).not_to_contain_text("โครงการรายตำบล")

    # The thematic layer: projects per province in scope (Khon Kaen), the rest of Thailand no data.
    page.locator("#g-thematic").check()
    expect(gis_map).to_have_attribute("data-thematic", "gis.projects:province")
    thematic_legend = page.get_by_test_id("gis-thematic-legend")
    expect(thematic_legend).to_contain_text("ไม่มีข้อมูล")
    expect(thematic_legend.locator("li")).to_have_count(2)  # Khon Kaen's class and no data
    # District level: Khon Kaen's districts without a project are a true 0, a class of their own.
    page.locator("#g-th-level").select_option("district")
    expect(gis_map).to_have_attribute("data-thematic", "gis.projects:district")
    expect(thematic_legend.locator("li").first).to_have_text(re.compile(r"^0\b"))
    assert thematic_legend.locator("li").count() >= 3  # 0, at least one class above it, no data
    page.locator("#g-thematic").uncheck()
    expect(page.get_by_test_id("gis-thematic-legend")).to_have_count(0)
    expect(gis_map).not_to_have_attribute("data-thematic", re.compile(".*"))

    # The separate thematic page still works, with its own legend and table.
    page.goto("/gis/thematic/?source=gis.projects&level=district")
    expect(page.get_by_test_id("thematic-legend")).to_contain_text("ไม่มีข้อมูล")
    expect(page.locator("#thematic-status")).to_have_text("โหลดแผนที่แล้ว")
    expect(page.locator("#thematic-table")).to_contain_text("เมืองขอนแก่น")

    # A phone: both pages fit 360 px without scrolling sideways, the map and its legend included.
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/gis/")
    expect(gis_map).to_have_attribute("data-ready", "true")
    page.locator("#g-thematic").check()
    expect(page.get_by_test_id("gis-thematic-legend")).to_be_visible()
    _no_sideways_scroll(page)
    page.goto("/gis/thematic/")
    expect(page.locator("#thematic-status")).to_have_text("โหลดแผนที่แล้ว")
    _no_sideways_scroll(page)

    assert errors == [], errors
