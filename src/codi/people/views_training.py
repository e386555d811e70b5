"""Training pages: courses with their participants and evaluation, certificates (PDF, a course's
zip, the public verify page), the unit head's assessment of their team's digital skills, and the
self-assessment summary as Excel. Thin: reads through ``courses``, writes through the services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from codi.core.spreadsheet import xlsx_response
from codi.identity.roles import Perm
from codi.people import certificates, courses, evaluation, selfassess, supervisor, training
from codi.people.models import Competency, SkillLevel
from codi.people.selectors import hr_unit_scope, own_employee

PAGE_SIZE = 50


def _message(request: HttpRequest, exc: ValidationError) -> str:
    th = getattr(exc, "message_th", "; ".join(exc.messages))
    return th if request.LANGUAGE_CODE == "th" else getattr(exc, "message_en", th)


@login_required
def course_list(request: HttpRequest) -> HttpResponseBase:
    if hr_unit_scope(request.user) == set() and own_employee(request.user) is None:
        raise PermissionDenied
    rows = courses.course_list(actor=request.user)
    if request.GET.get("format") == "xlsx":
        header = ["หลักสูตร", "ทักษะ", "กลุ่มเป้าหมาย", "วันที่", "ชั่วโมง"]
        return xlsx_response(
            filename="training-courses",
            sheets=[("หลักสูตร", header, ([c.title, c.get_competency_display(), c.get_audience_display(),
                                          c.start_date, c.hours] for c in rows))],
        )  # fmt: skip
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    may_create = hr_unit_scope(request.user, Perm.PEOPLE_MANAGE) != set()
    return render(request, "people/course_list.html", {"page": page, "may_create": may_create})


@login_required
@require_http_methods(["GET", "POST"])
def course_detail(request: HttpRequest, course_id: int) -> HttpResponseBase:
    course = courses.course_get(actor=request.user, course_id=course_id)
    if course is None:
        raise PermissionDenied
    rows = courses.participants(actor=request.user, course=course)
    errors: dict[str, str] = {}
    posted = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        attendance_id = request.POST.get("attendance", "")
        attendance = rows.filter(pk=int(attendance_id)).first() if attendance_id.isdigit() else None
        if attendance is None:
            raise PermissionDenied
        try:
            evaluation.evaluation_record(
                actor=request.user, attendance=attendance, rating=request.POST.get("rating"),
                comment=request.POST.get("comment", ""), pre_score=request.POST.get("pre_score"),
                post_score=request.POST.get("post_score"),
            )  # fmt: skip
        except evaluation.EvaluationError as exc:
            errors[exc.field] = _message(request, exc)
        except ValidationError as exc:
            errors["rating"] = _message(request, exc)
        else:
            messages.success(request, _("The evaluation was saved."))
            return redirect("people:course_detail", course_id=course.pk)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    may_test = hr_unit_scope(request.user, Perm.PEOPLE_MANAGE) != set()
    return render(
        request,
        "people/course_detail.html",
        {
            "course": course,
            "page": page,
            "summary": evaluation.course_summary(course),
            "choices": [(a.pk, certificates.participant_name(a)) for a in page],
            "errors": errors,
            "posted": posted,
            "may_test": may_test,
            "may_record": certificates.can_manage_course(request.user, course),
            "ratings": range(1, 6),
        },
        status=422 if errors else 200,
    )


def _verify_url(request: HttpRequest, code: str) -> str:
    return request.build_absolute_uri(reverse("people:certificate_verify", args=[code]))


@login_required
@require_GET
def certificate_pdf(request: HttpRequest, attendance_id: int) -> HttpResponse:
    attendance = courses.participant_get(actor=request.user, attendance_id=attendance_id)
    if attendance is None:
        raise PermissionDenied
    cert = certificates.certificate_issue(actor=request.user, attendance=attendance)
    pdf = certificates.certificate_pdf(cert, verify_url=_verify_url(request, cert.code))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{cert.code}.pdf"'
    return response


@login_required
@require_GET
def course_certificates(request: HttpRequest, course_id: int) -> HttpResponse:
    course = courses.course_get(actor=request.user, course_id=course_id)
    if course is None:
        raise PermissionDenied
    data, _count = certificates.course_certificates_zip(
        actor=request.user, course=course, verify_url=lambda code: _verify_url(request, code)
    )
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="certificates-course-{course.pk}.zip"'
    return response


@require_GET
def certificate_verify(request: HttpRequest, code: str = "") -> HttpResponse:
    """Public: anyone holding a certificate (or its QR code) may check it."""
    code = code or request.GET.get("code", "")[:20]
    found = certificates.certificate_verify(code) if code else None
    return render(
        request,
        "people/certificate_verify.html",
        {"code": code, "found": found},
        status=404 if code and found is None else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_skills(request: HttpRequest) -> HttpResponseBase:
    """The unit head's assessment of each of their staff (refused to anyone who heads no unit)."""
    year = training.current_fiscal_year()
    team = supervisor.my_team(request.user)  # PermissionDenied when not a unit head
    error_for, error = 0, ""
    posted: dict[str, str] = {}
    if request.method == "POST":
        employee_id = request.POST.get("employee", "")
        employee = team.filter(pk=int(employee_id)).first() if employee_id.isdigit() else None
        if employee is None:
            raise PermissionDenied
        posted = {code: request.POST.get(code, "") for code, _label in Competency.choices}
        try:
            supervisor.supervisor_assess(
                actor=request.user, employee=employee, fiscal_year=year, levels=posted
            )
        except ValidationError as exc:
            error_for, error = employee.pk, _message(request, exc)
        else:
            messages.success(request, _("The assessment was saved."))
            return redirect("people:team_skills")
    rows = supervisor.team_levels(actor=request.user, fiscal_year=year)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    skills = Competency.choices
    table = [
        (
            row,
            [
                (code, label, row.own.get(code),
                 int(posted[code]) if row.employee.pk == error_for and posted.get(code, "").isdigit()
                 else row.confirmed.get(code))
                for code, label in skills
            ],
        )
        for row in page
    ]  # fmt: skip
    return render(
        request,
        "people/team_skills.html",
        {"year": year, "page": page, "table": table, "levels": SkillLevel.choices, "error_for": error_for,
         "error": error},
        status=422 if error else 200,
    )  # fmt: skip


@login_required
@require_GET
def skills_summary_xlsx(request: HttpRequest) -> HttpResponseBase:
    """The self-assessment summary of the actor's HR scope, per unit and skill group."""
    year = request.GET.get("year", "")
    fiscal_year = (
        int(year) if year.isdigit() and 2500 <= int(year) <= 2700 else training.current_fiscal_year()
    )
    rows = selfassess.summary_by_unit(actor=request.user, fiscal_year=fiscal_year)
    totals = selfassess.summary(actor=request.user, fiscal_year=fiscal_year)
    header = ["ปีงบประมาณ", "หน่วยงาน", "ทักษะ", "ผู้ประเมินตนเอง", "ระดับ 3 ขึ้นไป", "ร้อยละ"]
    return xlsx_response(
        filename=f"digital-skills-{fiscal_year}",
        sheets=[
            ("รายหน่วยงาน", header, ([fiscal_year, r.unit, r.name, r.assessed, r.at_work, r.share] for r in rows)),
            ("รวม", ["ปีงบประมาณ", "ทักษะ", "ผู้ประเมินตนเอง", "ระดับ 3 ขึ้นไป", "ร้อยละ", "เป้าหมาย (ร้อยละ)"],
             ([fiscal_year, t.name, t.assessed, t.at_work, t.share, t.target] for t in totals)),
        ],
    )  # fmt: skip
