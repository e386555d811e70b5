"""Every demo role's main pages in a real browser, at a desk (1366 px) and on a phone (390 px).

For each demo account the test opens its home page and every entry of its menu, and fails on a
page that scrolls sideways on the phone, a console error or uncaught script error, a request that
failed or answered 4xx/5xx, or a page that answers with an error. A screenshot of every page at
both widths is kept under ``var/screens`` (or ``$CODI_TEST_ARTIFACTS/screens``) to be looked at.

The browser signs in with a session made on the server's database (as ``signed_in_client`` does
for the test client): enrolling every account's second factor through the pages is covered by
``test_journey`` and would take most of the time here. The device made for that session is
deleted afterwards, so the other browser tests still find the demo accounts unenrolled.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, Response

from tests.e2e.conftest import Server

pytestmark = [pytest.mark.e2e]

ARTIFACTS = Path(os.environ.get("CODI_TEST_ARTIFACTS", "var")) / "screens"
DESK = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
DEVICE_NAME = "e2e-screens"
MAX_PAGES_PER_ROLE = 6

# Runs inside `manage.py shell` on the server's database: a signed-in session per demo account
# (past the second factor for staff), and the menu that account sees.
SESSIONS = """
import json
from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from codi.identity.models import User
from codi.identity.selectors import user_needs_mfa
from codi.web.context import nav_tree
from codi.web.demo import ACCOUNTS
from django.utils import translation

out = {}
translation.activate("th")
for account in ACCOUNTS:
    user = User.objects.get(username=account.username)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if user_needs_mfa(user):
        device, _ = TOTPDevice.objects.get_or_create(user=user, name=__DEVICE__, defaults={"confirmed": True})
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    urls = []
    for item in nav_tree(user):
        urls += [child.url for child in item.children] if item.children else [item.url]
    out[account.username] = {
        "cookie": settings.SESSION_COOKIE_NAME,
        "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "urls": [u for u in urls if not u.startswith("/api/")],
    }
print("SESSIONS" + json.dumps(out))
"""
CLEANUP = """
from django_otp.plugins.otp_totp.models import TOTPDevice
from django.contrib.sessions.models import Session
TOTPDevice.objects.filter(name=__DEVICE__).delete()
Session.objects.filter(session_key__in=__KEYS__).delete()
"""


@pytest.fixture(scope="module")
def sessions(e2e_server: Server) -> Iterator[dict[str, dict[str, object]]]:
    # A few demo projects, so that lists, the dashboard and the project page have rows to lay out.
    e2e_server.manage("load_projects_demo", "--count", "24", "--verbosity", "0")
    out = e2e_server.manage("shell", "-c", SESSIONS.replace("__DEVICE__", repr(DEVICE_NAME)))
    found = json.loads(out.split("SESSIONS", 1)[1])
    try:
        yield found
    finally:
        keys = [str(entry["session"]) for entry in found.values()]
        e2e_server.manage(
            "shell", "-c", CLEANUP.replace("__DEVICE__", repr(DEVICE_NAME)).replace("__KEYS__", repr(keys))
        )


def _slug(url: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-") or "home"


class _Watch:
    """What went wrong in the browser while one page loaded."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.problems: list[str] = []
        self.base_url = base_url
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text}")

    def _failed(self, request: Request) -> None:
        if request.failure == "net::ERR_ABORTED":  # cut short by the next navigation, not refused
            return
        self.problems.append(f"request failed: {request.method} {request.url} ({request.failure})")

    def _response(self, response: Response) -> None:
        if response.status >= 400:
            self.problems.append(f"{response.status} for {response.request.method} {response.url}")

    def take(self) -> list[str]:
        problems, self.problems = self.problems, []
        return problems


def _pages(entry: dict[str, object]) -> list[str]:
    urls = ["/", *[str(u) for u in entry["urls"]]]  # type: ignore[attr-defined]
    return list(dict.fromkeys(urls))[:MAX_PAGES_PER_ROLE]


def test_every_role_main_pages_at_desk_and_phone(
    browser: Browser, e2e_server: Server, sessions: dict[str, dict[str, object]]
) -> None:
    started = time.monotonic()
    problems: list[str] = []
    covered: list[str] = []
    for username, entry in sessions.items():
        shots = ARTIFACTS / username
        shots.mkdir(parents=True, exist_ok=True)
        context = browser.new_context(
            base_url=e2e_server.base_url, locale="th-TH", timezone_id="Asia/Bangkok", viewport=DESK
        )
        context.set_default_timeout(15_000)
        context.add_cookies(
            [{"name": str(entry["cookie"]), "value": str(entry["session"]), "url": e2e_server.base_url}]
        )
        page = context.new_page()
        watch = _Watch(page, e2e_server.base_url)
        try:
            for url in _pages(entry):
                for label, viewport in (("1366", DESK), ("390", PHONE)):
                    page.set_viewport_size(viewport)
                    response = page.goto(url, wait_until="load")
                    where = f"{username} {url} at {label} px"
                    if response is None or response.status != 200:
                        problems.append(f"{where}: answered {response.status if response else 'nothing'}")
                    if "/accounts/login/" in page.url or "/accounts/mfa/" in page.url:
                        problems.append(f"{where}: sent to {page.url}")
                    page.screenshot(path=str(shots / f"{_slug(url)}-{label}.png"), full_page=url == "/")
                    if viewport is PHONE:
                        width = page.evaluate("document.documentElement.scrollWidth")
                        if width > PHONE["width"]:
                            problems.append(f"{where}: scrolls sideways ({width} px wide)")
                    problems += [f"{where}: {p}" for p in watch.take()]
                covered.append(f"{username} {url}")
        finally:
            context.close()
    elapsed = time.monotonic() - started
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "covered.txt").write_text(
        "\n".join([*covered, f"{len(covered)} pages in {elapsed:.1f} s"]) + "\n"
    )
    assert len({c.split()[0] for c in covered}) == len(sessions)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def _context_page(
    browser: Browser, e2e_server: Server, entry: dict[str, object], viewport: dict[str, int]
) -> Page:
    context = browser.new_context(
        base_url=e2e_server.base_url, locale="th-TH", timezone_id="Asia/Bangkok", viewport=viewport
    )
    context.set_default_timeout(15_000)
    context.add_cookies(
        [{"name": str(entry["cookie"]), "value": str(entry["session"]), "url": e2e_server.base_url}]
    )
    return context.new_page()


def test_diagram_scrolls_and_zooms_in_its_box_on_a_phone(
    browser: Browser, e2e_server: Server, sessions: dict[str, dict[str, object]]
) -> None:
    page = _context_page(browser, e2e_server, sessions["demo_officer"], PHONE)
    try:
        page.goto("/projects/?sort=-code")
        page.locator("#project-list tbody a").first.click()
        page.wait_for_selector("#diagram[data-ready='1']")
        box = page.locator(".diagram-scroll")
        # The drawing is wider than the phone and scrolls inside its box, not the page.
        assert box.evaluate("b => b.scrollWidth > b.clientWidth")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        # Labels use the bundled Sarabun.
        family = page.locator("#diagram svg text").first.evaluate("t => getComputedStyle(t).fontFamily")
        assert family.startswith("Sarabun"), family
        before = float(page.locator("#diagram").get_attribute("data-scale") or 0)
        page.get_by_role("button", name="ขยาย").click()
        after = float(page.locator("#diagram").get_attribute("data-scale") or 0)
        assert after > before
        current = page.locator("#current-step").inner_text().strip()
        if current != "—":  # a project still under way: its step is lit and named beside the drawing
            assert page.locator("#diagram .current").count() >= 1
            page.get_by_role("button", name="ไปที่ขั้นตอนปัจจุบัน").click()
        page.screenshot(path=str(ARTIFACTS / "project-diagram-390.png"), full_page=True)
    finally:
        page.context.close()


def test_thai_date_input_and_area_picker(
    browser: Browser, e2e_server: Server, sessions: dict[str, dict[str, object]]
) -> None:
    page = _context_page(browser, e2e_server, sessions["demo_officer"], DESK)
    try:
        # The project filters: names cascade from the province, within the officer's province.
        page.goto("/projects/")
        assert page.locator("#f-p option").all_inner_texts() == ["ทั้งหมด", "ขอนแก่น"]
        page.select_option("#f-p", "40")
        page.locator("#f-d option").nth(10).wait_for(state="attached")  # no eval: the CSP forbids it
        assert "เมืองขอนแก่น" in page.locator("#f-d option").all_inner_texts()
        page.select_option("#f-d", label="เมืองขอนแก่น")
        page.locator("#f-sd option").nth(5).wait_for(state="attached")
        page.select_option("#f-sd", label="ท่าพระ")
        page.locator("form.filters button").click()
        page.wait_for_url("**subdistrict=400104**")
        # Sorting by keyboard: the header is a link.
        page.get_by_role("link", name=re.compile("^ชื่อโครงการ")).focus()
        page.keyboard.press("Enter")
        page.wait_for_url("**sort=title**")
        assert page.locator("th[aria-sort='ascending']").count() == 1

        # A date field reads and takes the Buddhist Era and sends ISO.
        page.goto("/projects/new/")
        shown = page.locator("#id_start_date")
        assert shown.get_attribute("type") == "text"
        shown.fill("25/11/2569")
        shown.blur()
        assert page.locator("input[name='start_date']").input_value() == "2026-11-25"
        shown.fill("31/02/2569")
        assert page.locator("input[name='start_date']").input_value() == ""
        assert shown.evaluate("e => e.validationMessage") != ""
        # The proposal's area: selects by name fill the subdistrict code.
        page.select_option("#id_subdistrict_code-province", "40")
        page.locator("#id_subdistrict_code-district option").nth(10).wait_for(state="attached")
        page.select_option("#id_subdistrict_code-district", "4001")
        page.locator("#id_subdistrict_code-subdistrict option").nth(5).wait_for(state="attached")
        page.select_option("#id_subdistrict_code-subdistrict", "400104")
        assert page.locator("input[name='subdistrict_code']").input_value() == "400104"
        page.screenshot(path=str(ARTIFACTS / "proposal-form-1366.png"), full_page=True)
    finally:
        page.context.close()
