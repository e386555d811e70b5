"""Journeys in a real browser (Debian's chromium through Playwright) against the gunicorn server.

Each test signs in as a different demo staff account, so the tests do not depend on each other's
order; the server's database is fresh for every test session, so every account starts without
two-step verification.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import struct
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import DEMO_PASSWORD

pytestmark = [pytest.mark.e2e]

MOBILE_WIDTH = 360


def totp(secret_b32: str, *, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """RFC 6238 (HMAC-SHA1), as an authenticator app computes it from the key shown on the page."""
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8), casefold=True)
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(code % 10**digits).zfill(digits)


def test_totp_matches_rfc_6238_vectors() -> None:
    # RFC 6238 appendix B, SHA1, secret "12345678901234567890", 8 digits.
    secret = base64.b32encode(b"12345678901234567890").decode()
    assert totp(secret, at=59, digits=8) == "94287082"
    assert totp(secret, at=1111111109, digits=8) == "07081804"
    assert totp(secret, at=20000000000, digits=8) == "65353130"


def _throttle_pause() -> None:
    """django-otp throttles a device for 1 s after one wrong code; a person types slower than that."""
    time.sleep(1.2)


def _sign_in(page: Page, username: str) -> None:
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("ชื่อผู้ใช้", exact=True).fill(username)
    page.get_by_label("รหัสผ่าน", exact=True).fill(DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="เข้าสู่ระบบ").click()


def _submit_code(page: Page, code: str) -> None:
    page.locator("#id_token").fill(code)
    page.locator("main form button[type=submit]").click()


def _enrol(page: Page) -> list[str]:
    """On the set-up page: read the key, answer with the current code, return the recovery codes."""
    expect(page).to_have_url(re.compile(r"/accounts/mfa/setup/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("ตั้งค่าการยืนยันตัวตนสองขั้นตอน")
    expect(page.locator(".qr svg")).to_be_visible()
    secret = page.get_by_test_id("totp-secret").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret), secret
    _submit_code(page, totp(secret))

    expect(page).to_have_url(re.compile(r"/accounts/mfa/recovery-codes/"))
    items = page.get_by_test_id("recovery-codes").locator("li")
    expect(items).to_have_count(10)
    codes = [text.strip() for text in items.all_inner_texts()]
    assert all(re.fullmatch(r"\d{10}", code) for code in codes), codes
    assert len(set(codes)) == 10
    page.get_by_role("link", name="บันทึกไว้แล้ว — ดำเนินการต่อ").click()
    return codes


def _expect_dashboard_th(page: Page) -> None:
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("งานของฉัน")


def _sign_out(page: Page, button: str) -> None:
    page.locator(".userbox .dropdown-toggle").click()  # sign-out sits in the user menu
    page.get_by_role("button", name=button).click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))


def test_login_with_mfa_dashboard_language_logout(page: Page, tmp_path: Path) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(page.locator("html")).to_have_attribute("lang", "th")
    expect(page.get_by_role("heading", level=1)).to_have_text("เข้าสู่ระบบ")

    _sign_in(page, "demo_executive")
    _enrol(page)
    _expect_dashboard_th(page)
    expect(page.get_by_role("heading", name="ในพื้นที่ของคุณ")).to_be_visible()  # the executive workspace
    page.screenshot(path=str(tmp_path / "dashboard-th.png"), full_page=True)

    # A phone: the dashboard fits 360 px without sideways scrolling.
    page.set_viewport_size({"width": MOBILE_WIDTH, "height": 780})
    page.reload()
    _expect_dashboard_th(page)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= MOBILE_WIDTH, f"dashboard is {scroll_width}px wide at {MOBILE_WIDTH}px"
    page.screenshot(path=str(tmp_path / "dashboard-th-360.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})

    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    expect(page.get_by_role("button", name="ภาษาไทย")).to_be_visible()
    page.screenshot(path=str(tmp_path / "dashboard-en.png"), full_page=True)

    _sign_out(page, "Sign out")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_role("status")).to_contain_text("You have signed out.")
    # The session is gone: the dashboard asks for a sign-in again.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))


def test_second_sign_in_asks_for_code_and_recovery_code_works_once(page: Page) -> None:
    page.goto("/accounts/login/")
    _sign_in(page, "demo_auditor")
    codes = _enrol(page)
    _expect_dashboard_th(page)
    _sign_out(page, "ออกจากระบบ")

    # Enrolled now: the password alone leads to the challenge, not to the dashboard.
    _sign_in(page, "demo_auditor")
    expect(page).to_have_url(re.compile(r"/accounts/mfa/verify/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("การยืนยันตัวตนสองขั้นตอน")
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/mfa/verify/\?next=(/|%2F)$"))

    _submit_code(page, "12345")  # never a valid TOTP (6 digits) nor a recovery code (10 digits)
    expect(page).to_have_url(re.compile(r"/accounts/mfa/verify/"))
    expect(page.locator(".errorlist")).to_contain_text("รหัสไม่ถูกต้อง")

    _throttle_pause()
    _submit_code(page, codes[0])
    _expect_dashboard_th(page)
    _sign_out(page, "ออกจากระบบ")

    # The same recovery code is spent; another one still works.
    _sign_in(page, "demo_auditor")
    expect(page).to_have_url(re.compile(r"/accounts/mfa/verify/"))
    _submit_code(page, codes[0])
    expect(page.locator(".errorlist")).to_contain_text("รหัสไม่ถูกต้อง")
    _throttle_pause()
    _submit_code(page, codes[1])
    _expect_dashboard_th(page)


def test_deep_link_survives_sign_in_with_mfa(page: Page) -> None:
    target = "/communities/organizations/?province=40&type=community_org"
    page.goto(target)
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    _sign_in(page, "demo_officer")
    _enrol(page)
    page.wait_for_url(re.compile(r"/communities/organizations/"))
    landed = urlsplit(page.url)
    assert f"{landed.path}?{landed.query}" == target
