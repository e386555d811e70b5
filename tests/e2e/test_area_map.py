"""The subdistrict map in a real browser: click a polygon, land on its area page.

Signs in as ``demo_leader`` (a community leader: no second factor), limits the
choropleth to one province so the page stays light, and clicks a point that lies
inside the polygon of ตำบลท่าพระ (400104) — found in the browser from the SVG path
itself, so the click cannot land on a neighbour. Screenshots go to
``var/test-artifacts/`` (ignored by git); their paths are printed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import DEMO_PASSWORD

pytestmark = [pytest.mark.e2e]

ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts"
MOBILE_WIDTH = 360
TARGET = "400104"  # ท่าพระ, อำเภอเมืองขอนแก่น

# A point inside the path, in page (CSS pixel) coordinates, where the path itself is the topmost element.
_POINT_INSIDE = """
(path) => {
  const box = path.getBBox();
  const matrix = path.getScreenCTM();
  const svgPoint = path.ownerSVGElement.createSVGPoint();
  for (let i = 1; i < 24; i++) {
    for (let j = 1; j < 24; j++) {
      svgPoint.x = box.x + (box.width * i) / 24;
      svgPoint.y = box.y + (box.height * j) / 24;
      if (!path.isPointInFill(svgPoint)) continue;
      const screen = svgPoint.matrixTransform(matrix);
      if (document.elementFromPoint(screen.x, screen.y) === path) return { x: screen.x, y: screen.y };
    }
  }
  return null;
}
"""


def _screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    return path


def _sign_in_as_leader(page: Page, next_url: str) -> None:
    page.goto(f"/accounts/login/?next={next_url}")
    page.get_by_label("ชื่อผู้ใช้", exact=True).fill("demo_leader")
    page.get_by_label("รหัสผ่าน", exact=True).fill(DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="เข้าสู่ระบบ").click()


def _page_width(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def test_click_a_subdistrict_on_the_map_opens_its_area_page(page: Page) -> None:
    _sign_in_as_leader(page, "/areas/map/%3Flevel%3Dsubdistrict%26province%3D40")
    expect(page).to_have_url(re.compile(r"/areas/map/\?level=subdistrict&province=40$"))
    expect(page.get_by_test_id("choropleth")).to_have_attribute("data-ready", "true")
    polygons = page.locator("#choropleth path[data-code]")
    expect(polygons).to_have_count(199)  # every subdistrict of Khon Kaen has a polygon

    target = page.locator(f'#choropleth path[data-code="{TARGET}"]')
    target.scroll_into_view_if_needed()  # elementFromPoint sees only the viewport
    point = target.evaluate(_POINT_INSIDE)
    assert point is not None, "no clickable point inside the polygon"
    page.mouse.move(point["x"], point["y"])
    expect(page.locator(".leaflet-tooltip")).to_contain_text("ท่าพระ")
    _screenshot(page, "area-map-subdistricts-40.png")
    page.mouse.click(point["x"], point["y"])

    expect(page).to_have_url(re.compile(rf"/areas/{TARGET}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("ท่าพระ")
    breadcrumb = page.get_by_role("navigation", name=re.compile("Breadcrumb|เส้นทาง"))
    expect(breadcrumb.get_by_role("link", name="ขอนแก่น", exact=True)).to_be_visible()
    expect(page.locator("#area-map path.leaflet-interactive, #area-map path")).not_to_have_count(0)
    _screenshot(page, f"area-page-{TARGET}.png")

    # A community leader's phone: no sideways scrolling on the area page or the map.
    page.set_viewport_size({"width": MOBILE_WIDTH, "height": 780})
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("ท่าพระ")
    assert _page_width(page) <= MOBILE_WIDTH, f"area page is {_page_width(page)}px wide"
    _screenshot(page, f"area-page-{TARGET}-360.png")
    page.goto("/areas/map/?level=district&province=40")
    expect(page.get_by_test_id("choropleth")).to_have_attribute("data-ready", "true")
    assert _page_width(page) <= MOBILE_WIDTH, f"map page is {_page_width(page)}px wide"


def test_a_subdistrict_without_boundary_says_so(page: Page) -> None:
    _sign_in_as_leader(page, "/areas/104702/")
    expect(page.get_by_role("heading", level=1)).to_have_text("บางนาเหนือ")
    expect(page.get_by_test_id("no-boundary")).to_be_visible()
    expect(page.locator("#area-map")).to_have_count(0)
