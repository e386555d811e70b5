"""People pages: my record, leave and payslips; HR's employees; leave and payroll with their diagrams.

Thin: reads through ``selectors``, writes through the services (which check role and scope and
raise PermissionDenied → 403, PeopleError/FinanceError → the message on the page)."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from codi.core.pdf import render_pdf
from codi.core.spreadsheet import xlsx_response
from codi.core.thaidate import fiscal_year_be
from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm
from codi.people import importing, kpi, leave, overtime, payroll, selectors, services, training, yearly
from codi.people.models import EmploymentType, LeaveType, OvertimeKind, PayrollStatus
from codi.people.payslips import THAI_MONTHS
from codi.people.payslips import payslip_pdf as payslip_pdf_bytes

PAGE_SIZE = 50


def _message(request: HttpRequest, exc: ValidationError) -> str:
    th = getattr(exc, "message_th", "; ".join(exc.messages))
    return th if request.LANGUAGE_CODE == "th" else getattr(exc, "message_en", th)


def _refused(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, _message(request, exc))


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """My record, balances, leave and payslips; the requests waiting for me."""
    own = selectors.own_employee(request.user)
    year = fiscal_year_be(timezone.localdate())
    balances = []
    if own is not None:
        balances = [
            leave.balance_preview(employee=own, leave_type=t, fiscal_year=year)
            for t in selectors.leave_types()
        ]
    return render(
        request,
        "people/home.html",
        {
            "own": own,
            "year": year,
            "balances": balances,
            "my_leave": selectors.leave_list(actor=request.user).filter(employee=own)[:20] if own else [],
            "my_payslips": selectors.payslip_list(actor=request.user).filter(employee=own)[:12]
            if own
            else [],
            "inbox": selectors.leave_inbox(actor=request.user)[:50],
            "is_hr": user_has_perm(request.user, Perm.PEOPLE_VIEW),
            "my_training": selectors.training_record(employee=own) if own else [],
            "tax_years": selectors.tax_years(employee=own) if own else [],
        },
    )


@login_required
def employee_list(request: HttpRequest) -> HttpResponseBase:
    if not user_has_perm(request.user, Perm.PEOPLE_VIEW):
        raise PermissionDenied
    search = request.GET.get("q", "")[:100]
    rows = selectors.employee_list(actor=request.user, search=search)
    if request.GET.get("format") == "xlsx":
        header = ["เลขที่พนักงาน", "ชื่อ-นามสกุล", "ตำแหน่ง", "ระดับ", "หน่วยงาน", "ประเภท", "วันที่เริ่มงาน"]
        return xlsx_response(
            filename="employees",
            sheets=[("พนักงาน", header, ([e.employee_no, e.full_name, e.position, e.level, e.org_unit.name_th,
                                          e.get_employment_type_display(), e.start_date] for e in rows.iterator()))],
        )  # fmt: skip
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "people/employee_list.html", {"page": page, "q": search})


EMPLOYEE_FIELDS = ("employee_no", "first_name_th", "last_name_th", "position", "level", "salary", "national_id",
                   "bank_code", "bank_account", "children_birth_years", "pvd_rate", "monthly_allowance",
                   "monthly_deduction", "birth_date")  # fmt: skip
# The fields of the new-employee page that show their own refusal beside them.
NEW_EMPLOYEE_FORM_FIELDS = frozenset(EMPLOYEE_FIELDS) | {
    "org_unit",
    "start_date",
    "employment_type",
    "parents_allowance",
}


@login_required
@require_http_methods(["GET", "POST"])
def employee_new(request: HttpRequest) -> HttpResponse:
    """HR adds an employee in a unit of their scope (the service checks the scope and every field)."""
    if not user_has_perm(request.user, Perm.PEOPLE_MANAGE):
        raise PermissionDenied
    units = selectors.hr_unit_scope(request.user, Perm.PEOPLE_MANAGE)
    choices = selectors.org_units(units)
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in EMPLOYEE_FIELDS}
        unit = choices.filter(pk=request.POST.get("org_unit") or 0).first()
        start = _date(request.POST.get("start_date", ""))
        parents = request.POST.get("parents_allowance", "") or "0"
        try:
            v = values
            employee = services.employee_create(
                actor=request.user, org_unit=unit, start_date=start, employee_no=v["employee_no"],
                first_name_th=v["first_name_th"], last_name_th=v["last_name_th"], position=v["position"],
                level=v["level"], salary=v["salary"], national_id=v["national_id"], bank_code=v["bank_code"],
                bank_account=v["bank_account"], children_birth_years=v["children_birth_years"],
                pvd_rate=v["pvd_rate"] or "0", monthly_allowance=v["monthly_allowance"] or "0",
                monthly_deduction=v["monthly_deduction"] or "0",
                employment_type=request.POST.get("employment_type", EmploymentType.EMPLOYEE),
                spouse_allowance=request.POST.get("spouse_allowance") == "1",
                parents_allowance=int(parents) if parents.isdigit() else -1,  # -1: refused beside the field
                birth_date=v["birth_date"] or None,
            )  # fmt: skip
        except ValidationError as exc:
            problems = exc.by_field() if isinstance(exc, services.PeopleError) else {}
            for name, problem in problems.items():  # each beside its field, the inputs kept
                if name in NEW_EMPLOYEE_FORM_FIELDS:
                    errors.setdefault(name, _message(request, problem))
            if not problems or any(name not in NEW_EMPLOYEE_FORM_FIELDS for name in problems):
                _refused(request, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("people:employee_detail", employee_id=employee.pk)
    return render(
        request, "people/employee_new.html",
        {"units": choices, "types": EmploymentType.choices, "post": request.POST, "errors": errors},
    )  # fmt: skip


@login_required
def org_chart(request: HttpRequest) -> HttpResponse:
    """The org units as a tree with each unit's head and head count (HR in scope)."""
    if not user_has_perm(request.user, Perm.PEOPLE_VIEW):
        raise PermissionDenied
    return render(request, "people/org_chart.html", {"rows": selectors.org_chart(actor=request.user)})


def _employee(request: HttpRequest, employee_id: int) -> Any:
    employee = selectors.employee_get(actor=request.user, employee_id=employee_id)
    if employee is None:
        raise Http404
    return employee


@login_required
@require_http_methods(["GET", "POST"])
def employee_detail(request: HttpRequest, employee_id: int) -> HttpResponse:
    employee = _employee(request, employee_id)
    revealed = None
    if request.method == "POST":  # "show personal data": audited, only for self or HR in scope
        revealed = services.employee_reveal(actor=request.user, employee=employee)
    return _detail(request, employee, revealed=revealed)


@login_required
@require_POST
def employee_birth_date(request: HttpRequest, employee_id: int) -> HttpResponse:
    """HR records the birth date (checked against the dependants; the error shown beside the field)."""
    employee = _employee(request, employee_id)
    try:
        services.employee_birth_date_set(
            actor=request.user, employee=employee, birth_date=request.POST.get("birth_date", "").strip()
        )
    except ValidationError as exc:
        return _detail(request, employee, birth_error=_message(request, exc), status=400)
    messages.success(request, _("Saved."))
    return redirect("people:employee_detail", employee_id=employee.pk)


def _detail(
    request: HttpRequest, employee: Any, *, revealed: Any = None, birth_error: str = "", status: int = 200
) -> HttpResponse:
    return render(
        request,
        "people/employee_detail.html",
        {
            "birth_error": birth_error,
            "employee": employee,
            "revealed": revealed,
            "can_reveal": selectors.can_see_personal_data(request.user, employee),
            "salary_history": employee.salary_changes.all()[:20],
            "balances": selectors.leave_balances(
                employee=employee, fiscal_year=fiscal_year_be(timezone.localdate())
            ),
            "overtime": employee.overtime.all()[:30],
            "overtime_kinds": OvertimeKind.choices,
            "cost_splits": employee.cost_splits.all(),
            "can_manage": selectors.can_manage(request.user, employee),
        },
        status=status,
    )


@login_required
@require_POST
def employee_overtime(request: HttpRequest, employee_id: int) -> HttpResponse:
    """HR records a day's overtime (the service checks scope, calendar, s.65 and the weekly limit)."""
    employee = _employee(request, employee_id)
    work_date = _date(request.POST.get("work_date", ""))
    if work_date is None:
        messages.error(request, _("Choose the date worked."))
    else:
        try:
            overtime.overtime_record(
                actor=request.user, employee=employee, work_date=work_date, kind=request.POST.get("kind", ""),
                hours=request.POST.get("hours", ""), reason=request.POST.get("reason", ""),
            )  # fmt: skip
            messages.success(request, _("Saved."))
        except ValidationError as exc:
            _refused(request, exc)
    return redirect("people:employee_detail", employee_id=employee.pk)


@login_required
@require_POST
def employee_cost_split(request: HttpRequest, employee_id: int) -> HttpResponse:
    """HR sets the cost-centre shares: one ``CODE PERCENT`` a line."""
    employee = _employee(request, employee_id)
    shares = []
    for line in request.POST.get("shares", "")[:2000].splitlines():
        parts = line.replace(",", " ").replace("%", " ").split()
        if parts:
            shares.append((parts[0], parts[1] if len(parts) > 1 else ""))
    try:
        overtime.cost_split_set(actor=request.user, employee=employee, shares=shares)
        messages.success(request, _("Saved."))
    except ValidationError as exc:
        _refused(request, exc)
    return redirect("people:employee_detail", employee_id=employee.pk)


@login_required
@require_http_methods(["GET", "POST"])
def leave_new(request: HttpRequest) -> HttpResponse:
    own = selectors.own_employee(request.user)
    if own is None:
        raise PermissionDenied
    if request.method == "POST":
        leave_type = LeaveType.objects.filter(code=request.POST.get("leave_type", "")).first()
        start, end = _date(request.POST.get("start_date", "")), _date(request.POST.get("end_date", ""))
        if leave_type is None or start is None or end is None:
            messages.error(request, _("Choose the leave type and both dates."))
        else:
            try:
                created = leave.leave_request_create(
                    actor=request.user, employee=own, leave_type=leave_type, start_date=start, end_date=end,
                    reason=request.POST.get("reason", ""),
                )  # fmt: skip
                messages.success(request, _("Leave request sent."))
                return redirect("people:leave_detail", request_id=created.pk)
            except ValidationError as exc:
                _refused(request, exc)
    return render(request, "people/leave_new.html", {"types": selectors.leave_types(), "post": request.POST})


def _leave(request: HttpRequest, request_id: int) -> Any:
    item = selectors.leave_get(actor=request.user, request_id=request_id)
    if item is None:
        raise Http404
    return item


@login_required
def leave_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    item = _leave(request, request_id)
    return render(
        request,
        "people/leave_detail.html",
        {
            "item": item,
            "diagram": leave.leave_diagram(item),
            "can_act": leave.can_decide(request.user, item),
            "step_name": leave.STEP_NAMES.get(item.current_step, ""),
        },
    )


@login_required
@require_POST
def leave_decide(request: HttpRequest, request_id: int) -> HttpResponse:
    item = _leave(request, request_id)
    try:
        leave.leave_decide(
            actor=request.user, request=item, decision=request.POST.get("decision", ""),
            comment=request.POST.get("comment", ""),
        )  # fmt: skip
        messages.success(request, _("Saved."))
    except ValidationError as exc:
        _refused(request, exc)
    return redirect("people:leave_detail", request_id=item.pk)


@login_required
def process_file(request: HttpRequest, name: str) -> HttpResponse:
    files = {
        "leave_tobe": leave.TOBE_FILE, "leave_asis": leave.ASIS_FILE,
        "payroll_tobe": payroll.TOBE_FILE, "payroll_asis": payroll.ASIS_FILE,
    }  # fmt: skip
    path = files.get(name)
    if path is None:
        raise Http404
    response = HttpResponse(path.read_bytes(), content_type="application/xml; charset=utf-8")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def process_asis(request: HttpRequest, name: str) -> HttpResponse:
    if name not in {"leave", "payroll"}:
        raise Http404
    return render(
        request, "people/process_asis.html", {"name": name, "diagram": {"current": [], "completed": []}}
    )


def _runs_visible(request: HttpRequest) -> None:
    if not (
        selectors.hr_unit_scope(request.user) is None or user_has_perm(request.user, Perm.PAYROLL_APPROVE)
    ):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def run_list(request: HttpRequest) -> HttpResponse:
    _runs_visible(request)
    if request.method == "POST":
        pay_date = _date(request.POST.get("pay_date", ""))
        if pay_date is None:
            messages.error(request, _("Choose the pay date."))
        else:
            try:
                run = payroll.payroll_run_create(
                    actor=request.user, year=pay_date.year, month=pay_date.month, pay_date=pay_date
                )
                return redirect("people:run_detail", run_id=run.pk)
            except ValidationError as exc:
                _refused(request, exc)
    page = Paginator(selectors.payroll_runs(actor=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "people/run_list.html",
        {"page": page, "can_create": selectors.hr_unit_scope(request.user, Perm.PEOPLE_MANAGE) is None,
         "months": THAI_MONTHS},
    )  # fmt: skip


def _run(request: HttpRequest, run_id: int) -> Any:
    run = selectors.payroll_run_get(actor=request.user, run_id=run_id)
    if run is None:
        raise Http404
    return run


@login_required
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run(request, run_id)
    slips = run.payslips.select_related("employee", "employee__org_unit").order_by("employee__employee_no")
    page = Paginator(slips, PAGE_SIZE).get_page(request.GET.get("page"))
    step = run.current_step
    can_act = (step == "prepare" and selectors.hr_unit_scope(request.user, Perm.PEOPLE_MANAGE) is None) or (
        step == "approve"
        and user_has_perm(request.user, Perm.PAYROLL_APPROVE)
        and run.created_by_id != request.user.pk
    )
    return render(
        request,
        "people/run_detail.html",
        {
            "run": run, "page": page, "totals": payroll.run_totals(run), "diagram": payroll.payroll_diagram(run),
            "can_act": can_act, "month_name": THAI_MONTHS[run.month], "approved": run.status == PayrollStatus.APPROVED,
            "can_reverse": run.status == PayrollStatus.APPROVED and user_has_perm(request.user, Perm.PAYROLL_APPROVE),
        },
    )  # fmt: skip


@login_required
@require_POST
def run_action(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run(request, run_id)
    try:
        if request.POST.get("action") == "reverse":
            payroll.payroll_reverse(
                actor=request.user,
                run=run,
                reason=request.POST.get("comment", ""),
                entry_date=timezone.localdate(),
            )
        elif run.current_step == "prepare":
            payroll.payroll_submit(actor=request.user, run=run)
        else:
            payroll.payroll_approve(
                actor=request.user, run=run, decision=request.POST.get("decision", ""),
                comment=request.POST.get("comment", ""),
            )  # fmt: skip
        messages.success(request, _("Saved."))
    except ValidationError as exc:
        _refused(request, exc)
    return redirect("people:run_detail", run_id=run.pk)


@login_required
def run_bank_file(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run(request, run_id)
    if selectors.hr_unit_scope(request.user, Perm.PEOPLE_MANAGE) is not None:
        raise PermissionDenied
    try:
        text = payroll.bank_file(run)
    except ValidationError as exc:
        _refused(request, exc)
        return redirect("people:run_detail", run_id=run.pk)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="salary-{run.period}.csv"'
    return response


@login_required
def run_pnd1(request: HttpRequest, run_id: int) -> HttpResponseBase:
    run = _run(request, run_id)
    if selectors.hr_unit_scope(request.user, Perm.PEOPLE_MANAGE) is not None:
        raise PermissionDenied
    return xlsx_response(
        filename=f"pnd1-{run.period}", sheets=[("ภ.ง.ด.1", payroll.PND1_HEADER, payroll.pnd1_rows(run))]
    )


@login_required
def run_sso(request: HttpRequest, run_id: int) -> HttpResponseBase:
    run = _run(request, run_id)
    if selectors.hr_unit_scope(request.user, Perm.PEOPLE_MANAGE) is not None:
        raise PermissionDenied
    return xlsx_response(
        filename=f"sso-{run.period}", sheets=[("สปส.1-10", payroll.SSO_HEADER, payroll.sso_rows(run))]
    )


@login_required
def payslip_pdf(request: HttpRequest, payslip_id: int) -> HttpResponse:
    slip = selectors.payslip_get(actor=request.user, payslip_id=payslip_id)
    if slip is None:
        raise Http404
    pdf = payslip_pdf_bytes(slip)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="payslip-{slip.run.period}.pdf"'
    return response


@login_required
def competency(request: HttpRequest) -> HttpResponseBase:
    """The plan's targets by fiscal year, and one year's breakdown by CODI region and by unit."""
    if not user_has_perm(request.user, Perm.PEOPLE_VIEW):
        raise PermissionDenied
    rows = training.progress()
    years = kpi.years()
    asked = request.GET.get("year", "")
    current = training.current_fiscal_year()
    year = int(asked) if asked.isdigit() and int(asked) in years else (current if current in years else None)
    if year is None and years:
        year = years[-1]
    by_region = kpi.breakdown(year, by="region") if year else []
    by_unit = kpi.breakdown(year, by="unit") if year else []
    if request.GET.get("format") == "xlsx":
        header = ["ปีงบประมาณ", "ตัวชี้วัด", "เป้าหมาย", "ผลการดำเนินงาน", "หน่วย"]
        group_header = [
            "ปีงบประมาณ",
            "ตัวชี้วัด",
            "กลุ่ม",
            "เป้าหมาย",
            "ผลการดำเนินงาน",
            "จำนวนที่นับได้",
            "ฐาน (บุคลากร)",
            "หน่วย",
        ]

        def groups(items: list[kpi.GroupRow]) -> Any:
            return (
                [g.fiscal_year, g.name_th, g.group_name, g.target, g.actual, g.count, g.base, g.unit]
                for g in items
            )

        return xlsx_response(
            filename="digital-competency",
            sheets=[
                ("เป้าหมาย", header, ([r.fiscal_year, r.name_th, r.target, r.actual, r.unit] for r in rows)),
                ("รายภาค", group_header, groups(by_region)),
                ("รายหน่วยงาน", group_header, groups(by_unit)),
            ],
        )
    return render(
        request,
        "people/competency.html",
        {"rows": rows, "years": years, "year": year, "by_region": by_region, "by_unit": by_unit},
    )


# --- the year's tax documents ------------------------------------------------------------------


def _year(year: int) -> int:
    if not 2000 <= year <= 2200:
        raise Http404
    return year


def _require_payroll_hr(request: HttpRequest) -> None:
    """Country-wide HR (the payroll's maker) only."""
    if selectors.hr_unit_scope(request.user, Perm.PEOPLE_MANAGE) is not None:
        raise PermissionDenied


@login_required
def tax_year(request: HttpRequest, year: int) -> HttpResponse:
    """ภ.ง.ด.1ก of a calendar year: totals, the listing and each payee's 50 ทวิ."""
    _require_payroll_hr(request)
    rows = yearly.year_rows(_year(year))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "people/tax_year.html",
        {"year": year, "year_be": year + 543, "totals": yearly.year_totals(year), "page": page,
         "payer_name": yearly.PAYER_NAME, "payer_tax_id": yearly.payer_tax_id(),
         "payer_warning": yearly.payer_tax_id_warning()},
    )  # fmt: skip


@login_required
def tax_pnd1k(request: HttpRequest, year: int) -> HttpResponseBase:
    _require_payroll_hr(request)
    return xlsx_response(
        filename=f"pnd1k-{_year(year)}",
        sheets=[
            ("ภ.ง.ด.1ก", yearly.PND1K_HEADER, yearly.pnd1k_rows(year, actor=request.user)),
            ("ผู้จ่ายเงิน", ["รายการ", "ข้อมูล"], yearly.payer_rows()),
        ],
    )


@login_required
def tax_certificate(request: HttpRequest, year: int, employee_id: int) -> HttpResponse:
    """The employee's 50 ทวิ of the year: for the employee, and HR who may see personal data."""
    employee = _employee(request, employee_id)
    if not selectors.can_see_personal_data(request.user, employee):
        raise PermissionDenied
    context = yearly.certificate_context(actor=request.user, employee=employee, year=_year(year))
    if context is None:
        raise Http404
    pdf = render_pdf("people/certificate_50tawi_pdf.html", {**context, "issued": timezone.localdate()})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="50tawi-{year}-{employee.employee_no}.pdf"'
    return response


# --- imports ---------------------------------------------------------------------------------

IMPORTS = {"employees": importing.employee_import, "balances": importing.leave_balance_import}
MAX_UPLOAD = 20 * 1024 * 1024


@login_required
@require_http_methods(["GET", "POST"])
def import_file(request: HttpRequest) -> HttpResponse:
    """HR uploads the employee master or leave balances: a dry run shows every row error; the
    import writes all rows or none."""
    if not user_has_perm(request.user, Perm.PEOPLE_MANAGE):
        raise PermissionDenied
    report, kind = None, request.POST.get("kind", "employees")
    if request.method == "POST":
        upload = request.FILES.get("file")
        if kind not in IMPORTS or upload is None or (upload.size or 0) > MAX_UPLOAD:
            messages.error(request, _("Choose what to import and a file of at most 20 MB."))
        else:
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "upload"
                with path.open("wb") as out:
                    for chunk in upload.chunks():
                        out.write(chunk)
                try:
                    report = IMPORTS[kind](
                        actor=request.user, path=path, dry_run=request.POST.get("dry_run") == "1",
                        source=(upload.name or "")[:200],
                    )  # fmt: skip
                except ValidationError as exc:
                    _refused(request, exc)
    return render(
        request, "people/import.html",
        {"report": report, "kind": kind, "employee_columns": importing.EMPLOYEE_COLUMNS,
         "balance_columns": importing.BALANCE_COLUMNS},
    )  # fmt: skip
