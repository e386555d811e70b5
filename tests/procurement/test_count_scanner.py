"""The mobile count page (the phone scanner of an annual count): the label's address or code is
recorded in the count with condition and location; another unit's asset, an unknown code and a
closed count are refused with their reason and nothing is written; only procurement managers in
scope reach it. The browser side (decoding a QR photo at 390 px) is in
tests/e2e/test_procurement_scanner.py."""

from __future__ import annotations

from datetime import date

import pytest

from codi.identity.models import OrgUnit
from codi.procurement import assets
from codi.procurement.asset_views import label_code
from codi.procurement.models import AssetClass, Condition
from tests.permissions import signed_in_client


@pytest.fixture
def asset(people, unit):
    return assets.asset_register(
        actor=people["officer"], asset_class=AssetClass.objects.get(code="OFFICE"), description="ตู้เอกสาร",
        unit=unit, cost="12000", acquired_on=date(2026, 1, 5), location="ชั้น 1",
    )  # fmt: skip


@pytest.fixture
def count(people, unit):
    return assets.count_start(actor=people["officer"], unit=unit, year_be=2570)


def test_label_code_reads_the_scan_address_or_a_bare_code():
    assert (
        label_code("https://codi.example/procurement/scan/CODI-OFFICE-2569-00001/")
        == "CODI-OFFICE-2569-00001"
    )
    assert label_code("http://x/procurement/scan/CODI-A-1/?utm=1") == "CODI-A-1"
    assert label_code("  CODI-OFFICE-2569-00002 ") == "CODI-OFFICE-2569-00002"
    assert label_code("") == ""


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_scanner_refuses_wrong_role_and_out_of_scope_users(matrix, people, count, asset, method):
    url = f"/procurement/counts/{count.pk}/scan/"
    data = {"code": asset.code, "condition": "good"} if method == "post" else None
    matrix.check(
        lambda c: getattr(c, method)(url, data) if data else c.get(url),
        allowed=people["officer"], wrong_role=people["project_officer"], out_of_scope=people["south"],
        allowed_ok=lambda r: r.status_code in {200, 302},
    )  # fmt: skip
    # a viewer who may not manage does not record anything either
    assert count.lines.filter(scanned_by__in=[people["project_officer"], people["south"]]).count() == 0


def test_the_page_has_the_camera_input_and_may_use_the_camera(people, count):
    page = signed_in_client(people["officer"]).get(f"/procurement/counts/{count.pk}/scan/")
    body = page.content.decode()
    assert page.status_code == 200
    assert 'type="file" accept="image/*" capture="environment"' in body
    assert "procurement/vendor/jsqr/jsQR.js" in body and "procurement/count_scan.js" in body
    assert "camera=(self)" in page["Permissions-Policy"]
    detail = signed_in_client(people["officer"]).get(f"/procurement/counts/{count.pk}/")
    assert f"/procurement/counts/{count.pk}/scan/" in detail.content.decode()


def test_a_scanned_label_is_recorded_with_condition_and_location(people, count, asset):
    officer = signed_in_client(people["officer"])
    url = f"/procurement/counts/{count.pk}/scan/"
    response = officer.post(
        url, {"code": f"http://testserver/procurement/scan/{asset.code}/", "condition": Condition.DAMAGED,
              "location": "ห้องประชุม ชั้น 3"},
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"] == url
    line = count.lines.get()
    assert (line.asset_id, line.condition, line.location, line.scanned_by_id) == (
        asset.pk, Condition.DAMAGED, "ห้องประชุม ชั้น 3", people["officer"].pk,
    )  # fmt: skip
    page = officer.get(url)
    assert asset.code in page.content.decode()


def test_another_units_label_an_unknown_code_and_a_closed_count_are_refused(people, unit, count, asset):
    officer = signed_in_client(people["officer"])
    url = f"/procurement/counts/{count.pk}/scan/"
    other = OrgUnit.objects.create(code="REG-S", name_th="สำนักงานภาคใต้")
    theirs = assets.asset_register(
        actor=people["officer"], asset_class=AssetClass.objects.get(code="OFFICE"), description="ตู้",
        unit=other, cost="15000", acquired_on=date(2026, 1, 5),
    )  # fmt: skip
    page = officer.post(
        url, {"code": f"https://x/procurement/scan/{theirs.code}/", "condition": "good"}, follow=True
    )
    assert page.status_code == 200 and "สำนักงานภาคใต้" in page.content.decode()
    page = officer.post(url, {"code": "CODI-NOPE-1", "condition": "good"}, follow=True)
    assert "ไม่พบครุภัณฑ์รหัส CODI-NOPE-1" in page.content.decode()
    page = officer.post(url, {"code": "", "condition": "good"}, follow=True)
    assert "กรุณาสแกนป้าย" in page.content.decode()
    page = officer.post(url, {"code": asset.code, "condition": "stolen"}, follow=True)
    assert "สภาพไม่ถูกต้อง" in page.content.decode()
    assert count.lines.count() == 0
    assets.count_close(actor=people["officer"], count=count)
    page = officer.post(url, {"code": asset.code, "condition": "good"}, follow=True)
    assert "การตรวจนับนี้ปิดแล้ว" in page.content.decode() and count.lines.count() == 0
    assert 'capture="environment"' not in officer.get(url).content.decode()
