from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def satang(value: int | None) -> str:
    """Integer satang as baht with two decimals and thousands separators (``123456`` → ``1,234.56``)."""
    if value is None:
        return ""
    sign = "-" if value < 0 else ""
    whole, cents = divmod(abs(int(value)), 100)
    return f"{sign}{whole:,}.{cents:02d}"
