"""Supplies (วัสดุ): receipts into a store, issues to units, FIFO valuation, the stock card.

Costing is first-in, first-out: every receipt is a ``StockLayer`` (quantity at its unit cost); an
issue takes the oldest layers first. A part of a layer is valued at quantity × unit cost rounded
to the satang; the part that empties a layer takes exactly what is left of that layer's value, so
the value of the stock is always the sum of its layers and no rounding drifts.

Concurrency: a receipt or an issue locks the item's ``StockBalance`` row (``select_for_update``)
before it reads the layers, so simultaneous issues are served one after another; an issue larger
than the balance is refused, and a database check keeps the balance from ever going below zero.

Ledger (through ``codi.finance.services``), one entry per move keyed by it:
receipt  Dr supplies inventory / Cr trade payables (or the account given);
issue    Dr the item's expense account (tagged with the budget line when given) / Cr inventory.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from codi.core.audit import audit_record
from codi.finance import services as finance
from codi.finance.ledger import FinanceError
from codi.finance.selectors import is_country_wide
from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm
from codi.procurement.models import ZERO, StockBalance, StockLayer, StockMove, Store, SupplyItem

CENT = Decimal("0.01")
COST = Decimal("0.0001")
MAX_QUANTITY = Decimal(10**9)


class SupplyError(FinanceError):
    """A refused stock operation, with the reason in Thai and in English."""


def _keeper(actor: Any) -> None:
    """Stores are kept centrally: receipts and issues need the procurement right country-wide."""
    if actor is None:
        return
    if not user_has_perm(actor, Perm.PROCUREMENT_MANAGE) or not is_country_wide(
        actor, Perm.PROCUREMENT_MANAGE
    ):
        raise PermissionDenied


def _quantity(value: Decimal | str | int) -> Decimal:
    try:
        quantity = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        quantity = Decimal(0)
    if (
        not quantity.is_finite()
        or quantity <= 0
        or quantity > MAX_QUANTITY
        or quantity != quantity.quantize(CENT)
    ):
        raise SupplyError(
            "จำนวนต้องมากกว่าศูนย์ (ทศนิยมไม่เกิน 2 ตำแหน่ง)", "The quantity must be above zero (2 decimals at most)"
        )
    return quantity


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def item_create(
    *, actor: Any, code: str, name_th: str, unit_name: str, min_level: Decimal | str = "0"
) -> SupplyItem:
    _keeper(actor)
    code, name_th, unit_name = code.strip(), name_th.strip(), unit_name.strip()
    try:
        level = Decimal(str(min_level or "0"))
    except InvalidOperation:
        level = Decimal(-1)
    if (
        not code
        or not name_th
        or not unit_name
        or len(code) > 30
        or len(name_th) > 200
        or len(unit_name) > 40
    ):
        raise SupplyError("กรุณาระบุรหัส ชื่อ และหน่วยนับ", "Code, name and unit of count are required")
    if not level.is_finite() or level < 0 or level > MAX_QUANTITY:
        raise SupplyError("ระดับขั้นต่ำไม่ถูกต้อง", "Invalid minimum level")
    with transaction.atomic():
        if SupplyItem.objects.filter(code=code).exists():
            raise SupplyError(f"มีรหัสวัสดุ {code} แล้ว", f"Item code {code} exists")
        item = SupplyItem.objects.create(
            code=code, name_th=name_th, unit_name=unit_name, min_level=level.quantize(CENT)
        )
        audit_record(
            actor=actor, action="procurement.supply_item_create", object_type="procurement.SupplyItem",
            object_id=item.pk, changes={"code": code, "name": name_th},
        )  # fmt: skip
    return item


def _balance(store: Store, item: SupplyItem) -> StockBalance:
    """The balance row, created if missing, then locked for this transaction."""
    StockBalance.objects.get_or_create(store=store, item=item)
    return StockBalance.objects.select_for_update().get(store=store, item=item)


def _move_date(moved_on: date | None) -> date:
    day = moved_on or timezone.localdate()
    if day > timezone.localdate():
        raise SupplyError("วันที่ต้องไม่เกินวันนี้", "The date cannot be in the future")
    return day


def receive(
    *, actor: Any, store: Store, item: SupplyItem, quantity: Decimal | str | int, unit_cost: Decimal | str,
    moved_on: date | None = None, reference: str = "", credit_account: str = finance.ACCOUNTS["trade_payable"],
    is_demo: bool = False,
) -> StockMove:  # fmt: skip
    """Receive ``quantity`` at ``unit_cost`` (a new FIFO layer) and post Dr inventory / Cr ``credit_account``."""
    _keeper(actor)
    qty = _quantity(quantity)
    try:
        cost = Decimal(str(unit_cost).replace(",", "").strip())
    except InvalidOperation:
        cost = Decimal(0)
    if not cost.is_finite() or cost <= 0 or cost > Decimal(10**10) or cost != cost.quantize(COST):
        raise SupplyError(
            "ราคาต่อหน่วยต้องมากกว่าศูนย์ (ทศนิยมไม่เกิน 4 ตำแหน่ง)", "The unit cost must be above zero (4 decimals)"
        )
    if not item.is_active:
        raise SupplyError("วัสดุนี้เลิกใช้แล้ว", "This item is no longer active")
    day = _move_date(moved_on)
    value = (qty * cost).quantize(CENT, rounding=ROUND_HALF_UP)
    if value <= ZERO:
        raise SupplyError("มูลค่ารับต้องมากกว่าศูนย์", "The value received must be above zero")
    with transaction.atomic():
        balance = _balance(store, item)
        StockLayer.objects.create(
            store=store, item=item, received_on=day, unit_cost=cost, quantity_in=qty, quantity_left=qty,
            value_left=value,
        )  # fmt: skip
        balance.quantity += qty
        balance.value += value
        balance.save(update_fields=["quantity", "value"])
        move = StockMove.objects.create(
            store=store, item=item, kind=StockMove.Kind.RECEIPT, moved_on=day, quantity=qty, value=value,
            unit_cost=cost, reference=reference.strip()[:100], balance_quantity=balance.quantity,
            balance_value=balance.value, recorded_by=_user(actor), is_demo=is_demo,
        )  # fmt: skip
        entry = finance.post_entry(
            actor=actor, entry_date=day, description=f"รับวัสดุ {item.code} {item.name_th} {qty} {item.unit_name}",
            lines=[
                finance.LineSpec(item.inventory_account, debit=value, memo=reference[:200]),
                finance.LineSpec(credit_account, credit=value, memo=reference[:200]),
            ],
            source_type="procurement.stock_receipt", source_id=str(move.pk),
        )  # fmt: skip
        StockMove.objects.filter(pk=move.pk).update(journal_entry_id=entry.pk)
        audit_record(
            actor=actor, action="procurement.stock_receive", object_type="procurement.StockMove", object_id=move.pk,
            changes={"item": item.code, "store": store.code, "quantity": qty, "value": value},
        )  # fmt: skip
    move.journal_entry_id = entry.pk
    return move


@dataclass(frozen=True)
class Consumed:
    layer_id: int
    quantity: Decimal
    unit_cost: Decimal
    value: Decimal


def fifo_take(layers: list[StockLayer], quantity: Decimal) -> list[Consumed]:
    """The parts of ``layers`` (oldest first) an issue of ``quantity`` takes; pure arithmetic."""
    parts: list[Consumed] = []
    wanted = quantity
    for layer in layers:
        if wanted <= 0:
            break
        take = min(wanted, layer.quantity_left)
        if take <= 0:
            continue
        if take == layer.quantity_left:
            value = layer.value_left
        else:
            value = min((take * layer.unit_cost).quantize(CENT, rounding=ROUND_HALF_UP), layer.value_left)
        parts.append(Consumed(layer.pk, take, layer.unit_cost, value))
        wanted -= take
    if wanted > 0:
        raise SupplyError("ยอดคงเหลือไม่พอจ่าย", "Not enough in stock")
    return parts


def issue(
    *, actor: Any, store: Store, item: SupplyItem, quantity: Decimal | str | int, to_unit: Any,
    moved_on: date | None = None, reference: str = "", budget_line_id: int | None = None, is_demo: bool = False,
) -> StockMove:  # fmt: skip
    """Issue to a unit at FIFO cost; refused, naming the balance, when more than is in stock."""
    _keeper(actor)
    qty = _quantity(quantity)
    if to_unit is None:
        raise SupplyError("กรุณาเลือกหน่วยงานที่เบิก", "Choose the unit the supplies go to")
    day = _move_date(moved_on)
    with transaction.atomic():
        balance = _balance(store, item)
        if qty > balance.quantity:
            raise SupplyError(
                f"เบิกเกินยอดคงเหลือ: คงเหลือ {balance.quantity:,.2f} {item.unit_name} ขอเบิก {qty:,.2f}",
                f"More than the balance: {balance.quantity:,.2f} {item.unit_name} left, {qty:,.2f} asked",
            )
        layers = list(
            StockLayer.objects.select_for_update()
            .filter(store=store, item=item, quantity_left__gt=0)
            .order_by("received_on", "id")
        )
        parts = fifo_take(layers, qty)
        value = sum((p.value for p in parts), ZERO)
        for part in parts:
            StockLayer.objects.filter(pk=part.layer_id).update(
                quantity_left=F("quantity_left") - part.quantity, value_left=F("value_left") - part.value
            )
        balance.quantity -= qty
        balance.value = ZERO if balance.quantity == 0 else balance.value - value
        balance.save(update_fields=["quantity", "value"])
        move = StockMove.objects.create(
            store=store, item=item, kind=StockMove.Kind.ISSUE, moved_on=day, quantity=qty, value=value,
            to_unit=to_unit, reference=reference.strip()[:100],
            layers=[[p.layer_id, str(p.quantity), str(p.unit_cost), str(p.value)] for p in parts],
            balance_quantity=balance.quantity, balance_value=balance.value, recorded_by=_user(actor),
            is_demo=is_demo,
        )  # fmt: skip
        if value > ZERO:
            entry = finance.post_entry(
                actor=actor, entry_date=day, description=f"เบิกวัสดุ {item.code} {qty} {item.unit_name} ให้ {to_unit}",
                lines=[
                    finance.LineSpec(item.expense_account, debit=value, budget_line_id=budget_line_id, memo=str(to_unit)[:200]),
                    finance.LineSpec(item.inventory_account, credit=value, memo=item.code),
                ],
                source_type="procurement.stock_issue", source_id=str(move.pk),
            )  # fmt: skip
            StockMove.objects.filter(pk=move.pk).update(journal_entry_id=entry.pk)
            move.journal_entry_id = entry.pk
        audit_record(
            actor=actor, action="procurement.stock_issue", object_type="procurement.StockMove", object_id=move.pk,
            changes={"item": item.code, "store": store.code, "quantity": qty, "value": value, "to": str(to_unit)},
        )  # fmt: skip
    return move


# --- reads ------------------------------------------------------------------------------------


def stock_card(*, store: Store, item: SupplyItem) -> QuerySet[StockMove]:
    return StockMove.objects.filter(store=store, item=item).select_related("to_unit").order_by("id")


def balances(*, store: Store | None = None) -> QuerySet[StockBalance]:
    rows = StockBalance.objects.select_related("store", "item").order_by("store__code", "item__code")
    return rows.filter(store=store) if store is not None else rows


def below_minimum() -> QuerySet[StockBalance]:
    return balances().filter(quantity__lt=F("item__min_level"))


def valuation_check(*, store: Store, item: SupplyItem) -> tuple[Decimal, Decimal]:
    """(balance value, sum of the layers' values left): equal unless something is wrong."""
    balance = StockBalance.objects.filter(store=store, item=item).first()
    layers = sum(StockLayer.objects.filter(store=store, item=item).values_list("value_left", flat=True), ZERO)
    return (balance.value if balance else ZERO), layers
