from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django import template
from django.utils.translation import get_language

from codi.core.thaidate import baht, english_date, thai_date

register = template.Library()


@register.filter
def be_date(value: date | datetime | None) -> str:
    """Date in the page's language: Buddhist Era in Thai, Gregorian in English."""
    if (get_language() or "th").startswith("en"):
        return english_date(value)
    return thai_date(value)


@register.filter
def be_datetime(value: datetime | None) -> str:
    if (get_language() or "th").startswith("en"):
        return english_date(value, with_time=True)
    return thai_date(value, with_time=True)


@register.filter
def money(value: Decimal | int | None) -> str:
    return "-" if value is None else baht(Decimal(value))
