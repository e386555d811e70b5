"""Security operations pages: alerts and incidents (the security operators' inbox), one incident
through its stages, and a button that evaluates the alert rules now.

Thin: reads through ``selectors``, writes through ``services``; a refused write shows its reason
beside the field with the input kept."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from codi.core.spreadsheet import xlsx_response
from codi.identity.guards import need
from codi.insights import alerts, selectors, services
from codi.insights import satisfaction as survey
from codi.insights.context import session_key
from codi.insights.models import STAGE_ORDER, Severity, Stage


def _errors(exc: ValidationError) -> dict[str, str]:
    if hasattr(exc, "message_dict"):
        return {k: " ".join(v) for k, v in exc.message_dict.items()}
    return {"__all__": " ".join(exc.messages)}


@login_required
def security(request: HttpRequest) -> HttpResponse:
    need(request, selectors.can_operate)
    alerts_page = Paginator(selectors.alert_list(actor=request.user), 25).get_page(request.GET.get("page"))
    incidents = selectors.incident_list(actor=request.user)
    return render(
        request,
        "insights/security.html",
        {
            "alerts": alerts_page,
            "incidents": incidents[:50],
            "open_count": incidents.exclude(stage=Stage.CLOSED).count(),
            "siem": selectors.siem_state(),
            "severities": Severity.choices,
        },
    )


@login_required
def incident_new(request: HttpRequest) -> HttpResponse:
    need(request, selectors.can_operate)
    errors: dict[str, str] = {}
    values = {"title": "", "description": "", "severity": Severity.MEDIUM, "personal_data": False}
    alert_ids = [int(a) for a in request.GET.getlist("alert") + request.POST.getlist("alert") if a.isdigit()]
    if request.method == "POST":
        values = {
            "title": request.POST.get("title", "")[:200],
            "description": request.POST.get("description", "")[:5000],
            "severity": request.POST.get("severity", ""),
            "personal_data": bool(request.POST.get("personal_data")),
        }
        try:
            incident = services.incident_open(
                actor=request.user,
                alert_ids=alert_ids,
                title=str(values["title"]),
                description=str(values["description"]),
                severity=str(values["severity"]),
                personal_data=bool(values["personal_data"]),
            )
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            messages.success(request, _("Incident opened."))
            return redirect("insights:incident_detail", incident_id=incident.pk)
    return render(
        request,
        "insights/incident_new.html",
        {"values": values, "errors": errors, "severities": Severity.choices, "alert_ids": alert_ids},
        status=400 if errors else 200,
    )


@login_required
def incident_detail(request: HttpRequest, incident_id: int) -> HttpResponse:
    need(request, selectors.can_operate)
    incident = selectors.incident_list(actor=request.user).filter(pk=incident_id).first()
    if incident is None:
        raise Http404
    errors: dict[str, str] = {}
    values = {"note": "", "lessons": incident.lessons}
    if request.method == "POST":
        action = request.POST.get("action")
        values = {
            "note": request.POST.get("note", "")[:5000],
            "lessons": request.POST.get("lessons", "")[:5000],
        }
        try:
            if action == "breach":
                services.incident_open_breach(actor=request.user, incident=incident)
                messages.success(
                    request, _("The PDPA breach record is open; the 72-hour clock runs from detection.")
                )
            else:
                services.incident_advance(actor=request.user, incident=incident, **values)
                messages.success(request, _("The incident moved to its next stage."))
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            return redirect("insights:incident_detail", incident_id=incident.pk)
    stage_index = STAGE_ORDER.index(incident.stage)
    stages = [
        (value, label, i < stage_index, i == stage_index) for i, (value, label) in enumerate(Stage.choices)
    ]
    next_label = Stage(STAGE_ORDER[stage_index + 1]).label if incident.stage != Stage.CLOSED else ""
    return render(
        request,
        "insights/incident_detail.html",
        {
            "incident": incident,
            "steps": incident.steps.select_related("actor"),
            "alerts": incident.alerts.all(),
            "stages": stages,
            "next_label": next_label,
            "errors": errors,
            "values": values,
            "closing": STAGE_ORDER[min(stage_index + 1, len(STAGE_ORDER) - 1)] == Stage.CLOSED,
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def evaluate_now(request: HttpRequest) -> HttpResponse:
    need(request, selectors.can_operate)
    created = alerts.alerts_evaluate()
    messages.success(request, _("Alert rules evaluated: %(n)d new alert(s).") % {"n": len(created)})
    return redirect("insights:security")


@login_required
@require_POST
def satisfaction_answer(request: HttpRequest) -> HttpResponse:
    """Answer (or put off) the module's survey; back to the page it was asked on."""
    module = request.POST.get("module", "")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    if request.POST.get("dismiss"):
        request.session.pop(session_key(module), None)
        return redirect(target)
    try:
        survey.satisfaction_record(
            actor=request.user,
            module=module,
            score=request.POST.get("score"),
            comment=request.POST.get("comment", "")[:2000],
            anonymous=bool(request.POST.get("anonymous")),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(_errors(exc).values()))
    else:
        request.session.pop(session_key(module), None)
        messages.success(request, _("Thank you for your answer."))
    return redirect(target)


@login_required
def satisfaction_results(request: HttpRequest) -> HttpResponseBase:
    need(request, selectors.can_view_insights)
    quarter = request.GET.get("quarter", "")[:7]
    rows = survey.results(quarter=quarter)
    if request.GET.get("format") == "xlsx":
        header = [_("Module"), _("Fiscal quarter"), _("Answers"), _("Mean score"), _("Satisfied"), _("Share satisfied"),
                  _("Target met"), _("Negative comments"), _("Positive comments")]  # fmt: skip
        body = [
            [str(r["label"]), r["quarter"], r["n"], r["mean"], r["satisfied"], round(r["share"], 4),
             _("Yes") if r["met"] else _("No"), r["negative"], r["positive"]]
            for r in rows
        ]  # fmt: skip
        return xlsx_response(filename="satisfaction", sheets=[(str(_("User satisfaction")), header, body)])
    return render(
        request,
        "insights/satisfaction.html",
        {"rows": rows, "quarter": quarter, "quarters": survey.quarters(), "target": int(survey.TARGET * 100)},
    )
