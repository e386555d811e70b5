"""Procurement documents as Thai PDFs (``codi.core.pdf.render_pdf``) and the public announcements.

* รายงานขอซื้อขอจ้าง / บันทึกขออนุมัติ (requisition memo): reason, items, reference price and its
  source, method with its legal basis, committees, the approval;
* ใบสั่งซื้อ / สัญญา (purchase order or contract): vendor, amount, delivery, warranty, guarantee,
  penalty rate, e-GP numbers;
* ใบตรวจรับพัสดุ (inspection report) of one delivery: dates, late days, penalty, the decision;
* ประกาศผลผู้ชนะ (award announcement, s.66) — also public, with the published annual plan (s.11).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from codi.core.pdf import render_pdf
from codi.procurement import rules
from codi.procurement.citations import CITATIONS, cite
from codi.procurement.models import Committee, Contract, Delivery, PlanLine, Requisition

KINDS = {"memo", "contract", "award"}


def _base(req: Requisition) -> dict[str, Any]:
    return {
        "req": req,
        "items": list(req.items.all()),
        "printed_at": timezone.localtime(),
        "committees": [
            (label, [m for m in req.committee.select_related("user") if m.committee == key])
            for key, label in Committee.choices
        ],
    }


def requisition_memo_pdf(req: Requisition) -> bytes:
    return render_pdf(
        "procurement/pdf/memo.html",
        {**_base(req), "citations": cite("methods", "threshold", "committees", "conflict")},
    )


def contract_pdf(contract: Contract) -> bytes:
    req = contract.requisition
    return render_pdf(
        "procurement/pdf/contract.html",
        {
            **_base(req), "contract": contract, "citations": cite("penalty", "inspection"),
            "penalty_min": rules.PENALTY_MIN_PERCENT, "penalty_max": rules.PENALTY_MAX_PERCENT,
        },
    )  # fmt: skip


def inspection_pdf(delivery: Delivery) -> bytes:
    contract = delivery.contract
    return render_pdf(
        "procurement/pdf/inspection.html",
        {
            **_base(contract.requisition), "contract": contract, "delivery": delivery,
            "citations": cite("inspection", "penalty"), "working_days": rules.INSPECTION_WORKING_DAYS,
        },
    )  # fmt: skip


def award_pdf(contract: Contract) -> bytes:
    return render_pdf("procurement/pdf/award.html", award_context(contract))


def award_context(contract: Contract) -> dict[str, Any]:
    req = contract.requisition
    return {
        "req": req,
        "contract": contract,
        "bidders": req.quotations.count(),
        "citation": CITATIONS["award"],
        "printed_at": timezone.localtime(),
    }


# --- public announcements (no personal data: vendors are businesses, staff are not named) -----


def published_plan(*, year_be: int | None = None) -> QuerySet[PlanLine]:
    rows = (
        PlanLine.objects.filter(is_published=True)
        .select_related("unit")
        .order_by("-fiscal_year_be", "quarter", "id")
    )
    return rows.filter(fiscal_year_be=year_be) if year_be else rows


def award_announcements() -> QuerySet[Contract]:
    return Contract.objects.select_related("requisition").order_by("-signed_on", "-id")
