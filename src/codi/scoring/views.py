"""Pages of social scoring: an organization's score (advice, parts, explanation, override), the
overrides report, and a community's own scores in the portal."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from codi.communities.selectors import organization_get
from codi.core.thaidate import fiscal_year_be
from codi.identity.guards import need
from codi.identity.roles import Perm
from codi.scoring import corrections, selectors, services
from codi.scoring.models import CorrectionRequest, CorrectionStatus, OverrideKind, RiskPrediction


@login_required
def organization(request: HttpRequest, org_id: int) -> HttpResponse:
    need(request, Perm.ORGS_VIEW)
    org = organization_get(actor=request.user, org_id=org_id)
    if org is None:
        raise Http404
    return render(
        request,
        "scoring/organization.html",
        {
            "org": org,
            "view": selectors.organization_score(actor=request.user, org_id=org_id),
            "area": selectors.subdistrict_score(code=org.subdistrict_id),
            "predictions": selectors.organization_predictions(actor=request.user, org_id=org_id)[:20],
            "overrides": selectors.organization_overrides(actor=request.user, org_id=org_id),
            "can_override": selectors.can_override(request.user, org_id),
            "risk_model": selectors.latest_risk_model(),
        },
    )


def _float(text: str) -> float:
    try:
        return float(text)
    except (TypeError, ValueError) as exc:
        raise ValidationError("กรุณาระบุตัวเลข") from exc


@login_required
@require_POST
def override(request: HttpRequest, org_id: int) -> HttpResponse:
    need(request, services.OVERRIDE_PERM)
    kind = request.POST.get("kind", "")
    view = selectors.organization_score(actor=request.user, org_id=org_id)
    prediction = None
    if kind == OverrideKind.RISK:
        prediction = (
            selectors.organization_predictions(actor=request.user, org_id=org_id)
            .filter(pk=int(request.POST.get("prediction") or 0))
            .first()
        )
    try:
        services.override_create(
            actor=request.user,
            organization_id=org_id,
            kind=kind,
            officer_value=_float(request.POST.get("officer_value", "")),
            reason=request.POST.get("reason", ""),
            index_score=view.score if view else None,
            prediction=prediction if isinstance(prediction, RiskPrediction) else None,
        )
    except ValidationError as exc:
        messages.error(request, "บันทึกไม่ได้: " + " ".join(exc.messages))
    except PermissionDenied:
        raise
    else:
        messages.success(request, "บันทึกการประเมินของเจ้าหน้าที่พร้อมเหตุผลแล้ว")
    return redirect("scoring:organization", org_id=org_id)


@login_required
def overrides(request: HttpRequest) -> HttpResponse:
    need(request, services.OVERRIDE_PERM)
    return render(request, "scoring/overrides.html", {"rows": selectors.override_report(actor=request.user)})


@login_required
def portal(request: HttpRequest) -> HttpResponse:
    rows = selectors.portal_scores(user=request.user)
    if not rows:
        raise PermissionDenied
    names = selectors.organization_names([org_id for org_id, _view in rows])
    return render(
        request,
        "scoring/portal.html",
        {
            "rows": [(org_id, names.get(org_id, "-"), view) for org_id, view in rows],
            "corrections": selectors.with_names(
                list(corrections.corrections_for_portal(user=request.user)[:50])
            ),
        },
    )


# --- survey on a phone, and its review ---------------------------------------------------------


def _may_survey(request: HttpRequest, org_id: int) -> Any:
    if not services.may_answer_survey(request.user, org_id):
        raise PermissionDenied
    return selectors.portal_organization(user=request.user, org_id=org_id) or organization_get(
        actor=request.user, org_id=org_id
    )


@login_required
def survey(request: HttpRequest, org_id: int) -> HttpResponse:
    """The survey questions the platform cannot answer, one screen, large answer buttons."""
    org = _may_survey(request, org_id)
    period = fiscal_year_be(date.today())
    questions = selectors.survey_questions()
    errors: dict[str, str] = {}
    given: dict[str, str] = {}
    if request.method == "POST":
        for q in questions:
            given[q.key] = request.POST.get(q.key, "").strip()
            if not given[q.key]:
                errors[q.key] = "กรุณาเลือกคำตอบ"
        if not errors:
            try:
                with transaction.atomic():
                    for q in questions:
                        services.survey_answer_record(
                            actor=request.user,
                            organization_id=org_id,
                            question=q.question,
                            period=period,
                            value=_float(given[q.key]),
                        )
            except ValidationError as exc:
                errors["form"] = " ".join(exc.messages)
            else:
                messages.success(request, "ส่งคำตอบแล้ว เจ้าหน้าที่จะตรวจก่อนนำไปใช้คำนวณคะแนน")
                return redirect("scoring:survey", org_id=org_id)
    return render(
        request,
        "scoring/survey.html",
        {
            "org": org,
            "period": period,
            "items": [(q, given.get(q.key, ""), errors.get(q.key, "")) for q in questions],
            "errors": errors,
            "answers": selectors.question_names(list(selectors.survey_answers(organization_id=org_id)[:20])),
            "scale": selectors.SURVEY_SCALE,
        },
        status=400 if errors else 200,
    )


@login_required
def survey_review(request: HttpRequest) -> HttpResponse:
    need(request, services.OVERRIDE_PERM)
    if request.method == "POST":
        answer = selectors.survey_answer_pending(
            actor=request.user, answer_id=_int(request.POST.get("answer"))
        )
        if answer is None:
            raise Http404
        try:
            services.survey_answer_review(
                actor=request.user, answer=answer, accept=request.POST.get("decision") == "accept"
            )
        except ValidationError as exc:
            messages.error(request, "บันทึกไม่ได้: " + " ".join(exc.messages))
        else:
            messages.success(request, "บันทึกผลการตรวจคำตอบแล้ว")
        return redirect("scoring:survey_review")
    rows = selectors.survey_pending(actor=request.user)
    selectors.question_names([a for a, _org in rows])
    return render(request, "scoring/survey_review.html", {"rows": rows})


def _int(text: str | None) -> int:
    try:
        return int(text or 0)
    except ValueError:
        return 0


# --- correction requests -----------------------------------------------------------------------


@login_required
def correction_new(request: HttpRequest, org_id: int) -> HttpResponse:
    """A community account asks to correct the data behind one part of its organization's score."""
    org = selectors.portal_organization(user=request.user, org_id=org_id)
    if org is None:
        raise PermissionDenied
    view = selectors.portal_organization_score(user=request.user, org_id=org_id)
    errors: dict[str, str] = {}
    given = {"indicator_key": request.GET.get("indicator", ""), "message": "", "national_id": ""}
    if request.method == "POST":
        given = {k: request.POST.get(k, "") for k in given}
        try:
            corrections.correction_request(
                actor=request.user,
                organization_id=org_id,
                indicator_key=given["indicator_key"],
                message=given["message"],
                index_score=view.score if view else None,
                national_id=given["national_id"],
            )
        except ValidationError as exc:
            errors = {k: " ".join(v) for k, v in exc.message_dict.items()}
        else:
            messages.success(request, "ส่งคำขอแก้ไขข้อมูลแล้ว เจ้าหน้าที่ในพื้นที่จะตอบกลับ")
            return redirect("scoring:portal")
    return render(
        request,
        "scoring/correction_form.html",
        {
            "org": org,
            "parts": selectors.organization_indicators(),
            "given": given,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@login_required
def corrections_list(request: HttpRequest) -> HttpResponse:
    need(request, services.OVERRIDE_PERM)
    status = request.GET.get("status", CorrectionStatus.OPEN)
    if status not in CorrectionStatus.values:
        status = CorrectionStatus.OPEN
    if request.method == "POST":
        row = CorrectionRequest.objects.filter(pk=_int(request.POST.get("request"))).first()
        if row is None:
            raise Http404
        try:
            corrections.correction_resolve(
                actor=request.user,
                request=row,
                corrected=request.POST.get("decision") == "corrected",
                reply=request.POST.get("reply", ""),
            )
        except ValidationError as exc:
            messages.error(request, "บันทึกไม่ได้: " + " ".join(exc.messages))
        else:
            messages.success(request, "บันทึกคำตอบแล้ว")
        return redirect("scoring:corrections")
    rows = corrections.corrections_for_officer(actor=request.user, status=status)
    return render(
        request,
        "scoring/corrections.html",
        {"rows": selectors.with_names(rows), "status": status, "statuses": CorrectionStatus.choices},
    )
