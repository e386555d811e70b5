"""The Content-Security-Policy in a real browser: the pages that run the most script work under it.

Chromium reports every blocked script, style, image, font or connection as a
``securitypolicyviolation`` event; the test listens on every page (from before the first
script runs) and fails on any, and on any uncaught script error. Pages: sign-in, the public
feedback form with its map picker, the API docs (Swagger UI), and for a community leader the
province map, an area page with its boundary map and the home page.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import DEMO_PASSWORD, browser, chromium_path, e2e_server, page  # noqa: F401

pytestmark = [pytest.mark.e2e]

_LISTEN = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber);
});
"""


def _visit(page: Page, url: str, errors: list[str]) -> list[str]:  # noqa: F811
    page.goto(url)
    page.wait_for_load_state("networkidle")
    found = page.evaluate("window.__csp || []")
    return [f"{url}: {v}" for v in found] + [f"{url}: {e}" for e in errors]


def test_pages_with_maps_charts_and_api_docs_run_under_the_policy(page: Page) -> None:  # noqa: F811
    page.add_init_script(_LISTEN)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"script error: {exc}"))
    problems: list[str] = []
    for url in ("/accounts/login/", "/feedback/report/", "/api/docs"):
        problems += _visit(page, url, errors)
        errors.clear()
    expect(page.locator("#swagger-ui .information-container")).to_be_visible()  # Swagger UI ran

    page.goto("/accounts/login/")
    page.locator("main input[name=username]").fill("demo_leader")
    page.locator("main input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit], main form button:not([type])").first.click()
    page.wait_for_url("**/")
    for url in ("/", "/areas/map/?level=district&province=40", "/areas/400104/"):
        problems += _visit(page, url, errors)
        errors.clear()
    expect(page.locator("#area-map path").first).to_be_attached()  # Leaflet drew the boundary
    assert problems == []

    # The control: an inline script injected into the page is blocked and reported.
    page.evaluate(
        "var s = document.createElement('script'); s.textContent = 'window.__ran = 1'; document.body.appendChild(s)"
    )
    page.wait_for_function("window.__csp.length > 0")
    assert page.evaluate("window.__ran") is None
    assert page.evaluate("window.__csp")[0].startswith("script-src")
