"""The public website in Chromium: axe-core (bundled with axe-playwright-python, injected from the
test, nothing fetched) over its main pages, keyboard-only use, a phone's width, and the editor
journey through Wagtail's moderation: an editor writes Thai news and submits it, a moderator
approves it, and it is public, in the sitemap and in the RSS feed.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Server

pytestmark = [pytest.mark.e2e]

PAGES = {
    "home": "/",
    "article": "/news/news-demo-1/",
    "sub-site home": "/regional-offices/region-north/",
    "open information": "/open-information/",
    "contact form": "/contact/",
    "official information act": "/open-information/official-information-act/",
    "feedback block": "/events/",
}
SESSIONS = """
import json
from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from codi.identity.models import RoleAssignment, User

out = {}
for username, role in (("e2e_web_editor", "knowledge_officer"), ("e2e_web_moderator", "executive")):
    user, _ = User.objects.get_or_create(username=username, defaults={"name_th": username})
    RoleAssignment.objects.get_or_create(user=user, role=role, scope_level="country", scope_code="")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")  # signs in: CMS groups synced
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="e2e-web", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    out[username] = {"cookie": settings.SESSION_COOKIE_NAME, "session": client.cookies[settings.SESSION_COOKIE_NAME].value}
print("SESSIONS" + json.dumps(out))
"""


@pytest.fixture(scope="module")
def website(e2e_server: Server) -> Server:
    e2e_server.manage("load_website_demo")
    return e2e_server


@pytest.fixture(scope="module")
def sessions(website: Server) -> dict[str, dict[str, str]]:
    out = website.manage("shell", "-c", SESSIONS)
    return json.loads(out.split("SESSIONS", 1)[1])  # type: ignore[no-any-return]


def _shell(server: Server, code: str) -> str:
    """What ``code`` prints, run by ``manage.py shell``: its last line (Django 5.2's shell first prints
    how many objects it imported automatically, which made the page id here unusable in stop 31)."""
    return server.manage("shell", "--no-imports", "-c", code).strip().splitlines()[-1]


def _signed_in(browser: Browser, server: Server, entry: dict[str, str]) -> Page:
    context = browser.new_context(base_url=server.base_url, locale="th-TH", timezone_id="Asia/Bangkok")
    context.set_default_timeout(20_000)
    context.add_cookies([{"name": entry["cookie"], "value": entry["session"], "url": server.base_url}])
    return context.new_page()


@pytest.fixture
def visitor(browser: Browser, website: Server) -> Iterator[Page]:
    context = browser.new_context(base_url=website.base_url, locale="th-TH", timezone_id="Asia/Bangkok")
    context.set_default_timeout(15_000)
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(website.base_url) else None)
    try:
        yield page
        assert not outside, f"requests to other sites: {outside}"
    finally:
        context.close()


def test_axe_finds_no_serious_or_critical_violation(visitor: Page) -> None:
    axe = Axe()
    problems = []
    for name, path in PAGES.items():
        response = visitor.goto(path)
        assert response is not None and response.status == 200, f"{name}: {path}"
        results = axe.run(visitor)
        for violation in results.response["violations"]:
            if violation["impact"] in {"serious", "critical"}:
                nodes = [n["target"] for n in violation["nodes"][:3]]
                problems.append(f"{name} {path}: {violation['id']} ({violation['impact']}) {nodes}")
    assert not problems, "\n".join(problems)


def test_keyboard_only_reaches_the_content_menu_and_sends_the_contact_form(visitor: Page) -> None:
    visitor.goto("/")
    visitor.keyboard.press("Tab")
    skip = visitor.get_by_role("link", name="ข้ามไปยังเนื้อหา")
    expect(skip).to_be_focused()
    visitor.keyboard.press("Enter")
    expect(visitor).to_have_url(re.compile(r"#content$"))
    # Every menu link and the staff sign-in link are reachable with Tab, with a visible focus ring.
    visitor.goto("/")
    reached = []
    for _ in range(20):
        visitor.keyboard.press("Tab")
        reached.append(visitor.evaluate("document.activeElement.textContent.trim()"))
    assert "ติดต่อเรา" in reached and "เข้าสู่ระบบเจ้าหน้าที่" in reached
    outline = visitor.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    # The contact form, by keyboard only.
    visitor.goto("/contact/")
    visitor.get_by_label("รายละเอียด").focus()
    visitor.keyboard.type("สอบถามขั้นตอนการขอรับการสนับสนุนโครงการบ้านมั่นคง")
    visitor.keyboard.press("Tab")
    for _ in range(3):  # name, e-mail, phone: optional
        visitor.keyboard.press("Tab")
    expect(visitor.locator("#id_consent")).to_be_focused()
    visitor.keyboard.press("Space")
    visitor.keyboard.press("Tab")
    expect(visitor.get_by_role("button", name="ส่งเรื่อง")).to_be_focused()
    visitor.keyboard.press("Enter")
    expect(visitor.get_by_role("status")).to_contain_text("ได้รับเรื่องของท่านแล้ว")


def test_the_home_page_fits_360_px(visitor: Page) -> None:
    visitor.set_viewport_size({"width": 360, "height": 780})
    for path in PAGES.values():
        visitor.goto(path)
        width = visitor.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width}px wide at 360px"


def test_editor_writes_thai_news_moderator_publishes_it(
    browser: Browser, website: Server, sessions: dict[str, dict[str, str]], visitor: Page
) -> None:
    title = "ข่าวทดสอบ: ชุมชนริมคลองเปิดศูนย์เรียนรู้"
    parent = _shell(
        website,
        "from codi.website.models import SectionPage; "
        "print(SectionPage.objects.get(slug='news', locale__language_code='th').pk)",
    )
    editor = _signed_in(browser, website, sessions["e2e_web_editor"])
    editor.goto(f"/cms/pages/add/website/articlepage/{parent}/")
    editor.locator("#id_title").fill(title)
    editor.locator("#id_summary").fill("ศูนย์เรียนรู้ชุมชนเปิดให้ประชาชนเข้าชมทุกวัน")
    editor.locator("#id_slug").evaluate(
        "el => { el.value = 'e2e-community-learning-centre'; }"
    )  # Promote tab
    # "Submit to Moderators approval" sits in the footer's action menu: press it as the menu would.
    editor.locator("button[name='action-submit']").first.evaluate("b => b.click()")
    expect(editor.locator(".messages, [role='status']").first).to_contain_text(title)
    page_id = _shell(
        website,
        f"from codi.website.models import ArticlePage; print(ArticlePage.objects.get(title={title!r}).pk)",
    )
    assert visitor.goto("/news/").ok
    expect(visitor.get_by_text(title)).to_have_count(0)  # not public before review

    moderator = _signed_in(browser, website, sessions["e2e_web_moderator"])
    moderator.goto(f"/cms/pages/{page_id}/edit/")
    # Wagtail 8 marks the workflow's actions with data attributes; "approve" without a comment
    # has no modal URL (the one with it asks for a comment first).
    approve = "button[data-workflow-action-name='approve']:not([data-workflow-action-modal-url])"
    moderator.locator(approve).first.evaluate("b => b.click()")
    expect(moderator.locator(".messages, [role='status']").first).to_contain_text(title)

    # The test server has no CACHE_URL: each gunicorn worker keeps its own copy of the publishing
    # generation for up to pagecache.GENERATION_SECONDS (5 s), so the worker that did not handle the
    # approval may serve the listing it cached just before it until then (the documented bound).
    deadline = time.monotonic() + 10
    visitor.goto("/news/")
    while not visitor.get_by_role("link", name=title).count() and time.monotonic() < deadline:
        visitor.wait_for_timeout(1000)
        visitor.goto("/news/")
    visitor.get_by_role("link", name=title).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(title)
    article_url = visitor.url
    assert article_url.split("/", 3)[3] in visitor.request.get("/sitemap.xml").text()
    assert title in visitor.request.get("/feeds/news.rss").text()
    audit = _shell(
        website,
        "from codi.core.models import AuditEntry; "
        f"print(list(AuditEntry.objects.filter(object_id='{page_id}', action__startswith='website.page_')"
        ".order_by('id').values_list('action', flat=True)))",
    )
    assert "website.page_submitted" in audit and "website.page_published" in audit
