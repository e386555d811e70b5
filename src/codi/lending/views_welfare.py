"""Welfare funds' annual reports on pages: the form's fields and its handling, shared by the staff
welfare page (``views.welfare``) and the community portal, where an account acting for the fund's
organization files its own fund's report (``portal_welfare``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from codi.identity.guards import need
from codi.lending import portal as portal_kit
from codi.lending import reports
from codi.lending.models_community import WelfareFund
from codi.lending.services import LendingError


@login_required
def portal_welfare(request: HttpRequest) -> HttpResponseBase:
    """The welfare funds of the organizations the portal account acts for; one fund's reports and
    the form to file the year's report."""
    need(request, portal_kit.can_use_portal)
    funds = WelfareFund.objects.filter(organization__in=portal_kit.portal_organizations(request.user))
    fund = None
    if request.GET.get("id", "").isdigit():
        fund = funds.filter(pk=int(request.GET["id"])).first()
        if fund is None:
            raise Http404
    elif request.method == "POST":
        raise Http404
    context: dict[str, Any] = {"funds": funds.order_by("name_th"), "fund": fund, "form": {}, "errors": {}}
    if request.method == "POST" and fund is not None and report_post(request, fund, context):
        return redirect(f"{request.path}?id={fund.pk}#welfare-reports")
    if fund is not None:
        context.update(report_context(request, fund, context))
    return render(request, "lending/portal_welfare.html", context)


def report_context(request: HttpRequest, fund: WelfareFund, context: dict[str, Any]) -> dict[str, Any]:
    return {
        "reports": [(r, reports.age_shares(r)) for r in reports.fund_reports(fund)],
        "can_file": reports.can_file_report(request.user, fund),
        "year_choices": range(timezone.localdate().year + 543, fund.founded_on.year + 542, -1),
        "field_groups": report_fields(context["form"], context["errors"]),
    }


def report_post(request: HttpRequest, fund: Any, context: dict[str, Any]) -> bool:
    """File the posted annual report; on refusal each message goes beside its field, input kept."""
    data = {k: request.POST.get(k, "").strip() for k in ("year_be", *reports.AGE_GROUPS, *reports.AMOUNTS)}
    context["form"] = data
    lang_th = request.LANGUAGE_CODE == "th"
    _clean, errors = reports.parse_figures(data)
    messages_by_field = {k: e.message_th if lang_th else e.message_en for k, e in errors.items()}
    year = int(data["year_be"]) if data["year_be"].isdigit() and len(data["year_be"]) == 4 else None
    if year is None:
        messages_by_field["year_be"] = _("Choose the year of the report")
    if not messages_by_field:
        try:
            reports.report_submit(actor=request.user, fund=fund, year_be=year or 0, figures=data)
        except LendingError as exc:
            messages_by_field["year_be"] = exc.message_th if lang_th else exc.message_en
        else:
            messages.success(request, _("The annual report was filed."))
            return True
    context["errors"] = messages_by_field
    return False


def report_fields(form: dict[str, str], errors: dict[str, str]) -> list[tuple[Any, list[tuple[Any, ...]]]]:
    """The report form's fields by group: (name, label, input mode, value kept, error beside it)."""
    groups = [
        (_("Members by age group"), "numeric", [("members_0_14", _("Children (0-14)")),
            ("members_15_59", _("Working age (15-59)")), ("members_60_plus", _("Elderly (60 and over)"))]),
        (_("Income (baht)"), "decimal", [("contributions", _("Members' contributions")),
            ("other_income", _("Other income"))]),
        (_("Spending (baht)"), "decimal", [("benefit_birth", _("Birth benefits paid")),
            ("benefit_sickness", _("Sickness benefits paid")), ("benefit_old_age", _("Old-age benefits paid")),
            ("benefit_death", _("Death benefits paid")), ("running_costs", _("Running costs"))]),
    ]  # fmt: skip
    return [
        (legend, [(name, label, mode, form.get(name, ""), errors.get(name, "")) for name, label in fields])
        for legend, mode, fields in groups
    ]
