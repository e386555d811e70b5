"""Finance pages for the books' own inputs: receipts (money expected and received) and the import
of opening balances and legacy ACCPAC / EFS journals (dry run first, row errors in Thai)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from codi.core.spreadsheet import xlsx_response
from codi.finance import delegation, ledger, legacy, opening, payments, selectors
from codi.finance.ledger import FinanceError
from codi.finance.models import Account, AccountType, Receipt
from codi.identity.guards import need
from codi.identity.models import User
from codi.identity.roles import Perm

MAX_UPLOAD = 20_000_000


def _books(request: HttpRequest, perm: str = Perm.FINANCE_VIEW) -> None:
    need(request, perm)
    if not selectors.is_country_wide(request.user, perm):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def receipts(request: HttpRequest) -> HttpResponseBase:
    """Receipts of the year (number, payer, amount, Ref1, received or awaited); a new one."""
    _books(request)
    can_create = selectors.is_country_wide(request.user, Perm.FINANCE_MANAGE)
    if request.method == "POST":
        if not can_create:
            raise PermissionDenied
        try:
            receipt = payments.receipt_create(
                actor=request.user, payer_name=request.POST.get("payer_name", ""),
                amount=request.POST.get("amount", "").replace(",", "").strip() or "0",
                credit_account=request.POST.get("credit_account", ""), on=timezone.localdate(),
            )  # fmt: skip
        except FinanceError as exc:
            messages.error(request, exc.message_th if request.LANGUAGE_CODE == "th" else exc.message_en)
        else:
            messages.success(
                request, _("Receipt %(number)s created: the payer quotes %(ref)s.") % {
                    "number": receipt.number, "ref": receipt.reference}
            )  # fmt: skip
            return redirect("finance:receipts")
    year = ledger.fiscal_year_of(timezone.localdate())
    chosen = request.GET.get("fy", "")
    if chosen.isdigit() and len(chosen) == 4:
        year = int(chosen)
    return render(
        request,
        "finance/receipts.html",
        {"receipts": Receipt.objects.filter(fiscal_year__year_be=year)
            .select_related("fiscal_year", "credit_account", "entry__fiscal_year")[:500],
         "year": year, "years": selectors.fiscal_years(), "can_create": can_create, "form": request.POST,
         "accounts": Account.objects.filter(account_type__in=[AccountType.REVENUE, AccountType.ASSET],
                                            is_active=True).order_by("code")},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def books_import(request: HttpRequest) -> HttpResponseBase:
    """Upload opening balances or a legacy journal export: a dry run unless “post” is chosen."""
    _books(request, Perm.FINANCE_MANAGE)
    if request.GET.get("template") in {"opening", "legacy"}:
        return _template(request.GET["template"])
    context: dict[str, Any] = {"years": selectors.fiscal_years(), "kind": "opening", "result": None}
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        upload = request.FILES.get("file")
        commit = request.POST.get("commit") == "1"
        context["kind"] = kind
        if kind not in {"opening", "legacy"}:
            messages.error(request, _("Choose what the file holds."))
        elif upload is None or (upload.size or 0) > MAX_UPLOAD:
            messages.error(request, _("Choose an .xlsx or CSV file (at most 20 MB)."))
        else:
            content, name = upload.read(), upload.name or "upload.csv"
            if kind == "legacy":
                context["result"] = legacy.legacy_import(
                    actor=request.user, content=content, filename=name, dry_run=not commit
                )
            else:
                year_text = request.POST.get("year", "")
                if not (year_text.isdigit() and len(year_text) == 4):
                    messages.error(request, _("Choose the fiscal year."))
                else:
                    year = ledger.fiscal_year_ensure(actor=request.user, year_be=int(year_text))
                    context["result"] = opening.opening_import(
                        actor=request.user, year=year, content=content, filename=name, dry_run=not commit
                    )
            context["committed"] = commit and context["result"] is not None and not context["result"].errors
    return render(request, "finance/import.html", context)


def _template(kind: str) -> HttpResponseBase:
    if kind == "legacy":
        rows = [
            ["ACCPAC", "JV6901-0001", "2026-10-15", "5104010112", "1500.00", "", "ค่าเช่ารถ", "HQ", "own_income", "", "", "", "10"],
            ["ACCPAC", "JV6901-0001", "2026-10-15", "1101020601", "", "1500.00", "ค่าเช่ารถ", "HQ", "own_income", "", "", "", "10"],
        ]  # fmt: skip
        return xlsx_response(filename="legacy-journal-template", sheets=[("journal", legacy.HEADER, rows)])
    rows = [["1101020601", "1000000.00", "", "เงินฝากธนาคาร"], ["3101010101", "", "1000000.00", "ทุน"]]
    return xlsx_response(
        filename="opening-balances-template",
        sheets=[("opening", ["account_code", "debit", "credit", "memo"], rows)],
    )


@login_required
@require_http_methods(["GET", "POST"])
def delegations(request: HttpRequest) -> HttpResponseBase:
    """Delegations of approval authority: those the user gave or received; a new one (dates in
    the Buddhist Era, errors beside their field, input kept); revoke."""
    steps = delegation.can_delegate(request.user)
    mine = delegation.delegations_for(actor=request.user)
    if not steps and not mine.exists():
        raise PermissionDenied
    errors: dict[str, str] = {}
    form = request.POST if request.method == "POST" else {}
    thai = request.LANGUAGE_CODE == "th"
    if request.method == "POST" and request.POST.get("revoke", "").isdigit():
        found = mine.filter(pk=int(request.POST["revoke"][:12])).first()
        if found is None:
            raise PermissionDenied
        try:
            delegation.delegation_revoke(actor=request.user, delegation=found)
        except FinanceError as exc:
            messages.error(request, exc.message_th if thai else exc.message_en)
        return redirect("finance:delegations")
    if request.method == "POST":
        if not steps:
            raise PermissionDenied
        dates = {}
        for name, th, en in (("starts_on", "วันเริ่ม", "From"), ("ends_on", "วันสิ้นสุด", "Until")):
            try:
                dates[name] = delegation.parse_date(request.POST.get(name, ""), field_th=th, field_en=en)
            except FinanceError as exc:
                errors[name] = exc.message_th if thai else exc.message_en
        delegate = User.objects.filter(username=request.POST.get("delegate", "").strip()[:150]).first()
        if delegate is None:
            errors["delegate"] = _("No user with this username.")
        if not errors:
            try:
                delegation.delegation_create(
                    actor=request.user, delegate=delegate, step=request.POST.get("step", ""),
                    max_amount=request.POST.get("max_amount", "").replace(",", "").strip() or "0",
                    starts_on=dates["starts_on"], ends_on=dates["ends_on"], reason=request.POST.get("reason", ""),
                )  # fmt: skip
            except FinanceError as exc:
                errors["form"] = exc.message_th if thai else exc.message_en
            else:
                messages.success(request, _("The delegation is recorded."))
                return redirect("finance:delegations")
    response = render(
        request,
        "finance/delegations.html",
        {"delegations": mine[:500], "steps": [(s, delegation.AUTHORITY[s]) for s in steps], "form": form,
         "errors": errors, "max_days": delegation.MAX_DAYS, "today": timezone.localdate()},
    )  # fmt: skip
    if errors:
        response.status_code = 400
    return response
