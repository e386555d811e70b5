"""Read-only feedback figures for the community-strength index (codi.scoring).

System-level, no user scope: per subdistrict, the tickets of a fiscal year whose resolution time
has come (resolved, or past their due time) and those of them resolved by their due time. A
subdistrict with no such ticket is absent: no complaint is missing, not "all resolved".
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import Q
from django.utils import timezone

from codi.core.thaidate import ce_year
from codi.feedback.models import Ticket


def tickets_by_subdistrict(*, fiscal_year: int, as_of: date) -> dict[str, dict[str, list[int]]]:
    """Subdistrict code → ``due`` (ticket ids whose resolution is due or done by ``as_of``) and
    ``in_time`` (those resolved on or before their due time)."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(date(ce_year(fiscal_year) - 1, 10, 1), time.min, tz)
    end = datetime.combine(date(ce_year(fiscal_year), 9, 30), time.max, tz)
    cutoff = datetime.combine(as_of, time.max, tz)
    rows = (
        Ticket.objects.filter(
            subdistrict__isnull=False,
            created_at__range=(start, end),
            resolve_due_at__isnull=False,
        )
        .filter(Q(resolved_at__lte=cutoff) | Q(resolve_due_at__lte=cutoff))
        .order_by("pk")
        .values_list("pk", "subdistrict_id", "resolved_at", "resolve_due_at")
    )
    out: dict[str, dict[str, list[int]]] = {}
    for pk, code, resolved_at, due_at in rows:
        entry = out.setdefault(code, {"due": [], "in_time": []})
        entry["due"].append(pk)
        if resolved_at is not None and due_at is not None and resolved_at <= due_at and resolved_at <= cutoff:
            entry["in_time"].append(pk)
    return out
