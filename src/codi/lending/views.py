"""Lending pages: the credit officer's inbox, a loan with its schedule and process diagram, the
portfolio (ageing, NPL and PAR30 by region as a chart, by province and product), Excel exports.

Thin: reads through ``selectors``, writes through ``services`` (which check role and area and
raise PermissionDenied → 403, LendingError → the message on the page)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from codi.core.spreadsheet import be_date, xlsx_response
from codi.identity.guards import need
from codi.identity.roles import Perm
from codi.identity.selectors import user_can_in_area, user_has_perm
from codi.lending import (
    accruals,
    community,
    contracts,
    history,
    operations,
    photos,
    reports,
    selectors,
    services,
    trend,
    views_welfare,
)
from codi.lending.models import BenefitPaid, ChangeKind, ChangeStatus, Channel, Loan, LoanContract, LoanStatus
from codi.lending.models_community import Stage, SubsidyKind
from codi.lending.models_reports import Phase
from codi.lending.services import LendingError

OUTCOMES = {
    "pass": gettext_lazy("Sent to the credit committee"),
    "reject": gettext_lazy("Rejected"),
    "approve": gettext_lazy("Approved"),
    "disbursed": gettext_lazy("Disbursed"),
}


def _refused(request: HttpRequest, exc: LendingError) -> None:
    messages.error(request, exc.message_th if request.LANGUAGE_CODE == "th" else exc.message_en)


def _as_of(request: HttpRequest) -> date:
    try:
        return date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return timezone.localdate()


@login_required
def home(request: HttpRequest) -> HttpResponse:
    need(request, Perm.LENDING_VIEW)
    return render(
        request,
        "lending/home.html",
        {
            "inbox": selectors.credit_inbox(actor=request.user)[:100],
            "loans": selectors.loan_list(actor=request.user)[:50],
            "queue": selectors.payment_queue(actor=request.user)[:50],
            "step_names": {k: v.name_th for k, v in services.STEPS.items()},
            "can_import": user_has_perm(request.user, Perm.LENDING_MANAGE),
        },
    )


def _loan(request: HttpRequest, loan_id: int) -> Loan:
    need(request, Perm.LENDING_VIEW)
    loan = selectors.loan_get(actor=request.user, loan_id=loan_id)
    if loan is None:
        raise Http404
    return loan


@login_required
def loan_detail(request: HttpRequest, loan_id: int) -> HttpResponseBase:
    loan = _loan(request, loan_id)
    instalments = list(selectors.instalments_of(loan))
    if request.GET.get("format") == "xlsx":
        header = ["งวดที่", "วันครบกำหนด", "เงินงวด", "เงินต้น", "ดอกเบี้ย", "เงินต้นที่ชำระ", "ดอกเบี้ยที่ชำระ", "ค่าปรับ"]
        rows = [
            [i.n, be_date(i.due_date), i.payment, i.principal_due, i.interest_due, i.principal_paid,
             i.interest_paid, i.penalty_charged]
            for i in instalments
        ]  # fmt: skip
        return xlsx_response(filename=f"schedule-{loan.number}", sheets=[(loan.number, header, rows)])
    step = loan.current_step
    as_of = _as_of(request)
    ageing = selectors.loan_ageing(loan, as_of) if loan.status == LoanStatus.ACTIVE else None
    can_act = bool(step) and selectors.can_act(request.user, services.STEPS[step].perm, loan)
    return render(
        request,
        "lending/loan_detail.html",
        {
            "loan": loan,
            "instalments": instalments,
            "versions": loan.versions.all(),
            "repayments": loan.repayments.all(),
            "steps": [
                (step, OUTCOMES.get(step.outcome, step.outcome))
                for step in loan.steps.select_related("completed_by")
            ],
            "diagram": services.PROCESS.diagram(loan.workflow_state),
            "can_act": can_act,
            "can_repay": loan.status == "active" and selectors.can_act(request.user, Perm.LENDING_CASH, loan),
            "can_change": loan.status == LoanStatus.ACTIVE
            and selectors.can_act(request.user, Perm.LENDING_MANAGE, loan),
            "can_decide_change": selectors.can_act(request.user, Perm.LENDING_APPROVE, loan),
            "tranches": loan.tranches.all(),
            "contract": LoanContract.objects.filter(loan=loan).first(),
            "contract_signable": loan.status in contracts.SIGNABLE,
            "disbursed_total": sum((t.amount for t in loan.tranches.all()), Decimal("0.00")),
            "changes": loan.changes.select_related("requested_by", "decided_by"),
            "pending_change": loan.changes.filter(status=ChangeStatus.PENDING).first(),
            "change_kinds": ChangeKind.choices,
            "step_name": services.STEPS[step].name_th if step else "",
            "channels": Channel.choices,
            "today": timezone.localdate(),
            "ageing": ageing,
            "as_of": as_of,
            "bucket_names": selectors.BUCKET_NAMES_TH,
        },
    )


@login_required
@require_POST
def loan_action(request: HttpRequest, loan_id: int) -> HttpResponse:
    loan = _loan(request, loan_id)
    action, decision, comment = (request.POST.get(k, "") for k in ("action", "decision", "comment"))
    try:
        if action == "review":
            services.loan_review(actor=request.user, loan=loan, decision=decision, comment=comment)
        elif action == "committee":
            services.loan_decide(actor=request.user, loan=loan, decision=decision, comment=comment)
        elif action == "disburse":
            services.loan_disburse(
                actor=request.user, loan=loan, disbursed_on=_date(request.POST.get("on", "")),
                amount=request.POST.get("amount", ""), bank_code=request.POST.get("bank_code", ""),
                account_no=request.POST.get("account_no", ""),
            )  # fmt: skip
        elif action == "contract_sign":
            contracts.contract_sign(actor=request.user, loan=loan)
        elif action == "tranche":
            operations.tranche_disburse(
                actor=request.user, loan=loan, amount=request.POST.get("amount", ""),
                paid_on=_date(request.POST.get("on", "")),
            )  # fmt: skip
        elif action == "change_request":
            operations.change_request(
                actor=request.user, loan=loan, kind=request.POST.get("kind", ""),
                effective_on=_date(request.POST.get("on", "")), reason=request.POST.get("reason", ""),
                months=_int(request.POST.get("months", "")), annual_rate=request.POST.get("rate", ""),
                new_principal=request.POST.get("new_principal", ""), write_off=request.POST.get("write_off", "") or "0",
            )  # fmt: skip
        elif action == "change_decide":
            change = loan.changes.filter(pk=_int(request.POST.get("change", "")) or 0).first()
            if change is None:
                raise LendingError("ไม่พบคำขอ", "No such request")
            operations.change_decide(actor=request.user, change=change, decision=decision, comment=comment)
        elif action == "repay":
            services.repayment_record(
                actor=request.user, loan=loan, amount=request.POST.get("amount", ""),
                received_on=_date(request.POST.get("on", "")), reference=request.POST.get("reference", ""),
                channel=request.POST.get("channel", "counter"), prepay=request.POST.get("prepay") == "1",
            )  # fmt: skip
        else:
            raise LendingError("คำสั่งไม่ถูกต้อง", "Unknown action")
        messages.success(request, _("Saved."))
    except LendingError as exc:
        _refused(request, exc)
    return redirect("lending:loan_detail", loan_id=loan.pk)


def _int(value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 6:
        raise LendingError("ต้องเป็นจำนวนเต็มบวก", "A whole positive number is required")
    return int(value)


@login_required
def contract_pdf(request: HttpRequest, loan_id: int) -> HttpResponse:
    """The signed contract, or an unsigned print before it is signed (anyone who reads the loan)."""
    loan = _loan(request, loan_id)
    if loan.status not in contracts.SIGNABLE and not hasattr(loan, "contract"):
        raise Http404
    pdf, signed = contracts.contract_bytes(loan=loan)
    response = HttpResponse(pdf, content_type="application/pdf")
    suffix = "signed" if signed else "draft"
    response["Content-Disposition"] = f'inline; filename="contract-{loan.number}-{suffix}.pdf"'
    return response


@login_required
def tranche_file(request: HttpRequest, loan_id: int, n: int) -> HttpResponse:
    """The tranche's pain.001 credit-transfer file, for the paying bank (finance staff of the area)."""
    loan = _loan(request, loan_id)
    if not selectors.can_act(request.user, Perm.LENDING_CASH, loan):
        raise PermissionDenied
    tranche = loan.tranches.filter(n=n).first()
    if tranche is None:
        raise Http404
    response = HttpResponse(tranche.payment_file.encode(), content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{tranche.reference}.xml"'
    return response


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise LendingError("วันที่ไม่ถูกต้อง (ค.ศ. YYYY-MM-DD)", "Invalid date (YYYY-MM-DD)") from None


def _chart(groups: dict[str, selectors.PortfolioFigures]) -> dict[str, Any]:
    """Two bars a region (NPL and PAR30, percent of outstanding), drawn as SVG by the template."""
    bar, gap, label_w, width = 14, 10, 230, 640
    scale = Decimal(width - label_w - 70) / 100
    rows = []
    for i, (name, figures) in enumerate(groups.items()):
        y = i * (2 * bar + gap)
        rows.append({
            "label": name, "y": y, "y2": y + bar, "ty": y + 11, "ty2": y + bar + 11,
            "npl": figures.npl_ratio, "par": figures.par30_ratio,
            "npl_w": int(figures.npl_ratio * scale), "par_w": int(figures.par30_ratio * scale),
            "npl_x": label_w + int(figures.npl_ratio * scale) + 4, "par_x": label_w + int(figures.par30_ratio * scale) + 4,
        })  # fmt: skip
    return {
        "rows": rows,
        "width": width,
        "height": max(1, len(rows)) * (2 * bar + gap),
        "label_w": label_w,
        "bar": bar,
    }


@login_required
def portfolio(request: HttpRequest) -> HttpResponseBase:
    need(request, Perm.LENDING_VIEW)
    as_of = _as_of(request)
    result = selectors.portfolio(actor=request.user, as_of=as_of)
    if request.GET.get("format") == "xlsx":
        header = ["กลุ่ม", "ชื่อ", "จำนวนสัญญา", "เงินต้นคงค้าง", "ปกติ", "ค้าง 1-30 วัน", "ค้าง 31-90 วัน",
                  "ค้างเกิน 90 วัน", "NPL (%)", "PAR30 (%)"]  # fmt: skip

        def lines(kind: str, groups: dict[str, selectors.PortfolioFigures]) -> list[list[Any]]:
            return [
                [kind, name, f.loans, f.outstanding, *f.buckets.values(), f.npl_ratio, f.par30_ratio]
                for name, f in groups.items()
            ]

        rows = [*lines("ทั้งหมด", {"ทั้งหมด": result.total}), *lines("ภาค", result.by_region),
                *lines("จังหวัด", result.by_province), *lines("ผลิตภัณฑ์", result.by_product)]  # fmt: skip
        loans = [
            [r.number, r.product, r.region, r.province, r.outstanding, r.overdue_amount, r.days_overdue,
             selectors.BUCKET_NAMES_TH[r.bucket]]
            for r in result.rows
        ]  # fmt: skip
        return xlsx_response(
            filename=f"loan-portfolio-{as_of.isoformat()}",
            sheets=[
                ("สรุป", header, rows),
                ("รายสัญญา", ["เลขที่สัญญา", "ผลิตภัณฑ์", "ภาค", "จังหวัด", "เงินต้นคงค้าง", "ยอดค้างชำระ",
                              "วันค้างชำระ", "กลุ่มอายุหนี้"], loans),
                ("ประวัติรายเดือน", ["วันสิ้นเดือน", "NPL (%)", "PAR30 (%)", "เงินต้นคงค้าง"],
                 [[be_date(m.month_end), m.npl, m.par30, m.outstanding]
                  for m in history.npl_history(actor=request.user, until=as_of)]),
            ],
        )  # fmt: skip
    months = trend.npl_trend(actor=request.user, as_of=as_of)
    recorded = history.npl_history(actor=request.user, until=as_of)
    return render(
        request,
        "lending/portfolio.html",
        {
            "p": result,
            "chart": _chart(result.by_region),
            "bucket_names": selectors.BUCKET_NAMES_TH,
            "can_accrue": accruals.can_accrue(request.user),
            "trend": months,
            "trend_chart": trend.trend_chart(months),
            "trend_regions": sorted({name for m in months for name in m.by_region}),
            "history": recorded,
            "history_chart": trend.trend_chart(recorded),
            "history_regions": sorted({name for m in recorded for name in m.by_region}),
        },
    )


@login_required
def process_file(request: HttpRequest, which: str) -> HttpResponse:
    need(request, Perm.LENDING_VIEW)
    path = {"tobe": services.TOBE_FILE, "asis": services.ASIS_FILE}.get(which)
    if path is None:
        raise Http404
    response = HttpResponse(path.read_bytes(), content_type="application/xml; charset=utf-8")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def process_asis(request: HttpRequest) -> HttpResponse:
    need(request, Perm.LENDING_VIEW)
    return render(request, "lending/process_asis.html", {"diagram": {"current": [], "completed": []}})


@login_required
def housing(request: HttpRequest) -> HttpResponseBase:
    """Baan Mankong projects in the user's area with their current stage; one project's stages
    (planned and reached here by a credit officer of the area: POST), households, plots and units."""
    need(request, Perm.LENDING_VIEW)
    projects = community.housing_projects(actor=request.user).prefetch_related("stages")
    project = None
    if request.GET.get("id", "").isdigit():
        project = projects.filter(pk=int(request.GET["id"])).first()
        if project is None:
            raise Http404
    labels = dict(Phase.choices)
    listed = [(p, reports.current_phase(p.stages.all())) for p in projects[:200]]
    context: dict[str, Any] = {
        "projects": [(p, labels[c] if c else _("Handed over")) for p, c in listed],
        "project": project,
        "stage_form": {},
        "stage_error": "",
    }
    if request.method == "POST":
        if project is None or not user_can_in_area(
            request.user, Perm.LENDING_MANAGE, subdistrict_code=project.subdistrict_id
        ):
            raise PermissionDenied
        if _stage_post(request, project, context):
            return redirect(f"{request.path}?id={project.pk}#housing-stages-now")
    if project is not None:
        context["phases"] = [
            (row, photos.stage_photos(user=request.user, stage=stage) if stage else [])
            for row, stage in reports.stage_rows_with_stages(project)
        ]
        context["phase_choices"] = Phase.choices
        context["can_manage"] = user_has_perm(request.user, Perm.LENDING_MANAGE) and user_can_in_area(
            request.user, Perm.LENDING_MANAGE, subdistrict_code=project.subdistrict_id
        )
        figures = community.project_figures(project, timezone.localdate())
        context["figures"] = figures
        context["stage_rows"] = [(Stage(k).label, n) for k, n in figures.units_by_stage.items()]
        context["subsidy_rows"] = [(SubsidyKind(k).label, v) for k, v in figures.subsidies.items()]
        context["households"] = project.households.select_related("person", "plot__unit")
    return render(request, "lending/housing.html", context)


@login_required
def welfare(request: HttpRequest) -> HttpResponseBase:
    """Community welfare funds in the user's area; one fund's members, benefits, annual reports
    (filed here by a credit officer of the area: POST) and certification."""
    need(request, Perm.LENDING_VIEW)
    funds = community.welfare_funds(actor=request.user)
    fund = None
    if request.GET.get("id", "").isdigit():
        fund = funds.filter(pk=int(request.GET["id"])).first()
        if fund is None:
            raise Http404
    context: dict[str, Any] = {"funds": funds[:200], "fund": fund, "form": {}, "errors": {}}
    if request.method == "POST":
        if fund is None or not reports.can_file_report(request.user, fund):
            raise PermissionDenied
        filed = views_welfare.report_post(request, fund, context)
        if filed:
            return redirect(f"{request.path}?id={fund.pk}#welfare-reports")
    if fund is not None:
        context.update(
            **views_welfare.report_context(request, fund, context),
        )
        year = timezone.localdate().year
        context.update(
            balance=community.fund_balance(fund),
            matching=community.matching_contribution(fund, year - 1),
            matching_year_be=year - 1 + 543,
            benefits=BenefitPaid.objects.filter(member__fund=fund).select_related("member__person")[:100],
            certifications=fund.certifications.all(),
            checklist=community.CHECKLIST,
        )
    return render(request, "lending/welfare.html", context)


def _stage_post(request: HttpRequest, project: Any, context: dict[str, Any]) -> bool:
    """Plan or reach a project stage; on refusal the message goes beside the form, input kept."""
    data = {k: request.POST.get(k, "").strip() for k in ("phase", "on", "what", "note")}
    context["stage_form"] = data
    try:
        if data["what"] == "photo":
            upload = request.FILES.get("photo")
            photos.stage_photo_add(actor=request.user, project=project, phase=data["phase"],
                                   data=upload.read() if upload else b"", filename=(upload.name or "") if upload else "")  # fmt: skip
            messages.success(request, _("The photo was added to the stage."))
            return True
        day = _date(data["on"])
        if data["what"] == "reach":
            reports.stage_reach(actor=request.user, project=project, phase=data["phase"], reached_on=day,
                                note=data["note"])  # fmt: skip
        else:
            reports.stage_plan(actor=request.user, project=project, phase=data["phase"], planned_on=day,
                               note=data["note"])  # fmt: skip
    except LendingError as exc:
        key = "photo_error" if data["what"] == "photo" else "stage_error"
        context[key] = exc.message_th if request.LANGUAGE_CODE == "th" else exc.message_en
        return False
    messages.success(request, _("The project stage was saved."))
    return True
