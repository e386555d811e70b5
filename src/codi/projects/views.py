"""Pages of community projects: lists, the project page with its diagram, actions, inbox, portal,
budget lines, dashboard, exports, printouts and the legacy import. Thin: reads through
``selectors``/``reporting``, writes through ``services``."""

from __future__ import annotations

import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from codi.areas.models import Province, Region
from codi.identity.roles import Perm
from codi.identity.selectors import user_can_in_area, user_has_perm
from codi.projects import exporting, reporting, selectors
from codi.projects.models import (
    BudgetCategory,
    Installment,
    Program,
    ProgressReport,
    Project,
    ProjectStatus,
)

PAGE_SIZE = 50
TABS = ("overview", "results", "budget", "installments", "reports", "attachments", "history")


def _need(request: HttpRequest, perm: str = Perm.PROJECTS_VIEW) -> None:
    if not user_has_perm(request.user, perm):
        raise PermissionDenied


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


def _code(value: str | None, lengths: tuple[int, ...]) -> str:
    value = (value or "").strip()
    return value if value.isdigit() and len(value) in lengths else ""


def list_filters(get: Any) -> selectors.ProjectFilters:
    status = get.get("status", "")
    return selectors.ProjectFilters(
        fiscal_year=_int(get.get("fy")),
        program=_int(get.get("program")),
        region=get.get("region", "")[:20] if get.get("region", "") in _region_codes() else "",
        province=_code(get.get("province"), (2,)),
        district=_code(get.get("district"), (4,)),
        subdistrict=_code(get.get("subdistrict"), (6,)),
        status=status if status in ProjectStatus.values else "",
        organization=_int(get.get("org")),
        search=get.get("q", "").strip()[:100],
    )


def _region_codes() -> set[str]:
    return set(Region.objects.values_list("code", flat=True))


def _filter_choices() -> dict[str, Any]:
    return {
        "years": selectors.fiscal_years(),
        "programs": Program.objects.all(),
        "regions": Region.objects.all(),
        "provinces": Province.objects.all(),
        "statuses": ProjectStatus.choices,
    }


# --- lists ---------------------------------------------------------------------------------------


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    _need(request)
    filters = list_filters(request.GET)
    projects = selectors.project_list_for_page(actor=request.user, filters=filters)
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/project_list.html",
        {
            "page": page,
            "filters": filters,
            **_filter_choices(),
            "query": request.GET.urlencode(),
            "can_create": selectors.is_portal_user(request.user)
            or user_has_perm(request.user, Perm.PROJECTS_MANAGE),
        },
    )


@login_required
def project_export(request: HttpRequest) -> HttpResponseBase:
    _need(request)
    projects = selectors.project_list(actor=request.user, filters=list_filters(request.GET))
    return _xlsx_response(exporting.project_rows(projects), "projects", sheet=_("Projects"))


def _xlsx_response(export: exporting.Export, name: str, *, sheet: str) -> FileResponse:
    from codi.core.spreadsheet import xlsx_response

    return xlsx_response(filename=name, sheets=[(sheet, export.header, export.rows)])


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    _need(request)
    steps = selectors.task_inbox(actor=request.user)
    page = Paginator(steps, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "projects/inbox.html", {"page": page, "today": timezone.localdate()})


@login_required
def overdue(request: HttpRequest) -> HttpResponse:
    _need(request)
    if selectors.is_portal_user(request.user):
        raise PermissionDenied
    steps = selectors.overdue_steps(actor=request.user)
    page = Paginator(steps, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "projects/overdue.html", {"page": page, "today": timezone.localdate()})


@login_required
def budget_lines(request: HttpRequest) -> HttpResponse:
    _need(request)
    if selectors.is_portal_user(request.user):
        raise PermissionDenied
    fy, program = _int(request.GET.get("fy")), _int(request.GET.get("program"))
    region = request.GET.get("region", "")[:20]
    lines = selectors.budget_line_list(actor=request.user, fiscal_year=fy, program=program, region=region)
    return render(
        request,
        "projects/budget_lines.html",
        {
            "lines": lines,
            "totals": selectors.budget_totals(lines),
            "filters": {"fy": fy, "program": program, "region": region},
            **_filter_choices(),
        },
    )


# --- dashboard -----------------------------------------------------------------------------------


def _dashboard(request: HttpRequest) -> tuple[dict[str, Any], reporting.Dashboard]:
    _need(request)
    if selectors.is_portal_user(request.user):
        raise PermissionDenied
    get = request.GET
    filters: dict[str, Any] = {
        "fiscal_year": _int(get.get("fy")),
        "program": _int(get.get("program")),
        "region": get.get("region", "")[:20] if get.get("region", "") in _region_codes() else "",
        "province": _code(get.get("province"), (2,)),
    }
    return filters, reporting.dashboard(actor=request.user, **filters)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    filters, board = _dashboard(request)
    money_chart = reporting.bar_chart(
        [
            (_("Approved"), board.total.approved),
            (_("Disbursed"), board.total.disbursed),
            (_("Reported"), board.total.reported),
        ]
    )
    status_chart = reporting.bar_chart([(label, n) for _s, label, n in board.by_status if n])
    region_chart = reporting.bar_chart([(r.label, r.figures.disbursed) for r in board.by_region])
    return render(
        request,
        "projects/dashboard.html",
        {
            "board": board,
            "filters": filters,
            "money_chart": money_chart,
            "status_chart": status_chart,
            "region_chart": region_chart,
            "query": request.GET.urlencode(),
            **_filter_choices(),
        },
    )


@login_required
def dashboard_export(request: HttpRequest) -> HttpResponseBase:
    _filters, board = _dashboard(request)
    return _xlsx_response(exporting.dashboard_rows(board), "projects-dashboard", sheet=_("Dashboard"))


# --- one project ---------------------------------------------------------------------------------


def _get(request: HttpRequest, project_id: int) -> Project:
    _need(request)
    project = selectors.project_get(actor=request.user, project_id=project_id)
    if project is None:
        raise Http404
    return project


def _actions(request: HttpRequest, project: Project) -> list[str]:
    """The action forms this user may use on the project's open steps."""
    from codi.identity.selectors import user_roles

    user = request.user
    open_steps = {s.task_key for s in selectors.project_steps(project=project) if s.completed_at is None}
    if not open_steps and project.current_step:
        open_steps = {project.current_step}
    roles = user_roles(user)
    area = project.subdistrict_id
    portal = project.lead_organization_id in selectors.portal_organization_ids(user)
    allowed: list[str] = []
    from codi.projects.workflow import STEPS

    for key in open_steps:
        step = STEPS.get(key)
        if step is None:
            continue
        if step.role == "community_leader":
            if portal and "community_leader" in roles:
                allowed.append(key)
        elif step.role in roles and (
            (
                step.role == "project_officer"
                and user_can_in_area(user, Perm.PROJECTS_MANAGE, subdistrict_code=area)
            )
            or (
                step.role == "regional_director"
                and user_can_in_area(user, Perm.PROJECTS_APPROVE, subdistrict_code=area)
            )
            or (
                step.role == "finance_officer"
                and user_can_in_area(user, Perm.PROJECTS_DISBURSE, subdistrict_code=area)
            )
        ):
            allowed.append(key)
    return sorted(allowed)


@login_required
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    return _detail_page(request, _get(request, project_id))


def _detail_page(
    request: HttpRequest, project: Project, keep: dict[str, dict[str, Any]] | None = None
) -> HttpResponse:
    """The project page; ``keep`` holds a refused action form's input and error, shown beside the field."""
    tab = request.GET.get("tab", "overview")
    if tab not in TABS:
        tab = "overview"
    context: dict[str, Any] = {"project": project, "tab": tab, "tabs": _tab_labels()}
    context["steps"] = list(selectors.project_steps(project=project))
    context["diagram"] = selectors.project_diagram(project=project)
    context["actions"] = _actions(request, project)
    installments = selectors.project_installments(project=project)
    context["installments"] = installments
    context["next_installment"] = next((i for i in installments if i.status == "planned"), None)
    context["disbursed_total"] = selectors.project_disbursed_total(project=project)
    context["is_portal"] = selectors.is_portal_user(request.user)
    if tab == "results":
        context["results"] = project.results.prefetch_related("indicators__periods")
    elif tab == "budget":
        context["budget_items"] = project.budget_items.all()
        context["beneficiaries"] = project.beneficiary_groups.all()
    elif tab == "reports":
        context["reports"] = selectors.project_reports(project=project)
    elif tab == "attachments":
        context["attachments"] = project.attachments.all()
    elif tab == "history":
        context["history"] = selectors.project_history(actor=request.user, project=project)[:100]
    context["activities"] = project.activities.all() if tab == "overview" else []
    if tab == "overview":
        from codi.knowledge.selectors import lesson_for_project, related_knowledge

        context["related_knowledge"] = related_knowledge(
            actor=request.user,
            area_code=project.subdistrict_id,
            program_kind=project.program.kind,
            text=project.title,
        )
        context["lesson"] = lesson_for_project(project_id=project.pk)
    context["reviewable_reports"] = [
        r for r in ProgressReport.objects.filter(project=project, status="submitted").order_by("id")
    ]
    context["idempotency_key"] = _new_key()
    area = project.subdistrict_id
    live = project.status not in (ProjectStatus.CLOSED, ProjectStatus.REJECTED, ProjectStatus.CANCELLED)
    context["can_amend"] = live and user_can_in_area(
        request.user, Perm.PROJECTS_APPROVE, subdistrict_code=area
    )
    context["can_record_return"] = user_can_in_area(
        request.user, Perm.PROJECTS_DISBURSE, subdistrict_code=area
    )
    keep = keep or {}
    context["keep"] = keep
    typed = keep.get("approve", {}).get("values", {})
    context["installment_rows"] = [
        {
            "n": n,
            "amount": typed.get(f"inst_{n}_amount", ""),
            "due": typed.get(f"inst_{n}_due", ""),
            "conditions": typed.get(f"inst_{n}_conditions", ""),
        }
        for n in (1, 2, 3)
    ]
    return render(request, "projects/project_detail.html", context)


# Which input a refused decision's message belongs beside (by the service's error code).
_ERROR_FIELD = {
    "comment_required": "comment",
    "reduction_reason_required": "reduction_reason",
    "above_requested": "approved_amount",
    "money_invalid": "approved_amount",
    "money_not_positive": "approved_amount",
    "money_too_large": "approved_amount",
    "insufficient_balance": "approved_amount",
    "installments_total": "installments",
    "required": "evaluation",
}
_KEPT_ACTIONS = ("screen", "committee", "approve", "review_report", "close")


def _new_key() -> str:
    import secrets

    return secrets.token_urlsafe(24)


def _tab_labels() -> list[tuple[str, str]]:
    return [
        ("overview", _("Overview")),
        ("results", _("Results framework")),
        ("budget", _("Budget")),
        ("installments", _("Installments & disbursements")),
        ("reports", _("Reports")),
        ("attachments", _("Attachments")),
        ("history", _("History")),
    ]


@login_required
def process_diagram(request: HttpRequest) -> HttpResponse:
    """The executed BPMN file, for the viewer (same for every project; cached by the browser)."""
    _need(request)
    from codi.projects.workflow import TOBE_FILE

    response = HttpResponse(Path(TOBE_FILE).read_bytes(), content_type="application/xml; charset=utf-8")
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- actions -------------------------------------------------------------------------------------


def _money(value: str | None) -> Decimal | None:
    text = (value or "").replace(",", "").strip()
    if not text:
        return None
    try:
        amount = Decimal(text)
    except ArithmeticError:
        return None
    return amount if amount.is_finite() else None


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@login_required
@require_POST
def project_action(request: HttpRequest, project_id: int, action: str) -> HttpResponse:
    """One form per step; the service checks role, scope and state and refuses with a message."""
    from codi.projects import services

    project = _get(request, project_id)
    post = request.POST
    user: Any = request.user
    comment = post.get("comment", "").strip()[:4000]
    decision: Any = post.get("decision", "")
    try:
        if action == "submit":
            services.project_submit(actor=user, project=project)
            messages.success(request, _("The proposal was sent."))
        elif action == "screen":
            services.project_screen(actor=user, project=project, decision=decision, comment=comment)
            messages.success(request, _("Screening recorded."))
        elif action == "committee":
            services.project_committee_review(actor=user, project=project, decision=decision, comment=comment)
            messages.success(request, _("Committee decision recorded."))
        elif action == "approve":
            plans = _installment_plans(post)
            services.project_approve(
                actor=user,
                project=project,
                decision=decision,
                approved_amount=_money(post.get("approved_amount")),
                reduction_reason=post.get("reduction_reason", "").strip()[:2000],
                installments=plans,
                comment=comment,
            )
            messages.success(request, _("Decision recorded."))
        elif action == "sign":
            services.project_agreement_sign(actor=user, project=project)
            messages.success(request, _("The agreement is signed."))
        elif action == "disburse":
            installment = Installment.objects.filter(
                project=project, pk=_int(post.get("installment")) or 0
            ).first()
            if installment is None:
                raise Http404
            key = post.get("idempotency_key", "")[:100]
            if len(key) < 16:
                raise ValidationError(_("The form has expired; open the project page again."))
            services.installment_disburse(
                actor=user,
                installment=installment,
                idempotency_key=key,
                reference=post.get("reference", "")[:100],
            )
            messages.success(request, _("Installment %(n)s paid.") % {"n": installment.number})
        elif action == "review_report":
            report = ProgressReport.objects.filter(project=project, pk=_int(post.get("report")) or 0).first()
            if report is None:
                raise Http404
            services.report_review(actor=user, report=report, decision=decision, comment=comment)
            messages.success(request, _("Report review recorded."))
        elif action == "close":
            services.project_close(actor=user, project=project, evaluation=post.get("evaluation", "").strip())
            messages.success(request, _("The project is closed."))
        elif action == "cancel":
            services.project_cancel(actor=user, project=project, reason=post.get("reason", "").strip())
            messages.success(request, _("The project is cancelled."))
        elif action == "reduce":
            services.approved_amount_reduce(
                actor=user,
                project=project,
                new_amount=_money(post.get("new_amount")) or Decimal("-1"),
                reason=post.get("reason", "").strip()[:2000],
            )
            messages.success(request, _("The approved amount is reduced."))
        elif action == "fund_return":
            services.fund_return_record(
                actor=user,
                project=project,
                amount=_money(post.get("amount")) or Decimal("0"),
                reason=post.get("reason", "").strip()[:2000],
            )
            messages.success(request, _("The returned funds are recorded."))
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        if action not in _KEPT_ACTIONS:
            return redirect("projects:project_detail", project_id=project.pk)
        # Show the form again with the person's choice and text, and the message beside the field.
        code = str(getattr(exc, "code", "") or "")
        values = {k: str(v)[:2000] for k, v in post.items() if k != "csrfmiddlewaretoken"}
        report_id = _int(post.get("report")) if action == "review_report" else None
        keep = {
            action: {
                "decision": decision,
                "comment": comment,
                "values": values,
                "report": report_id,
                "field": _ERROR_FIELD.get(code, "decision"),
                "error": _error_text(exc),
            }
        }
        project.refresh_from_db()
        return _detail_page(request, project, keep)
    return redirect("projects:project_detail", project_id=project.pk)


def _installment_plans(post: Any) -> list[Any]:
    from codi.projects.services import InstallmentPlan

    plans = []
    for n in range(1, 7):
        amount = _money(post.get(f"inst_{n}_amount"))
        if amount is None:
            continue
        due = post.get(f"inst_{n}_due", "")
        try:
            due_date = date.fromisoformat(due) if due else None
        except ValueError:
            raise ValidationError(
                _("Installment %(n)s: the due date is not a date.") % {"n": n}, code="installments_total"
            ) from None
        plans.append(
            InstallmentPlan(
                amount=amount,
                conditions=post.get(f"inst_{n}_conditions", "").strip()[:1000],
                due_date=due_date,
            )
        )
    return plans


# --- printouts -----------------------------------------------------------------------------------


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


@login_required
def project_summary_pdf(request: HttpRequest, project_id: int) -> HttpResponse:
    from codi.core.pdf import render_pdf

    project = _get(request, project_id)
    context = {
        "project": project,
        "installments": selectors.project_installments(project=project),
        "budget_items": project.budget_items.all(),
        "results": project.results.prefetch_related("indicators__periods"),
        "disbursed_total": selectors.project_disbursed_total(project=project),
        "printed_at": timezone.localtime(),
    }
    return _pdf(render_pdf("projects/summary_pdf.html", context), project.code)


@login_required
def project_agreement_pdf(request: HttpRequest, project_id: int) -> HttpResponse:
    from codi.core.pdf import render_pdf

    project = _get(request, project_id)
    if project.approved_amount is None:
        raise Http404
    context = {
        "project": project,
        "installments": selectors.project_installments(project=project),
        "amount_words": baht_words(project.approved_amount),
        "printed_at": timezone.localtime(),
    }
    return _pdf(render_pdf("projects/agreement_pdf.html", context), f"{project.code}-agreement")


@login_required
def disbursement_receipt_pdf(request: HttpRequest, project_id: int, installment_id: int) -> HttpResponse:
    from codi.core.pdf import render_pdf

    project = _get(request, project_id)
    installment = (
        Installment.objects.filter(project=project, pk=installment_id, status="disbursed")
        .select_related("disbursement__paid_by", "disbursement__budget_line")
        .first()
    )
    if installment is None:
        raise Http404
    payment = installment.disbursement
    context = {
        "project": project,
        "installment": installment,
        "payment": payment,
        "amount_words": baht_words(payment.amount),
        "printed_at": timezone.localtime(),
    }
    return _pdf(
        render_pdf("projects/receipt_pdf.html", context), f"{project.code}-{installment.number}-receipt"
    )


def baht_words(amount: Decimal) -> str:
    """``12500.50`` → ``หนึ่งหมื่นสองพันห้าร้อยบาทห้าสิบสตางค์`` (PyThaiNLP, imported when printing)."""
    from pythainlp.util import bahttext

    return str(bahttext(float(amount.quantize(Decimal("0.01")))))


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
    from codi.communities.models import Organization
    from codi.identity.selectors import scoped

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
    from codi.communities.models import Organization
    from codi.projects import services
    from codi.projects.forms import ProposalForm
    from codi.projects.validation import proposal_rows

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
    from codi.core.thaidate import fiscal_year_be

    return fiscal_year_be(timezone.localdate())


@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request: HttpRequest, project_id: int) -> HttpResponse:
    from codi.projects import services
    from codi.projects.forms import ProposalForm
    from codi.projects.validation import proposal_rows

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
    from codi.projects import services
    from codi.projects.forms import ReportForm
    from codi.projects.models import Indicator

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


# --- legacy import -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponseBase:
    from codi.communities.importing import error_text
    from codi.communities.spreadsheet import FileRefused, sniff_format
    from codi.projects.importing import PROJECT_COLUMNS, ProjectImport

    _need(request, Perm.PROJECTS_MANAGE)
    if request.GET.get("template"):
        export = exporting.Export([c.th for c in PROJECT_COLUMNS], iter([]))
        return _xlsx_response(export, "projects-template", sheet=_("Projects"))
    context: dict[str, Any] = {"outcome": None, "errors": [], "refused": "", "written": None}
    upload = request.FILES.get("file") if request.method == "POST" else None
    if upload is not None:
        with tempfile.NamedTemporaryFile(suffix=".upload") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
            handle.flush()
            path = Path(handle.name)
            try:
                with path.open("rb") as head:
                    file_format = sniff_format(head.read(8))
                importer = ProjectImport(actor=request.user)
                write = request.POST.get("write") == "1"
                outcome = importer.write(path, file_format) if write else importer.check(path, file_format)[0]
            except FileRefused as exc:
                context["refused"] = exc.th
            else:
                context.update(
                    outcome=outcome,
                    errors=[error_text(e) for e in outcome.errors[:200]],
                    written=write,
                )
    return render(request, "projects/import.html", context)
