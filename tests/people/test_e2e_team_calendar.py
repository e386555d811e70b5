"""The team leave calendar in a real browser (Debian chromium) at 360 px, by keyboard.

A colleague without an account is on sick leave in the regional office (HR asked for it on their
behalf). The unit head (``demo_director``) sees the name, the kind of leave and the reason; another
staff member of the unit (``demo_officer``) sees only that the colleague is away. Both reach the
month and the entry with the keyboard alone, and the page does not scroll sideways at 360 px.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import (  # noqa: F401 — the e2e session's server and browser fixtures, shared
    Server,
    browser,
    chromium_path,
    e2e_server,
)
from tests.people.test_e2e_people_journey import _sign_in

pytestmark = [pytest.mark.e2e]

AWAY = "ผู้ลาปฏิทิน"
REASON = "ไข้หวัดใหญ่"
# March 2027 (B.E. 2570): the leave is on Wednesday 10 and Thursday 11; the page opens on February
SETUP = f"""
from datetime import date
from codi.identity.models import OrgUnit, User
from codi.people import leave, services
from codi.people.models import Employee, LeaveType
unit = OrgUnit.objects.get(code="REG-NE")
def nid(n):
    body = f"18{{n:010d}}"
    return body + str((11 - sum(int(d) * (13 - i) for i, d in enumerate(body)) % 11) % 10)
def ensure(no, first, user=None, head=False):
    found = Employee.objects.filter(user=user).first() if user else Employee.objects.filter(employee_no=no).first()
    return found or services.employee_create(actor=None, employee_no=no, first_name_th=first, last_name_th="(ทดสอบ)",
        position="นักพัฒนาชุมชน", org_unit=unit, salary="30000", start_date=date(2020, 1, 1), national_id=nid(int(no[3:])),
        bank_code="006", bank_account=f"88800000{{int(no[3:]):02d}}", user=user, is_unit_head=head)
director = ensure("CAL1", "demo_director", User.objects.get(username="demo_director"), head=True)
if not director.is_unit_head:
    Employee.objects.filter(pk=director.pk).update(is_unit_head=True)
ensure("CAL2", "demo_officer", User.objects.get(username="demo_officer"))
away = ensure("CAL3", "{AWAY}")
if not away.leave_requests.exists():
    leave.leave_request_create(actor=User.objects.get(username="demo_hr"), employee=away,
        leave_type=LeaveType.objects.get(code="sick"), start_date=date(2027, 3, 10), end_date=date(2027, 3, 11),
        reason="{REASON}")
print("CALENDAR READY")
"""


@pytest.fixture
def pages(browser: Browser, e2e_server: Server) -> Iterator[dict[str, Page]]:  # noqa: F811
    assert "CALENDAR READY" in e2e_server.manage("shell", "-c", SETUP)
    contexts, out = [], {}
    for role, username in (("head", "demo_director"), ("colleague", "demo_officer")):
        context = browser.new_context(
            base_url=e2e_server.base_url, locale="th-TH", timezone_id="Asia/Bangkok",
            viewport={"width": 360, "height": 740},
        )  # fmt: skip
        context.set_default_timeout(20_000)
        contexts.append(context)
        out[role] = context.new_page()
        _sign_in(out[role], username)
    try:
        yield out
    finally:
        for context in contexts:
            context.close()


def _march_by_keyboard(page: Page) -> None:
    page.goto("/people/team/?year=2027&month=2")
    expect(page.locator("h1")).to_contain_text("กุมภาพันธ์ 2570")
    link = page.locator("a[rel=next]")
    for _ in range(60):  # Tab until the "next month" link has the focus, then Enter
        page.keyboard.press("Tab")
        if link.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("the next-month link is not reachable by Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"year=2027&month=3"))
    expect(page.locator("h1")).to_contain_text("มีนาคม 2570")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling


def test_head_sees_the_kind_and_a_colleague_only_who_is_away(pages: dict[str, Page]) -> None:
    head, colleague = pages["head"], pages["colleague"]
    _march_by_keyboard(head)
    day = head.locator("#team-month li[data-day='10']")
    expect(day).to_contain_text(AWAY)
    expect(day).to_contain_text("ลาป่วย")
    expect(day).to_contain_text(REASON)
    expect(head.locator("#team-month li[data-day='11']")).to_contain_text(AWAY)
    expect(head.locator("#team-month li[data-day='12']")).not_to_contain_text(AWAY)
    # the head opens the request from the calendar with the keyboard
    entry = day.get_by_role("link", name=AWAY)
    entry.focus()
    head.keyboard.press("Enter")
    expect(head).to_have_url(re.compile(r"/people/leave/\d+/"))

    _march_by_keyboard(colleague)
    day = colleague.locator("#team-month li[data-day='10']")
    expect(day).to_contain_text(AWAY)
    expect(day).not_to_contain_text("ลาป่วย")
    expect(day).not_to_contain_text(REASON)
    expect(day.get_by_role("link", name=AWAY)).to_have_count(0)  # no way into the request either
    expect(colleague.locator("main")).to_contain_text("ประเภทการลาและเหตุผลแสดงเฉพาะผู้บังคับบัญชาและฝ่ายบุคคล")
