"""Finance pages: inbox, vouchers (with the process diagram), bank files, reconciliation, reports.

Thin: reads through ``selectors``, writes through the services (which check role and scope and
raise PermissionDenied → 403, FinanceError → the message on the page)."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from codi.core.spreadsheet import xlsx_response
from codi.finance import (
    budgets,
    delegation,
    ledger,
    payables,
    payments,
    periods,
    reports,
    selectors,
    vouchers,
)
from codi.finance.dimensions import COLUMNS, LABELS_TH, Dimensions, Fund, from_query
from codi.finance.exports import EXPORTS, table_export
from codi.finance.ledger import FinanceError
from codi.finance.models import (
    Account,
    BudgetRequest,
    BudgetRequestKind,
    FiscalYear,
    Period,
    VendorInvoice,
    VoucherStatus,
)
from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm
from codi.projects import selectors as project_selectors


def _need(request: HttpRequest, perm: str = Perm.FINANCE_VIEW) -> None:
    if not user_has_perm(request.user, perm):
        raise PermissionDenied


def _year(request: HttpRequest) -> int:
    value = request.GET.get("fy", "")
    if value.isdigit() and len(value) == 4:
        return int(value)
    return ledger.fiscal_year_of(timezone.localdate())


def _dims(request: HttpRequest) -> tuple[Dimensions, dict[str, Any]]:
    """The dimension filter of the query string, and the template context its form needs."""
    dims = from_query(request.GET)
    query = urlencode(dims.as_dict())
    return dims, {"dims": dims, "dims_query": f"&{query}" if query else "", "funds": Fund.choices}


def _refused(request: HttpRequest, exc: FinanceError) -> None:
    messages.error(request, exc.message_th if request.LANGUAGE_CODE == "th" else exc.message_en)


@login_required
def home(request: HttpRequest) -> HttpResponseBase:
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
def voucher_list(request: HttpRequest) -> HttpResponseBase:
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
def voucher_new(request: HttpRequest) -> HttpResponseBase:
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
def voucher_detail(request: HttpRequest, voucher_id: int) -> HttpResponseBase:
    voucher = _voucher(request, voucher_id)
    step = voucher.current_step
    can_act = bool(step) and (
        user_has_perm(request.user, vouchers.STEPS[step].perm)
        or delegation.holds_delegation(user=request.user, step=step)
    )
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
def voucher_action(request: HttpRequest, voucher_id: int) -> HttpResponseBase:
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
def process_file(request: HttpRequest, which: str) -> HttpResponseBase:
    _need(request)
    path = {"tobe": vouchers.TOBE_FILE, "asis": vouchers.ASIS_FILE}.get(which)
    if path is None:
        raise Http404
    response = HttpResponse(path.read_bytes(), content_type="application/xml; charset=utf-8")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def process_asis(request: HttpRequest) -> HttpResponseBase:
    _need(request)
    return render(request, "finance/process_asis.html", {"diagram": {"current": [], "completed": []}})


@login_required
@require_http_methods(["GET", "POST"])
def batches(request: HttpRequest) -> HttpResponseBase:
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
def batch_file(request: HttpRequest, batch_id: int) -> HttpResponseBase:
    _need(request, Perm.FINANCE_MANAGE)
    batch = selectors.batch_list(actor=request.user).filter(pk=batch_id).first()
    if batch is None:
        raise Http404
    response = HttpResponse(batch.file_text.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{batch.number}.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def reconcile(request: HttpRequest) -> HttpResponseBase:
    _need(request, Perm.FINANCE_MANAGE)
    if not selectors.is_country_wide(request.user, Perm.FINANCE_MANAGE):
        raise PermissionDenied
    result = None
    if request.method == "POST":
        upload = request.FILES.get("statement")
        if upload is None or (upload.size or 0) > 5_000_000:
            messages.error(request, _("Choose a statement CSV file (at most 5 MB)."))
        else:
            content = upload.read()
            if (upload.name or "").lower().endswith(".xml"):
                result = payments.statement_import_camt(actor=request.user, content=content)
            else:
                try:
                    text = content.decode("utf-8-sig")
                except UnicodeDecodeError:
                    messages.error(request, _("The file is not UTF-8 text."))
                else:
                    result = payments.statement_import(actor=request.user, text=text)
    return render(
        request,
        "finance/reconcile.html",
        {"result": result, "queue": selectors.unmatched_statement_lines(actor=request.user)[:200]},
    )


@login_required
def trial_balance(request: HttpRequest) -> HttpResponseBase:
    _need(request)
    year = _year(request)
    if not selectors.is_country_wide(request.user, Perm.FINANCE_VIEW):
        raise PermissionDenied
    dims, dims_context = _dims(request)
    rows = selectors.trial_balance(actor=request.user, year_be=year, dimensions=dims)
    if request.GET.get("format") in EXPORTS:
        return table_export(
            request,
            f"งบทดลอง {year}" + (f" ({_dims_text(dims)})" if dims else ""),
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
        {"rows": rows, "year": year, "years": selectors.fiscal_years(), "totals": totals, **dims_context},
    )


def _dims_text(dims: Dimensions) -> str:
    return ", ".join(f"{LABELS_TH[k]} {v}" for k, v in dims.as_dict().items())[:60]


@login_required
def budget_report(request: HttpRequest) -> HttpResponseBase:
    _need(request)
    year = _year(request)
    dims, dims_context = _dims(request)
    by = request.GET.get("by", "")
    if by in COLUMNS:
        return _budget_by_dimension(request, year, by, dims, dims_context)
    rows = selectors.budget_vs_actual(actor=request.user, year_be=year)
    if request.GET.get("format") in EXPORTS:
        return table_export(
            request,
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
        {"rows": rows, "lines": lines, "year": year, "years": selectors.fiscal_years(), "by": "",
         "dimension_choices": list(LABELS_TH.items()), **dims_context},
    )  # fmt: skip


def _budget_by_dimension(
    request: HttpRequest, year: int, by: str, dims: Dimensions, dims_context: dict[str, Any]
) -> HttpResponseBase:
    rows = selectors.budget_vs_actual_by(actor=request.user, year_be=year, dimension=by, dimensions=dims)
    if request.GET.get("format") in EXPORTS:
        return table_export(
            request,
            f"งบประมาณตาม{LABELS_TH[by]}"[:31],
            [LABELS_TH[by], "รหัส", "จัดสรร", "ผูกพัน", "เบิกจ่ายจริง", "คงเหลือ", "ใช้ไป (%)"],
            [
                [r.label, r.value, r.allocated, r.committed, r.actual, r.available, r.used_percent]
                for r in rows
            ],
            f"budget-vs-actual-{by}-{year}.xlsx",
        )
    return render(
        request,
        "finance/budget_report.html",
        {"by_rows": rows, "by": by, "by_label": LABELS_TH[by], "year": year, "years": selectors.fiscal_years(),
         "dimension_choices": list(LABELS_TH.items()), **dims_context},
    )  # fmt: skip


@login_required
def batch_pain001(request: HttpRequest, batch_id: int) -> HttpResponseBase:
    _need(request, Perm.FINANCE_MANAGE)
    batch = selectors.batch_list(actor=request.user).filter(pk=batch_id).first()
    if batch is None:
        raise Http404
    try:
        xml = payments.batch_pain001(batch=batch)
    except FinanceError as exc:
        _refused(request, exc)
        return redirect("finance:batches")
    response = HttpResponse(xml, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{batch.number}-pain.001.xml"'
    return response


def _books_viewer(request: HttpRequest) -> None:
    _need(request)
    if not selectors.is_country_wide(request.user, Perm.FINANCE_VIEW):
        raise PermissionDenied


def _as_of(request: HttpRequest) -> Any:
    try:
        return date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return timezone.localdate()


@login_required
def financial_position(request: HttpRequest) -> HttpResponseBase:
    _books_viewer(request)
    dims, dims_context = _dims(request)
    statement = reports.financial_position(actor=request.user, as_of=_as_of(request), dimensions=dims)
    if statement is None:
        raise PermissionDenied
    if request.GET.get("format") in EXPORTS:
        rows = [
            [title, r.code, r.name_th, r.amount]
            for title, section in (("สินทรัพย์", statement.assets), ("หนี้สิน", statement.liabilities),
                                   ("สินทรัพย์สุทธิ/ส่วนทุน", statement.net_assets))
            for r in section.rows
        ] + [["สินทรัพย์สุทธิ/ส่วนทุน", "", "รายได้สูงกว่า (ต่ำกว่า) ค่าใช้จ่ายงวดนี้", statement.surplus]]  # fmt: skip
        return table_export(request, "งบแสดงฐานะการเงิน", ["หมวด", "รหัสบัญชี", "ชื่อบัญชี", "จำนวนเงิน"], rows,
                     f"financial-position-{statement.as_of}.xlsx")  # fmt: skip
    return render(request, "finance/financial_position.html", {"s": statement, **dims_context})


@login_required
def financial_performance(request: HttpRequest) -> HttpResponseBase:
    _books_viewer(request)
    year = _year(request)
    dims, dims_context = _dims(request)
    statement = reports.financial_performance(actor=request.user, year_be=year, dimensions=dims)
    if statement is None:
        raise PermissionDenied
    if request.GET.get("format") in EXPORTS:
        rows = [["รายได้", r.code, r.name_th, r.amount] for r in statement.revenue.rows] + [
            ["ค่าใช้จ่าย", r.code, r.name_th, r.amount] for r in statement.expense.rows
        ]
        rows.append(["", "", "รายได้สูงกว่า (ต่ำกว่า) ค่าใช้จ่าย", statement.surplus])
        return table_export(request, "งบแสดงผลการดำเนินงาน", ["หมวด", "รหัสบัญชี", "ชื่อบัญชี", "จำนวนเงิน"], rows,
                     f"financial-performance-{year}.xlsx")  # fmt: skip
    return render(
        request,
        "finance/financial_performance.html",
        {"s": statement, "year": year, "years": selectors.fiscal_years(), **dims_context},
    )


@login_required
def general_ledger(request: HttpRequest) -> HttpResponseBase:
    _books_viewer(request)
    year = _year(request)
    code = request.GET.get("account", "")
    ledger_ = reports.general_ledger(actor=request.user, account_code=code, year_be=year) if code else None
    if ledger_ is not None and request.GET.get("format") in EXPORTS:
        rows = [
            [r.entry.entry_date, r.entry.number, r.entry.description, r.entry.source_type, r.entry.source_id,
             r.line.debit, r.line.credit, r.balance]
            for r in ledger_.rows
        ]  # fmt: skip
        return table_export(request, f"บัญชีแยกประเภท {code}", ["วันที่", "เลขที่รายการ", "คำอธิบาย", "เอกสารต้นทาง", "เลขที่เอกสาร",
                     "เดบิต", "เครดิต", "คงเหลือ"], rows, f"general-ledger-{code}-{year}.xlsx")  # fmt: skip
    return render(
        request,
        "finance/general_ledger.html",
        {"ledger": ledger_, "year": year, "years": selectors.fiscal_years(), "code": code,
         "accounts": Account.objects.order_by("code")},
    )  # fmt: skip


PMS_SOURCES = frozenset({"pms.disbursement", "pms.fund_return"})


def _pms_project_link(user: Any, entry: Any) -> str:
    """The PMS project page of a disbursement's or return's entry (its lines carry the project
    code), found through the projects selector so only a project the user may see is linked."""
    code = next((line.project for line in entry.lines.all() if line.project), "")
    if not code:
        return ""
    found = project_selectors.project_list(actor=user, filters=project_selectors.ProjectFilters(search=code))
    project = next((p for p in found[:5] if p.code == code), None)
    return reverse("projects:project_detail", args=[project.pk]) if project is not None else ""


def _source_link(entry: Any, user: Any = None) -> str:
    if entry.source_type in PMS_SOURCES:
        return _pms_project_link(user, entry)
    if entry.source_type in {"finance.voucher", "finance.payment"} and entry.source_id.isdigit():
        return reverse("finance:voucher_detail", args=[int(entry.source_id)])
    if entry.source_type == "reversal" and entry.source_id.isdigit():
        return reverse("finance:entry_detail", args=[int(entry.source_id)])
    if entry.source_type == "finance.invoice":
        invoice = VendorInvoice.objects.filter(entry=entry, withholding__gt=0).first()
        if invoice is not None:
            return reverse("finance:wht_certificate", args=[invoice.pk])
    return ""


@login_required
def entry_detail(request: HttpRequest, entry_id: int) -> HttpResponseBase:
    _books_viewer(request)
    entry = reports.entry_detail(actor=request.user, entry_id=entry_id)
    if entry is None:
        raise Http404
    return render(
        request,
        "finance/entry_detail.html",
        {"entry": entry, "source_label": reports.SOURCE_LABELS.get(entry.source_type, entry.source_type),
         "source_link": _source_link(entry, request.user)},
    )  # fmt: skip


@login_required
def cash_book(request: HttpRequest) -> HttpResponseBase:
    _books_viewer(request)
    year = _year(request)
    books = reports.cash_book(actor=request.user, year_be=year)
    if request.GET.get("format") in EXPORTS:
        rows: list[list[Any]] = []
        for book in books:
            name = f"{book.account.code} {book.account.name_th}"
            rows.append([name, None, "", "ยอดยกมา", None, None, book.opening])
            rows += [
                [name, r.entry.entry_date, r.entry.number, r.entry.description, r.line.debit or None,
                 r.line.credit or None, r.balance]
                for r in book.rows
            ]  # fmt: skip
            rows.append([name, None, "", "รวม", book.debit, book.credit, book.closing])
        return table_export(
            request,
            f"สมุดเงินสด ปีงบประมาณ {year}",
            ["บัญชี", "วันที่", "เลขที่รายการ", "คำอธิบาย", "เดบิต", "เครดิต", "ยอดคงเหลือ"],
            rows,
            f"cash-book-{year}.xlsx",
        )
    return render(
        request,
        "finance/cash_book.html",
        {"books": books, "year": year, "years": selectors.fiscal_years()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def period_list(request: HttpRequest) -> HttpResponseBase:
    _books_viewer(request)
    year = _year(request)
    fiscal_year = FiscalYear.objects.filter(year_be=year).first()
    if request.method == "POST":
        period = Period.objects.filter(pk=request.POST.get("period", "0") or 0).first()
        if period is None:
            raise Http404
        try:
            if request.POST.get("action") == "reopen":
                periods.period_reopen(
                    actor=request.user, period=period, reason=request.POST.get("reason", "")
                )
            else:
                periods.period_close(actor=request.user, period=period)
        except FinanceError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("Period %(period)s updated.") % {"period": period})
        return redirect(f"{request.path}?fy={year}")
    months = ledger.periods_ensure(year=fiscal_year) if fiscal_year else []
    return render(
        request,
        "finance/periods.html",
        {"periods": months, "year": year, "years": selectors.fiscal_years(),
         "can_close": selectors.is_country_wide(request.user, Perm.FINANCE_CHECK)},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def budget_requests(request: HttpRequest) -> HttpResponseBase:
    _books_viewer(request)
    year = _year(request)
    lines = selectors.budget_line_list(actor=request.user, year_be=year)
    if request.method == "POST":
        try:
            if "decide" in request.POST:
                item = BudgetRequest.objects.filter(pk=request.POST.get("decide", "0") or 0).first()
                if item is None:
                    raise Http404
                budgets.budget_request_decide(
                    actor=request.user, request=item, approve=request.POST.get("approve") == "1"
                )
            else:
                to_line = lines.filter(pk=request.POST.get("to_line", "0") or 0).first()
                from_line = lines.filter(pk=request.POST.get("from_line", "0") or 0).first()
                if to_line is None:
                    raise FinanceError("กรุณาเลือกงบประมาณปลายทาง", "Choose the receiving line")
                budgets.budget_request_create(
                    actor=request.user, kind=request.POST.get("kind", ""), to_line=to_line, from_line=from_line,
                    amount=request.POST.get("amount", "").replace(",", ""), reason=request.POST.get("reason", ""),
                )  # fmt: skip
        except FinanceError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("Budget request saved."))
        return redirect(f"{request.path}?fy={year}")
    return render(
        request,
        "finance/budget_requests.html",
        {"requests": BudgetRequest.objects.filter(to_line__fiscal_year__year_be=year)
            .select_related("to_line", "from_line", "requested_by", "decided_by")[:200],
         "lines": lines, "year": year, "years": selectors.fiscal_years(), "kinds": BudgetRequestKind.choices,
         "can_request": user_has_perm(request.user, Perm.FINANCE_MANAGE),
         "can_decide": user_has_perm(request.user, Perm.FINANCE_APPROVE)},
    )  # fmt: skip


@login_required
def wht_certificate(request: HttpRequest, invoice_id: int) -> HttpResponseBase:
    _books_viewer(request)
    invoice = (
        VendorInvoice.objects.select_related("vendor", "entry__fiscal_year").filter(pk=invoice_id).first()
    )
    if invoice is None or not invoice.withholding:
        raise Http404
    response = HttpResponse(payables.certificate_pdf(invoice=invoice), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="50tawi-{invoice.certificate_number.replace("/", "-")}.pdf"'
    )
    return response


@login_required
def pnd_listing(request: HttpRequest) -> HttpResponseBase:
    _books_viewer(request)
    form = request.GET.get("form", "53")
    month = timezone.localdate()
    try:
        year_ad, month_no = (int(x) for x in request.GET.get("month", f"{month:%Y-%m}").split("-"))
        rows = payables.pnd_rows(form=form, year=year_ad, month=month_no)
        if request.GET.get("format") == "txt":
            encoding = "utf-8" if request.GET.get("encoding") == "utf-8" else "cp874"
            text = payables.pnd_text(form=form, year=year_ad, month=month_no, encoding=encoding)
    except (ValueError, FinanceError):
        raise Http404 from None
    if request.GET.get("format") == "txt":
        response = HttpResponse(
            text, content_type=f"text/plain; charset={'utf-8' if encoding == 'utf-8' else 'tis-620'}"
        )
        response["Content-Disposition"] = f'attachment; filename="pnd{form}-{year_ad}-{month_no:02d}.txt"'
        return response
    return xlsx_response(
        filename=f"pnd{form}-{year_ad}-{month_no:02d}",
        sheets=[(f"ภ.ง.ด.{form} {month_no:02d}-{year_ad + 543}", payables.PND_HEADER, rows)],
    )
