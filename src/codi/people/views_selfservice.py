"""Self-service changes: staff ask (``my_changes``), HR decides (``change_inbox``, ``change_decide``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm
from codi.people import dependants, selfassess, selfservice, training
from codi.people.models import ChangeKind, Competency, ProfileChange, SkillLevel
from codi.people.selectors import own_employee


def _message(request: HttpRequest, exc: ValidationError) -> str:
    th = getattr(exc, "message_th", "; ".join(exc.messages))
    return th if request.LANGUAGE_CODE == "th" else getattr(exc, "message_en", th)


@login_required
@require_http_methods(["GET", "POST"])
def my_changes(request: HttpRequest) -> HttpResponseBase:
    employee = own_employee(request.user)
    if employee is None:
        raise PermissionDenied
    errors: dict[str, str] = {}
    error_field = ""
    posted = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        fields = (
            "bank_code",
            "bank_account",
            "address",
            "spouse_name",
            "spouse_no_income",
            "children",
            "parents",
        )
        values = {k: request.POST.get(k, "") for k in fields}
        try:
            selfservice.change_submit(actor=request.user, kind=kind, values=values)
        except ValidationError as exc:
            errors[kind] = _message(request, exc)
            error_field = getattr(exc, "field", "")
        else:
            messages.success(
                request, _("Your request was sent to HR. Your record changes when HR approves it.")
            )
            return redirect("people:my_changes")
    return render(
        request,
        "people/my_changes.html",
        {
            "employee": employee,
            "address_masked": selfservice.mask_address(employee.address),
            "dependants_masked": dependants.mask(dependants.current(employee)),
            "changes": selfservice.my_changes(actor=request.user)[:50],
            "errors": errors,
            "error_field": error_field,
            "posted": posted,
            "kinds": ChangeKind,
        },
    )


def _require_hr(request: HttpRequest) -> None:
    if not user_has_perm(request.user, Perm.PEOPLE_MANAGE):
        raise PermissionDenied


@login_required
def change_inbox(request: HttpRequest) -> HttpResponse:
    """Waiting requests, masked; ``?reveal=ID`` shows one in full (audited)."""
    _require_hr(request)
    rows = list(selfservice.change_inbox(actor=request.user)[:200])
    shown: dict[int, str] = {}
    reveal = request.GET.get("reveal", "")
    if reveal.isdigit():
        change = next((c for c in rows if c.pk == int(reveal)), None)
        if change is None:
            raise PermissionDenied
        shown[change.pk] = " ".join(selfservice.proposed_reveal(actor=request.user, change=change).values())
    items = [(c, shown.get(c.pk, "")) for c in rows]
    return render(request, "people/change_inbox.html", {"items": items})


@login_required
@require_POST
def change_decide(request: HttpRequest, change_id: int) -> HttpResponseBase:
    _require_hr(request)
    change = get_object_or_404(ProfileChange.objects.select_related("employee"), pk=change_id)
    if not selfservice.can_decide(request.user, change):
        raise PermissionDenied
    try:
        selfservice.change_decide(
            actor=request.user,
            change=change,
            decision=request.POST.get("decision", ""),
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        messages.error(request, _message(request, exc))
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("people:change_inbox")


@login_required
@require_http_methods(["GET", "POST"])
def my_skills(request: HttpRequest) -> HttpResponseBase:
    """The staff member's digital-skill self-assessment for the current fiscal year; HR also sees
    the summary of their scope against the plan's targets."""
    year = training.current_fiscal_year()
    is_hr = user_has_perm(request.user, Perm.PEOPLE_VIEW)
    has_record = own_employee(request.user) is not None
    if not has_record and not (is_hr and request.method == "GET"):
        raise PermissionDenied
    levels = selfassess.my_levels(actor=request.user, fiscal_year=year) if has_record else {}
    error = ""
    if request.method == "POST":
        answers = {code: request.POST.get(code, "") for code, _label in Competency.choices}
        try:
            selfassess.self_assess(actor=request.user, fiscal_year=year, levels=answers)
        except ValidationError as exc:
            error = _message(request, exc)
            levels = {k: int(v) for k, v in answers.items() if v.isdigit()}
        else:
            messages.success(request, _("Your self-assessment was saved."))
            return redirect("people:my_skills")
    summary = selfassess.summary(actor=request.user, fiscal_year=year) if is_hr else []
    skills = [(code, label, levels.get(code)) for code, label in Competency.choices]
    return render(
        request,
        "people/my_skills.html",
        {
            "year": year,
            "skills": skills if has_record else [],
            "levels": SkillLevel.choices,
            "error": error,
            "summary": summary,
        },
    )
