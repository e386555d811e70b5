"""Numbers, money, durations and months the way a Thai page shows them (English when chosen).

Counts have no decimals, baht two; cards use compact figures ("3.39 พันล้านบาท") with the exact
amount on hover; durations and months are words, months in the Buddhist Era.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from codi.core.thaidate import BE_OFFSET, MONTHS_EN_SHORT, MONTHS_TH_SHORT
from codi.identity.selectors import Grant
from codi.web.context import grant_words as grant_in_words

register = template.Library()

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _english() -> bool:
    return (get_language() or "th").startswith("en")


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@register.filter
def count(value: Any) -> str:
    """A count: whole number with thousands separators ("303", never "303.00")."""
    number = _decimal(value)
    if number is None:
        return "-"
    return f"{int(number.to_integral_value()):,}"


@register.filter
def baht2(value: Any) -> str:
    """Baht with two decimals and separators ("1,234.50")."""
    number = _decimal(value)
    if number is None:
        return "-"
    return f"{number.quantize(Decimal('0.01')):,}"


def compact_number(number: Decimal) -> str:
    """3,390,917,000 → "3.39 พันล้าน" (Thai) / "3.39 billion" (English); below a million, exact."""
    steps_th = ((Decimal(10) ** 12, "ล้านล้าน"), (Decimal(10) ** 9, "พันล้าน"), (Decimal(10) ** 6, "ล้าน"))
    steps_en = ((Decimal(10) ** 12, "trillion"), (Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million"))
    for size, word in steps_en if _english() else steps_th:
        if abs(number) >= size:
            short = (number / size).quantize(Decimal("0.01"))
            text = f"{short:,}".rstrip("0").rstrip(".")
            return f"{text} {word}"
    return f"{int(number.to_integral_value()):,}"


@register.filter
def compact_baht(value: Any) -> SafeString | str:
    """A card figure: "3.39 พันล้านบาท", the exact amount in the hover title."""
    number = _decimal(value)
    if number is None:
        return "-"
    unit = " baht" if _english() else "บาท"
    short = compact_number(number)
    exact = f"{number.quantize(Decimal('0.01')):,}{' baht' if _english() else ' บาท'}"
    shown = f"{short}{unit}" if not short[-1].isdigit() or _english() else f"{short} {unit}"
    return format_html('<abbr class="exact" title="{}">{}</abbr>', exact, shown)


@register.filter
def compact_count(value: Any) -> SafeString | str:
    number = _decimal(value)
    if number is None:
        return "-"
    return format_html('<abbr class="exact" title="{}">{}</abbr>', f"{int(number):,}", compact_number(number))


@register.filter
def duration(value: timedelta | int | None) -> str:
    """A time span in words: "4 สัปดาห์ 1 วัน" / "4 weeks 1 day"; ints are days."""
    if value is None or value == "":
        return "-"
    delta = value if isinstance(value, timedelta) else timedelta(days=int(value))
    days = delta.days
    hours = delta.seconds // 3600
    minutes = (delta.seconds % 3600) // 60
    weeks, days = divmod(days, 7)
    parts = []
    if weeks:
        parts.append(ngettext("%(n)d week", "%(n)d weeks", weeks) % {"n": weeks})
    if days:
        parts.append(ngettext("%(n)d day", "%(n)d days", days) % {"n": days})
    if hours and not weeks:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if minutes and not weeks and not days:
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes})
    if not parts:
        return _("less than a minute")
    return " ".join(parts)


@register.filter
def be_month(value: date | datetime | str | None) -> str:
    """A month: "ส.ค. 2569" in Thai, "Aug 2026" in English; takes a date or "2026-08"."""
    if value is None or value == "":
        return "-"
    if isinstance(value, str):
        match = _MONTH.match(value.strip())
        if not match:
            return value
        year, month = int(match.group(1)), int(match.group(2))
    else:
        year, month = value.year, value.month
    if not 1 <= month <= 12:
        return str(value)
    if _english():
        return f"{MONTHS_EN_SHORT[month - 1]} {year}"
    return f"{MONTHS_TH_SHORT[month - 1]} {year + BE_OFFSET}"


@register.filter
def choice_label(value: Any, choices: Any) -> str:
    """The label of a choice value, given the TextChoices class or a list of pairs ("paid" → "จ่ายแล้ว")."""
    if value in (None, ""):
        return "-"
    pairs = getattr(choices, "choices", choices) or []
    for key, label in pairs:
        if str(key) == str(value):
            return str(label)
    return str(value)


@register.filter
def person_name(user: Any) -> str:
    """A person by name ("เจ้าหน้าที่โครงการขอนแก่น"), never by sign-in name when a name is known."""
    if user is None or user == "":
        return "-"
    english = _english()
    for attr in ("name_en", "name_th") if english else ("name_th", "name_en"):
        value = getattr(user, attr, "")
        if value:
            return str(value)
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return full or str(getattr(user, "username", user))


@register.filter
def grant_words(grant: Any) -> str:
    """A role assignment in words: "เจ้าหน้าที่โครงการ · จังหวัดขอนแก่น"."""
    return grant_in_words(Grant(grant.role, grant.scope_level, grant.scope_code or "", frozenset()))


def _outcomes() -> dict[str, str]:
    return {
        "pass": _("Passed to the committee"),
        "revise": _("Returned for revision"),
        "reject": _("Rejected"),
        "recommend": _("Recommended"),
        "approve": _("Approved"),
        "accept": _("Accepted"),
        "accepted": _("Accepted"),
        "return": _("Returned for revision"),
        "returned": _("Returned for revision"),
        "signed": _("Agreement signed"),
        "paid": _("Paid"),
        "submitted": _("Submitted"),
        "sent": _("Sent to the bank"),
        "awarded": _("Awarded"),
        "disbursed": _("Disbursed"),
        "closed": _("Closed"),
        "cancelled": _("Cancelled"),
        "skipped": _("Skipped"),
    }


@register.filter
def step_outcome(value: str | None) -> str:
    """A workflow step's outcome in words ("pass" → "ผ่าน ส่งคณะกรรมการ"; "paid #2" → "จ่ายแล้ว งวดที่ 2")."""
    if not value:
        return ""
    head, _sep, rest = str(value).partition(" ")
    label = _outcomes().get(head, head)
    if rest.startswith("#") and rest[1:].isdigit():
        return f"{label} ({_('Installment')} {rest[1:]})"
    return f"{label} {rest}".strip()


@register.filter
def detail_label(key: str) -> str:
    """The label of a project's type-specific detail ("housing_units" → "จำนวนหน่วยบ้าน")."""
    labels = {
        "housing_units": _("Housing units (housing programs)"),
        "land_tenure": _("Land tenure (housing programs)"),
        "members": _("Fund members (welfare programs)"),
        "benefits": _("Benefits (welfare programs)"),
    }
    return labels.get(str(key), str(key).replace("_", " "))


@register.filter
def time_until(value: date | datetime | None) -> str:
    """How long until, in words: "4 สัปดาห์ 1 วัน" (Django's timeuntil is English-shaped)."""
    if value is None or value == "":
        return "-"
    now = timezone.now() if isinstance(value, datetime) else timezone.localdate()
    return duration(max(value - now, timedelta(0)))


@register.filter
def time_since(value: date | datetime | None, until: date | datetime | None = None) -> str:
    """How long ago, in words: "1 สัปดาห์ 2 วัน" (Django's timesince is English-shaped: "1 week, 2 days")."""
    if value is None or value == "":
        return "-"
    end = until or (timezone.localdate() if not isinstance(value, datetime) else timezone.now())
    if isinstance(value, datetime) != isinstance(end, datetime):
        value = value.date() if isinstance(value, datetime) else value
        end = end.date() if isinstance(end, datetime) else end
    return duration(max(end - value, timedelta(0)))
