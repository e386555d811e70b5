"""Buddhist-Era dates and Thai number formatting for pages and documents."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

BE_OFFSET = 543
MONTHS_TH_SHORT = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)  # fmt: skip
MONTHS_TH_FULL = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip
MONTHS_EN_SHORT = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _local(value: date | datetime) -> date | datetime:
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def be_year(value: date | datetime) -> int:
    """The Buddhist-Era year of a date (a moment: of its local date in Asia/Bangkok)."""
    return _local(value).year + BE_OFFSET


def ce_year(be: int) -> int:
    """The Gregorian year of a Buddhist-Era year (2569 → 2026)."""
    return be - BE_OFFSET


def thai_date(value: date | datetime | None, *, full_month: bool = False, with_time: bool = False) -> str:
    """``25 พ.ย. 2569`` (Buddhist Era); with ``with_time`` adds ``14:05 น.``"""
    if value is None:
        return "-"
    value = _local(value)
    months = MONTHS_TH_FULL if full_month else MONTHS_TH_SHORT
    text = f"{value.day} {months[value.month - 1]} {value.year + BE_OFFSET}"
    if with_time and isinstance(value, datetime):
        text += f" {value:%H:%M} น."
    return text


def english_date(value: date | datetime | None, *, with_time: bool = False) -> str:
    if value is None:
        return "-"
    value = _local(value)
    text = f"{value.day} {MONTHS_EN_SHORT[value.month - 1]} {value.year}"
    if with_time and isinstance(value, datetime):
        text += f" {value:%H:%M}"
    return text


def fiscal_year_be(value: date) -> int:
    """Thai government fiscal year (October–September), in the Buddhist Era."""
    return value.year + BE_OFFSET + (1 if value.month >= 10 else 0)


def baht(amount: Decimal) -> str:
    """``1,234,567.50`` — satang precision, thousands separators."""
    return f"{amount.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}"
