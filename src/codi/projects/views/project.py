"""One project: its page with the diagram and tabs, the process diagram, printouts."""

from __future__ import annotations

import secrets
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from codi.core.pdf import render_pdf
from codi.identity.roles import Perm
from codi.identity.selectors import user_can_in_area
from codi.knowledge.selectors import lesson_for_project, published_lessons_for_projects, related_knowledge
from codi.projects import selectors, similar
from codi.projects.models import (
    Installment,
    ProgressReport,
    Project,
    ProjectStatus,
)
from codi.projects.views.common import (
    TABS,
    _get,
    _need,
    _pdf,
)
from codi.projects.workflow import TOBE_FILE


@login_required
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    return detail_page(request, _get(request, project_id))


def detail_page(
    request: HttpRequest, project: Project, keep: dict[str, dict[str, Any]] | None = None
) -> HttpResponse:
    """The project page; ``keep`` holds a refused action form's input and error, shown beside the field."""
    tab = request.GET.get("tab", "overview")
    if tab not in TABS:
        tab = "overview"
    context: dict[str, Any] = {"project": project, "tab": tab, "tabs": _tab_labels()}
    context["steps"] = list(selectors.project_steps(project=project))
    context["diagram"] = selectors.project_diagram(project=project)
    context["actions"] = selectors.actions_for(request.user, project)
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
        context["related_knowledge"] = related_knowledge(
            actor=request.user,
            area_code=project.subdistrict_id,
            program_kind=project.program.kind,
            text=project.title,
        )
        context["lesson"] = lesson_for_project(project_id=project.pk)
        found = similar.similar_closed_projects(actor=request.user, project=project)
        lessons = published_lessons_for_projects(
            actor=request.user, project_ids=[s.project.pk for s in found]
        )
        context["similar_projects"] = [(s, lessons.get(s.project.pk)) for s in found]
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


def _new_key() -> str:
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

    response = HttpResponse(Path(TOBE_FILE).read_bytes(), content_type="application/xml; charset=utf-8")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def project_summary_pdf(request: HttpRequest, project_id: int) -> HttpResponse:
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
    from pythainlp.util import bahttext  # heavy: loaded when a PDF is printed

    return str(bahttext(float(amount.quantize(Decimal("0.01")))))
