"""Pages: public privacy notices; the DPO's dashboard, consents, requests, breaches, register, retention."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from codi.core.spreadsheet import xlsx_response
from codi.identity.guards import need
from codi.privacy import exporting, forms, retention, selectors, services
from codi.privacy.models import Purpose, RetentionRun

PAGE_SIZE = 50


def _need(request: HttpRequest) -> None:
    need(request, selectors.can_manage_privacy)


def _one_language(message: str) -> str:
    """The services word refusals "ไทย / English": show the half the person reads."""
    th, sep, en = str(message).partition(" / ")
    if not sep:
        return str(message)
    return en if (get_language() or "th").startswith("en") else th


def _errors(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(_one_language(m) for group in exc.message_dict.values() for m in group)
    return " ".join(_one_language(m) for m in exc.messages)


# --- public ---------------------------------------------------------------------------------------


def notice_index(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/notice_index.html", {"notices": selectors.current_notices()})


def notice_detail(request: HttpRequest, purpose: str) -> HttpResponse:
    if purpose not in Purpose.values:
        raise Http404
    versions = selectors.notice_versions(purpose=purpose)
    wanted = request.GET.get("version", "")
    notice = versions.filter(version=int(wanted)).first() if wanted.isdigit() else versions.first()
    if notice is None:
        raise Http404
    return render(request, "privacy/notice_detail.html", {"notice": notice, "versions": versions})


# --- the DPO --------------------------------------------------------------------------------------


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    _need(request)
    return render(request, "privacy/dashboard.html", selectors.dashboard(actor=request.user))


@login_required
@require_http_methods(["GET", "POST"])
def notice_manage(request: HttpRequest) -> HttpResponse:
    _need(request)
    form = forms.NoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.notice_publish(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Version %(v)s published.") % {"v": notice.version})
            return redirect("privacy:notice_manage")
    notices = Paginator(selectors.notice_versions_all(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "privacy/notice_manage.html", {"form": form, "page": notices})


@login_required
@require_http_methods(["GET", "POST"])
def consents(request: HttpRequest) -> HttpResponse:
    _need(request)
    give = forms.ConsentForm(
        request.POST if request.POST.get("action") == "give" else None, request.FILES or None
    )
    withdraw = forms.WithdrawForm(request.POST if request.POST.get("action") == "withdraw" else None)
    national_id = request.GET.get("national_id", "") or request.POST.get("national_id", "")
    if request.method == "POST":
        try:
            person = services.person_for(national_id)
            if request.POST.get("action") == "give" and give.is_valid():
                data = give.cleaned_data
                services.consent_record(
                    actor=request.user,
                    person=person,
                    purpose=data["purpose"],
                    channel=data["channel"],
                    evidence_text=data["evidence_text"],
                    evidence_file=data["evidence_file"],
                )
                messages.success(request, _("Consent recorded."))
            elif request.POST.get("action") == "withdraw" and withdraw.is_valid():
                data = withdraw.cleaned_data
                services.consent_withdraw(
                    actor=request.user,
                    person=person,
                    purpose=data["purpose"],
                    channel=data["channel"],
                    evidence=data["evidence"],
                )
                messages.success(request, _("Consent withdrawn: processing that rests on it has stopped."))
        except ValidationError as exc:
            messages.error(request, _errors(exc))
    rows = None
    if national_id:
        try:
            rows = list(selectors.consent_list(actor=request.user, person=services.person_for(national_id)))
        except ValidationError as exc:
            messages.error(request, _errors(exc))
    return render(
        request,
        "privacy/consents.html",
        {"give": give, "withdraw": withdraw, "national_id": national_id, "rows": rows},
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_list(request: HttpRequest) -> HttpResponse:
    _need(request)
    form = forms.RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.dsr_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            return redirect("privacy:request_detail", created.pk)
    status = request.GET.get("status", "open")
    rows = selectors.request_list(
        actor=request.user, status=status, is_overdue=request.GET.get("overdue") == "1"
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "privacy/request_list.html", {"form": form, "page": page, "status": status})


def _request_or_404(request: HttpRequest, request_id: int) -> Any:
    _need(request)
    found = selectors.request_get(actor=request.user, request_id=request_id)
    if found is None:
        raise Http404
    return found


@login_required
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    dsr = _request_or_404(request, request_id)
    return render(request, "privacy/request_detail.html", _request_context(dsr))


def _request_context(dsr: Any, **extra: Any) -> dict[str, Any]:
    return {
        "r": dsr,
        "events": dsr.events.select_related("actor"),
        "verify": forms.VerifyForm(),
        "extend": forms.ExtendForm(),
        "restrict": forms.RestrictForm(),
        "rectify": forms.RectifyForm(),
        "refuse": forms.RefuseForm(),
        "rules": retention.LEGAL_RULES,
        **extra,
    }


@login_required
@require_POST
def request_action(request: HttpRequest, request_id: int) -> HttpResponse:
    dsr = _request_or_404(request, request_id)
    action = request.POST.get("action", "")
    user = request.user
    form: Any
    try:
        if action == "verify":
            form = forms.VerifyForm(request.POST)
            if form.is_valid():
                services.dsr_verify_identity(actor=user, request=dsr, method=form.cleaned_data["method"])
        elif action == "extend":
            form = forms.ExtendForm(request.POST)
            if form.is_valid():
                services.dsr_extend(actor=user, request=dsr, **form.cleaned_data)
        elif action in ("access_json", "access_pdf"):
            export = services.dsr_access(actor=user, request=dsr)
            if action == "access_pdf":
                response = HttpResponse(services.dsr_export_pdf(export), content_type="application/pdf")
                response["Content-Disposition"] = f'attachment; filename="dsr-{dsr.pk}.pdf"'
                return response
            body = json.dumps(export, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
            response = HttpResponse(body, content_type="application/json; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="dsr-{dsr.pk}.json"'
            return response
        elif action == "erase_preview":
            if dsr.person is None:
                raise Http404
            plan = services.person_erase(actor=user, person=dsr.person, dry_run=True)
            return render(request, "privacy/request_detail.html", _request_context(dsr, plan=plan.outcomes))
        elif action == "erase":
            services.dsr_erase(actor=user, request=dsr)
        elif action == "rectify":
            form = forms.RectifyForm(request.POST)
            if form.is_valid():
                changes = {k: v for k, v in form.cleaned_data.items() if v}
                if not changes:
                    raise ValidationError(_("Type the corrected value in at least one field."))
                services.dsr_rectify(actor=user, request=dsr, changes=changes)
        elif action == "restrict":
            form = forms.RestrictForm(request.POST)
            if form.is_valid():
                services.dsr_restrict(actor=user, request=dsr, **form.cleaned_data)
        elif action == "refuse":
            form = forms.RefuseForm(request.POST)
            if form.is_valid():
                services.dsr_refuse(actor=user, request=dsr, reason=form.cleaned_data["reason"])
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("privacy:request_detail", dsr.pk)


@login_required
@require_http_methods(["GET", "POST"])
def breach_list(request: HttpRequest) -> HttpResponse:
    _need(request)
    form = forms.BreachForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            persons = [services.person_for(line) for line in data.pop("national_ids").split() if line.strip()]
            breach = services.breach_record(actor=request.user, persons=persons, **data)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            return redirect("privacy:breach_detail", breach.pk)
    page = Paginator(selectors.breach_list(actor=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "privacy/breach_list.html", {"form": form, "page": page})


def _breach_or_404(request: HttpRequest, breach_id: int) -> Any:
    _need(request)
    found = selectors.breach_get(actor=request.user, breach_id=breach_id)
    if found is None:
        raise Http404
    return found


@login_required
def breach_detail(request: HttpRequest, breach_id: int) -> HttpResponse:
    breach = _breach_or_404(request, breach_id)
    return render(
        request,
        "privacy/breach_detail.html",
        {
            "b": breach,
            "persons": breach.affected_persons.count(),
            "assess": forms.AssessForm(),
            "regulator": forms.RegulatorForm(),
        },
    )


@login_required
@require_POST
def breach_action(request: HttpRequest, breach_id: int) -> HttpResponse:
    breach = _breach_or_404(request, breach_id)
    action = request.POST.get("action", "")
    form: Any
    try:
        if action == "assess":
            form = forms.AssessForm(request.POST)
            if form.is_valid():
                services.breach_assess(actor=request.user, breach=breach, **form.cleaned_data)
        elif action == "regulator":
            regulator = forms.RegulatorForm(request.POST)
            if regulator.is_valid():
                services.breach_notify_regulator(actor=request.user, breach=breach, **regulator.cleaned_data)
        elif action == "subjects":
            services.breach_notify_subjects(actor=request.user, breach=breach)
        elif action == "close":
            services.breach_close(actor=request.user, breach=breach)
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("privacy:breach_detail", breach.pk)


@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    _need(request)
    form = forms.ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["datasets"] = [line.strip() for line in data["datasets"].split() if line.strip()]
        try:
            services.activity_save(actor=request.user, **data)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            return redirect("privacy:register")
    return render(
        request, "privacy/register.html", {"form": form, "rows": selectors.ropa_rows(actor=request.user)}
    )


@login_required
def register_export(request: HttpRequest) -> HttpResponseBase:
    _need(request)

    table = exporting.ropa_table(selectors.ropa_rows(actor=request.user))
    return xlsx_response(filename="ropa", sheets=[("RoPA", exporting.HEADER, table)], widths=exporting.WIDTHS)


@login_required
@require_http_methods(["GET", "POST"])
def retention_page(request: HttpRequest) -> HttpResponse:
    _need(request)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "policy":
                form = forms.PolicyForm(request.POST)
                if form.is_valid():
                    services.retention_policy_set(actor=request.user, **form.cleaned_data)
            else:
                run = services.retention_run(actor=request.user, dry_run=request.POST.get("action") != "run")
                messages.success(request, _("Retention run finished: %(n)s records.") % {"n": run.total})
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        return redirect("privacy:retention")
    days = retention.job_days()
    jobs = [{"job": job, "days": days[job.key][0], "enabled": days[job.key][1]} for job in retention.JOBS]
    runs = Paginator(RetentionRun.objects.select_related("actor"), 20).get_page(request.GET.get("page"))
    return render(
        request, "privacy/retention.html", {"jobs": jobs, "page": runs, "rules": retention.LEGAL_RULES}
    )
