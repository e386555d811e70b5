"""Procurement PDFs (memo, PO/contract, inspection report, award) and the public announcements.

The PDFs of a requisition are for those who may see it (``selectors.requisition_get``: 404
otherwise); the announcements page and the award announcement PDF are public, as s.11 and s.66
of the Act require (vendors are businesses; no member of staff is named there)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from codi.procurement import documents, selectors
from codi.procurement.citations import cite
from codi.procurement.models import Contract, Delivery
from codi.procurement.views import _requisition


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


@login_required
def requisition_pdf(request: HttpRequest, requisition_id: int, kind: str) -> HttpResponseBase:
    req = _requisition(request, requisition_id)
    if kind == "memo":
        return _pdf(documents.requisition_memo_pdf(req), f"{req.number}-memo")
    contract = Contract.objects.filter(requisition=req).first()
    if contract is None or kind not in documents.KINDS:
        raise Http404
    if kind == "contract":
        return _pdf(documents.contract_pdf(contract), f"{req.number}-contract")
    return _pdf(documents.award_pdf(contract), f"{req.number}-award")


@login_required
def inspection_pdf(request: HttpRequest, requisition_id: int, delivery_id: int) -> HttpResponseBase:
    req = _requisition(request, requisition_id)
    delivery = (
        Delivery.objects.filter(contract__requisition=req, pk=delivery_id).select_related("contract").first()
    )
    if delivery is None:
        raise Http404
    return _pdf(documents.inspection_pdf(delivery), f"{req.number}-inspection-{delivery.pk}")


def announcements(request: HttpRequest) -> HttpResponseBase:
    """Public: the published annual plan and the award announcements."""
    year = request.GET.get("fy", "")
    plan = documents.published_plan(year_be=int(year) if year.isdigit() and len(year) == 4 else None)
    return render(
        request,
        "procurement/announcements.html",
        {
            "plan": Paginator(plan, 50).get_page(request.GET.get("plan_page")),
            "awards": Paginator(documents.award_announcements(), 50).get_page(request.GET.get("page")),
            "citations": cite("plan", "award"),
            "can_see_more": selectors.has_access(request.user),
        },
    )


def award_public_pdf(request: HttpRequest, contract_id: int) -> HttpResponseBase:
    contract = Contract.objects.select_related("requisition").filter(pk=contract_id).first()
    if contract is None:
        raise Http404
    return _pdf(documents.award_pdf(contract), f"{contract.requisition.number}-award")
