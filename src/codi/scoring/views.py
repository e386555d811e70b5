"""Pages of social scoring: an organization's score (advice, parts, explanation, override), the
overrides report, and a community's own scores in the portal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from codi.communities.selectors import organization_get
from codi.identity.guards import need
from codi.identity.roles import Perm
from codi.scoring import selectors, services
from codi.scoring.models import OverrideKind, RiskPrediction


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
    return render(request, "scoring/portal.html", {"rows": rows})
