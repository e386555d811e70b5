"""e-Audit pages: the auditor's and the risk owner's inboxes, the rule registry, the exception queue
with its evidence, engagements and findings (with the follow-up process diagram), the risk register
and its heat map.

Thin: reads through ``selectors``, writes through ``services`` (PermissionDenied → 403,
AuditError → the message on the page)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from codi.audit import analytics, planning, reports, selectors, services, situation
from codi.audit import assessments as control
from codi.audit.models import (
    AuditPlan,
    Component,
    ControlAssessment,
    Engagement,
    EngagementReport,
    ExceptionStatus,
    Finding,
    FollowUp,
    PlannedEngagement,
    Rating,
    Risk,
    Treatment,
    WorkingPaper,
    band,
)
from codi.audit.services import AuditError
from codi.core.spreadsheet import xlsx_response
from codi.identity.guards import need
from codi.identity.models import OrgUnit, User


def _refused(request: HttpRequest, exc: AuditError) -> None:
    messages.error(request, exc.message_th if request.LANGUAGE_CODE == "th" else exc.message_en)


def _user(value: str) -> User | None:
    return User.objects.filter(pk=value, is_active=True).first() if value.strip().isdigit() else None


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "eaudit/home.html",
        {
            "auditor": selectors.auditor_inbox(actor=user),
            "owner": selectors.owner_inbox(actor=user),
            "can_view": selectors.can_view(user),
            "can_audit": selectors.can_audit(user),
            "last_run": selectors.last_run() if selectors.can_view(user) else None,
        },
    )


@login_required
@require_POST
def run_now(request: HttpRequest) -> HttpResponse:
    need(request, selectors.can_audit)
    try:
        result = services.analytics_run(actor=request.user)
        messages.success(
            request,
            _("Analytics run: %(flags)d flags, %(new)d new exceptions.")
            % {"flags": result.flags, "new": result.new},
        )
    except AuditError as exc:
        _refused(request, exc)
    return redirect("eaudit:exceptions")


@login_required
def rules(request: HttpRequest) -> HttpResponse:
    need(request, selectors.can_view)
    if request.method == "POST":
        need(request, selectors.can_audit)
        rule = request.POST.get("rule", "")
        params = {k.removeprefix("p_"): v for k, v in request.POST.items() if k.startswith("p_")}
        try:
            services.rule_setting_update(
                actor=request.user, rule=rule, enabled=request.POST.get("enabled") == "1", params=params
            )
            messages.success(request, _("Saved."))
        except AuditError as exc:
            _refused(request, exc)
        return redirect("eaudit:rules")
    return render(
        request,
        "eaudit/rules.html",
        {"rows": selectors.rule_table(), "can_audit": selectors.can_audit(request.user)},
    )


@login_required
def exceptions(request: HttpRequest) -> HttpResponseBase:
    need(request, selectors.can_view)
    status = request.GET.get("status", ExceptionStatus.OPEN)
    if status not in ExceptionStatus.values and status != "":
        status = ExceptionStatus.OPEN
    rule = request.GET.get("rule", "")
    source = request.GET.get("source", "")[:130]
    rows = selectors.exception_queue(
        actor=request.user, status=status, rule=rule if rule in analytics.RULES else "", source=source
    )
    if request.GET.get("format") == "xlsx":
        header = ["กฎ", "รายการ", "กลุ่ม", "เหตุผล", "สถานะ", "หมายเหตุ"]
        data = [
            [e.rule, e.record_id, e.group_id, e.reason, e.get_status_display(), e.note] for e in rows[:100000]
        ]
        return xlsx_response(filename="audit-exceptions", sheets=[("exceptions", header, data)])
    return render(
        request,
        "eaudit/exceptions.html",
        {
            "rows": rows[:500], "status": status, "rule": rule, "statuses": ExceptionStatus.choices, "source": source,
            "rules": analytics.RULES, "can_audit": selectors.can_audit(request.user), "last_run": selectors.last_run(),
        },
    )  # fmt: skip


def _source_url(kind: str, pk: str) -> str:
    page = selectors.SOURCE_PAGES.get(kind)
    if not page or not pk.isdigit():
        return ""
    try:
        return reverse(page[0], kwargs={page[1]: int(pk)})
    except NoReverseMatch:
        return ""


@login_required
def exception_detail(request: HttpRequest, exception_id: int) -> HttpResponse:
    need(request, selectors.can_view)
    exception = selectors.exception_get(actor=request.user, exception_id=exception_id)
    if exception is None:
        raise Http404
    services.evidence_viewed(actor=request.user, exception=exception)
    found = selectors.evidence(exception)
    rule = analytics.RULES.get(exception.rule)
    return render(
        request,
        "eaudit/exception_detail.html",
        {
            "e": exception, "rule": rule, "group": [(g, _source_url(g.source_type, g.source_id)) for g in found.group],
            "trail": found.trail, "source_url": _source_url(exception.source_type, exception.source_id),
            "can_audit": selectors.can_audit(request.user),
            "engagements": Engagement.objects.exclude(status=Engagement.Status.CLOSED),
            "owners": User.objects.filter(is_active=True).exclude(username=request.user.get_username()).order_by("username")[:500],
            "ratings": Rating.choices,
        },
    )  # fmt: skip


@login_required
@require_POST
def exception_action(request: HttpRequest, exception_id: int) -> HttpResponse:
    need(request, selectors.can_audit)
    exception = selectors.exception_get(actor=request.user, exception_id=exception_id)
    if exception is None:
        raise Http404
    post = request.POST
    try:
        if post.get("action") == "finding":
            engagement = Engagement.objects.filter(pk=post.get("engagement") or 0).first()
            if engagement is None:
                raise AuditError("กรุณาเลือกงานตรวจสอบ", "Choose an engagement")
            ids = [exception.pk] + [
                int(x) for x in post.getlist("group") if x.isdigit() and int(x) != exception.pk
            ]  # fmt: skip
            finding = services.finding_raise(
                actor=request.user, engagement=engagement, title=post.get("title", ""),
                condition=post.get("condition", ""), criteria=post.get("criteria", ""), cause=post.get("cause", ""),
                effect=post.get("effect", ""), recommendation=post.get("recommendation", ""),
                owner=_user(post.get("owner", "")), rating=post.get("rating", Rating.MEDIUM), exception_ids=ids,
            )  # fmt: skip
            messages.success(request, _("Finding %(number)s raised.") % {"number": finding.number})
            return redirect("eaudit:finding_detail", finding_id=finding.pk)
        services.exception_decide(
            actor=request.user, exception=exception, status=post.get("status", ""), note=post.get("note", "")
        )
        messages.success(request, _("Saved."))
    except AuditError as exc:
        _refused(request, exc)
    return redirect("eaudit:exception_detail", exception_id=exception.pk)


@login_required
def engagements(request: HttpRequest) -> HttpResponse:
    need(request, selectors.can_view)
    if request.method == "POST":
        need(request, selectors.can_audit)
        post = request.POST
        unit = OrgUnit.objects.filter(code=post.get("unit", "")).first()
        try:
            year = int(post.get("fiscal_year_be", "0") or 0)
        except ValueError:
            year = 0
        try:
            services.engagement_create(
                actor=request.user, title=post.get("title", ""), scope=post.get("scope", ""), fiscal_year_be=year,
                unit=unit,
            )  # fmt: skip
            messages.success(request, _("Saved."))
        except AuditError as exc:
            _refused(request, exc)
        return redirect("eaudit:engagements")
    return render(
        request,
        "eaudit/engagements.html",
        {
            "rows": Engagement.objects.select_related("unit", "lead").prefetch_related("findings"),
            "units": OrgUnit.objects.all(), "can_audit": selectors.can_audit(request.user),
            "year_be": services._fiscal_year_be(),
        },
    )  # fmt: skip


def _finding(request: HttpRequest, finding_id: int) -> Finding:
    finding = selectors.finding_get(actor=request.user, finding_id=finding_id)
    if finding is None:
        raise Http404
    return finding


@login_required
def finding_detail(request: HttpRequest, finding_id: int) -> HttpResponse:
    finding = _finding(request, finding_id)
    user = request.user
    step = finding.current_step
    return render(
        request,
        "eaudit/finding_detail.html",
        {
            "f": finding, "responses": finding.responses.select_related("action_owner", "responded_by"),
            "follow_ups": finding.follow_ups.select_related("recorded_by"),
            "exceptions": finding.exceptions.all(), "diagram": services.PROCESS.diagram(finding.workflow_state),
            "step_name": services.STEP_NAMES.get(step, ("", ""))[0],
            "can_respond": step == "respond" and finding.owner_id == user.pk,
            "can_follow": step == "follow_up" and selectors.can_audit(user),
            "outcomes": FollowUp.Outcome.choices,
            "people": User.objects.filter(is_active=True).order_by("username")[:500],
            "today": timezone.localdate(),
        },
    )  # fmt: skip


@login_required
@require_POST
def finding_action(request: HttpRequest, finding_id: int) -> HttpResponse:
    finding = _finding(request, finding_id)
    post = request.POST
    try:
        if post.get("action") == "respond":
            services.finding_respond(
                actor=request.user, finding=finding, agreed=post.get("agreed", "1") == "1",
                action_plan=post.get("action_plan", ""), action_owner=_user(post.get("action_owner", "")),
                due_date=post.get("due_date", ""),
            )  # fmt: skip
        elif post.get("action") == "follow_up":
            services.finding_follow_up(
                actor=request.user, finding=finding, outcome=post.get("outcome", ""), note=post.get("note", ""),
                evidence=post.get("evidence", ""),
            )  # fmt: skip
        else:
            raise AuditError("คำสั่งไม่ถูกต้อง", "Unknown action")
        messages.success(request, _("Saved."))
    except AuditError as exc:
        _refused(request, exc)
    return redirect("eaudit:finding_detail", finding_id=finding.pk)


@login_required
def risks(request: HttpRequest) -> HttpResponseBase:
    user = request.user
    if request.method == "POST":
        return _risk_post(request)
    unit_code = request.GET.get("unit", "")
    rows = list(selectors.risks(actor=user, unit_code=unit_code))
    if not rows and not (selectors.can_view(user) or selectors.can_manage_risk(user)):
        need(request, selectors.can_view)
    kris = selectors.kri_values(rows)
    if request.GET.get("format") == "xlsx":
        header = ["รหัส", "หน่วยงาน", "วัตถุประสงค์", "เหตุการณ์", "สาเหตุ", "โอกาส", "ผลกระทบ", "ระดับ", "โอกาส (คงเหลือ)",
                  "ผลกระทบ (คงเหลือ)", "ระดับคงเหลือ", "เจ้าของ", "การจัดการ", "ตัวชี้วัด", "ค่า", "เกณฑ์"]  # fmt: skip
        data: list[list[Any]] = [
            [r.code, r.unit.name_th if r.unit else "ทั้งองค์กร", r.objective, r.event, r.cause, r.likelihood, r.impact,
             r.inherent, r.residual_likelihood, r.residual_impact, r.residual, str(r.owner), r.get_treatment_display(),
             r.kri, kris[r.pk].value if r.pk in kris else "", r.kri_limit or ""]
            for r in rows
        ]  # fmt: skip
        return xlsx_response(filename="risk-register", sheets=[("risks", header, data)])
    return render(
        request,
        "eaudit/risks.html",
        {
            "rows": [(r, band(r.inherent), band(r.residual), kris.get(r.pk)) for r in rows],
            "inherent": selectors.heat_map(rows), "residual": selectors.heat_map(rows, residual=True),
            "units": OrgUnit.objects.all(), "unit": unit_code, "can_manage": selectors.can_manage_risk(user),
            "treatments": Treatment.choices, "kris": selectors.KRIS, "scale": range(1, 6),
            "people": User.objects.filter(is_active=True).order_by("username")[:500],
        },
    )  # fmt: skip


def _risk_post(request: HttpRequest) -> HttpResponse:
    post = request.POST
    risk = Risk.objects.filter(pk=post.get("risk") or 0).first() if post.get("risk") else None
    if risk is None:
        need(request, selectors.can_manage_risk)
    try:
        services.risk_save(
            actor=request.user, risk=risk, code=post.get("code", ""),
            unit=OrgUnit.objects.filter(code=post.get("unit", "")).first(), objective=post.get("objective", ""),
            event=post.get("event", ""), cause=post.get("cause", ""), likelihood=post.get("likelihood"),
            impact=post.get("impact"), residual_likelihood=post.get("residual_likelihood"),
            residual_impact=post.get("residual_impact"), owner=_user(post.get("owner", "")),
            treatment=post.get("treatment", ""), treatment_plan=post.get("treatment_plan", ""), kri=post.get("kri", ""),
            kri_limit=_decimal(post.get("kri_limit", "")),
        )  # fmt: skip
        messages.success(request, _("Saved."))
    except AuditError as exc:
        _refused(request, exc)
    return redirect("eaudit:risks")


def _decimal(value: str) -> Any:
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() and abs(number) < Decimal("1e12") else None


@login_required
def process_file(request: HttpRequest, which: str) -> HttpResponse:
    path = {"tobe": services.TOBE_FILE, "asis": services.ASIS_FILE}.get(which)
    if path is None:
        raise Http404
    response = HttpResponse(path.read_bytes(), content_type="application/xml; charset=utf-8")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def process_asis(request: HttpRequest) -> HttpResponse:
    return render(request, "eaudit/process_asis.html", {"diagram": {"current": [], "completed": []}})


@login_required
def assessments(request: HttpRequest) -> HttpResponse:
    user = request.user
    year = _year(request)
    if request.method == "POST":
        unit = OrgUnit.objects.filter(code=request.POST.get("unit", "")).first()
        if unit is None:
            raise Http404
        items = {
            value: {
                k: request.POST.get(f"{k}_{value}", "") for k in ("rating", "evidence", "gaps", "improvement")
            }
            for value in Component.values
        }
        try:
            control.assessment_save(actor=user, unit=unit, fiscal_year_be=year, items=items)
            messages.success(request, _("Saved."))
        except AuditError as exc:
            _refused(request, exc)
        return redirect(f"{reverse('eaudit:assessments')}?year={year}")
    need(request, lambda u: selectors.can_view(u) or selectors.can_manage_risk(u))
    rows = ControlAssessment.objects.filter(fiscal_year_be=year).select_related("unit", "signed_by")
    return render(
        request,
        "eaudit/assessments.html",
        {
            "rows": [(a, list(a.items.all())) for a in rows], "year": year, "units": OrgUnit.objects.all(),
            "components": Component.choices, "scale": range(1, 6),
        },
    )  # fmt: skip


def _year(request: HttpRequest) -> int:
    raw = request.POST.get("fiscal_year_be") or request.GET.get("year") or ""
    return int(raw) if raw.isdigit() and 2500 <= int(raw) <= 2700 else services._fiscal_year_be()


@login_required
@require_POST
def assessment_sign(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = ControlAssessment.objects.filter(pk=assessment_id).first()
    if assessment is None:
        raise Http404
    try:
        control.assessment_sign(actor=request.user, assessment=assessment)
        messages.success(request, _("Signed."))
    except AuditError as exc:
        _refused(request, exc)
    return redirect(f"{reverse('eaudit:assessments')}?year={assessment.fiscal_year_be}")


@login_required
def assessment_pdf(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """The self-assessment as signed by the unit head (404 until signed)."""
    assessment = ControlAssessment.objects.select_related("unit").filter(pk=assessment_id).first()
    if assessment is None:
        raise Http404
    if not control.can_read_assessment(request.user, assessment):
        raise PermissionDenied
    if not assessment.pdf:
        raise Http404
    response = HttpResponse(
        control.assessment_pdf(actor=request.user, assessment=assessment), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'inline; filename="assessment-{assessment.unit.code}-{assessment.fiscal_year_be}-signed.pdf"'
    )
    return response


@login_required
def report_pdf(request: HttpRequest) -> HttpResponse:
    pdf = control.report_pdf(actor=request.user, fiscal_year_be=_year(request))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="risk-control-report.pdf"'
    return response


@login_required
def situation_room(request: HttpRequest) -> HttpResponse:
    need(request, situation.can_view)
    raw_year = request.GET.get("year", "")
    year = int(raw_year) if raw_year.isdigit() and 2500 <= int(raw_year) <= 2700 else None
    room = situation.situation(
        actor=request.user, region=request.GET.get("region", "")[:20],
        province=request.GET.get("province", "")[:2], fiscal_year_be=year,
    )  # fmt: skip
    if room is None:
        raise Http404
    situation.situation_viewed(actor=request.user, room=room)
    items = [(i, _source_url(i.source_type, i.source_id)) for i in room.items]
    return render(
        request,
        "eaudit/situation.html",
        {
            "room": room, "chart": situation.chart(room) if room.rows else None, "items": items,
            "year": year or "", "can_view_all": selectors.can_view(request.user),
        },
    )  # fmt: skip


@login_required
def plan(request: HttpRequest) -> HttpResponse:
    """The risk-based annual audit plan of a year: ranked units, engagements by quarter, approval."""
    user = request.user
    need(request, lambda u: selectors.can_view(u) or selectors.can_manage_risk(u))
    year = _year(request)
    if request.method == "POST":
        post = request.POST
        try:
            action = post.get("action", "")
            if action == "draft":
                need(request, selectors.can_audit)
                planning.plan_draft(actor=user, fiscal_year_be=year)
            elif action == "approve":
                need(request, selectors.can_manage_risk)
                found = AuditPlan.objects.filter(fiscal_year_be=year).first()
                if found is None:
                    raise Http404
                planning.plan_approve(actor=user, plan=found)
            elif action in {"move", "start"}:
                need(request, selectors.can_audit)
                planned = PlannedEngagement.objects.filter(
                    pk=post.get("planned") or 0, plan__fiscal_year_be=year
                ).first()
                if planned is None:
                    raise Http404
                if action == "move":
                    planning.planned_move(actor=user, planned=planned, quarter=post.get("quarter", ""))
                else:
                    engagement = planning.planned_start(
                        actor=user, planned=planned, scope=post.get("scope", "")
                    )
                    return redirect("eaudit:engagement_detail", engagement_id=engagement.pk)
            else:
                raise AuditError("คำสั่งไม่ถูกต้อง", "Unknown action")
            messages.success(request, _("Saved."))
        except AuditError as exc:
            _refused(request, exc)
        return redirect(f"{reverse('eaudit:plan')}?year={year}")
    found = planning.plan_get(actor=user, fiscal_year_be=year)
    rows = planning.planned_rows(found) if found else []
    return render(
        request,
        "eaudit/plan.html",
        {
            "plan": found, "year": year, "units": planning.auditable_units(fiscal_year_be=year),
            "quarters": [(q, [r for r in rows if r.quarter == q]) for q in range(1, 5)],
            "can_audit": selectors.can_audit(user), "can_approve": selectors.can_manage_risk(user),
        },
    )  # fmt: skip


@login_required
def engagement_detail(request: HttpRequest, engagement_id: int) -> HttpResponse:
    need(request, selectors.can_view)
    engagement = Engagement.objects.select_related("unit", "lead").filter(pk=engagement_id).first()
    if engagement is None:
        raise Http404
    if request.method == "POST":
        need(request, selectors.can_audit)
        try:
            if request.POST.get("action") == "team":
                ids = [v for v in request.POST.getlist("member") if v.isdigit()]
                planning.engagement_team_set(
                    actor=request.user, engagement=engagement,
                    members=list(User.objects.filter(pk__in=ids, is_active=True).exclude(pk=engagement.lead_id)),
                )  # fmt: skip
            elif request.POST.get("action") == "review":
                paper = WorkingPaper.objects.filter(
                    pk=request.POST.get("paper") or 0, engagement=engagement
                ).first()
                if paper is None:
                    raise Http404
                planning.working_paper_review(
                    actor=request.user, paper=paper, note=request.POST.get("note", "")
                )
            else:
                upload = request.FILES.get("file")
                planning.working_paper_add(
                    actor=request.user,
                    engagement=engagement,
                    title=request.POST.get("title", ""),
                    data=upload.read(planning.MAX_PAPER_BYTES + 1) if upload else b"",
                    filename=str(upload.name or "") if upload else "",
                )
            messages.success(request, _("Saved."))
        except AuditError as exc:
            _refused(request, exc)
        return redirect("eaudit:engagement_detail", engagement_id=engagement.pk)
    return render(
        request,
        "eaudit/engagement_detail.html",
        {
            "e": engagement, "findings": engagement.findings.select_related("owner"),
            "papers": engagement.working_papers.select_related("prepared_by", "reviewed_by"),
            "can_audit": selectors.can_audit(request.user), "user_id": request.user.pk,
            "sees_evidence": planning.can_see_evidence(request.user, engagement),
            "team": engagement.team.all(),
            "auditors": planning.auditor_choices() if engagement.lead_id == request.user.pk else [],
            "signed": EngagementReport.objects.filter(engagement=engagement).select_related("signed_by").first(),
        },
    )  # fmt: skip


@login_required
def engagement_report(request: HttpRequest, engagement_id: int) -> HttpResponse:
    """The signed report when there is one, else an unsigned print (POST: the lead signs it)."""
    need(request, selectors.can_view)
    engagement = Engagement.objects.select_related("unit", "lead").filter(pk=engagement_id).first()
    if engagement is None:
        raise Http404
    if request.method == "POST":
        need(request, selectors.can_audit)
        try:
            reports.report_sign(actor=request.user, engagement=engagement)
            messages.success(request, _("Signed."))
        except AuditError as exc:
            _refused(request, exc)
        return redirect("eaudit:engagement_detail", engagement_id=engagement.pk)
    pdf, signed = reports.report_bytes(engagement=engagement)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"report-{engagement.number}{'-signed' if signed else ''}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
