"""Assets: depreciation posted monthly and once, count with QR labels, disposal."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from codi.finance import ledger
from codi.finance.models import Account, JournalEntry
from codi.finance.selectors import account_balance
from codi.identity.models import OrgUnit
from codi.procurement import assets, selectors
from codi.procurement.models import Asset, AssetClass, DepreciationRun
from tests.finance.conftest import make_user


@pytest.fixture
def books(db):
    ledger.chart_load(actor=None)
    for year in (2569, 2570):
        ledger.fiscal_year_ensure(actor=None, year_be=year)


@pytest.fixture
def officer(db):
    return make_user("procurement_officer")


@pytest.fixture
def unit(db):
    return OrgUnit.objects.get_or_create(code="HQ-ADM", defaults={"name_th": "ฝ่ายบริหารทั่วไป"})[0]


def test_straight_line_monthly_to_the_residual(db):
    klass = AssetClass.objects.get(code="COMPUTER")  # 3 years
    asset = Asset(asset_class=klass, cost=Decimal("36001.00"), accumulated=Decimal("0"))
    assert assets.monthly_amount(asset) == Decimal("1000.00")  # (36,001 − 1) / 36
    asset.accumulated = Decimal("35500.00")
    assert assets.monthly_amount(asset) == Decimal("500.00")  # never below the 1-baht residual
    asset.accumulated = Decimal("36000.00")
    assert assets.monthly_amount(asset) == 0


def test_depreciation_posts_once_per_period(books, officer, unit):
    klass = AssetClass.objects.get(code="COMPUTER")
    a = assets.asset_register(
        actor=officer,
        asset_class=klass,
        description="โน้ตบุ๊ก",
        unit=unit,
        cost="36001",
        acquired_on=date(2026, 9, 15),
    )
    b = assets.asset_register(
        actor=officer,
        asset_class=AssetClass.objects.get(code="OFFICE"),
        description="โต๊ะ",
        unit=unit,
        cost="9601",
        acquired_on=date(2026, 9, 20),
    )
    later = assets.asset_register(
        actor=officer,
        asset_class=klass,
        description="ใหม่",
        unit=unit,
        cost="50000",
        acquired_on=date(2026, 10, 5),
    )
    run = assets.depreciation_run(actor=officer, period=date(2026, 10, 1))
    # 1,000.00 + (9,600 / 96 = 100.00); the October purchase starts in November
    assert run.total == Decimal("1100.00") and run.asset_count == 2
    again = assets.depreciation_run(actor=officer, period=date(2026, 10, 31))
    assert again.pk == run.pk and DepreciationRun.objects.count() == 1
    assert JournalEntry.objects.filter(source_type="procurement.depreciation").count() == 1
    assert account_balance(account=Account.objects.get(code="1206010102")) == Decimal("-1100.00")
    assert account_balance(account=Account.objects.get(code="5105010101")) == Decimal("1100.00")
    a.refresh_from_db()
    b.refresh_from_db()
    later.refresh_from_db()
    assert (a.accumulated, b.accumulated, later.accumulated) == (Decimal("1000.00"), Decimal("100.00"), 0)
    with pytest.raises(assets.AssetError):
        assets.depreciation_run(actor=officer, period=date(2026, 9, 1))  # before the latest run
    with pytest.raises(assets.AssetError):
        assets.depreciation_run(actor=officer, period=date(2099, 1, 1))  # not ended


def test_count_with_labels_refuses_another_units_asset_and_reports_differences(books, officer, unit):
    other = OrgUnit.objects.create(code="REG-S", name_th="สำนักงานภาคใต้")
    klass = AssetClass.objects.get(code="OFFICE")
    mine = [
        assets.asset_register(
            actor=officer,
            asset_class=klass,
            description=f"เก้าอี้ {n}",
            unit=unit,
            cost="12000",
            acquired_on=date(2026, 1, 5),
        )
        for n in range(3)
    ]
    theirs = assets.asset_register(
        actor=officer,
        asset_class=klass,
        description="ตู้",
        unit=other,
        cost="15000",
        acquired_on=date(2026, 1, 5),
    )
    count = assets.count_start(actor=officer, unit=unit, year_be=2570)
    assets.count_scan(actor=officer, count=count, asset_code=mine[0].code)
    assets.count_scan(
        actor=officer, count=count, asset_code=mine[1].code, condition="damaged", location="ห้อง 201"
    )
    with pytest.raises(assets.AssetError) as refused:
        assets.count_scan(actor=officer, count=count, asset_code=theirs.code)
    assert "สำนักงานภาคใต้" in refused.value.message_th
    report = selectors.count_differences(count=count)
    assert [a.code for a in report["missing"]] == [mine[2].code]
    assert [line.asset.code for line in report["flagged"]] == [mine[1].code]
    assert "<svg" in assets.label_svg(mine[0].code)


def test_disposal_takes_the_asset_off_the_books_once(books, officer, unit):
    klass = AssetClass.objects.get(code="OFFICE")
    asset = assets.asset_register(
        actor=officer,
        asset_class=klass,
        description="เครื่องถ่ายเอกสาร",
        unit=unit,
        cost="20000",
        acquired_on=date(2020, 1, 5),
        accumulated="15000",
    )
    assets.asset_dispose(
        actor=officer,
        asset=asset,
        method="write_off",
        disposed_on=date(2026, 11, 1),
        reason="ชำรุด รายงานกรรมการที่ 3/2570",
    )
    entry = JournalEntry.objects.get(source_type="procurement.disposal")
    assert entry.total == Decimal("20000.00")
    with pytest.raises(assets.AssetError):
        assets.asset_dispose(
            actor=officer, asset=asset, method="write_off", disposed_on=date(2026, 11, 1), reason="ซ้ำอีกครั้ง"
        )
