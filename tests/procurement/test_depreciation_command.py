"""``manage.py depreciation_run``: the monthly command (cron on the 1st) posts the month that has
just ended, or ``--period``; a month that has not ended and a malformed period are refused."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from codi.finance import ledger
from codi.finance.models import JournalEntry
from codi.identity.models import OrgUnit
from codi.procurement import assets
from codi.procurement.models import AssetClass, DepreciationRun
from tests.finance.conftest import make_user


def _month_start(day: date, back: int) -> date:
    for _ in range(back):
        day = day.replace(day=1) - timedelta(days=1)
    return day.replace(day=1)


@pytest.fixture
def asset(db):
    ledger.chart_load(actor=None)
    two_back = _month_start(timezone.localdate(), 2)
    for day in (two_back, timezone.localdate()):
        ledger.fiscal_year_ensure(actor=None, year_be=ledger.fiscal_year_of(day))
    unit = OrgUnit.objects.get_or_create(code="HQ-ADM", defaults={"name_th": "ฝ่ายบริหารทั่วไป"})[0]
    return assets.asset_register(
        actor=make_user("procurement_officer"), asset_class=AssetClass.objects.get(code="COMPUTER"),
        description="โน้ตบุ๊ก", unit=unit, cost="36001", acquired_on=two_back + timedelta(days=3),
    )  # fmt: skip


def test_the_command_posts_last_month_by_default(asset):
    out = StringIO()
    call_command("depreciation_run", stdout=out)
    last_month = _month_start(timezone.localdate(), 1)
    run = DepreciationRun.objects.get()
    assert run.period == last_month and run.total == Decimal("1000.00")  # (36,001 - 1) / 36
    assert f"depreciation {last_month:%Y-%m}: 1 assets, 1000.00 baht" in out.getvalue()
    entry = JournalEntry.objects.get(pk=run.journal_entry_id)
    assert entry.source_id == f"{last_month:%Y-%m}"
    asset.refresh_from_db()
    assert asset.accumulated == Decimal("1000.00")
    call_command("depreciation_run", stdout=StringIO())  # the same month again: nothing more
    assert DepreciationRun.objects.count() == 1 and JournalEntry.objects.filter(
        source_type="procurement.depreciation"
    ).count() == 1  # fmt: skip


def test_the_command_refuses_a_month_not_ended_and_a_bad_period(asset):
    with pytest.raises(CommandError, match="not ended"):
        call_command("depreciation_run", "--period", f"{timezone.localdate():%Y-%m}", stdout=StringIO())
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("depreciation_run", "--period", "2026-13", stdout=StringIO())
    assert not DepreciationRun.objects.exists()
