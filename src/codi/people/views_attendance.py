"""HR's time-clock import page: upload a CSV/.xlsx export, see each bad row with its problem."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from codi.core.spreadsheet import xlsx_response
from codi.core.thaidate import MONTHS_TH_FULL, thai_date
from codi.identity.models import OrgUnit
from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm
from codi.people import attendance, attendance_rules, lateness, selectors

MAX_UPLOAD = 5 * 1024 * 1024


@login_required
@require_http_methods(["GET", "POST"])
def time_clock_import(request: HttpRequest) -> HttpResponse:
    if not user_has_perm(request.user, Perm.PEOPLE_MANAGE):
        raise PermissionDenied
    report, dry_run = None, request.method == "GET" or request.POST.get("dry_run") == "1"
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None or (upload.size or 0) > MAX_UPLOAD:
            messages.error(request, _("Choose a time-clock file of at most 5 MB."))
        else:
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "upload"
                with path.open("wb") as out:
                    for chunk in upload.chunks():
                        out.write(chunk)
                try:
                    report = attendance.time_clock_import(
                        actor=request.user, path=path, dry_run=dry_run, source=(upload.name or "")[:200]
                    )
                except ValidationError as exc:
                    th = getattr(exc, "message_th", "; ".join(exc.messages))
                    messages.error(
                        request, th if request.LANGUAGE_CODE == "th" else getattr(exc, "message_en", th)
                    )
    return render(
        request,
        "people/time_clock_import.html",
        {
            "report": report,
            "dry_run": dry_run,
            "period": attendance.period_label(report) if report else "",
            "columns": attendance.CLOCK_COLUMNS,
        },
    )


def _int(value: str, default: int, low: int, high: int) -> int:
    return int(value) if value.isdigit() and low <= int(value) <= high else default


@login_required
def attendance_month(request: HttpRequest) -> HttpResponseBase:
    """``?year=2026&month=11&unit=ID``: late arrivals and absences per employee (HR: their scope;
    staff: themself), with an Excel export (``format=xlsx``)."""
    if not lateness.can_view(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    year = _int(request.GET.get("year", ""), today.year, 2000, 2200)
    month = _int(request.GET.get("month", ""), today.month, 1, 12)
    unit = request.GET.get("unit", "")
    rows = lateness.month_report(
        actor=request.user, year=year, month=month, unit_id=int(unit) if unit.isdigit() else None
    )
    if rows is None:
        raise PermissionDenied
    if request.GET.get("format") == "xlsx":
        header = ["เลขที่พนักงาน", "ชื่อ-นามสกุล", "หน่วยงาน", "วันทำงาน", "มาทำงาน", "ลา", "มาสาย (ครั้ง)",
                  "มาสาย (นาที)", "ขาดงาน (วัน)", "วันที่ขาดงาน", "วันที่มาสาย (นาที)"]  # fmt: skip
        data = (
            [r.employee_no, r.name, r.unit, r.working_days, r.present, r.leave_days, r.late_count, r.late_minutes,
             len(r.absent_days), ", ".join(thai_date(d) for d in r.absent_days),
             ", ".join(f"{thai_date(d)} ({m})" for d, m in r.late_days)]
            for r in rows
        )  # fmt: skip
        return xlsx_response(
            filename=f"attendance-{year}-{month:02d}", sheets=[("มาสายและขาดงาน", header, data)]
        )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    units = selectors.hr_unit_scope(request.user, Perm.PEOPLE_VIEW)
    choices = (
        OrgUnit.objects.order_by("code") if units is None else OrgUnit.objects.filter(pk__in=units or [0])
    )
    return render(
        request,
        "people/attendance_month.html",
        {
            "page": page,
            "rows": rows,
            "year": year,
            "month": month,
            "year_be": year + 543,
            "month_name": MONTHS_TH_FULL[month - 1],
            "months": list(enumerate(MONTHS_TH_FULL, start=1)),
            "year_choices": [(y, y + 543) for y in range(today.year - 2, today.year + 1)],
            "units": list(choices.only("pk", "name_th")) if units is None or units else [],
            "unit": int(unit) if unit.isdigit() else None,
            "query": f"year={year}&month={month}" + (f"&unit={unit}" if unit.isdigit() else ""),
        },
    )


def _rule_form_errors(request: HttpRequest, exc: attendance_rules.RuleProblems) -> dict[str, str]:
    th = request.LANGUAGE_CODE == "th"
    return {name: (pair[0] if th else pair[1]) for name, pair in exc.problems.items()}


@login_required
@require_http_methods(["GET", "POST"])
def attendance_rules_page(request: HttpRequest, rule_id: int | None = None) -> HttpResponseBase:
    """The attendance rules in HR's scope, and the form to add one or (``rule_id``) change one:
    each problem beside its field, the input kept."""
    if not user_has_perm(request.user, Perm.PEOPLE_MANAGE):
        raise PermissionDenied
    rules = attendance_rules.rule_list(actor=request.user)
    rule = None
    if rule_id is not None:
        rule = rules.filter(pk=rule_id).first()
        if rule is None or not attendance_rules.can_edit(request.user, rule.org_unit_id):
            raise PermissionDenied
    errors: dict[str, str] = {}
    if request.method == "POST":
        fields = ("valid_from", "org_unit", "start_time", "grace_minutes")
        try:
            attendance_rules.rule_save(
                actor=request.user, rule=rule, values={k: request.POST.get(k, "") for k in fields}
            )
        except attendance_rules.RuleProblems as exc:
            errors = _rule_form_errors(request, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("people:attendance_rules")
    if request.method == "POST":
        form = {k: request.POST.get(k, "") for k in ("valid_from", "org_unit", "start_time", "grace_minutes")}
    elif rule is not None:
        form = {
            "valid_from": rule.valid_from.isoformat(),
            "org_unit": str(rule.org_unit_id or ""),
            "start_time": rule.start_time.strftime("%H:%M"),
            "grace_minutes": str(rule.grace_minutes),
        }
    else:
        form = {"valid_from": "", "org_unit": "", "start_time": "08:30", "grace_minutes": "15"}
    page = Paginator(rules, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "people/attendance_rules.html",
        {
            "page": page,
            "rule": rule,
            "form": form,
            "errors": errors,
            "units": attendance_rules.units_for(request.user),
            "may_edit_general": attendance_rules.can_edit(request.user, None),
            "editable": {r.pk for r in page if attendance_rules.can_edit(request.user, r.org_unit_id)},
        },
        status=400 if errors else 200,
    )
