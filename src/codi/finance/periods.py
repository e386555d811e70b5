"""Monthly periods: close with checks, reopen, and the year-end closing entries.

A period closes (chief accountant, country-wide ``finance.check``) only when the months before it
are closed and three checks pass for everything dated up to its last day:

* the suspense account (บัญชีพักรอตรวจสอบ) is cleared — its balance is zero;
* no payment batch is still unposted — every voucher sent to the bank in a batch was paid
  (its payment posted from the bank statement);
* the bank is reconciled — no imported statement line waits in the queue.

Posting into a closed period is refused by ``ledger.entry_post``. The year end closes period 12
after posting the closing entry: every revenue and expense account of the year is brought to zero
against accumulated surplus (รายได้สูงกว่าค่าใช้จ่ายสะสม), and the fiscal year is closed.
Balance-sheet accounts carry forward by themselves (their balance is the sum of every line).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from codi.core.audit import audit_record
from codi.finance import ledger
from codi.finance.dimensions import COLUMNS, Dimensions
from codi.finance.ledger import FinanceError, LineSpec
from codi.finance.models import (
    ZERO,
    AccountType,
    FiscalYear,
    JournalEntry,
    JournalLine,
    PaymentVoucher,
    Period,
    StatementLine,
    VoucherStatus,
)
from codi.finance.selectors import is_country_wide
from codi.identity.roles import Perm

SUSPENSE_ACCOUNT = "1109990101"
SURPLUS_ACCOUNT = "3102010101"
CLOSING_BOOK = "CL"
DIMENSION_COLUMNS = tuple(COLUMNS.values())


@dataclass(frozen=True)
class CloseProblem:
    code: str
    message_th: str
    message_en: str


def _require_closer(actor: Any) -> None:
    if not is_country_wide(actor, Perm.FINANCE_CHECK):
        raise PermissionDenied


def _cents(value: Decimal | None) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))


def period_close_checks(*, period: Period) -> list[CloseProblem]:
    """What stands in the way of closing ``period`` (empty: it may close)."""
    problems: list[CloseProblem] = []
    end = period.end_date
    sums = JournalLine.objects.filter(account__code=SUSPENSE_ACCOUNT, entry__entry_date__lte=end).aggregate(
        d=Sum("debit"), c=Sum("credit")
    )
    suspense = _cents(sums["d"]) - _cents(sums["c"])
    if suspense:
        problems.append(
            CloseProblem(
                "suspense",
                f"บัญชีพักรอตรวจสอบยังมียอดคงเหลือ {ledger.baht(suspense)} บาท",
                f"The suspense account still holds {ledger.baht(suspense)} baht",
            )
        )
    unposted = sorted(
        {
            v.batch.number
            for v in PaymentVoucher.objects.filter(
                status=VoucherStatus.SENT, batch__value_date__lte=end
            ).select_related("batch__fiscal_year")
            if v.batch is not None
        }
    )
    if unposted:
        problems.append(
            CloseProblem(
                "batches",
                f"ชุดโอนเงินยังไม่ได้บันทึกการจ่าย: {', '.join(unposted)}",
                f"Payment batches not yet posted as paid: {', '.join(unposted)}",
            )
        )
    queue = StatementLine.objects.filter(
        value_date__lte=end, voucher__isnull=True, receipt__isnull=True
    ).count()
    if queue:
        problems.append(
            CloseProblem(
                "bank",
                f"รายการเดินบัญชีธนาคารยังไม่ได้กระทบยอด {queue} รายการ",
                f"{queue} bank statement lines are not reconciled",
            )
        )
    return problems


def _refuse(problems: list[CloseProblem], period: Period) -> FinanceError:
    return FinanceError(
        f"ปิดงวด {period} ไม่ได้: " + "; ".join(p.message_th for p in problems),
        f"Period {period} cannot close: " + "; ".join(p.message_en for p in problems),
    )


def period_close(*, actor: Any, period: Period) -> Period:
    """Close ``period`` after its checks; refused (nothing written) with every reason found."""
    _require_closer(actor)
    with transaction.atomic():
        # The fiscal-year row is what entry_post locks: no posting slips in while we close.
        FiscalYear.objects.select_for_update().get(pk=period.fiscal_year_id)
        period = Period.objects.select_for_update().select_related("fiscal_year").get(pk=period.pk)
        if period.is_closed:
            return period
        if Period.objects.filter(
            fiscal_year=period.fiscal_year, month__lt=period.month, is_closed=False
        ).exists():
            raise FinanceError("ต้องปิดงวดก่อนหน้าให้ครบก่อน", "Close the earlier periods of the year first")
        problems = period_close_checks(period=period)
        if problems:
            raise _refuse(problems, period)
        period.is_closed = True
        period.closed_at = timezone.now()
        period.closed_by = actor
        period.save(update_fields=["is_closed", "closed_at", "closed_by"])
        audit_record(
            actor=actor, action="finance.period_close", object_type="finance.Period", object_id=period.pk,
            changes={"period": str(period)},
        )  # fmt: skip
    return period


def period_reopen(*, actor: Any, period: Period, reason: str) -> Period:
    """Reopen the latest closed period of an open year (audited with the reason)."""
    _require_closer(actor)
    if not reason.strip():
        raise FinanceError("กรุณาระบุเหตุผลการเปิดงวด", "Give the reason for reopening")
    with transaction.atomic():
        year = FiscalYear.objects.select_for_update().get(pk=period.fiscal_year_id)
        period = Period.objects.select_for_update().get(pk=period.pk)
        if year.is_closed:
            raise FinanceError("ปีงบประมาณปิดบัญชีแล้ว", "The fiscal year is closed")
        if Period.objects.filter(fiscal_year=year, month__gt=period.month, is_closed=True).exists():
            raise FinanceError("ต้องเปิดงวดหลังสุดก่อน", "Reopen the later periods first")
        period.is_closed = False
        period.save(update_fields=["is_closed"])
        audit_record(
            actor=actor, action="finance.period_reopen", object_type="finance.Period", object_id=period.pk,
            changes={"period": str(period), "reason": reason.strip()},
        )  # fmt: skip
    return period


def closing_lines(*, year: FiscalYear) -> list[LineSpec]:
    """The lines that bring the year's revenue and expense accounts to zero against surplus."""
    sums = (
        JournalLine.objects.filter(
            entry__fiscal_year=year, account__account_type__in=[AccountType.REVENUE, AccountType.EXPENSE]
        )
        .values("account__code", *DIMENSION_COLUMNS)
        .annotate(d=Sum("debit"), c=Sum("credit"))
        .order_by("account__code", *DIMENSION_COLUMNS)
    )
    lines: list[LineSpec] = []
    surplus = ZERO
    for row in sums:
        balance = _cents(row["d"]) - _cents(row["c"])  # debit balance positive
        # Closed per account and per dimension, so every dimension's revenue and expense end at zero.
        dims = Dimensions(**{name: row[column] or "" for name, column in COLUMNS.items()})
        if balance > 0:
            lines.append(LineSpec(row["account__code"], credit=balance, memo="ปิดบัญชีสิ้นปี", dimensions=dims))
        elif balance < 0:
            lines.append(LineSpec(row["account__code"], debit=-balance, memo="ปิดบัญชีสิ้นปี", dimensions=dims))
        surplus += balance
    if surplus > 0:  # expenses exceeded revenue: a deficit reduces accumulated surplus
        lines.append(LineSpec(SURPLUS_ACCOUNT, debit=surplus, memo="ขาดทุนสุทธิ"))
    elif surplus < 0:
        lines.append(LineSpec(SURPLUS_ACCOUNT, credit=-surplus, memo="รายได้สูงกว่าค่าใช้จ่าย"))
    return lines


def year_end_close(*, actor: Any, year: FiscalYear) -> JournalEntry | None:
    """Post the closing entry on the year's last day, close period 12 and the fiscal year.

    Refused unless periods 1–11 are closed and period 12 passes its checks. Returns the closing
    entry (None when the year had no revenue or expense)."""
    _require_closer(actor)
    periods = ledger.periods_ensure(year=year)
    with transaction.atomic():
        year = FiscalYear.objects.select_for_update().get(pk=year.pk)
        if year.is_closed:
            raise FinanceError("ปีงบประมาณปิดบัญชีแล้ว", "The fiscal year is already closed")
        if any(not p.is_closed for p in periods[:11]):
            raise FinanceError("ต้องปิดงวดที่ 1–11 ก่อนปิดบัญชีสิ้นปี", "Close periods 1–11 before the year end")
        last = periods[11]
        problems = period_close_checks(period=last)
        if problems:
            raise _refuse(problems, last)
        lines = closing_lines(year=year)
        entry = None
        if lines:
            entry = ledger.entry_post(
                actor=actor, entry_date=year.end_date, description=f"ปิดบัญชีสิ้นปีงบประมาณ {year.year_be}",
                lines=lines, source_type="finance.year_end", source_id=str(year.year_be), book=CLOSING_BOOK,
            )  # fmt: skip
        Period.objects.filter(pk=last.pk).update(is_closed=True, closed_at=timezone.now(), closed_by=actor)
        FiscalYear.objects.filter(pk=year.pk).update(is_closed=True)
        audit_record(
            actor=actor, action="finance.year_end_close", object_type="finance.FiscalYear", object_id=year.pk,
            changes={"year_be": year.year_be, "entry": entry.number if entry else None},
        )  # fmt: skip
    return entry
