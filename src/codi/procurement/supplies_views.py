"""Supplies pages (วัสดุ): balances per store with minimum levels, receipts and issues, stock card.

Thin: reads and writes through ``codi.procurement.supplies`` (which checks the keeper's right:
PermissionDenied → 403; a refused rule → its message on the page)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from codi.core.spreadsheet import be_date, xlsx_response
from codi.finance.ledger import FinanceError
from codi.identity.guards import need
from codi.identity.models import OrgUnit
from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm
from codi.procurement import supplies
from codi.procurement.citations import cite
from codi.procurement.models import StockMove, Store, SupplyItem
from codi.procurement.views import _date, _int, _refused


def _pick(model: Any, value: str) -> Any:
    found = model.objects.filter(pk=_int(value) or 0).first()
    if found is None:
        raise FinanceError("กรุณาเลือกคลังและวัสดุ", "Choose the store and the item")
    return found


@login_required
@require_http_methods(["GET", "POST"])
def supplies_home(request: HttpRequest) -> HttpResponseBase:
    need(request, Perm.PROCUREMENT_VIEW)
    if request.method == "POST":
        need(request, Perm.PROCUREMENT_MANAGE)
        post = request.POST
        try:
            action = post.get("action", "")
            if action == "item":
                supplies.item_create(
                    actor=request.user, code=post.get("code", ""), name_th=post.get("name_th", ""),
                    unit_name=post.get("unit_name", ""), min_level=post.get("min_level", "") or "0",
                )  # fmt: skip
            elif action in {"receive", "issue"}:
                store, item = _pick(Store, post.get("store", "")), _pick(SupplyItem, post.get("item", ""))
                day = _date(post["moved_on"]) if post.get("moved_on") else None
                if action == "receive":
                    supplies.receive(
                        actor=request.user, store=store, item=item, quantity=post.get("quantity", ""),
                        unit_cost=post.get("unit_cost", ""), moved_on=day, reference=post.get("reference", ""),
                    )  # fmt: skip
                else:
                    unit = OrgUnit.objects.filter(pk=_int(post.get("unit", "")) or 0).first()
                    supplies.issue(
                        actor=request.user, store=store, item=item, quantity=post.get("quantity", ""),
                        to_unit=unit, moved_on=day, reference=post.get("reference", ""),
                    )  # fmt: skip
            else:
                raise FinanceError("คำสั่งไม่ถูกต้อง", "Unknown action")
            messages.success(request, _("Saved."))
        except FinanceError as exc:
            _refused(request, exc)
        return redirect("procurement:supplies")
    return render(
        request,
        "procurement/supplies.html",
        {
            "balances": supplies.balances()[:500],
            "low": supplies.below_minimum()[:100],
            "stores": Store.objects.all(),
            "items": SupplyItem.objects.filter(is_active=True),
            "units": OrgUnit.objects.all()[:500],
            "can_manage": user_has_perm(request.user, Perm.PROCUREMENT_MANAGE),
            "citations": cite("custody"),
        },
    )


@login_required
def stock_card(request: HttpRequest, store_id: int, item_id: int) -> HttpResponseBase:
    """The stock card (บัญชีวัสดุ) of one item in one store: every move with the balance after it."""
    need(request, Perm.PROCUREMENT_VIEW)
    store = Store.objects.filter(pk=store_id).first()
    item = SupplyItem.objects.filter(pk=item_id).first()
    if store is None or item is None:
        raise Http404
    moves = supplies.stock_card(store=store, item=item)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            filename=f"stock-card-{store.code}-{item.code}",
            sheets=[(
                "บัญชีวัสดุ",
                ["วันที่", "เอกสาร", "รับ/จ่าย", "หน่วยงาน", "จำนวน", "ราคาต่อหน่วย", "มูลค่า", "คงเหลือ", "มูลค่าคงเหลือ"],
                ([be_date(m.moved_on), m.reference, m.get_kind_display(), str(m.to_unit or ""), m.quantity,
                  m.unit_cost if m.kind == StockMove.Kind.RECEIPT else m.value / m.quantity, m.value,
                  m.balance_quantity, m.balance_value] for m in moves.iterator()),
            )],
        )  # fmt: skip
    return render(
        request, "procurement/stock_card.html", {"store": store, "item": item, "moves": moves[:2000]}
    )
