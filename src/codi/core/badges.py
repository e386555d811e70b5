"""Record badges: short notes another app pins on a record's page without the record's app knowing it.

The finance voucher page does not import e-Audit (the apps are independent); it asks the registry
for the badges of ``("finance.PaymentVoucher", pk)`` with one template tag
(``{% load record_badges %}{% record_badges "finance.PaymentVoucher" voucher.pk %}``). An app
registers a provider in its ``AppConfig.ready``; each provider decides what the viewer may see
and returns nothing otherwise. A provider that fails is logged and skipped: a badge never breaks
the page it sits on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("codi.badges")


@dataclass(frozen=True)
class Badge:
    text: str
    url: str = ""
    tone: str = "warn"  # "warn" or "info"


Provider = Callable[[Any, str, str], list[Badge]]
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def badges_for(*, user: Any, object_type: str, object_id: Any) -> list[Badge]:
    found: list[Badge] = []
    if not getattr(user, "is_authenticated", False):
        return found
    for provider in list(_PROVIDERS):
        try:
            found.extend(provider(user, object_type, str(object_id)))
        except Exception:  # a badge never breaks the page it sits on
            log.exception("record badge provider %s failed", getattr(provider, "__name__", provider))
    return found
