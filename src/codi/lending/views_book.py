"""Lending pages for the books: the month-end interest accrual (list and run) and the import of
the existing loan book (``codi.lending.loanbook``).

Thin: the accrual is run by ``codi.lending.accruals`` (country-wide ``lending.cash`` only; the
service refuses anyone else with PermissionDenied → 403)."""

from __future__ import annotations

from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from codi.identity.guards import need
from codi.identity.roles import Perm
from codi.lending import accruals, loanbook
from codi.lending import portal as portal_kit
from codi.lending.services import LendingError

MAX_UPLOAD = 10 * 1024 * 1024


@login_required
def accrual_runs(request: HttpRequest) -> HttpResponse:
    """The month-end accruals so far; POST ``month`` (YYYY-MM) runs one (a second run adds nothing)."""
    need(request, accruals.can_accrue)
    if request.method == "POST":
        try:
            outcome = accruals.accrue_month(actor=request.user, month=request.POST.get("month", ""))
        except LendingError as exc:
            messages.error(request, exc.message_th if request.LANGUAGE_CODE == "th" else exc.message_en)
        else:
            if outcome.created:
                messages.success(request, _("Interest accrued."))
            else:
                messages.info(request, _("This month was already accrued; nothing was added."))
        return redirect("lending:accruals")
    return render(
        request,
        "lending/accruals.html",
        {"runs": accruals.accrual_list()[:120], "default_month": accruals.last_ended_month()},
    )


@login_required
def loan_book_import(request: HttpRequest) -> HttpResponse:
    """Upload the existing loan book: check (dry run) or import; errors by line and column."""
    need(request, Perm.LENDING_MANAGE)
    context: dict[str, Any] = {"columns": loanbook.COLUMNS, "optional": loanbook.OPTIONAL}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None or upload.size is None or upload.size > MAX_UPLOAD:
            messages.error(request, _("Choose an .xlsx or CSV file of at most 10 MB."))
        else:
            context["result"] = loanbook.loan_book_import(
                actor=request.user, content=upload.read(), filename=upload.name or "",
                dry_run=request.POST.get("commit") != "1",
            )  # fmt: skip
    return render(request, "lending/loan_import.html", context)


@login_required
def portal(request: HttpRequest) -> HttpResponse:
    """The organization representative's loans and the loan application form (community portal)."""
    need(request, portal_kit.can_use_portal)
    if request.method == "POST":
        product = portal_kit.products().filter(pk=_digits(request.POST.get("product", ""))).first()
        try:
            if product is None:
                raise LendingError("กรุณาเลือกผลิตภัณฑ์สินเชื่อ", "Choose a loan product")
            loan = portal_kit.portal_apply(
                actor=request.user, organization_id=_digits(request.POST.get("organization", "")),
                product=product, principal=request.POST.get("principal", ""),
                months=request.POST.get("months", ""), purpose=request.POST.get("purpose", ""),
                collateral=request.POST.get("collateral", ""), guarantee=request.POST.get("guarantee", ""),
            )  # fmt: skip
        except LendingError as exc:
            messages.error(request, exc.message_th if request.LANGUAGE_CODE == "th" else exc.message_en)
        else:
            messages.success(
                request,
                _("Your application %(number)s was sent to the credit officer.") % {"number": loan.number},
            )
            return redirect("lending:portal")
    dues = portal_kit.portal_next_dues(request.user)
    return render(
        request,
        "lending/portal.html",
        {
            "organizations": portal_kit.portal_organizations(request.user),
            "products": portal_kit.products(),
            "rows": [(loan, dues.get(loan.pk)) for loan in portal_kit.portal_loans(request.user)[:50]],
            "form": request.POST if request.method == "POST" else {},
        },
    )


@login_required
def portal_qr(request: HttpRequest, loan_id: int) -> HttpResponse:
    """The next instalment of one of the representative's loans as a Thai QR bill payment (scan it in a
    bank app, or open the link on the phone); another organization's loan is 404."""
    need(request, portal_kit.can_use_portal)
    loan = portal_kit.portal_loan(request.user, loan_id)
    due = portal_kit.next_due(loan)
    qr_svg = ""
    if due is not None and due.payload:
        qr_svg = segno.make(due.payload, error="m").svg_inline(scale=5, omitsize=True)
    return render(request, "lending/portal_qr.html", {"loan": loan, "due": due, "qr_svg": qr_svg})


def _digits(value: str) -> int:
    value = value.strip()
    return int(value) if value.isdigit() and len(value) < 10 else 0
