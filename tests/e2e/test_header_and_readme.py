"""The top bar on one line at a desk and usable on a phone, and the README's "What to try" in Chromium.

The README table is walked row by row in a real browser (Debian's chromium, as in ``test_screens``)
on the data the real demo loaders make: signed in as the row's account, the page must answer 200,
show every word the README promises in «…», raise no script or console error, and not scroll
sideways on a phone. Screenshots of each row and of the top bar of every role are kept under
``var/screens/readme`` and ``var/screens/header`` to be looked at.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.crawl.test_readme_walkthrough import walkthrough_rows
from tests.e2e.conftest import Server
from tests.e2e.test_screens import ARTIFACTS, CLEANUP, DESK, PHONE, SESSIONS, _slug, _Watch

pytestmark = [pytest.mark.e2e]

LOADERS = [
    ("load_feedback_demo", "--count", "20"),
    ("load_finance_demo",),
    ("load_procurement_demo",),
    ("load_people_demo",),
    ("load_lending_demo",),
    ("load_knowledge_demo",),
]
MAX_TOP_ENTRIES = 7
DEVICE_NAME = "e2e-readme"


@pytest.fixture(scope="module")
def demo_sessions(e2e_server: Server) -> Iterator[dict[str, dict[str, object]]]:
    """A signed-in session per demo account (as ``test_screens`` makes them), on every demo loader's data."""
    e2e_server.manage("load_projects_demo", "--count", "40", "--verbosity", "0", timeout=300)
    for args in LOADERS:
        e2e_server.manage(*args, "--verbosity", "0", timeout=300)
    out = e2e_server.manage("shell", "-c", SESSIONS.replace("__DEVICE__", repr(DEVICE_NAME)))
    found = json.loads(out.split("SESSIONS", 1)[1])
    try:
        yield found
    finally:
        keys = [str(entry["session"]) for entry in found.values()]
        e2e_server.manage(
            "shell", "-c", CLEANUP.replace("__DEVICE__", repr(DEVICE_NAME)).replace("__KEYS__", repr(keys))
        )


def _page(browser: Browser, server: Server, entry: dict[str, object], viewport: dict[str, int]) -> Page:
    context = browser.new_context(
        base_url=server.base_url, locale="en-US", timezone_id="Asia/Bangkok", viewport=viewport
    )
    context.set_default_timeout(20_000)
    context.add_cookies(
        [{"name": str(entry["cookie"]), "value": str(entry["session"]), "url": server.base_url}]
    )
    return context.new_page()


def test_the_top_bar_fits_one_line_at_1366_and_folds_at_390(
    browser: Browser, e2e_server: Server, demo_sessions: dict[str, dict[str, object]]
) -> None:
    shots = ARTIFACTS / "header"
    shots.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    for username, entry in demo_sessions.items():
        page = _page(browser, e2e_server, entry, DESK)
        try:
            page.goto("/")
            tops = page.locator("header.top .navbar-nav > .nav-item").evaluate_all(
                "items => items.map(i => Math.round(i.getBoundingClientRect().top))"
            )
            height = page.locator("header.top").evaluate("h => h.getBoundingClientRect().height")
            if len(tops) > MAX_TOP_ENTRIES:
                problems.append(f"{username}: {len(tops)} top entries")
            if len(set(tops)) > 1 or height > 72:
                problems.append(
                    f"{username} at 1366 px: the top bar wraps ({height:.0f} px high, rows {sorted(set(tops))})"
                )
            right = page.locator("header.top .userbox form.lang button").evaluate(
                "b => b.getBoundingClientRect().right"
            )
            if right > DESK["width"] or page.evaluate("document.documentElement.scrollWidth") > DESK["width"]:
                problems.append(f"{username} at 1366 px: the top bar runs past the window ({right:.0f} px)")
            page.locator("header.top").screenshot(path=str(shots / f"{username}-1366.png"))
            page.set_viewport_size(PHONE)
            page.goto("/")
            if page.evaluate("document.documentElement.scrollWidth") > PHONE["width"]:
                problems.append(f"{username} at 390 px: the page scrolls sideways")
            toggler = page.locator("header.top .navbar-toggler")
            if not toggler.is_visible():
                problems.append(f"{username} at 390 px: no menu button")
            else:
                toggler.click()
                page.locator("#main-menu.show").wait_for()
                page.wait_for_timeout(400)  # the collapse animation
                page.screenshot(path=str(shots / f"{username}-390-menu.png"))
        finally:
            page.context.close()
    assert not problems, "\n".join(problems)


def test_every_readme_row_in_chromium(
    browser: Browser, e2e_server: Server, demo_sessions: dict[str, dict[str, object]]
) -> None:
    shots = ARTIFACTS / "readme"
    shots.mkdir(parents=True, exist_ok=True)
    rows = walkthrough_rows()
    assert len(rows) >= 18
    problems: list[str] = []
    for who, path, words in rows:
        for label, viewport in (("1366", DESK), ("390", PHONE)):
            page = _page(browser, e2e_server, demo_sessions[who], viewport)
            watch = _Watch(page, e2e_server.base_url)
            where = f"{who} {path} at {label} px"
            try:
                response = page.goto(path, wait_until="load")
                if response is None or response.status != 200:
                    problems.append(f"{where}: answered {response.status if response else 'nothing'}")
                    continue
                # what is shown, and the names of what is drawn (a chart's title is its label)
                labels = page.locator("[role=img][aria-label]").evaluate_all(
                    "els => els.map(e => e.getAttribute('aria-label'))"
                )
                text = " ".join(" ".join([page.locator("body").inner_text(), *labels]).split())
                problems += [f"{where}: «{w}» not shown" for w in words if " ".join(w.split()) not in text]
                if (
                    viewport is PHONE
                    and page.evaluate("document.documentElement.scrollWidth") > PHONE["width"]
                ):
                    problems.append(f"{where}: scrolls sideways")
                problems += [f"{where}: {p}" for p in watch.take()]
                page.screenshot(path=str(shots / f"{who}-{_slug(path)}-{label}.png"))
            finally:
                page.context.close()
    (ARTIFACTS / "readme" / "rows.txt").write_text(
        "\n".join(f"{who} {path}: {' · '.join(words)}" for who, path, words in rows) + "\n"
    )
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_diagram_labels_are_thai_only(
    browser: Browser, e2e_server: Server, demo_sessions: dict[str, dict[str, object]]
) -> None:
    page = _page(browser, e2e_server, demo_sessions["demo_officer"], DESK)
    try:
        page.goto("/projects/?sort=-code")
        page.locator("#project-list tbody a").first.click()
        page.wait_for_selector("#diagram[data-ready='1']")
        labels = [t.strip() for t in page.locator("#diagram svg text").all_text_contents() if t.strip()]
        assert labels and any(re.search(r"[\u0E00-\u0E7F]", t) for t in labels)
        english = [t for t in labels if re.search(r"\([A-Za-z]|^[A-Za-z ]+\)$", t)]
        assert not english, english
        page.screenshot(path=str(ARTIFACTS / "project-diagram-1366.png"), full_page=True)
    finally:
        page.context.close()
