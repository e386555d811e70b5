"""Lending pages for the books: the month-end interest accrual (list and run).

Thin: the accrual is run by ``codi.lending.accruals`` (country-wide ``lending.cash`` only; the
service refuses anyone else with PermissionDenied → 403)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from codi.identity.guards import need
from codi.lending import accruals
from codi.lending.services import LendingError


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
