"""Every procurement page and endpoint: anonymous, wrong role, out of scope refused; allowed works.
And the process: the to-be diagram lit at the current step, the as-is beside it."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook

from codi.identity.models import OrgUnit
from codi.procurement import assets
from codi.procurement.models import AssetClass
from tests.permissions import signed_in_client
from tests.procurement.conftest import appoint_all, make_requisition


@pytest.fixture
def req(people, budget):
    return make_requisition(people, budget)


@pytest.fixture
def asset(people, unit):
    return assets.asset_register(
        actor=people["officer"], asset_class=AssetClass.objects.get(code="OFFICE"), description="ตู้เอกสาร",
        unit=unit, cost="12000", acquired_on=date(2026, 1, 5),
    )  # fmt: skip


def _matrix(matrix, people, call, out_of_scope=True, **kw):
    matrix.check(
        call, allowed=people["officer"], wrong_role=people["project_officer"],
        out_of_scope=people["south"] if out_of_scope else None, **kw,
    )  # fmt: skip


@pytest.mark.parametrize(
    "url",
    [
        "/procurement/requisitions/{r}/",
        "/api/v1/procurement/requisitions/{r}",
        "/procurement/scan/{a}/",
        "/procurement/counts/{c}/",
    ],
)
def test_pages_and_endpoints_refuse_out_of_scope_users(matrix, people, req, asset, unit, url):
    count = assets.count_start(actor=people["officer"], unit=unit, year_be=2570)
    _matrix(matrix, people, lambda c: c.get(url.format(r=req.pk, a=asset.code, c=count.pk)))


@pytest.mark.parametrize(
    "url",
    [
        "/procurement/",
        "/procurement/requisitions/",
        "/procurement/requisitions/?format=xlsx",
        "/api/v1/procurement/requisitions",
        "/procurement/assets/",
        "/procurement/assets/?format=xlsx",
        "/api/v1/procurement/assets",
        "/procurement/assets/labels/",
        "/procurement/plan/",
        "/procurement/counts/",
    ],
)
def test_lists_show_nothing_outside_scope(matrix, people, req, asset, url):
    def not_listed(response):
        if response.status_code in {403, 404}:
            return True
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return req.number.encode() not in body and asset.code.encode() not in body

    _matrix(matrix, people, lambda c: c.get(url), refused=not_listed)


@pytest.mark.parametrize(
    "url", ["/procurement/thresholds/", "/api/v1/procurement/thresholds", "/procurement/process/as-is/"]
)
def test_national_pages_refuse_the_wrong_role(matrix, people, url):
    _matrix(matrix, people, lambda c: c.get(url), out_of_scope=False)


def test_the_approve_endpoint_refuses_out_of_scope_and_wrong_role(matrix, people, req):
    appoint_all(people, req)
    submitted = signed_in_client(people["requester"]).post(
        f"/api/v1/procurement/requisitions/{req.pk}/submit", {}, content_type="application/json"
    )
    assert submitted.status_code == 200 and submitted.json()["current_step"] == "approve"
    matrix.check(
        lambda c: c.post(
            f"/api/v1/procurement/requisitions/{req.pk}/approve", {"decision": "approve"}, content_type="application/json"
        ),
        allowed=people["head"], wrong_role=people["project_officer"], out_of_scope=people["south"],
    )  # fmt: skip
    req.refresh_from_db()
    assert req.current_step == "procure"


def test_requisition_page_lights_the_current_step_and_serves_both_diagrams(people, req):
    client = signed_in_client(people["requester"])
    page = client.get(f"/procurement/requisitions/{req.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and 'data-task="prepare"' in html
    state = json.loads(html.split('id="diagram-state" type="application/json">')[1].split("<")[0])
    assert state["current"] == ["prepare"] and "start" in state["completed"]
    assert b'id="inspect"' in client.get("/procurement/process/tobe.bpmn").content
    assert b"codi_procurement_asis" in client.get("/procurement/process/asis.bpmn").content
    assert client.get("/procurement/process/other.bpmn").status_code == 404


def test_the_flow_through_pages_with_refusals_shown_not_500(people, req):
    requester = signed_in_client(people["requester"])
    url = f"/procurement/requisitions/{req.pk}/action/"
    page = requester.post(url, {"action": "submit"}, follow=True)
    assert page.status_code == 200 and "คณะกรรมการยังไม่ครบ" in page.content.decode()
    page = requester.post(
        url,
        {"action": "appoint", "committee": "inspection", "username": people["requester"].username},
        follow=True,
    )
    assert "ผู้ขอซื้อขอจ้าง" in page.content.decode()
    assert requester.post(url, {"action": "nonsense"}, follow=True).status_code == 200
    appoint_all(people, req)
    requester.post(url, {"action": "submit"})
    head = signed_in_client(people["head"])
    head.post(url, {"action": "approve", "decision": "approve"})
    req.refresh_from_db()
    assert req.current_step == "procure"
    officer = signed_in_client(people["officer"])
    page = officer.post(
        url, {"action": "quote", "vendor_name": "ร้าน ก", "vendor_tax_id": "abc", "amount": "x"}, follow=True
    )
    assert page.status_code == 200 and "ไม่ถูกต้อง" in page.content.decode()


def test_requisition_new_page_creates_with_the_suggested_method(people, budget):
    client = signed_in_client(people["requester"])
    assert client.get("/procurement/requisitions/new/").status_code == 200
    response = client.post(
        "/procurement/requisitions/new/",
        {"budget_line": budget.pk, "title": "ซื้อเครื่องพิมพ์", "reason": "ใช้งาน", "category": "goods",
         "reference_source": "สืบราคา", "item0": "เครื่องพิมพ์", "qty0": "2", "uom0": "เครื่อง", "price0": "8,500"},
    )  # fmt: skip
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "17,000.00" in page.content.decode() and "วิธีเฉพาะเจาะจง" in page.content.decode()


def test_asset_register_exports_excel_with_thai_header(people, asset):
    response = signed_in_client(people["officer"]).get("/procurement/assets/?format=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][0] == "รหัสครุภัณฑ์" and rows[1][0] == asset.code and rows[1][6] == "5/1/2569"


def test_scanning_a_label_records_the_asset_and_refuses_another_units(people, unit, asset):
    officer = signed_in_client(people["officer"])
    count = assets.count_start(actor=people["officer"], unit=unit, year_be=2570)
    labels = officer.get("/procurement/assets/labels/")
    assert b"<svg" in labels.content and asset.code.encode() in labels.content
    page = officer.post(
        f"/procurement/scan/{asset.code}/", {"count": count.pk, "condition": "good", "location": "ชั้น 2"}
    )
    assert page.status_code == 302 and count.lines.count() == 1
    other = OrgUnit.objects.create(code="REG-S", name_th="สำนักงานภาคใต้")
    theirs = assets.asset_register(
        actor=people["officer"], asset_class=AssetClass.objects.get(code="OFFICE"), description="ตู้",
        unit=other, cost="15000", acquired_on=date(2026, 1, 5),
    )  # fmt: skip
    page = officer.post(
        f"/procurement/scan/{theirs.code}/", {"count": count.pk, "condition": "good"}, follow=True
    )
    assert page.status_code == 200 and "สำนักงานภาคใต้" in page.content.decode() and count.lines.count() == 1
