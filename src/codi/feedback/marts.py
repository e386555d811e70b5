"""Feedback tickets for the analytics store (read-only; only the feedback app's tables).

One row per ticket with its channel, topic, status and SLA dates; no text and no reporter details
(the store holds no personal data). Tickets move through their states, so the mart is rebuilt when
the count, the largest id or the latest change differ. See ``codi.core.marts``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Max
from django.utils import timezone

from codi.core.marts import Column, MartSource, fingerprint
from codi.feedback.models import Ticket

_TICKETS = (
    ("id", "int", "feedback.Ticket.id", "id"),
    ("reference", "str", "feedback.Ticket.reference", "reference"),
    ("received_on", "date", "feedback.Ticket.created_at (date in Thailand)", "created_at"),
    ("channel", "str", "feedback.Ticket.channel", "channel"),
    ("category", "str", "feedback.Ticket.category", "category"),
    ("sentiment", "str", "feedback.Ticket.sentiment", "sentiment"),
    ("is_urgent", "bool", "feedback.Ticket.is_urgent", "is_urgent"),
    ("status", "str", "feedback.Ticket.status", "status"),
    ("subdistrict", "str", "feedback.Ticket.subdistrict", "subdistrict_id"),
    ("resolved_at", "datetime", "feedback.Ticket.resolved_at", "resolved_at"),
    ("resolve_due_at", "datetime", "feedback.Ticket.resolve_due_at", "resolve_due_at"),
    ("resolved_in_sla", "bool", "feedback.Ticket.resolved_at <= Ticket.resolve_due_at", ""),
)


def tickets(after: Any) -> Iterator[tuple[Any, ...]]:
    fields = [f[3] for f in _TICKETS if f[3]]
    for row in Ticket.objects.order_by("id").values_list(*fields).iterator(chunk_size=5000):
        resolved, due = row[9], row[10]
        in_sla = None if resolved is None or due is None else resolved <= due
        yield (row[0], row[1], timezone.localdate(row[2]), *row[3:], in_sla)


def tickets_fingerprint() -> str:
    return fingerprint(Ticket.objects, changed=Max("updated_at"))


MARTS = [
    MartSource(
        name="tickets",
        title_en="Feedback tickets",
        app_label="feedback",
        selector="codi.feedback.marts.tickets",
        columns=tuple(Column(n, k, s) for n, k, s, _f in _TICKETS),
        rows=tickets,
        date_column="received_on",
        fingerprint=tickets_fingerprint,
    ),
]
