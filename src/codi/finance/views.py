"""Finance pages: inbox, vouchers (with the process diagram), bank files, reconciliation, reports.

Thin: reads through ``selectors``, writes through the services (which check role and scope and
raise PermissionDenied → 403, FinanceError → the message on the page)."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from codi.finance import ledger, payments, selectors, vouchers
from codi.finance.ledger import FinanceError
from codi.finance.models import VoucherStatus
from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm


def _need(request: HttpRequest, perm: str = Perm.FINANCE_VIEW) -> None:
    if not user_has_perm(request.user, perm):
        raise PermissionDenied


def _year(request: HttpRequest) -> int:
    value = request.GET.get("fy", "")
    if value.isdigit() and len(value) == 4:
        return int(value)
    return ledger.fiscal_year_of(timezone.localdate())


def _refused(request: HttpRequest, exc: FinanceError) -> None:
    messages.error(request, exc.message_th if request.LANGUAGE_CODE == "th" else exc.message_en)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    _need(request)
    year = _year(request)
    return render(
        request,
        "finance/home.html",
        {
            "inbox": selectors.voucher_inbox(actor=request.user)[:50],
            "year": year,
            "budget": selectors.budget_vs_actual(actor=request.user, year_be=year),
            "can_create": user_has_perm(request.user, Perm.FINANCE_MANAGE),
        },
    )


@login_required
def voucher_list(request: HttpRequest) -> HttpResponse:
    _need(request)
    status = request.GET.get("status", "")
    status = status if status in VoucherStatus.values else ""
    return render(
        request,
        "finance/voucher_list.html",
        {
            "vouchers": selectors.voucher_list(actor=request.user, status=status)[:200],
            "statuses": VoucherStatus.choices,
            "status": status,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def voucher_new(request: HttpRequest) -> HttpResponse:
    _need(request, Perm.FINANCE_MANAGE)
    lines = selectors.budget_line_list(actor=request.user).filter(fiscal_year__is_closed=False)
    form = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        chosen = request.POST.get("budget_line", "")
        line = lines.filter(pk=int(chosen)).first() if chosen.isdigit() and len(chosen) < 10 else None
        try:
            if line is None:
                raise FinanceError("กรุณาเลือกงบประมาณ", "Choose a budget line")
            voucher = vouchers.voucher_create(
                actor=request.user, budget_line=line, payee_name=request.POST.get("payee_name", ""),
                payee_bank_code=request.POST.get("bank_code", "").strip(),
                payee_account_no=request.POST.get("account_no", "").strip().replace("-", ""),
                amount=request.POST.get("amount", "").replace(",", "").strip() or "0",
                description=request.POST.get("description", ""),
            )  # fmt: skip
        except FinanceError as exc:
            _refused(request, exc)
        else:
            return redirect("finance:voucher_detail", voucher_id=voucher.pk)
    return render(request, "finance/voucher_new.html", {"lines": lines, "form": form})


def _voucher(request: HttpRequest, voucher_id: int) -> Any:
    _need(request)
    voucher = selectors.voucher_get(actor=request.user, voucher_id=voucher_id)
    if voucher is None:
        raise Http404
    return voucher


@login_required
def voucher_detail(request: HttpRequest, voucher_id: int) -> HttpResponse:
    voucher = _voucher(request, voucher_id)
    step = voucher.current_step
    can_act = bool(step) and user_has_perm(request.user, vouchers.STEPS[step].perm)
    return render(
        request,
        "finance/voucher_detail.html",
        {
            "voucher": voucher,
            "steps": voucher.steps.select_related("completed_by"),
            "diagram": vouchers.voucher_diagram(voucher),
            "can_act": can_act,
            "step_name": vouchers.STEPS[step].name_th if step else "",
        },
    )


@login_required
@require_POST
def voucher_action(request: HttpRequest, voucher_id: int) -> HttpResponse:
    voucher = _voucher(request, voucher_id)
    action = request.POST.get("action", "")
    decision, comment = request.POST.get("decision", ""), request.POST.get("comment", "")
    try:
        if action == "submit":
            vouchers.voucher_submit(actor=request.user, voucher=voucher)
        elif action == "check":
            vouchers.voucher_check(actor=request.user, voucher=voucher, decision=decision, comment=comment)
        elif action == "approve":
            vouchers.voucher_approve(actor=request.user, voucher=voucher, decision=decision, comment=comment)
        else:
            raise FinanceError("คำสั่งไม่ถูกต้อง", "Unknown action")
        messages.success(request, _("Saved."))
    except FinanceError as exc:
        _refused(request, exc)
    return redirect("finance:voucher_detail", voucher_id=voucher.pk)


@login_required
def process_file(request: HttpRequest, which: str) -> HttpResponse:
    _need(request)
    path = {"tobe": vouchers.TOBE_FILE, "asis": vouchers.ASIS_FILE}.get(which)
    if path is None:
        raise Http404
    response = HttpResponse(path.read_bytes(), content_type="application/xml; charset=utf-8")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def process_asis(request: HttpRequest) -> HttpResponse:
    _need(request)
    return render(request, "finance/process_asis.html", {"diagram": {"current": [], "completed": []}})


@login_required
@require_http_methods(["GET", "POST"])
def batches(request: HttpRequest) -> HttpResponse:
    _need(request)
    if not selectors.is_country_wide(request.user, Perm.FINANCE_VIEW):
        raise PermissionDenied
    if request.method == "POST":
        ids = [int(v) for v in request.POST.getlist("voucher") if v.isdigit()]
        try:
            batch = payments.batch_create(
                actor=request.user, voucher_ids=ids, value_date=timezone.localdate()
            )
        except FinanceError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("Payment file %(number)s created.") % {"number": batch.number})
            return redirect("finance:batches")
    return render(
        request,
        "finance/batches.html",
        {
            "payable": selectors.payable_vouchers(actor=request.user),
            "batches": selectors.batch_list(actor=request.user)[:50],
            "can_pay": user_has_perm(request.user, Perm.FINANCE_MANAGE),
        },
    )


@login_required
def batch_file(request: HttpRequest, batch_id: int) -> HttpResponse:
    _need(request, Perm.FINANCE_MANAGE)
    batch = selectors.batch_list(actor=request.user).filter(pk=batch_id).first()
    if batch is None:
        raise Http404
    response = HttpResponse(batch.file_text.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{batch.number}.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def reconcile(request: HttpRequest) -> HttpResponse:
    _need(request, Perm.FINANCE_MANAGE)
    if not selectors.is_country_wide(request.user, Perm.FINANCE_MANAGE):
        raise PermissionDenied
    result = None
    if request.method == "POST":
        upload = request.FILES.get("statement")
        if upload is None or (upload.size or 0) > 5_000_000:
            messages.error(request, _("Choose a statement CSV file (at most 5 MB)."))
        else:
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                messages.error(request, _("The file is not UTF-8 text."))
            else:
                result = payments.statement_import(actor=request.user, text=text)
    return render(
        request,
        "finance/reconcile.html",
        {"result": result, "queue": selectors.unmatched_statement_lines(actor=request.user)[:200]},
    )


def _xlsx(title: str, header: list[str], rows: list[list[Any]], filename: str) -> HttpResponse:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def trial_balance(request: HttpRequest) -> HttpResponse:
    _need(request)
    year = _year(request)
    if not selectors.is_country_wide(request.user, Perm.FINANCE_VIEW):
        raise PermissionDenied
    rows = selectors.trial_balance(actor=request.user, year_be=year)
    if request.GET.get("format") == "xlsx":
        return _xlsx(
            f"งบทดลอง {year}",
            ["รหัสบัญชี", "ชื่อบัญชี", "เดบิต", "เครดิต", "ยอดคงเหลือเดบิต", "ยอดคงเหลือเครดิต"],
            [[r.code, r.name_th, r.debit, r.credit, r.balance_debit, r.balance_credit] for r in rows],
            f"trial-balance-{year}.xlsx",
        )
    totals = {
        "debit": sum(r.balance_debit for r in rows),
        "credit": sum(r.balance_credit for r in rows),
    }
    return render(
        request,
        "finance/trial_balance.html",
        {"rows": rows, "year": year, "years": selectors.fiscal_years(), "totals": totals},
    )


@login_required
def budget_report(request: HttpRequest) -> HttpResponse:
    _need(request)
    year = _year(request)
    rows = selectors.budget_vs_actual(actor=request.user, year_be=year)
    if request.GET.get("format") == "xlsx":
        return _xlsx(
            f"งบประมาณ {year}",
            ["หน่วยงาน", "ชื่อหน่วยงาน", "จัดสรร", "ผูกพัน", "เบิกจ่าย", "คงเหลือ", "ใช้ไป (%)"],
            [
                [r.unit_code, r.unit_name, r.allocated, r.committed, r.actual, r.available, r.used_percent]
                for r in rows
            ],
            f"budget-vs-actual-{year}.xlsx",
        )
    lines = selectors.budget_line_list(actor=request.user, year_be=year)
    return render(
        request,
        "finance/budget_report.html",
        {"rows": rows, "lines": lines, "year": year, "years": selectors.fiscal_years()},
    )
