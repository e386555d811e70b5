"""Who else must act when money moves in PMS, inside the same transaction.

Another app (the ledger) registers a handler once, in its ``AppConfig.ready()``; the money
services call every handler inside their ``transaction.atomic()`` block, after the PMS rows are
written. A handler that refuses raises ``HookRefused`` (Thai and English reason): the service
turns it into a ``ProjectError`` and the whole payment rolls back, so PMS and the books never
disagree. Any other exception rolls back too and propagates as it is.

Handlers receive plain values (``MoneyEvent``), never PMS models, so the registering app needs
nothing from projects but this module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal


class HookRefused(Exception):  # noqa: N818  (a refusal, not a programming error)
    """A handler's refusal: the payment must not happen."""

    def __init__(self, message_th: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_th = message_th
        self.message_en = message_en


@dataclass(frozen=True)
class MoneyEvent:
    """A disbursement paid or a fund return recorded, as plain values.

    ``kind`` is ``"disbursement"``, ``"fund_return"`` or ``"approval"`` (the approved amount set
    or reduced: nothing is paid, a handler moves its commitment; ``id`` is then the project's);
    ``id`` is that row's id (the key a
    handler posts under, so a replay finds what was already posted). ``budget_line`` carries
    the PMS budget line's fields (id, fiscal_year, allocated, region_id, program__code,
    program__name_th); ``approved_amount`` and ``paid`` are the project's after this event.
    """

    kind: str
    id: int
    amount: Decimal
    at: datetime
    reference: str
    project_id: int
    project_code: str
    province_id: str
    approved_amount: Decimal | None
    paid: Decimal
    project_active: bool
    budget_line: dict[str, object]
    actor: object


Handler = Callable[[MoneyEvent], None]
_HANDLERS: dict[str, Handler] = {}


def on_money_moved(name: str, handler: Handler) -> None:
    """Register ``handler`` under ``name`` (registering the same name again replaces it)."""
    _HANDLERS[name] = handler


def unregister(name: str) -> Handler | None:
    return _HANDLERS.pop(name, None)


def handlers() -> dict[str, Handler]:
    return dict(_HANDLERS)


def money_moved(event: MoneyEvent) -> None:
    """Call every registered handler, in registration order (inside the caller's transaction)."""
    for handler in list(_HANDLERS.values()):
        handler(event)
