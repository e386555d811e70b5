"""HR's pages to create a training course and to record who completed it. Thin: the writes go
through ``codi.people.training`` (which validates, audits and e-mails the certificates)."""

from __future__ import annotations

import re
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm
from codi.people import certificates, courses, selectors, training
from codi.people.models import Competency, CourseAudience

COURSE_FIELDS = ("title", "competency", "audience", "start_date", "hours", "org_unit")


def _message(request: HttpRequest, exc: ValidationError) -> str:
    th = getattr(exc, "message_th", "; ".join(exc.messages))
    return th if request.LANGUAGE_CODE == "th" else getattr(exc, "message_en", th)


@login_required
@require_http_methods(["GET", "POST"])
def course_new(request: HttpRequest) -> HttpResponseBase:
    if not user_has_perm(request.user, Perm.PEOPLE_MANAGE):
        raise PermissionDenied
    scope = selectors.hr_unit_scope(request.user, Perm.PEOPLE_MANAGE)
    units = selectors.org_units(scope)
    form = (
        {k: request.POST.get(k, "").strip() for k in COURSE_FIELDS}
        if request.method == "POST"
        else {"hours": "6"}
    )
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            start = date.fromisoformat(form["start_date"])
        except ValueError:
            errors["start_date"] = _("Give the date of the course.")
        if not form["hours"].isdigit():
            errors["hours"] = _("Hours are a whole number.")
        unit = units.filter(pk=form["org_unit"]).first() if form["org_unit"].isdigit() else None
        if form["org_unit"] and unit is None:
            errors["org_unit"] = _("Choose a unit in your scope.")
        if not errors:
            try:
                course = training.course_create(
                    actor=request.user, title=form["title"], competency=form["competency"],
                    audience=form["audience"], start_date=start, hours=int(form["hours"]), org_unit=unit,
                )  # fmt: skip
            except ValidationError as exc:
                errors[getattr(exc, "field", "") or "title"] = _message(request, exc)
            else:
                messages.success(request, _("The course was created. Record its participants here."))
                return redirect("people:course_attendance", course_id=course.pk)
    return render(
        request,
        "people/course_new.html",
        {
            "form": form,
            "errors": errors,
            "units": units,
            "may_leave_unit_blank": scope is None,
            "competencies": Competency.choices,
            "audiences": CourseAudience.choices,
        },
        status=400 if errors else 200,
    )


_NUMBERS = re.compile(r"[\s,;]+")


@login_required
@require_http_methods(["GET", "POST"])
def course_attendance(request: HttpRequest, course_id: int) -> HttpResponseBase:
    """Who completed the course: staff by employee number (a class list), or a community leader by name."""
    course = courses.course_get(actor=request.user, course_id=course_id)
    if course is None or not certificates.can_manage_course(request.user, course):
        raise PermissionDenied
    is_staff_course = course.audience == CourseAudience.STAFF
    errors: dict[str, str] = {}
    form = {k: request.POST.get(k, "") for k in ("employee_nos", "leader_name", "applies_at_work")}
    if request.method == "POST":
        try:
            if is_staff_course:
                wanted = [n for n in _NUMBERS.split(form["employee_nos"].strip()) if n]
                found = {
                    e.employee_no: e
                    for e in selectors.employee_list(actor=request.user).filter(employee_no__in=wanted)
                    if selectors.can_manage(request.user, e)
                }
                missing = [n for n in wanted if n not in found]
                if not wanted:
                    errors["employee_nos"] = _("Write at least one employee number.")
                elif missing:
                    errors["employee_nos"] = _("Not found in your scope: %(numbers)s") % {
                        "numbers": ", ".join(missing[:20])
                    }
                else:
                    applies = form["applies_at_work"] == "1"
                    count = training.attendance_record_many(
                        actor=request.user,
                        course=course,
                        participants=[(found[n], applies) for n in dict.fromkeys(wanted)],
                    )
                    messages.success(request, _("%(count)d participants recorded.") % {"count": count})
                    return redirect("people:course_attendance", course_id=course.pk)
            else:
                training.attendance_record(actor=request.user, course=course, leader_name=form["leader_name"])
                messages.success(request, _("%(count)d participants recorded.") % {"count": 1})
                return redirect("people:course_attendance", course_id=course.pk)
        except ValidationError as exc:
            errors["employee_nos" if is_staff_course else "leader_name"] = _message(request, exc)
    return render(
        request,
        "people/course_attendance.html",
        {
            "course": course,
            "is_staff_course": is_staff_course,
            "form": form,
            "errors": errors,
            "participants": courses.participants(actor=request.user, course=course)[:200],
        },
        status=400 if errors else 200,
    )
