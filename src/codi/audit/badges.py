"""e-Audit's record badges (codi.core.badges): on a voucher's or a requisition's page, the exceptions
the analytics raised on it, for a viewer who reads audit results; nothing for anyone else."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from codi.audit import selectors
from codi.audit.models import ExceptionStatus
from codi.core.badges import Badge

SOURCES = {"finance.PaymentVoucher", "procurement.Requisition", "projects.Project", "people.Employee"}


def audit_badges(user: Any, object_type: str, object_id: str) -> list[Badge]:
    if object_type not in SOURCES or not selectors.can_view(user):
        return []
    counts = selectors.exception_counts_for_source(actor=user, source_type=object_type, source_id=object_id)
    open_, findings = counts.get(ExceptionStatus.OPEN, 0), counts.get(ExceptionStatus.FINDING, 0)
    if not (open_ or findings):
        return []
    url = (
        reverse("eaudit:exceptions") + "?" + urlencode({"source": f"{object_type}:{object_id}", "status": ""})
    )
    text = _("e-Audit: %(open)d exceptions to review, %(findings)d raised as findings") % {
        "open": open_, "findings": findings,
    }  # fmt: skip
    return [Badge(text, url, "warn" if open_ else "info")]
