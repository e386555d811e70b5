"""The process actions posted from the project page (each calls its service)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from codi.projects import services
from codi.projects.models import (
    Installment,
    ProgressReport,
    Project,
)
from codi.projects.views.common import (
    _error_text,
    _get,
    _int,
    _money,
)
from codi.projects.views.project import detail_page

# Each action: (what the form posts) → the service call; returns the message shown on success.
Handler = Callable[[Any, Project, QueryDict], str]


def _comment(post: QueryDict) -> str:
    return post.get("comment", "").strip()[:4000]


def _submit(user: Any, project: Project, post: QueryDict) -> str:
    services.project_submit(actor=user, project=project)
    return _("The proposal was sent.")


def _screen(user: Any, project: Project, post: QueryDict) -> str:
    decision: Any = post.get("decision", "")
    services.project_screen(actor=user, project=project, decision=decision, comment=_comment(post))
    return _("Screening recorded.")


def _committee(user: Any, project: Project, post: QueryDict) -> str:
    decision: Any = post.get("decision", "")
    services.project_committee_review(actor=user, project=project, decision=decision, comment=_comment(post))
    return _("Committee decision recorded.")


def _approve(user: Any, project: Project, post: QueryDict) -> str:
    decision: Any = post.get("decision", "")
    plans = _installment_plans(post)
    services.project_approve(
        actor=user,
        project=project,
        decision=decision,
        approved_amount=_money(post.get("approved_amount")),
        reduction_reason=post.get("reduction_reason", "").strip()[:2000],
        installments=plans,
        comment=_comment(post),
    )
    return _("Decision recorded.")


def _sign(user: Any, project: Project, post: QueryDict) -> str:
    services.project_agreement_sign(actor=user, project=project)
    return _("The agreement is signed.")


def _disburse(user: Any, project: Project, post: QueryDict) -> str:
    installment = Installment.objects.filter(project=project, pk=_int(post.get("installment")) or 0).first()
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
    return _("Installment %(n)s paid.") % {"n": installment.number}


def _review_report(user: Any, project: Project, post: QueryDict) -> str:
    report = ProgressReport.objects.filter(project=project, pk=_int(post.get("report")) or 0).first()
    if report is None:
        raise Http404
    decision: Any = post.get("decision", "")
    services.report_review(actor=user, report=report, decision=decision, comment=_comment(post))
    return _("Report review recorded.")


def _close(user: Any, project: Project, post: QueryDict) -> str:
    services.project_close(actor=user, project=project, evaluation=post.get("evaluation", "").strip())
    return _("The project is closed.")


def _cancel(user: Any, project: Project, post: QueryDict) -> str:
    services.project_cancel(actor=user, project=project, reason=post.get("reason", "").strip())
    return _("The project is cancelled.")


def _reduce(user: Any, project: Project, post: QueryDict) -> str:
    services.approved_amount_reduce(
        actor=user,
        project=project,
        new_amount=_money(post.get("new_amount")) or Decimal("-1"),
        reason=post.get("reason", "").strip()[:2000],
    )
    return _("The approved amount is reduced.")


def _fund_return(user: Any, project: Project, post: QueryDict) -> str:
    services.fund_return_record(
        actor=user,
        project=project,
        amount=_money(post.get("amount")) or Decimal("0"),
        reason=post.get("reason", "").strip()[:2000],
    )
    return _("The returned funds are recorded.")


ACTIONS: dict[str, Handler] = {
    "submit": _submit,
    "screen": _screen,
    "committee": _committee,
    "approve": _approve,
    "sign": _sign,
    "disburse": _disburse,
    "review_report": _review_report,
    "close": _close,
    "cancel": _cancel,
    "reduce": _reduce,
    "fund_return": _fund_return,
}

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


@login_required
@require_POST
def project_action(request: HttpRequest, project_id: int, action: str) -> HttpResponse:
    """One form per step; the service checks role, scope and state and refuses with a message.

    Which forms the page offers is decided by ``selectors.actions_for``; the services decide again.
    """
    handler = ACTIONS.get(action)
    project = _get(request, project_id)
    if handler is None:
        raise Http404
    try:
        messages.success(request, handler(request.user, project, request.POST))
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        if action not in _KEPT_ACTIONS:
            return redirect("projects:project_detail", project_id=project.pk)
        # Show the form again with the person's choice and text, and the message beside the field.
        post = request.POST
        code = str(getattr(exc, "code", "") or "")
        values = {k: str(v)[:2000] for k, v in post.items() if k != "csrfmiddlewaretoken"}
        report_id = _int(post.get("report")) if action == "review_report" else None
        keep = {
            action: {
                "decision": post.get("decision", ""),
                "comment": _comment(post),
                "values": values,
                "report": report_id,
                "field": _ERROR_FIELD.get(code, "decision"),
                "error": _error_text(exc),
            }
        }
        project.refresh_from_db()
        return detail_page(request, project, keep)
    return redirect("projects:project_detail", project_id=project.pk)


def _installment_plans(post: Any) -> list[Any]:
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
            services.InstallmentPlan(
                amount=amount,
                conditions=post.get(f"inst_{n}_conditions", "").strip()[:1000],
                due_date=due_date,
            )
        )
    return plans
