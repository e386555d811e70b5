"""The annual count on a phone: a 390-px browser opens the count's scanner, a QR label image
(generated here with segno, the encoder the label sheets use, holding the scan address the
labels print) is handed to the camera input, the page decodes it in the browser (jsQR) and
the officer records the asset found, with its condition and location. Another unit's label
is refused with the owner named and nothing recorded; a QR that is not a CODI label is not
taken. The page never scrolls sideways at 390 px."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import segno
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import DEMO_PASSWORD, Server
from tests.e2e.test_projects_journey import _enrol

pytestmark = [pytest.mark.e2e]

SETUP = """
import json
from datetime import date
from django.utils import timezone
from codi.finance import ledger
from codi.identity.models import OrgUnit
from codi.identity.services import role_assign, user_create
from codi.procurement import assets
from codi.procurement.models import AssetClass
assets.classes_ensure()
user = user_create(actor=None, username="e2e_scan_officer", password=PASSWORD, name_th="เจ้าหน้าที่ตรวจนับ")
role_assign(actor=None, user=user, role="procurement_officer", scope_level="country", scope_code="")
hq = OrgUnit.objects.get(code="HQ")
other, _ = OrgUnit.objects.get_or_create(code="E2E-SOUTH", defaults={"name_th": "สำนักงานภาคใต้ (ทดสอบ)"})
office = AssetClass.objects.get(code="OFFICE")
mine = assets.asset_register(actor=user, asset_class=office, description="ตู้เหล็กเก็บเอกสาร (ทดสอบสแกน)",
    unit=hq, cost="12500", acquired_on=date(2025, 3, 1), location="ชั้น 1")
theirs = assets.asset_register(actor=user, asset_class=office, description="โต๊ะทำงาน (ทดสอบสแกน)",
    unit=other, cost="11000", acquired_on=date(2025, 3, 1), location="สำนักงานภาค")
count = assets.count_start(actor=user, unit=hq, year_be=ledger.fiscal_year_of(timezone.localdate()))
print(json.dumps({"count": count.pk, "mine": mine.code, "theirs": theirs.code}))
"""

CHECK = """
import json
from codi.procurement.models import CountLine
print(json.dumps([[l.asset.code, l.condition, l.location, l.scanned_by.username]
                  for l in CountLine.objects.filter(count_id=COUNT).select_related("asset", "scanned_by")
                  if "ทดสอบสแกน" in l.asset.description]))
"""


@pytest.fixture
def phone(browser: Browser, e2e_server: Server) -> Iterator[Page]:
    context = browser.new_context(
        base_url=e2e_server.base_url, locale="th-TH", timezone_id="Asia/Bangkok",
        viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True, has_touch=True,
    )  # fmt: skip
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def _label(tmp_path: Path, name: str, text: str) -> Path:
    """A label image as a phone photographs it: the QR the label sheets carry (segno, error level M)."""
    path = tmp_path / f"{name}.png"
    segno.make(text, error="m").save(str(path), kind="png", scale=8, border=4)
    return path


def _no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page scrolls sideways at 390 px: {width}"


def test_a_phone_reads_a_qr_label_and_records_the_asset(
    phone: Page, e2e_server: Server, tmp_path: Path
) -> None:
    made = json.loads(
        e2e_server.manage("shell", "-c", SETUP.replace("PASSWORD", repr(DEMO_PASSWORD)))
        .strip()
        .splitlines()[-1]
    )
    phone.goto("/procurement/")
    expect(phone).to_have_url(re.compile(r"/accounts/login/"))
    phone.locator("#id_username").fill("e2e_scan_officer")
    phone.locator("#id_password").fill(DEMO_PASSWORD)
    phone.locator("main form button[type=submit]").click()
    _enrol(phone)

    phone.goto(f"/procurement/counts/{made['count']}/")
    phone.locator("#scan-link").click()
    expect(phone).to_have_url(re.compile(rf"/procurement/counts/{made['count']}/scan/$"))
    file_input = phone.locator("input#scan-file[type=file][capture=environment]")
    expect(file_input).to_have_attribute("accept", "image/*")
    _no_sideways_scroll(phone)

    # this unit's label: decoded in the browser, recorded as found, damaged, where it was found
    file_input.set_input_files(
        _label(tmp_path, "mine", f"{e2e_server.base_url}/procurement/scan/{made['mine']}/")
    )
    expect(phone.locator("#scan-code")).to_have_value(made["mine"])
    expect(phone.locator("#scan-status")).to_contain_text(made["mine"])
    phone.locator("#scan-condition").select_option("damaged")
    phone.locator("#scan-location").fill("ห้องเก็บของ ชั้น 3")
    phone.locator("#scan-record").click()
    expect(phone.locator("#scanned")).to_contain_text(made["mine"])
    _no_sideways_scroll(phone)

    # another unit's label is read but refused by the count, with the owner named
    file_input = phone.locator("#scan-file")
    file_input.set_input_files(
        _label(tmp_path, "theirs", f"{e2e_server.base_url}/procurement/scan/{made['theirs']}/")
    )
    expect(phone.locator("#scan-code")).to_have_value(made["theirs"])
    phone.locator("#scan-record").click()
    expect(phone.locator("main")).to_contain_text("สำนักงานภาคใต้ (ทดสอบ)")
    expect(phone.locator("#scanned")).not_to_contain_text(made["theirs"])

    # a QR code that is not one of our labels fills nothing in
    phone.locator("#scan-file").set_input_files(_label(tmp_path, "other", "https://example.com/menu?table=4"))
    expect(phone.locator("#scan-status")).to_contain_text("ไม่ใช่ป้ายครุภัณฑ์")
    expect(phone.locator("#scan-code")).to_have_value("")
    _no_sideways_scroll(phone)

    lines = json.loads(
        e2e_server.manage("shell", "-c", CHECK.replace("COUNT", str(made["count"]))).strip().splitlines()[-1]
    )
    assert lines == [[made["mine"], "damaged", "ห้องเก็บของ ชั้น 3", "e2e_scan_officer"]]
