"""The asset register (ครุภัณฑ์): registration on acceptance, monthly depreciation, count, disposal.

Capitalisation: an item of an accepted contract whose unit cost is at least its class's
``capitalisation_threshold`` (CODI policy, default 10,000 baht per unit) becomes one asset per
unit; its cost is the unit price scaled by the awarded price over the reference price. The cost
is moved from the budget line's expense account to the class's asset account (one entry per
contract, keyed by it). Below the threshold an item stays an expense.

Depreciation: straight line over the class's life, by month, starting the month after
acquisition, down to the residual value kept on the books (1 baht by government practice). One
run per month (``DepreciationRun.period`` is unique and the journal entry is keyed by the
period): running a month twice returns the first run.
"""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from codi.core.audit import audit_record
from codi.finance import ledger
from codi.finance.ledger import FinanceError, LineSpec
from codi.finance.models import Account
from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm
from codi.procurement.models import (
    ZERO,
    Asset,
    AssetClass,
    AssetCount,
    AssetStatus,
    AssetTransfer,
    Condition,
    Contract,
    CountLine,
    Delivery,
    DepreciationLine,
    DepreciationRun,
    DisposalMethod,
)

CENT = Decimal("0.01")

CLASS_SEED = [
    # code, Thai name, life (years); the accounts are the chart's equipment accounts
    ("OFFICE", "ครุภัณฑ์สำนักงาน", 8),
    ("COMPUTER", "ครุภัณฑ์คอมพิวเตอร์", 3),
    ("VEHICLE", "ครุภัณฑ์ยานพาหนะและขนส่ง", 8),
    ("ELECTRIC", "ครุภัณฑ์ไฟฟ้าและวิทยุ", 5),
    ("ADVERT", "ครุภัณฑ์โฆษณาและเผยแพร่", 5),
]
ASSET_ACCOUNT, ACCUMULATED_ACCOUNT, EXPENSE_ACCOUNT = "1206010101", "1206010102", "5105010101"
BANK_ACCOUNT = "1101020601"
# procurement's own accounts, loaded into finance's chart by ``accounts_ensure``
ACCOUNTS_FILE = Path(__file__).resolve().parent / "data" / "procurement_accounts.csv"
PENALTY_INCOME_ACCOUNT, GAIN_ACCOUNT, LOSS_ACCOUNT = "4206020101", "4206030101", "5108010101"
OWN_ACCOUNTS = (PENALTY_INCOME_ACCOUNT, GAIN_ACCOUNT, LOSS_ACCOUNT)


class AssetError(FinanceError):
    """A refused asset operation, with the reason in Thai and in English."""


def _manager(actor: Any) -> None:
    if actor is not None and not user_has_perm(actor, Perm.PROCUREMENT_MANAGE):
        raise PermissionDenied


def classes_ensure() -> int:
    """Create the documented asset classes that are missing; returns how many were created."""
    created = 0
    for code, name, life in CLASS_SEED:
        _row, was = AssetClass.objects.get_or_create(
            code=code,
            defaults={
                "name_th": name, "useful_life_years": life, "asset_account": ASSET_ACCOUNT,
                "accumulated_account": ACCUMULATED_ACCOUNT, "expense_account": EXPENSE_ACCOUNT,
            },
        )  # fmt: skip
        created += was
    return created


def _next_code(asset_class: AssetClass, year_be: int) -> str:
    prefix = f"CODI-{asset_class.code}-{year_be}-"
    last = (
        Asset.objects.filter(code__startswith=prefix).order_by("-code").values_list("code", flat=True).first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:05d}"


def assets_from_contract(*, actor: Any, contract: Contract, delivery: Delivery, on: date) -> list[Asset]:
    """Register the capitalisable items of a completed contract (called by ``delivery_inspect``)."""
    req = contract.requisition
    if Asset.objects.filter(delivery__contract=contract).exists():
        return []
    ratio = contract.amount / req.reference_price
    made: list[Asset] = []
    per_account: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for item in req.items.select_related("asset_class"):
        klass = item.asset_class
        if klass is None:
            continue
        unit_cost = (item.unit_price * ratio).quantize(CENT, rounding=ROUND_HALF_UP)
        if unit_cost < klass.capitalisation_threshold:
            continue
        for _n in range(int(item.quantity)):
            asset = Asset.objects.create(
                code=_next_code(klass, req.fiscal_year_be), asset_class=klass, description=item.description,
                unit=req.budget_line.unit, custodian=req.requester, cost=unit_cost, acquired_on=on, delivery=delivery,
                is_demo=req.is_demo,
            )  # fmt: skip
            made.append(asset)
            per_account[klass.asset_account] += unit_cost
    total = sum(per_account.values(), ZERO)
    if total > ZERO:
        line = req.budget_line
        ledger.entry_post(
            actor=actor, entry_date=on, description=f"บันทึกครุภัณฑ์จาก {req.number} ({len(made)} รายการ)",
            lines=[
                *(LineSpec(code, debit=amount, memo=req.number) for code, amount in per_account.items()),
                LineSpec(line.expense_account.code, credit=total, budget_line_id=line.pk, memo="โอนเป็นครุภัณฑ์"),
            ],
            source_type="procurement.capitalise", source_id=str(contract.pk),
        )  # fmt: skip
        audit_record(
            actor=actor, action="procurement.assets_register", object_type="procurement.Contract",
            object_id=contract.pk, changes={"assets": [a.code for a in made], "total": total},
        )  # fmt: skip
    return made


def asset_register(
    *, actor: Any, asset_class: AssetClass, description: str, unit: Any, cost: Decimal | str, acquired_on: date,
    location: str = "", custodian: Any = None, accumulated: Decimal | str = "0", is_demo: bool = False,
) -> Asset:  # fmt: skip
    """Register an asset bought before the platform (imported register); no ledger entry (it is in
    the opening balances)."""
    _manager(actor)
    value, accumulated_value = (
        ledger.money(cost, field="cost"),
        ledger.money(accumulated, field="accumulated"),
    )
    if value <= ZERO or accumulated_value < ZERO or accumulated_value > value or not description.strip():
        raise AssetError(
            "ราคาทุนต้องมากกว่าศูนย์และค่าเสื่อมสะสมไม่เกินราคาทุน", "Cost above zero, accumulated within cost"
        )
    with transaction.atomic():
        asset = Asset.objects.create(
            code=_next_code(asset_class, acquired_on.year + 543), asset_class=asset_class, description=description.strip(),
            unit=unit, custodian=custodian, location=location.strip(), cost=value, accumulated=accumulated_value,
            acquired_on=acquired_on, is_demo=is_demo,
        )  # fmt: skip
        audit_record(
            actor=actor, action="procurement.asset_register", object_type="procurement.Asset", object_id=asset.pk,
            changes={"code": asset.code, "cost": value},
        )  # fmt: skip
    return asset


def monthly_amount(asset: Asset) -> Decimal:
    """One month of straight-line depreciation, never below the residual value."""
    klass = asset.asset_class
    base = asset.cost - min(klass.residual_value, asset.cost)
    monthly = (base / (klass.useful_life_years * 12)).quantize(CENT, rounding=ROUND_HALF_UP)
    return max(ZERO, min(monthly, base - asset.accumulated))


def depreciation_run(*, actor: Any, period: date) -> DepreciationRun:
    """Post the month's depreciation (Dr expense / Cr accumulated per class account pair).

    Idempotent per period. Refused for a month that has not ended, and for a month before the
    latest run (no back-dating)."""
    _manager(actor)
    period = period.replace(day=1)
    existing = DepreciationRun.objects.filter(period=period).first()
    if existing is not None:
        return existing
    next_month = (period.replace(day=28) + timedelta(days=4)).replace(day=1)
    if next_month > timezone.localdate():
        raise AssetError("ยังไม่สิ้นเดือน คิดค่าเสื่อมราคาไม่ได้", "The month has not ended yet")
    latest = DepreciationRun.objects.order_by("-period").values_list("period", flat=True).first()
    if latest is not None and period < latest:
        raise AssetError("คิดค่าเสื่อมราคาย้อนหลังก่อนงวดล่าสุดไม่ได้", "Cannot run a month before the latest run")
    end = next_month - timedelta(days=1)
    assets = list(
        Asset.objects.filter(status=AssetStatus.IN_USE, acquired_on__lt=period, accumulated__lt=F("cost"))
        .select_related("asset_class")
        .order_by("pk")
    )
    amounts = [(asset, monthly_amount(asset)) for asset in assets]
    amounts = [(a, m) for a, m in amounts if m > ZERO]
    pairs: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    for asset, amount in amounts:
        pairs[(asset.asset_class.expense_account, asset.asset_class.accumulated_account)] += amount
    total = sum(pairs.values(), ZERO)
    try:
        with transaction.atomic():
            run = DepreciationRun.objects.create(
                period=period,
                total=total,
                asset_count=len(amounts),
                created_by=actor if getattr(actor, "pk", None) else None,
            )
            if total > ZERO:
                lines = []
                for (expense, accumulated), amount in sorted(pairs.items()):
                    lines += [LineSpec(expense, debit=amount), LineSpec(accumulated, credit=amount)]
                entry = ledger.entry_post(
                    actor=actor, entry_date=end, description=f"ค่าเสื่อมราคาครุภัณฑ์ประจำเดือน {period:%m}/{period.year + 543}",
                    lines=lines, source_type="procurement.depreciation", source_id=period.strftime("%Y-%m"),
                )  # fmt: skip
                run.journal_entry_id = entry.pk
                run.save(update_fields=["journal_entry_id"])
                DepreciationLine.objects.bulk_create(
                    (DepreciationLine(run=run, asset=a, amount=m) for a, m in amounts), batch_size=2000
                )
                # one statement adds each asset's line to its accumulated depreciation
                run_lines = DepreciationLine.objects.filter(run=run)
                Asset.objects.filter(pk__in=run_lines.values("asset_id")).update(
                    accumulated=F("accumulated")
                    + Subquery(run_lines.filter(asset_id=OuterRef("pk")).values("amount")[:1])
                )
            audit_record(
                actor=actor, action="procurement.depreciation_run", object_type="procurement.DepreciationRun",
                object_id=run.pk, changes={"period": period, "total": total, "assets": len(amounts)},
            )  # fmt: skip
    except IntegrityError:
        existing = DepreciationRun.objects.filter(period=period).first()
        if existing is None:
            raise
        return existing
    return run


# --- annual count and disposal ----------------------------------------------------------------


def count_start(*, actor: Any, unit: Any, year_be: int) -> AssetCount:
    _manager(actor)
    with transaction.atomic():
        count, created = AssetCount.objects.get_or_create(
            year_be=year_be, unit=unit, defaults={"started_by": actor}
        )
        if created:
            audit_record(
                actor=actor, action="procurement.count_start", object_type="procurement.AssetCount",
                object_id=count.pk, changes={"year_be": year_be, "unit": unit.code},
            )  # fmt: skip
    return count


def count_scan(
    *, actor: Any, count: AssetCount, asset_code: str, condition: str = Condition.GOOD, location: str = ""
) -> CountLine:
    """Record one asset found in the count (from its QR label); another unit's asset is refused."""
    _manager(actor)
    if condition not in Condition.values:
        raise AssetError("สภาพไม่ถูกต้อง", "Unknown condition")
    asset = Asset.objects.filter(code=asset_code.strip()).select_related("unit").first()
    if asset is None:
        raise AssetError(f"ไม่พบครุภัณฑ์รหัส {asset_code[:40]}", "No asset with that code")
    if count.is_closed:
        raise AssetError("การตรวจนับนี้ปิดแล้ว", "This count is closed")
    if asset.unit_id != count.unit_id:
        raise AssetError(
            f"ครุภัณฑ์ {asset.code} เป็นของ{asset.unit.name_th} ไม่ใช่หน่วยงานที่ตรวจนับ",
            f"Asset {asset.code} belongs to another unit",
        )
    if asset.status != AssetStatus.IN_USE:
        raise AssetError(f"ครุภัณฑ์ {asset.code} จำหน่ายแล้ว", f"Asset {asset.code} was disposed of")
    with transaction.atomic():
        line, _created = CountLine.objects.update_or_create(
            count=count, asset=asset,
            defaults={"condition": condition, "location": location.strip()[:200], "scanned_by": actor},
        )  # fmt: skip
        audit_record(
            actor=actor, action="procurement.count_scan", object_type="procurement.AssetCount", object_id=count.pk,
            changes={"asset": asset.code, "condition": condition},
        )  # fmt: skip
    return line


def count_close(*, actor: Any, count: AssetCount) -> AssetCount:
    _manager(actor)
    with transaction.atomic():
        AssetCount.objects.filter(pk=count.pk).update(is_closed=True)
        audit_record(
            actor=actor, action="procurement.count_close", object_type="procurement.AssetCount", object_id=count.pk,
            changes={"found": count.lines.count()},
        )  # fmt: skip
    count.refresh_from_db()
    return count


def accounts_ensure(*, actor: Any = None) -> None:
    """Load procurement's accounts (penalty income, gain and loss on disposal) into finance's chart
    through its own loader when any is missing (``data/procurement_accounts.csv``)."""
    if Account.objects.filter(code__in=OWN_ACCOUNTS).count() < len(OWN_ACCOUNTS):
        ledger.chart_load(actor=actor, path=ACCOUNTS_FILE)


def disposal_lines(asset: Asset, proceeds: Decimal) -> list[LineSpec]:
    """Cost and accumulated depreciation leave the books; proceeds (a sale) come into the bank;
    the difference from the book value is a gain (credit) or a loss (debit)."""
    klass = asset.asset_class
    lines = [LineSpec(klass.asset_account, credit=asset.cost, memo=asset.code)]
    if asset.accumulated > ZERO:
        lines.append(LineSpec(klass.accumulated_account, debit=asset.accumulated, memo=asset.code))
    if proceeds > ZERO:
        lines.append(LineSpec(BANK_ACCOUNT, debit=proceeds, memo=f"ขาย {asset.code}"))
    result = proceeds - asset.book_value
    if result > ZERO:
        lines.append(LineSpec(GAIN_ACCOUNT, credit=result, memo=f"กำไรจากการจำหน่าย {asset.code}"))
    elif result < ZERO:
        lines.append(LineSpec(LOSS_ACCOUNT, debit=-result, memo=f"ขาดทุนจากการจำหน่าย {asset.code}"))
    return lines


def asset_dispose(
    *, actor: Any, asset: Asset, method: str, disposed_on: date, reason: str, proceeds: Decimal | str = "0"
) -> Asset:
    """Dispose of an asset (after the disposal committee's report, regulation cl. 215): a sale
    brings ``proceeds``; a transfer out or a write-off brings none. Gain or loss is posted to
    procurement's accounts. Once only."""
    _manager(actor)
    if method not in DisposalMethod.values:
        raise AssetError("วิธีจำหน่ายไม่ถูกต้อง", "Unknown disposal method")
    if len(reason.strip()) < 5:
        raise AssetError(
            "กรุณาระบุเหตุผลและเลขที่รายงานคณะกรรมการ", "Give the reason and the committee report number"
        )
    amount = ledger.money(proceeds, field="proceeds")
    if amount < ZERO or (method != DisposalMethod.SALE and amount > ZERO):
        raise AssetError(
            "เงินที่ได้รับต้องไม่ติดลบ และมีได้เฉพาะการขาย", "Proceeds cannot be negative and only come from a sale"
        )
    accounts_ensure(actor=actor)
    with transaction.atomic():
        asset = Asset.objects.select_for_update().select_related("asset_class").get(pk=asset.pk)
        if asset.status == AssetStatus.DISPOSED:
            raise AssetError("ครุภัณฑ์นี้จำหน่ายแล้ว", "Already disposed of")
        book_value = asset.book_value
        ledger.entry_post(
            actor=actor, entry_date=disposed_on, description=f"จำหน่ายครุภัณฑ์ {asset.code} ({DisposalMethod(method).label})",
            lines=disposal_lines(asset, amount), source_type="procurement.disposal", source_id=str(asset.pk),
        )  # fmt: skip
        asset.status, asset.disposed_on, asset.disposal_method = AssetStatus.DISPOSED, disposed_on, method
        asset.disposal_reason, asset.disposal_proceeds = reason.strip()[:500], amount
        asset.save()
        audit_record(
            actor=actor, action="procurement.asset_dispose", object_type="procurement.Asset", object_id=asset.pk,
            changes={"code": asset.code, "method": method, "book_value": book_value, "proceeds": amount},
        )  # fmt: skip
    return asset


def asset_transfer(
    *, actor: Any, asset: Asset, to_unit: Any, to_custodian: Any = None, to_location: str = "",
    transferred_on: date | None = None, reason: str = "",
) -> AssetTransfer:  # fmt: skip
    """Move an asset to another unit, custodian or location; the history row keeps where it was."""
    _manager(actor)
    day = transferred_on or timezone.localdate()
    if day > timezone.localdate():
        raise AssetError("วันที่โอนต้องไม่เกินวันนี้", "The transfer date cannot be in the future")
    if len(reason.strip()) < 3 or len(reason.strip()) > 500 or len(to_location.strip()) > 200:
        raise AssetError(
            "กรุณาระบุเหตุผลการโอนย้าย (ไม่เกิน 500 ตัวอักษร)", "Give the reason (500 characters at most)"
        )
    if to_unit is None:
        raise AssetError("กรุณาเลือกหน่วยงานที่รับโอน", "Choose the receiving unit")
    with transaction.atomic():
        asset = Asset.objects.select_for_update().get(pk=asset.pk)
        if asset.status != AssetStatus.IN_USE:
            raise AssetError(f"ครุภัณฑ์ {asset.code} จำหน่ายแล้ว โอนไม่ได้", f"Asset {asset.code} was disposed of")
        location = to_location.strip() or (asset.location if to_unit.pk == asset.unit_id else "")
        if (to_unit.pk, getattr(to_custodian, "pk", None), location) == (
            asset.unit_id,
            asset.custodian_id,
            asset.location,
        ):
            raise AssetError("ไม่มีการเปลี่ยนแปลงหน่วยงาน ผู้รับผิดชอบ หรือที่ตั้ง", "Nothing changes")
        if asset.acquired_on > day:
            raise AssetError("วันที่โอนก่อนวันที่ได้มา", "The transfer is before the acquisition")
        move = AssetTransfer.objects.create(
            asset=asset, transferred_on=day, from_unit_id=asset.unit_id, to_unit=to_unit,
            from_custodian_id=asset.custodian_id, to_custodian=to_custodian, from_location=asset.location,
            to_location=location, reason=reason.strip(), recorded_by=actor,
        )  # fmt: skip
        asset.unit, asset.custodian, asset.location = to_unit, to_custodian, location
        asset.save(update_fields=["unit", "custodian", "location"])
        audit_record(
            actor=actor, action="procurement.asset_transfer", object_type="procurement.Asset", object_id=asset.pk,
            changes={"code": asset.code, "from_unit": move.from_unit_id, "to_unit": to_unit.pk,
                     "from_custodian": move.from_custodian_id, "to_custodian": getattr(to_custodian, "pk", None),
                     "location": location},
        )  # fmt: skip
    return move


def label_svg(text: str) -> str:
    """An SVG QR code for a label (segno, imported here: only label pages need it)."""
    import segno  # heavy: QR encoder, only label pages need it

    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="svg", scale=3, xmldecl=False, svgns=True)
    return out.getvalue().decode()
