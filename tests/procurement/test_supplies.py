"""Supplies: FIFO receipts and issues with exact values, the stock card, ledger postings, refusals."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from codi.finance import ledger
from codi.finance.models import Account, JournalEntry
from codi.finance.selectors import account_balance
from codi.identity.models import OrgUnit
from codi.procurement import supplies
from codi.procurement.models import StockBalance, StockLayer, StockMove, Store
from tests.finance.conftest import make_user
from tests.permissions import signed_in_client


@pytest.fixture
def books(db):
    ledger.chart_load(actor=None)
    ledger.fiscal_year_ensure(actor=None, year_be=ledger.fiscal_year_of(timezone.localdate()))


@pytest.fixture
def keeper(db):
    return make_user("procurement_officer")


@pytest.fixture
def stock(db, books, keeper):
    unit = OrgUnit.objects.get_or_create(code="HQ-ADM", defaults={"name_th": "ฝ่ายบริหารทั่วไป"})[0]
    store = Store.objects.create(code="HQ", name_th="คลังวัสดุสำนักงานใหญ่", unit=unit)
    item = supplies.item_create(
        actor=keeper, code="P-A4", name_th="กระดาษ A4", unit_name="รีม", min_level="20"
    )
    return {"unit": unit, "store": store, "item": item}


def _card(stock):
    return list(supplies.stock_card(store=stock["store"], item=stock["item"]))


def test_fifo_values_exact(stock, keeper):
    store, item, unit = stock["store"], stock["item"], stock["unit"]
    day = timezone.localdate()
    supplies.receive(actor=keeper, store=store, item=item, quantity=10, unit_cost="100", moved_on=day)
    supplies.receive(actor=keeper, store=store, item=item, quantity=5, unit_cost="110.3333", moved_on=day)
    supplies.receive(actor=keeper, store=store, item=item, quantity=7, unit_cost="95.5", moved_on=day)
    # the second layer is 5 × 110.3333 = 551.6665 → 551.67
    assert StockBalance.objects.get().value == Decimal("1000.00") + Decimal("551.67") + Decimal("668.50")

    first = supplies.issue(actor=keeper, store=store, item=item, quantity=12, to_unit=unit, moved_on=day)
    # all of layer 1 (1,000.00) + 2 of layer 2 (2 × 110.3333 = 220.6666 → 220.67)
    assert first.value == Decimal("1220.67")
    second = supplies.issue(actor=keeper, store=store, item=item, quantity=4, to_unit=unit, moved_on=day)
    # the rest of layer 2 takes what is left of it (551.67 − 220.67 = 331.00), then 1 of layer 3 (95.50)
    assert second.value == Decimal("331.00") + Decimal("95.50")
    balance = StockBalance.objects.get()
    assert balance.quantity == Decimal("6.00")
    assert balance.value == Decimal("573.00")  # 6 × 95.50: the stock is exactly its last layer
    assert supplies.valuation_check(store=store, item=item) == (Decimal("573.00"), Decimal("573.00"))
    assert [m.balance_value for m in _card(stock)] == [
        Decimal("1000.00"), Decimal("1551.67"), Decimal("2220.17"), Decimal("999.50"), Decimal("573.00"),
    ]  # fmt: skip
    assert [len(m.layers) for m in _card(stock)] == [0, 0, 0, 2, 2]

    # issuing the rest empties the stock at exactly its value
    last = supplies.issue(actor=keeper, store=store, item=item, quantity=6, to_unit=unit, moved_on=day)
    assert last.value == Decimal("573.00")
    assert StockBalance.objects.get().value == Decimal("0.00")
    assert not StockLayer.objects.filter(quantity_left__gt=0).exists()


def test_postings_through_finance(stock, keeper):
    store, item, unit = stock["store"], stock["item"], stock["unit"]
    day = timezone.localdate()
    move = supplies.receive(
        actor=keeper, store=store, item=item, quantity=3, unit_cost="33.3333", moved_on=day
    )
    assert move.value == Decimal("100.00")
    out = supplies.issue(actor=keeper, store=store, item=item, quantity=1, to_unit=unit, moved_on=day)
    assert out.value == Decimal("33.33")
    receipt = JournalEntry.objects.get(source_type="procurement.stock_receipt", source_id=str(move.pk))
    assert receipt.total == Decimal("100.00")
    issue = JournalEntry.objects.get(source_type="procurement.stock_issue", source_id=str(out.pk))
    assert {
        (line.account.code, line.debit, line.credit) for line in issue.lines.select_related("account")
    } == {
        ("5104010104", Decimal("33.33"), Decimal("0.00")),
        ("1105010101", Decimal("0.00"), Decimal("33.33")),
    }
    assert account_balance(account=Account.objects.get(code="1105010101")) == Decimal("66.67")


def test_issue_more_than_balance_refused_nothing_written(stock, keeper):
    store, item, unit = stock["store"], stock["item"], stock["unit"]
    supplies.receive(actor=keeper, store=store, item=item, quantity=2, unit_cost="10")
    entries = JournalEntry.objects.count()
    with pytest.raises(supplies.SupplyError) as exc:
        supplies.issue(actor=keeper, store=store, item=item, quantity=3, to_unit=unit)
    assert "คงเหลือ 2.00" in exc.value.message_th
    assert StockMove.objects.count() == 1 and JournalEntry.objects.count() == entries
    assert StockBalance.objects.get().quantity == Decimal("2.00")


@pytest.mark.parametrize("bad", ["0", "-1", "abc", "1.005", "NaN", "1e12"])
def test_bad_quantity_refused(stock, keeper, bad):
    with pytest.raises(supplies.SupplyError):
        supplies.receive(actor=keeper, store=stock["store"], item=stock["item"], quantity=bad, unit_cost="1")


def test_future_date_and_bad_cost_refused(stock, keeper):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(supplies.SupplyError):
        supplies.receive(
            actor=keeper,
            store=stock["store"],
            item=stock["item"],
            quantity=1,
            unit_cost="1",
            moved_on=tomorrow,
        )
    with pytest.raises(supplies.SupplyError):
        supplies.receive(
            actor=keeper, store=stock["store"], item=stock["item"], quantity=1, unit_cost="0.00001"
        )


def test_out_of_scope_refused(stock):
    south = make_user("procurement_officer", "region", "south")
    viewer = make_user("project_officer", "province", "40")
    for user in (south, viewer):
        with pytest.raises(PermissionDenied):
            supplies.receive(actor=user, store=stock["store"], item=stock["item"], quantity=1, unit_cost="1")
    assert not StockMove.objects.exists()


def test_fifo_take_is_pure_arithmetic():
    layers = [
        StockLayer(pk=1, unit_cost=Decimal("1.0050"), quantity_left=Decimal("3"), value_left=Decimal("3.02")),
        StockLayer(pk=2, unit_cost=Decimal("2"), quantity_left=Decimal("1"), value_left=Decimal("2.00")),
    ]
    parts = supplies.fifo_take(layers, Decimal("1"))
    assert [(p.layer_id, p.value) for p in parts] == [(1, Decimal("1.01"))]  # 1.005 rounds half up
    parts = supplies.fifo_take(layers, Decimal("4"))
    assert [(p.layer_id, p.value) for p in parts] == [(1, Decimal("3.02")), (2, Decimal("2.00"))]
    with pytest.raises(supplies.SupplyError):
        supplies.fifo_take(layers, Decimal("4.01"))


def test_pages(stock, keeper):
    south = make_user("procurement_officer", "region", "south")
    client = signed_in_client(keeper)
    url = reverse("procurement:supplies")
    response = client.post(
        url,
        {"action": "receive", "store": stock["store"].pk, "item": stock["item"].pk, "quantity": "5",
         "unit_cost": "12.50", "reference": "INV-1"},
    )  # fmt: skip
    assert response.status_code == 302
    assert StockMove.objects.count() == 1
    response = client.post(
        url,
        {"action": "issue", "store": stock["store"].pk, "item": stock["item"].pk, "quantity": "9",
         "unit": stock["unit"].pk},
    )  # fmt: skip
    assert response.status_code == 302 and StockMove.objects.count() == 1  # refused, shown as a message
    page = client.get(url)
    assert page.status_code == 200 and "กระดาษ A4" in page.content.decode()
    card = client.get(reverse("procurement:stock_card", args=[stock["store"].pk, stock["item"].pk]))
    assert card.status_code == 200 and "62.50" in card.content.decode()
    xlsx = client.get(
        reverse("procurement:stock_card", args=[stock["store"].pk, stock["item"].pk]) + "?format=xlsx"
    )
    assert xlsx.status_code == 200
    client = signed_in_client(south)
    refused = client.post(
        url,
        {"action": "receive", "store": stock["store"].pk, "item": stock["item"].pk, "quantity": "1", "unit_cost": "1"},
    )  # fmt: skip
    assert refused.status_code == 403 and StockMove.objects.count() == 1
    assert signed_in_client(make_user("project_officer", "province", "40")).get(url).status_code == 403


def test_date_is_kept(stock, keeper):
    day = timezone.localdate() - timedelta(days=1)
    if ledger.fiscal_year_of(day) != ledger.fiscal_year_of(timezone.localdate()):
        day = timezone.localdate()
    move = supplies.receive(
        actor=keeper, store=stock["store"], item=stock["item"], quantity=1, unit_cost="5", moved_on=day
    )
    assert move.moved_on == day and isinstance(move.moved_on, date)


def test_api(stock, keeper):
    supplies.receive(actor=keeper, store=stock["store"], item=stock["item"], quantity=4, unit_cost="10.5")
    client = signed_in_client(keeper)
    listed = client.get("/api/v1/procurement/stock").json()
    assert listed["items"][0]["value"] in ("42.00", 42.0, "42")
    body = {"store": "HQ", "item": "P-A4", "quantity": "3", "unit": "HQ-ADM", "reference": "API-1"}
    made = client.post("/api/v1/procurement/stock/issues", body, content_type="application/json")
    assert made.status_code == 201 and made.json()["balance_quantity"] in ("1.00", 1.0, "1")
    over = client.post("/api/v1/procurement/stock/issues", body, content_type="application/json")
    assert over.status_code == 422 and "คงเหลือ 1.00" in over.content.decode()
    south = signed_in_client(make_user("procurement_officer", "region", "south"))
    assert (
        south.post("/api/v1/procurement/stock/issues", body, content_type="application/json").status_code
        == 403
    )
    viewer = signed_in_client(make_user("project_officer", "province", "40"))
    assert viewer.get("/api/v1/procurement/stock").status_code == 403
    assert StockMove.objects.filter(kind="issue").count() == 1
