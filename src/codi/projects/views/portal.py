"""The community portal, the proposal forms and the report form."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from codi.communities.models import Organization
from codi.core.thaidate import fiscal_year_be
from codi.identity.roles import Perm
from codi.identity.selectors import scoped, user_has_perm
from codi.projects import selectors, services
from codi.projects.forms import (
    ProposalForm,
    ReportForm,
)
from codi.projects.models import (
    BudgetCategory,
    Indicator,
    Installment,
    Project,
    ProjectStatus,
)
from codi.projects.validation import proposal_rows
from codi.projects.views.common import (
    _error_text,
    _get,
    _money,
    _need,
)

# --- portal --------------------------------------------------------------------------------------


@login_required
def portal(request: HttpRequest) -> HttpResponse:
    """A community leader's home: their organizations' projects, what is due next, documents."""
    _need(request)
    org_ids = selectors.portal_organization_ids(request.user)
    if not org_ids:
        raise PermissionDenied
    projects = selectors.project_list_for_page(actor=request.user)
    if not selectors.is_portal_user(request.user):
        projects = projects.filter(lead_organization_id__in=org_ids)
    page = Paginator(projects, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/portal.html",
        {
            "page": page,
            "due": selectors.portal_due_next(actor=request.user)[:20],
            **_portal_installments(request),
            "today": timezone.localdate(),
        },
    )


def _portal_installments(request: HttpRequest) -> dict[str, list[Installment]]:
    """Installments still to pay: those to come, and those past their planned date (waiting on a condition)."""
    today = timezone.localdate()
    rows = list(selectors.portal_upcoming_installments(actor=request.user)[:30])
    upcoming = [i for i in rows if i.due_date is None or i.due_date >= today][:10]
    waiting = [i for i in rows if i.due_date is not None and i.due_date < today][:10]
    return {"installments": upcoming, "installments_waiting": waiting}


# --- proposal and report forms -------------------------------------------------------------------


def _organization_choices(request: HttpRequest) -> list[tuple[int, str]]:

    org_ids = selectors.portal_organization_ids(request.user)
    if selectors.is_portal_user(request.user):
        orgs = Organization.objects.filter(pk__in=org_ids)
    else:
        orgs = scoped(Organization.objects.all(), request.user, Perm.PROJECTS_MANAGE)[:500]
    return [(o.pk, o.name_th) for o in orgs.only("pk", "name_th")]


def _proposal_context(
    request: HttpRequest, form: Any, project: Project | None, sections: list[Any]
) -> dict[str, Any]:
    """The proposal page: the main form and the repeated rows with what was typed and their errors."""
    return {"form": form, "project": project, "sections": sections}


def _typed(request: HttpRequest) -> dict[str, str]:
    """What the person typed, put back into the repeated rows when a save or an upload is refused."""
    if request.method != "POST":
        return {}
    return {k: str(v)[:2000] for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}


def _may_propose(request: HttpRequest) -> None:
    _need(request)
    if not (selectors.is_portal_user(request.user) or user_has_perm(request.user, Perm.PROJECTS_MANAGE)):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request: HttpRequest) -> HttpResponse:

    _may_propose(request)
    choices = _organization_choices(request)
    if not choices:
        raise PermissionDenied
    initial: dict[str, Any] = {"fiscal_year": _current_fiscal_year()}
    if len(choices) == 1:
        org = Organization.objects.get(pk=choices[0][0])
        initial.update(organization=org.pk, subdistrict_code=org.subdistrict_id)
    form = ProposalForm(request.POST or None, organizations=choices, initial=initial)
    rows = proposal_rows(request.POST)
    if request.method == "POST" and form.is_valid() and rows.errors:
        form.add_error(None, _("Some rows need correcting: see the messages beside the inputs."))
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = services.project_create(
                actor=request.user,  # type: ignore[arg-type]
                program=data["program"],
                lead_organization=Organization.objects.get(pk=data["organization"]),
                subdistrict_code=data["subdistrict_code"],
                title=data["title"],
                requested_amount=data["requested_amount"],
                fiscal_year=data["fiscal_year"],
                rationale=data["rationale"],
                objectives=data["objectives"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                households=data["households"] or 0,
                persons=data["persons"] or 0,
                co_funding_amount=data["co_funding_amount"] or Decimal("0"),
                co_funding_source=data["co_funding_source"],
                type_details=form.type_details(data["program"].kind),
                **cast(dict[str, Any], rows.data),
            )
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("The proposal is saved as a draft. Send it when it is ready."))
            return redirect("projects:project_detail", project_id=project.pk)
    return render(
        request, "projects/proposal_form.html", _proposal_context(request, form, None, rows.sections)
    )


def _current_fiscal_year() -> int:

    return fiscal_year_be(timezone.localdate())


@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request: HttpRequest, project_id: int) -> HttpResponse:

    project = _get(request, project_id)
    _may_propose(request)
    choices = [(project.lead_organization_id, project.lead_organization.name_th)]
    initial = {
        "program": project.program_id,
        "organization": project.lead_organization_id,
        "title": project.title,
        "subdistrict_code": project.subdistrict_id,
        "fiscal_year": project.fiscal_year,
        "requested_amount": project.requested_amount,
        "rationale": project.rationale,
        "objectives": project.objectives,
        "start_date": project.start_date,
        "end_date": project.end_date,
        "households": project.households,
        "persons": project.persons,
        "co_funding_amount": project.co_funding_amount,
        "co_funding_source": project.co_funding_source,
        **(project.type_details or {}),
    }
    form = ProposalForm(request.POST or None, organizations=choices, initial=initial)
    rows = proposal_rows(request.POST)
    if request.method == "POST" and form.is_valid() and rows.errors:
        form.add_error(None, _("Some rows need correcting: see the messages beside the inputs."))
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields: dict[str, Any] = {
            key: data[key]
            for key in (
                "title",
                "requested_amount",
                "rationale",
                "objectives",
                "start_date",
                "end_date",
                "co_funding_source",
            )
        }
        fields.update(
            households=data["households"] or 0,
            persons=data["persons"] or 0,
            co_funding_amount=data["co_funding_amount"] or Decimal("0"),
            type_details=form.type_details(project.program.kind),
        )
        fields.update({k: v for k, v in rows.data.items() if v})
        try:
            services.project_update(actor=request.user, project=project, **fields)  # type: ignore[arg-type]
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("The proposal is saved."))
            return redirect("projects:project_detail", project_id=project.pk)
    return render(
        request, "projects/proposal_form.html", _proposal_context(request, form, project, rows.sections)
    )


def _report_target(project: Project) -> tuple[Installment | None, bool]:
    """The installment the next report is about, and whether it is the final report."""
    is_final = (
        project.current_step in ("final_report", "final_review")
        or project.status == ProjectStatus.FINAL_REPORT
    )
    paid = Installment.objects.filter(project=project, status="disbursed").order_by("-number").first()
    return paid, is_final


@login_required
@require_http_methods(["GET", "POST"])
def report_create(request: HttpRequest, project_id: int) -> HttpResponse:
    """The community's progress report: small, works on a phone; what was typed survives a failed upload."""

    project = _get(request, project_id)
    installment, is_final = _report_target(project)
    indicators = list(Indicator.objects.filter(result__project=project).order_by("id"))
    form = ReportForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        post, files = request.POST, request.FILES
        values = {}
        for ind in indicators:
            raw = _money(post.get(f"ind_{ind.pk}"))
            if raw is not None:
                values[ind.pk] = raw
        expenses = []
        for i in range(5):
            amount = _money(post.get(f"exp_{i}_amount"))
            if amount is None:
                continue
            try:
                spent_on = date.fromisoformat(post.get(f"exp_{i}_date", ""))
            except ValueError:
                error = _("Expense %(n)s: the date is missing.") % {"n": i + 1}
                break
            expenses.append(
                services.ExpenseInput(
                    spent_on=spent_on,
                    description=post.get(f"exp_{i}_description", "").strip()[:300] or "-",
                    category=post.get(f"exp_{i}_category", "other"),
                    amount=amount,
                    receipt=files.get(f"exp_{i}_receipt"),
                )
            )
        photos = [
            services.PhotoInput(
                image=cast(Any, files[f"photo_{i}"]), caption=post.get(f"photo_{i}_caption", "").strip()[:300]
            )
            for i in range(4)
            if f"photo_{i}" in files
        ]
        if not error:
            try:
                services.report_submit(
                    actor=request.user,  # type: ignore[arg-type]
                    project=project,
                    narrative=form.cleaned_data["narrative"],
                    installment=installment,
                    is_final=is_final,
                    indicator_values=values,
                    expenses=expenses,
                    photos=photos,
                )
            except ValidationError as exc:
                error = _error_text(exc)
            else:
                messages.success(request, _("The report was sent."))
                return redirect("projects:project_detail", project_id=project.pk)
    return render(
        request,
        "projects/report_form.html",
        {
            "project": project,
            "form": form,
            "error": error,
            "installment": installment,
            "is_final": is_final,
            "indicators": indicators,
            "expense_rows": range(5),
            "photo_rows": range(4),
            "post_values": _typed(request),
            "categories": BudgetCategory.choices,
        },
    )
