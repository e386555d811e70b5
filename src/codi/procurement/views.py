"""Procurement and asset pages (Thai first): inbox, requisitions with the process diagram, plan,
thresholds, the asset register with QR labels, the count page a phone opens from a label.

Thin: reads through ``selectors``, writes through ``services``/``assets`` (which check role and
scope: PermissionDenied → 403; a refused rule → its message on the page)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from codi.core.spreadsheet import be_date, xlsx_response
from codi.finance import ledger
from codi.finance.ledger import FinanceError
from codi.identity.guards import need
from codi.identity.models import OrgUnit
from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm
from codi.procurement import assets, selectors, services
from codi.procurement.citations import cite
from codi.procurement.models import (
    AssetClass,
    Category,
    Committee,
    Condition,
    Contract,
    Delivery,
    Method,
    Quotation,
)

PAGE_SIZE = 50


def _refused(request: HttpRequest, exc: FinanceError) -> None:
    messages.error(request, exc.message_th if request.LANGUAGE_CODE == "th" else exc.message_en)


def _year(request: HttpRequest) -> int:
    value = request.GET.get("fy", "")
    return int(value) if value.isdigit() and len(value) == 4 else ledger.fiscal_year_of(timezone.localdate())


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise FinanceError("วันที่ไม่ถูกต้อง (ปปปป-ดด-วว)", "Invalid date (YYYY-MM-DD)") from None


def _amount(value: str) -> Decimal:
    try:
        return Decimal(value.replace(",", "").strip() or "0")
    except InvalidOperation:
        raise FinanceError("จำนวนเงินไม่ถูกต้อง", "Invalid amount") from None


@login_required
def home(request: HttpRequest) -> HttpResponseBase:
    need(request, selectors.has_access)
    return render(
        request,
        "procurement/home.html",
        {
            "inbox": selectors.inbox(actor=request.user)[:50],
            "can_request": user_has_perm(request.user, Perm.PROCUREMENT_REQUEST),
            "totals": selectors.asset_totals(actor=request.user),
        },
    )


@login_required
def requisition_list(request: HttpRequest) -> HttpResponseBase:
    need(request, Perm.PROCUREMENT_VIEW)
    rows = selectors.requisition_list(actor=request.user, status=request.GET.get("status", "")[:20])
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            filename="procurement-requisitions",
            sheets=[(
                "รายงานขอซื้อขอจ้าง",
                ["เลขที่", "เรื่อง", "งบประมาณ", "ราคากลาง", "วิธี", "สถานะ", "ผู้ขอ", "วันที่"],
                (
                    [r.number, r.title, r.budget_line.name, r.reference_price, r.get_method_display(),
                     r.get_status_display(), str(r.requester), be_date(r.created_at)]
                    for r in rows.iterator()
                ),
            )],
        )  # fmt: skip
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "procurement/requisition_list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def requisition_new(request: HttpRequest) -> HttpResponseBase:
    need(request, Perm.PROCUREMENT_REQUEST)
    lines = selectors.budget_lines_for_request(actor=request.user)
    classes = AssetClass.objects.all()
    if request.method == "POST":
        post = request.POST
        chosen = post.get("budget_line", "")
        line = lines.filter(pk=int(chosen)).first() if chosen.isdigit() and len(chosen) < 10 else None
        try:
            if line is None:
                raise FinanceError("กรุณาเลือกงบประมาณ", "Choose a budget line")
            items = []
            for n in range(5):
                text = post.get(f"item{n}", "").strip()
                if not text:
                    continue
                klass = post.get(f"class{n}", "")
                items.append(
                    services.ItemIn(
                        text, _amount(post.get(f"qty{n}", "")), post.get(f"uom{n}", ""),
                        _amount(post.get(f"price{n}", "")), int(klass) if klass.isdigit() and len(klass) < 6 else None,
                    )
                )  # fmt: skip
            req = services.requisition_create(
                actor=request.user, budget_line=line, title=post.get("title", ""), reason=post.get("reason", ""),
                specification=post.get("specification", ""), category=post.get("category", ""),
                reference_source=post.get("reference_source", ""), items=items, method=post.get("method", ""),
                method_reason=post.get("method_reason", ""), in_e_catalog=post.get("in_e_catalog") == "on",
            )  # fmt: skip
        except FinanceError as exc:
            _refused(request, exc)
        else:
            return redirect("procurement:requisition_detail", requisition_id=req.pk)
    return render(
        request,
        "procurement/requisition_new.html",
        {
            "lines": lines, "classes": classes, "categories": Category.choices, "methods": Method.choices,
            "form": request.POST if request.method == "POST" else {}, "rows": range(5),
        },
    )  # fmt: skip


def _requisition(request: HttpRequest, requisition_id: int) -> Any:
    need(request, selectors.has_access)
    req = selectors.requisition_get(actor=request.user, requisition_id=requisition_id)
    if req is None:
        raise Http404
    return req


@login_required
def requisition_detail(request: HttpRequest, requisition_id: int) -> HttpResponseBase:
    req = _requisition(request, requisition_id)
    contract = Contract.objects.filter(requisition=req).first()
    return render(
        request,
        "procurement/requisition_detail.html",
        {
            "req": req,
            "items": req.items.select_related("asset_class"),
            "committee": req.committee.select_related("user"),
            "committees": Committee.choices,
            "quotations": req.quotations.all(),
            "contract": contract,
            "deliveries": contract.deliveries.all() if contract else [],
            "steps": _steps(req),
            "diagram": services.diagram(req),
            "step_name": services.STEPS[req.current_step].name_th if req.current_step else "",
            "problems": services.committee_problems(req) if req.current_step == "prepare" else [],
            "me": request.user.pk,
            "citations": cite(
                "methods", "threshold", "committees", "conflict", "award", "inspection", "penalty"
            ),
        },
    )


OUTCOME_TH = {
    "submitted": "เสนอแล้ว", "approve": "อนุมัติ", "return": "ส่งกลับแก้ไข", "reject": "ไม่อนุมัติ",
    "awarded": "ลงนามสัญญาแล้ว", "accepted": "ตรวจรับแล้ว", "paid": "จ่ายเงินแล้ว",
}  # fmt: skip


def _steps(req: Any) -> list[Any]:
    steps = list(req.steps.select_related("completed_by"))
    for step in steps:
        step.outcome_th = OUTCOME_TH.get(step.outcome, step.outcome)
    return steps


def _user(username: str) -> Any:
    user = get_user_model().objects.filter(username=username.strip()[:150], is_active=True).first()
    if user is None:
        raise FinanceError("ไม่พบผู้ใช้ชื่อนี้", "No such user")
    return user


def _action_table(req: Any, post: Any, user: Any) -> dict[str, Callable[[], Any]]:
    contract = Contract.objects.filter(requisition=req).first()

    def delivery() -> Delivery:
        found = Delivery.objects.filter(
            contract__requisition=req, pk=_int(post.get("delivery", "")) or 0
        ).first()
        if found is None:
            raise FinanceError("ไม่พบงวดส่งมอบ", "No such delivery")
        return found

    def quotation() -> Quotation:
        found = req.quotations.filter(pk=_int(post.get("quotation", "")) or 0).first()
        if found is None:
            raise FinanceError("ไม่พบใบเสนอราคา", "No such quotation")
        return found

    def member() -> Any:
        found = req.committee.filter(user_id=user.pk, pk=_int(post.get("member", "")) or 0).first()
        if found is None:
            raise FinanceError("ไม่พบกรรมการ", "No such member")
        return found

    return {
        "appoint": lambda: services.committee_appoint(
            actor=user, requisition=req, committee=post.get("committee", ""), user=_user(post.get("username", "")),
            is_chair=post.get("is_chair") == "on",
        ),
        "declare": lambda: services.committee_declare(
            actor=user, member=member(), no_conflict=post.get("no_conflict") == "on", statement=post.get("statement", "")
        ),
        "submit": lambda: services.requisition_submit(actor=user, requisition=req),
        "approve": lambda: services.requisition_approve(
            actor=user, requisition=req, decision=post.get("decision", ""), comment=post.get("comment", "")
        ),
        "quote": lambda: services.quotation_add(
            actor=user, requisition=req, vendor_name=post.get("vendor_name", ""),
            vendor_tax_id=post.get("vendor_tax_id", ""), amount=_amount(post.get("amount", "")),
        ),
        "award": lambda: services.contract_award(
            actor=user, quotation=quotation(), signed_on=_date(post.get("signed_on", "")),
            delivery_due=_date(post.get("delivery_due", "")), penalty_rate_percent=_amount(post.get("penalty_rate", "")),
            warranty_months=_int(post.get("warranty_months", "")) or 0, egp_project_no=post.get("egp_project_no", "")[:30],
            egp_contract_no=post.get("egp_contract_no", "")[:30],
        ),
        "deliver": lambda: services.delivery_record(
            actor=user, contract=_present(contract), delivered_on=_date(post.get("delivered_on", "")),
            amount=_amount(post.get("amount", "")), note=post.get("note", ""),
        ),
        "inspect": lambda: services.delivery_inspect(
            actor=user, delivery=delivery(), accept=post.get("decision") == "accept",
            late_reason=post.get("late_reason", ""), comment=post.get("comment", ""),
        ),
        "pay": lambda: services.requisition_pay(actor=user, requisition=req),
    }  # fmt: skip


def _present(contract: Contract | None) -> Contract:
    if contract is None:
        raise FinanceError("ยังไม่มีสัญญา", "There is no contract yet")
    return contract


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 10 else None


@login_required
@require_POST
def requisition_action(request: HttpRequest, requisition_id: int) -> HttpResponseBase:
    req = _requisition(request, requisition_id)
    action = _action_table(req, request.POST, request.user).get(request.POST.get("action", ""))
    try:
        if action is None or (request.POST.get("action") == "deliver" and not hasattr(req, "contract")):
            raise FinanceError("คำสั่งไม่ถูกต้อง", "Unknown action")
        action()
        messages.success(request, _("Saved."))
    except FinanceError as exc:
        _refused(request, exc)
    return redirect("procurement:requisition_detail", requisition_id=req.pk)


@login_required
def process_file(request: HttpRequest, which: str) -> HttpResponseBase:
    need(request, selectors.has_access)
    path = {"tobe": services.TOBE_FILE, "asis": services.ASIS_FILE}.get(which)
    if path is None:
        raise Http404
    return HttpResponse(path.read_bytes(), content_type="application/xml; charset=utf-8")


@login_required
def process_asis(request: HttpRequest) -> HttpResponseBase:
    need(request, Perm.PROCUREMENT_VIEW)
    return render(request, "procurement/process_asis.html", {"diagram": {"current": [], "completed": []}})


@login_required
def plan(request: HttpRequest) -> HttpResponseBase:
    need(request, Perm.PROCUREMENT_VIEW)
    year = _year(request)
    rows = selectors.plan_lines(actor=request.user, year_be=year)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            filename=f"procurement-plan-{year}",
            sheets=[(
                f"แผนจัดซื้อจัดจ้าง {year}",
                ["รายการ", "หน่วยงาน", "งบประมาณ", "ประเภท", "วงเงิน", "วิธี", "ไตรมาส", "เผยแพร่"],
                ([r.title, r.unit.name_th, r.budget_line.name, r.get_category_display(), r.estimated_amount,
                  r.get_expected_method_display(), r.quarter, "ใช่" if r.is_published else "ไม่"] for r in rows),
            )],
        )  # fmt: skip
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "procurement/plan.html", {"page": page, "year": year, "citations": cite("plan", "methods")}
    )


@login_required
def thresholds(request: HttpRequest) -> HttpResponseBase:
    need(request, Perm.PROCUREMENT_VIEW)
    return render(
        request,
        "procurement/thresholds.html",
        {"rows": selectors.thresholds(), "citations": cite("methods", "threshold")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def asset_list(request: HttpRequest) -> HttpResponseBase:
    need(request, Perm.PROCUREMENT_VIEW)
    if request.method == "POST":
        need(request, Perm.PROCUREMENT_MANAGE)
        try:
            period = _date(request.POST.get("period", "") + "-01")
            run = assets.depreciation_run(actor=request.user, period=period)
            messages.success(
                request, _("Depreciation posted: %(total)s baht.") % {"total": ledger.baht(run.total)}
            )
        except FinanceError as exc:
            _refused(request, exc)
        return redirect("procurement:asset_list")
    rows = selectors.asset_list(actor=request.user, status=request.GET.get("status", "")[:20])
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            filename="asset-register",
            sheets=[(
                "ทะเบียนครุภัณฑ์",
                ["รหัสครุภัณฑ์", "รายการ", "ประเภท", "หน่วยงาน", "ผู้รับผิดชอบ", "ที่ตั้ง", "วันที่ได้มา", "ราคาทุน",
                 "ค่าเสื่อมสะสม", "มูลค่าสุทธิ", "สถานะ"],
                ([a.code, a.description, a.asset_class.name_th, a.unit.name_th, str(a.custodian or ""), a.location,
                  be_date(a.acquired_on), a.cost, a.accumulated, a.book_value, a.get_status_display()]
                 for a in rows.iterator()),
            )],
        )  # fmt: skip
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "procurement/asset_list.html",
        {"page": page, "totals": selectors.asset_totals(actor=request.user),
         "can_manage": user_has_perm(request.user, Perm.PROCUREMENT_MANAGE),
         "citations": cite("custody", "disposal")},
    )  # fmt: skip


@login_required
def asset_labels(request: HttpRequest) -> HttpResponseBase:
    """Printable QR labels: each code links to the scan page a phone camera opens."""
    need(request, Perm.PROCUREMENT_MANAGE)
    page = Paginator(selectors.asset_list(actor=request.user, status="in_use"), 24).get_page(
        request.GET.get("page")
    )
    labels = [
        (a, assets.label_svg(request.build_absolute_uri(f"/procurement/scan/{a.code}/")))
        for a in page.object_list
    ]
    return render(request, "procurement/asset_labels.html", {"page": page, "labels": labels})


@login_required
@require_http_methods(["GET", "POST"])
def scan(request: HttpRequest, code: str) -> HttpResponseBase:
    """The page a phone opens from a label: records the asset in this year's count of the
    officer's chosen unit (refused, with the owner named, for another unit's asset)."""
    need(request, Perm.PROCUREMENT_MANAGE)
    asset = selectors.asset_list(actor=request.user).filter(code=code[:40]).first()
    if asset is None:
        raise Http404
    counts = selectors.count_list(actor=request.user).filter(is_closed=False)
    if request.method == "POST":
        count = counts.filter(pk=_int(request.POST.get("count", "")) or 0).first()
        try:
            if count is None:
                raise FinanceError("กรุณาเลือกการตรวจนับ", "Choose the count")
            assets.count_scan(
                actor=request.user, count=count, asset_code=asset.code, condition=request.POST.get("condition", ""),
                location=request.POST.get("location", ""),
            )  # fmt: skip
            messages.success(request, _("Recorded in the count."))
            return redirect("procurement:count_detail", count_id=count.pk)
        except FinanceError as exc:
            _refused(request, exc)
    return render(
        request, "procurement/scan.html", {"asset": asset, "counts": counts, "conditions": Condition.choices}
    )


@login_required
@require_http_methods(["GET", "POST"])
def counts(request: HttpRequest) -> HttpResponseBase:
    need(request, Perm.PROCUREMENT_VIEW)
    if request.method == "POST":
        need(request, Perm.PROCUREMENT_MANAGE)
        unit = OrgUnit.objects.filter(pk=_int(request.POST.get("unit", "")) or 0).first()
        if unit is None:
            raise Http404
        count = assets.count_start(actor=request.user, unit=unit, year_be=_year(request))
        return redirect("procurement:count_detail", count_id=count.pk)
    return render(
        request,
        "procurement/counts.html",
        {
            "counts": selectors.count_list(actor=request.user)[:100],
            "units": OrgUnit.objects.all()[:500],
            "citations": cite("count"),
        },
    )


@login_required
def count_detail(request: HttpRequest, count_id: int) -> HttpResponseBase:
    need(request, Perm.PROCUREMENT_VIEW)
    count = selectors.count_list(actor=request.user).filter(pk=count_id).first()
    if count is None:
        raise Http404
    report = selectors.count_differences(count=count)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            filename=f"asset-count-{count.year_be}",
            sheets=[
                ("ไม่พบ", ["รหัสครุภัณฑ์", "รายการ", "ที่ตั้งตามทะเบียน"], ([a.code, a.description, a.location] for a in report["missing"])),
                ("ชำรุด-ไม่ใช้", ["รหัสครุภัณฑ์", "รายการ", "สภาพ", "ที่ตั้ง"],
                 ([x.asset.code, x.asset.description, x.get_condition_display(), x.location] for x in report["flagged"])),
            ],
        )  # fmt: skip
    return render(
        request,
        "procurement/count_detail.html",
        {
            "count": count,
            "report": report,
            "citations": cite("count"),
            "can_manage": user_has_perm(request.user, Perm.PROCUREMENT_MANAGE),
        },
    )
