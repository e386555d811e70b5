"""PDFs and public announcements, citations on the pages, asset import and transfers, penalty
income and disposal gain/loss postings."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook

from codi.core.models import AuditEntry
from codi.finance.models import Account, JournalEntry
from codi.finance.selectors import account_balance
from codi.identity.models import OrgUnit
from codi.procurement import assets, imports, services
from codi.procurement.citations import CITATIONS
from codi.procurement.models import Asset, AssetClass, AssetTransfer
from tests.finance.conftest import make_user
from tests.permissions import signed_in_client


def _balance(code: str) -> Decimal:
    return account_balance(account=Account.objects.get(code=code))


@pytest.fixture
def contract(people, budget, approved):
    quote = services.quotation_add(
        actor=people["officer"], requisition=approved, vendor_name="บริษัท ไอที จำกัด",
        vendor_tax_id="0105555000001", amount="120000",
    )  # fmt: skip
    today = timezone.localdate()
    return services.contract_award(
        actor=people["officer"], quotation=quote, signed_on=today - timedelta(days=20),
        delivery_due=today - timedelta(days=10), penalty_rate_percent="0.1", egp_project_no="67019999999",
    )  # fmt: skip


def test_late_penalty_is_credited_to_penalty_income(people, contract):
    today = timezone.localdate()
    delivery = services.delivery_record(
        actor=people["officer"], contract=contract, delivered_on=today - timedelta(days=6), amount="120000"
    )
    delivery = services.delivery_inspect(
        actor=people["i1"], delivery=delivery, accept=True, inspected_on=today - timedelta(days=6)
    )
    # 4 days late × 0.1 % × 120,000 = 480.00
    assert delivery.penalty == Decimal("480.00")
    services.requisition_pay(actor=people["payer"], requisition=contract.requisition)
    assert _balance("4206020101") == Decimal("-480.00")  # a credit: income
    assert _balance("1101020601") == Decimal("-119520.00")
    assert _balance("2101010101") == 0


def test_pdfs_for_those_who_may_see_the_requisition(people, contract):
    today = timezone.localdate()
    delivery = services.delivery_record(
        actor=people["officer"], contract=contract, delivered_on=today - timedelta(days=6), amount="50000"
    )
    services.delivery_inspect(
        actor=people["i1"], delivery=delivery, accept=True, inspected_on=today - timedelta(days=6)
    )
    req = contract.requisition
    officer = signed_in_client(people["officer"])
    for kind in ("memo", "contract", "award"):
        response = officer.get(f"/procurement/requisitions/{req.pk}/{kind}.pdf")
        assert response.status_code == 200 and response.content.startswith(b"%PDF"), kind
    url = f"/procurement/requisitions/{req.pk}/deliveries/{delivery.pk}/inspection.pdf"
    assert officer.get(url).content.startswith(b"%PDF")
    assert officer.get(f"/procurement/requisitions/{req.pk}/other.pdf").status_code == 404
    for user in (people["south"], people["project_officer"]):
        assert signed_in_client(user).get(url).status_code in {403, 404}
        assert signed_in_client(user).get(f"/procurement/requisitions/{req.pk}/memo.pdf").status_code in {
            403,
            404,
        }
    assert Client().get(url).status_code == 302  # to the sign-in page


def test_public_announcements_list_the_award_and_the_published_plan(people, budget, contract):
    services.plan_line_create(
        actor=people["officer"], budget_line=budget, title="จัดซื้อวัสดุสำนักงานประจำปี", category="goods",
        estimated_amount="80000", quarter=2,
    )  # fmt: skip
    services.plan_line_create(
        actor=people["officer"], budget_line=budget, title="รายการยังไม่เผยแพร่", category="goods",
        estimated_amount="5000", quarter=3,
    )  # fmt: skip
    services.plan_publish(actor=people["officer"], year_be=budget.fiscal_year.year_be)
    services.plan_line_create(
        actor=people["officer"], budget_line=budget, title="เพิ่มหลังเผยแพร่", category="goods",
        estimated_amount="5000", quarter=4,
    )  # fmt: skip
    page = Client().get("/procurement/announcements/").content.decode()
    assert "บริษัท ไอที จำกัด" in page and "120,000.00" in page
    assert "จัดซื้อวัสดุสำนักงานประจำปี" in page and "เพิ่มหลังเผยแพร่" not in page
    assert "มาตรา 66" in page and "มาตรา 11" in page
    assert people["requester"].username not in page  # staff are not named in public
    pdf = Client().get(f"/procurement/announcements/award/{contract.pk}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert Client().get("/procurement/announcements/award/999999.pdf").status_code == 404


def test_each_enforcing_page_cites_its_sections(people, approved, unit):
    client = signed_in_client(people["officer"])
    detail = client.get(f"/procurement/requisitions/{approved.pk}/").content.decode()
    for key in ("threshold", "committees", "conflict", "inspection", "penalty"):
        assert f'data-rule="{key}"' in detail, key
    assert "มาตรา 100" in detail and "ข้อ 162" in detail and "มาตรา 13" in detail
    assert "ข้อ 25" in client.get(f"/procurement/requisitions/{approved.pk}/").content.decode()
    assert 'data-rule="threshold"' in client.get("/procurement/thresholds/").content.decode()
    assert 'data-rule="plan"' in client.get("/procurement/plan/").content.decode()
    assert 'data-rule="count"' in client.get("/procurement/counts/").content.decode()
    # the quoted Act sections are the Act's words
    assert "ประกาศผลผู้ชนะการจัดซื้อจัดจ้าง" in CITATIONS["award"].quote_th


# --- transfers ---------------------------------------------------------------------------------


@pytest.fixture
def asset(people, unit):
    return assets.asset_register(
        actor=people["officer"], asset_class=AssetClass.objects.get(code="OFFICE"), description="ตู้เอกสาร",
        unit=unit, cost="12000", acquired_on=date(2026, 1, 5), location="ชั้น 1",
    )  # fmt: skip


def test_transfer_keeps_history_and_is_audited(people, asset, unit):
    other = OrgUnit.objects.create(code="REG-N", name_th="สำนักงานภาคเหนือ")
    move = assets.asset_transfer(
        actor=people["officer"], asset=asset, to_unit=other, to_custodian=people["m1"], to_location="ห้อง 3",
        reason="ย้ายไปใช้ที่ภาค",
    )  # fmt: skip
    asset.refresh_from_db()
    assert (asset.unit_id, asset.custodian_id, asset.location) == (other.pk, people["m1"].pk, "ห้อง 3")
    assert (move.from_unit_id, move.from_location, move.from_custodian_id) == (unit.pk, "ชั้น 1", None)
    with pytest.raises(assets.AssetError):  # nothing changes
        assets.asset_transfer(
            actor=people["officer"], asset=asset, to_unit=other, to_custodian=people["m1"], to_location="ห้อง 3",
            reason="ซ้ำ",
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        assets.asset_transfer(actor=people["requester"], asset=asset, to_unit=other, reason="ไม่มีสิทธิ์")
    assert AssetTransfer.objects.count() == 1
    assert AuditEntry.objects.filter(action="procurement.asset_transfer", object_id=str(asset.pk)).exists()


def test_transfer_page(people, asset):
    other = OrgUnit.objects.create(code="REG-S", name_th="สำนักงานภาคใต้")
    url = f"/procurement/assets/{asset.code}/"
    client = signed_in_client(people["officer"])
    response = client.post(url, {"action": "transfer", "unit": other.pk, "reason": "ย้ายสำนักงาน"})
    assert response.status_code == 302 and AssetTransfer.objects.filter(asset=asset).count() == 1
    page = client.get(url).content.decode()
    assert "สำนักงานภาคใต้" in page and "ย้ายสำนักงาน" in page
    refused = signed_in_client(people["requester"]).post(
        url, {"action": "transfer", "unit": other.pk, "reason": "x"}
    )
    assert refused.status_code == 403
    assert signed_in_client(people["project_officer"]).get(url).status_code == 403
    assert AssetTransfer.objects.filter(asset=asset).count() == 1


# --- disposal gain and loss ------------------------------------------------------------------


def test_disposal_sale_posts_gain_and_write_off_posts_loss(people, unit, budget):
    klass = AssetClass.objects.get(code="OFFICE")
    sold = assets.asset_register(
        actor=people["officer"], asset_class=klass, description="รถเข็น", unit=unit, cost="20000",
        accumulated="15000", acquired_on=date(2020, 1, 5),
    )  # fmt: skip
    day = timezone.localdate()
    assets.asset_dispose(
        actor=people["officer"], asset=sold, method="sale", disposed_on=day, reason="ขายทอดตลาด รายงาน 1/2570",
        proceeds="6500",
    )  # fmt: skip
    assert _balance("4206030101") == Decimal("-1500.00")  # 6,500 − book value 5,000: a gain
    lost = assets.asset_register(
        actor=people["officer"], asset_class=klass, description="เก้าอี้", unit=unit, cost="12000",
        accumulated="10000", acquired_on=date(2020, 1, 5),
    )  # fmt: skip
    with pytest.raises(assets.AssetError):  # proceeds only from a sale
        assets.asset_dispose(
            actor=people["officer"], asset=lost, method="write_off", disposed_on=day, reason="ชำรุด 2/2570",
            proceeds="100",
        )  # fmt: skip
    assets.asset_dispose(
        actor=people["officer"], asset=lost, method="write_off", disposed_on=day, reason="ชำรุด 2/2570"
    )
    assert _balance("5108010101") == Decimal("2000.00")
    entry = JournalEntry.objects.get(source_type="procurement.disposal", source_id=str(lost.pk))
    assert entry.total == Decimal("12000.00")
    lost.refresh_from_db()
    assert lost.status == "disposed" and lost.disposal_proceeds == 0


# --- import ------------------------------------------------------------------------------------


def _xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


HEADER = ["รหัสครุภัณฑ์", "ประเภท", "รายการ", "หน่วยงาน", "ผู้รับผิดชอบ", "ที่ตั้ง", "ราคาทุน", "ค่าเสื่อมสะสม", "วันที่ได้มา"]


def test_import_dry_run_then_import_is_idempotent(people, unit):
    content = _xlsx([
        HEADER,
        ["OLD-0001", "OFFICE", "โต๊ะ", "HQ-ADM", people["m1"].username, "ชั้น 2", 12000, 9000, "01/10/2560"],
        ["OLD-0002", "COMPUTER", "โน้ตบุ๊ก", "HQ-ADM", "", "", "25,000.00", "", date(2023, 5, 1)],
    ])  # fmt: skip
    report = imports.assets_import(actor=people["officer"], content=content, filename="register.xlsx")
    assert report.ok and report.dry_run and report.created == ["OLD-0001", "OLD-0002"]
    assert not Asset.objects.filter(code__startswith="OLD-").exists()
    report = imports.assets_import(
        actor=people["officer"], content=content, filename="register.xlsx", dry_run=False
    )
    assert report.created == ["OLD-0001", "OLD-0002"]
    first = Asset.objects.get(code="OLD-0001")
    assert first.acquired_on == date(2017, 10, 1) and first.accumulated == Decimal("9000.00")
    again = imports.assets_import(
        actor=people["officer"], content=content, filename="register.xlsx", dry_run=False
    )
    assert again.created == [] and again.skipped == ["OLD-0001", "OLD-0002"]
    assert Asset.objects.filter(code__startswith="OLD-").count() == 2


def test_import_errors_name_line_and_column_and_write_nothing(people, unit):
    content = (
        "\ufeff" + ",".join(HEADER) + "\n"
        "NEW-1,OFFICE,โต๊ะ,HQ-ADM,,,12000,,2024-01-01\n"
        "NEW-2,NOPE,เก้าอี้,HQ-ADM,,,abc,,2024-01-01\n"
        "NEW-3,OFFICE,ตู้,XX,nobody,,5000,6000,31/02/2567\n"
        "NEW-1,OFFICE,ซ้ำ,HQ-ADM,,,100,,2024-01-01\n"
    ).encode()
    report = imports.assets_import(actor=people["officer"], content=content, filename="r.csv", dry_run=False)
    text = "\n".join(report.errors)
    assert not report.ok and not Asset.objects.filter(code__startswith="NEW-").exists()
    for expected in (
        "line 3, column ประเภท", "line 3, column ราคาทุน", "line 4, column หน่วยงาน", "line 4, column ผู้รับผิดชอบ",
        "line 4, column ค่าเสื่อมสะสม", "line 4, column วันที่ได้มา", "line 5, column รหัสครุภัณฑ์",
    ):  # fmt: skip
        assert expected in text, (expected, text)
    with pytest.raises(imports.RegisterFileError):
        imports.assets_import(actor=people["officer"], content=b"a,b\n1,2\n", filename="r.csv")
    with pytest.raises(imports.RegisterFileError):
        imports.assets_import(actor=people["officer"], content=b"PK\x03\x04junk", filename="r.xlsx")
    with pytest.raises(PermissionDenied):
        imports.assets_import(actor=people["requester"], content=content, filename="r.csv")


def test_import_page(people, unit):
    client = signed_in_client(people["officer"])
    assert client.get("/procurement/assets/import/?template=xlsx").status_code == 200
    content = _xlsx([HEADER, ["WEB-1", "OFFICE", "โต๊ะ", "HQ-ADM", "", "", 12000, 0, "2024-01-01"]])
    upload = io.BytesIO(content)
    upload.name = "register.xlsx"
    page = client.post("/procurement/assets/import/", {"file": upload, "dry_run": "on"}).content.decode()
    assert 'id="import-report"' in page and not Asset.objects.filter(code="WEB-1").exists()
    upload = io.BytesIO(content)
    upload.name = "register.xlsx"
    client.post("/procurement/assets/import/", {"file": upload})
    assert Asset.objects.filter(code="WEB-1").exists()
    assert signed_in_client(people["requester"]).get("/procurement/assets/import/").status_code == 403
    assert (
        signed_in_client(make_user("project_officer", "province", "40"))
        .get("/procurement/assets/import/")
        .status_code
        == 403
    )
