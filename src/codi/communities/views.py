"""Pages of the community registry: organizations, members, imports, exports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from codi.areas.models import Province, Region
from codi.communities import exporting, selectors, services
from codi.communities.forms import (
    ImportForm,
    MembershipForm,
    OrganizationForm,
    PersonEditForm,
    PersonForm,
    apply_errors,
)
from codi.communities.importing import MEMBER_COLUMNS, ORGANIZATION_COLUMNS, error_text
from codi.communities.models import (
    ImportKind,
    LocationFlag,
    MemberRole,
    Organization,
    OrgStatus,
    OrgType,
    Person,
)
from codi.communities.spreadsheet import FileRefused
from codi.core.audit import audit_record
from codi.core.spreadsheet import csv_response, xlsx_response
from codi.core.tables import sort_queryset
from codi.identity.guards import need
from codi.identity.roles import Perm
from codi.identity.selectors import scoped, user_can_in_area, user_has_perm

PAGE_SIZE = 50
ERRORS_PAGE_SIZE = 100
EXPORT_FORMATS = ("xlsx", "csv")


def _need(request: HttpRequest, perm: str) -> None:
    need(request, perm)


def _need_members(request: HttpRequest) -> None:
    if not selectors.can_view_members(request.user):
        raise PermissionDenied


def _english() -> bool:
    return (get_language() or "th").startswith("en")


# --- organizations -------------------------------------------------------------------------------


def _picked_area(get: Any, *levels: str) -> str:
    """The lowest area chosen in the filter's name pickers (subdistrict, district...), or a code
    given in the address (``?area=4001``, from older links)."""
    for level, size in (("subdistrict", 6), ("district", 4), ("province", 2)):
        code = get.get(level, "").strip() if level in levels else ""
        if code.isdigit() and len(code) == size:
            return code
    return get.get("area", "").strip()


def _org_filters(request: HttpRequest) -> dict[str, str]:
    get = request.GET
    area = _picked_area(get, "subdistrict", "district")
    return {
        "search": get.get("q", "").strip()[:100],
        "region_code": get.get("region", "")[:20],
        "province_code": get.get("province", "") if get.get("province", "").isdigit() else "",
        "area_code": area if area.isdigit() and len(area) in (2, 4, 6) else "",
        "org_type": get.get("type", "") if get.get("type", "") in OrgType.values else "",
        "status": get.get("status", "") if get.get("status", "") in OrgStatus.values else "",
        "location_flag": get.get("flag", "") if get.get("flag", "") in LocationFlag.values else "",
        "network": get.get("network", "") if get.get("network", "").isdigit() else "",
    }


def _org_list(request: HttpRequest) -> tuple[dict[str, str], QuerySet[Organization]]:
    _need(request, Perm.ORGS_VIEW)
    filters = _org_filters(request)
    return filters, selectors.organization_list(actor=request.user, **filters)


# The columns a person may order the registry by (``?sort=``), and the fields behind each.
ORG_COLUMNS = {
    "name": ["name_th"],
    "type": ["org_type"],
    "subdistrict": ["subdistrict__name_th"],
    "province": ["subdistrict__district__province__name_th"],
    "status": ["status"],
}


@login_required
def organization_list(request: HttpRequest) -> HttpResponse:
    filters, orgs = _org_list(request)
    orgs, sort = sort_queryset(
        orgs.select_related("subdistrict__district__province"), request.GET.get("sort"), ORG_COLUMNS, "name"
    )
    page = Paginator(orgs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "communities/organization_list.html",
        {
            "page": page,
            "sort": sort,
            "filters": filters,
            "regions": Region.objects.all(),
            "provinces": Province.objects.all(),
            "types": OrgType.choices,
            "statuses": OrgStatus.choices,
            "flags": [c for c in LocationFlag.choices if c[0]],
            "can_manage": user_has_perm(request.user, Perm.ORGS_MANAGE),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def organization_export(request: HttpRequest, file_format: str) -> HttpResponseBase:
    if file_format not in EXPORT_FORMATS:
        raise Http404
    filters, orgs = _org_list(request)
    unmasked = request.GET.get("unmasked") == "1"
    if unmasked:
        if not user_has_perm(request.user, Perm.PERSONAL_DATA_VIEW):
            raise PermissionDenied
        orgs = orgs.filter(pk__in=_personal_data_orgs(request))
    export = exporting.organizations(orgs, unmasked_phone=unmasked)
    if unmasked:
        _audit_export(request, "communities.organization", ["phone"], filters, orgs.count(), file_format)
    return _export_response(export, "organizations", file_format)


def _personal_data_orgs(request: HttpRequest) -> QuerySet[Any]:

    return scoped(Organization.objects.all(), request.user, Perm.PERSONAL_DATA_VIEW).values("pk")


def _audit_export(
    request: HttpRequest,
    object_type: str,
    fields: list[str],
    filters: dict[str, Any],
    rows: int,
    file_format: str,
) -> None:
    audit_record(
        actor=request.user,
        action="personal_data.export",
        object_type=object_type,
        object_id="",
        changes={
            "fields": fields,
            "filters": {k: v for k, v in filters.items() if v},
            "rows": rows,
            "format": file_format,
        },
    )


def _export_response(export: exporting.Export, name: str, file_format: str) -> HttpResponseBase:

    if file_format == "csv":
        return csv_response(filename=name, header=export.header, rows=export.rows)
    return xlsx_response(filename=name, sheets=[(name, export.header, export.rows)])


def _get_org(request: HttpRequest, org_id: int) -> Organization:
    org = selectors.organization_get(actor=request.user, org_id=org_id)
    if org is None:
        raise Http404
    return org


@login_required
@require_http_methods(["GET", "POST"])
def organization_detail(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _get_org(request, org_id)
    phone = None
    if request.method == "POST" and request.POST.get("reveal") == "phone":
        phone = selectors.organization_phone(actor=request.user, organization=org)
        if phone is None:
            raise PermissionDenied
    can_members = selectors.can_view_members_in(request.user, subdistrict_code=org.subdistrict_id)
    members = (
        Paginator(selectors.membership_list(actor=request.user, organization=org), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        if can_members
        else None
    )
    history = [
        (entry, _change_lines(entry.changes))
        for entry in selectors.organization_history(actor=request.user, organization=org)[:50]
    ]
    return render(
        request,
        "communities/organization_detail.html",
        {
            "org": org,
            "phone": phone,
            "can_reveal": bool(org.phone)
            and user_can_in_area(request.user, Perm.PERSONAL_DATA_VIEW, subdistrict_code=org.subdistrict_id),
            "can_manage": user_can_in_area(
                request.user, Perm.ORGS_MANAGE, subdistrict_code=org.subdistrict_id
            ),
            "members": members,
            "network_members": selectors.organization_list(actor=request.user, network=str(org.pk))[:50]
            if org.org_type == OrgType.NETWORK
            else [],
            "history": history,
        },
    )


def _change_lines(changes: dict[str, Any]) -> list[tuple[str, str]]:
    lines = []
    for field, value in changes.items():
        if isinstance(value, list) and len(value) == 2:
            old, new = ("—" if v in (None, "") else str(v) for v in value)
            lines.append((field, f"{old} → {new}"))
        else:
            lines.append((field, str(value)))
    return lines


def _org_form_values(form: OrganizationForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    for key in ("name_en", "registration_no", "address", "phone", "email", "line_id"):
        data[key] = data.get(key) or ""
    return data


@login_required
@require_http_methods(["GET", "POST"])
def organization_create(request: HttpRequest) -> HttpResponse:
    _need(request, Perm.ORGS_MANAGE)
    networks = list(selectors.network_list(actor=request.user))
    form = OrganizationForm(request.POST or None, networks=networks)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.organization_create(actor=request.user, **_org_form_values(form))
        except ValidationError as error:
            apply_errors(form, error)
        except PermissionDenied:
            form.add_error("subdistrict_code", _("You may not register organizations in this subdistrict."))
        else:
            messages.success(request, _("Organization registered."))
            return redirect("communities:organization_detail", org_id=org.pk)
    return render(request, "communities/organization_form.html", {"form": form, "org": None})


@login_required
@require_http_methods(["GET", "POST"])
def organization_edit(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _get_org(request, org_id)
    if not user_can_in_area(request.user, Perm.ORGS_MANAGE, subdistrict_code=org.subdistrict_id):
        raise PermissionDenied
    networks = [n for n in selectors.network_list(actor=request.user) if n.pk != org.pk]
    initial = {f: getattr(org, f) for f in services.ORG_EDITABLE if hasattr(org, f)}
    initial["subdistrict_code"] = org.subdistrict_id
    form = OrganizationForm(request.POST or None, initial=initial, networks=networks)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in _org_form_values(form).items() if k in form.changed_data}
        try:
            services.organization_update(actor=request.user, organization=org, changes=changes)
        except ValidationError as error:
            apply_errors(form, error)
        except PermissionDenied:
            form.add_error("subdistrict_code", _("You may not move the organization to this subdistrict."))
        else:
            messages.success(request, _("Changes saved; they are listed in the history below."))
            return redirect("communities:organization_detail", org_id=org.pk)
    return render(request, "communities/organization_form.html", {"form": form, "org": org})


# --- members ---------------------------------------------------------------------------------------


def _member_filters(request: HttpRequest) -> dict[str, Any]:
    get = request.GET
    area = _picked_area(get, "subdistrict", "district", "province")
    org = get.get("organization", "")
    return {
        "search": get.get("q", "").strip()[:100],
        "area_code": area if area.isdigit() and len(area) in (2, 4, 6) else "",
        "region_code": get.get("region", "")[:20],
        "organization_id": int(org) if org.isdigit() else None,
        "role": get.get("role", "") if get.get("role", "") in MemberRole.values else "",
    }


@login_required
def member_list(request: HttpRequest) -> HttpResponse:
    _need_members(request)
    filters = _member_filters(request)
    persons = selectors.person_list(actor=request.user, **filters).select_related("subdistrict")
    persons = persons.defer("national_id", "phone", "address")
    page = Paginator(persons, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "communities/member_list.html",
        {
            "page": page,
            "filters": filters,
            "regions": Region.objects.all(),
            "roles": MemberRole.choices,
            "can_manage": user_has_perm(request.user, Perm.ORGS_MANAGE),
            "can_unmask": user_has_perm(request.user, Perm.PERSONAL_DATA_VIEW),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def member_export(request: HttpRequest, file_format: str) -> HttpResponseBase:
    if file_format not in EXPORT_FORMATS:
        raise Http404
    _need_members(request)
    filters = _member_filters(request)
    unmasked = request.GET.get("unmasked") == "1"
    if unmasked and not user_has_perm(request.user, Perm.PERSONAL_DATA_VIEW):
        raise PermissionDenied
    persons = selectors.person_list(actor=request.user, personal_data=unmasked, **filters)
    if unmasked:
        _audit_export(
            request,
            "communities.person",
            ["national_id", "phone", "address"],
            filters,
            persons.count(),
            file_format,
        )
    return _export_response(exporting.members(persons, unmasked=unmasked), "members", file_format)


def _get_person(request: HttpRequest, person_id: int) -> Person:
    _need_members(request)
    person = selectors.person_get(actor=request.user, person_id=person_id)
    if person is None:
        raise Http404
    return person


@login_required
@require_http_methods(["GET", "POST"])
def member_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _get_person(request, person_id)
    personal = None
    if request.method == "POST" and request.POST.get("reveal") == "1":
        personal = selectors.person_personal_data(actor=request.user, person=person)
        if personal is None:
            raise PermissionDenied
    manageable = selectors.can_manage_person(request.user, person)
    form = None
    if manageable:
        form = MembershipForm(organizations=list(selectors.organizations_managed(actor=request.user)[:1000]))
    return render(
        request,
        "communities/member_detail.html",
        {
            "person": person,
            "personal": personal,
            "can_reveal": selectors.can_unmask(request.user, person),
            "can_manage": manageable,
            "memberships": selectors.membership_list(actor=request.user, person=person),
            "membership_form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_create(request: HttpRequest) -> HttpResponse:
    _need(request, Perm.ORGS_MANAGE)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        except PermissionDenied:
            form.add_error("subdistrict_code", _("You may not register people in this subdistrict."))
        else:
            messages.success(request, _("Person registered."))
            return redirect("communities:member_detail", person_id=person.pk)
    return render(request, "communities/member_form.html", {"form": form, "person": None})


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _get_person(request, person_id)
    if not selectors.can_manage_person(request.user, person):
        raise PermissionDenied
    initial = {f: getattr(person, f) for f in services.PERSON_EDITABLE if hasattr(person, f)}
    initial["subdistrict_code"] = person.subdistrict_id
    initial["birth_year"] = person.birth_year_be or ""
    form = PersonEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k in form.changed_data}
        try:
            services.person_update(actor=request.user, person=person, changes=changes)
        except ValidationError as error:
            apply_errors(form, error)
        except PermissionDenied:
            form.add_error("subdistrict_code", _("You may not move this person to that subdistrict."))
        else:
            messages.success(request, _("Changes saved."))
            return redirect("communities:member_detail", person_id=person.pk)
    return render(request, "communities/member_form.html", {"form": form, "person": person})


@login_required
@require_POST
def membership_add(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _get_person(request, person_id)
    org_id = request.POST.get("organization", "")
    org = selectors.organization_get(actor=request.user, org_id=int(org_id)) if org_id.isdigit() else None
    if org is None:
        raise Http404
    form = MembershipForm(request.POST, organizations=[org])
    if form.is_valid():
        try:
            services.membership_add(
                actor=request.user,
                person=person,
                organization=org,
                role=form.cleaned_data["role"],
                started_on=form.cleaned_data["started_on"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Membership saved."))
    else:
        messages.error(request, _("Check the membership fields."))
    return redirect("communities:member_detail", person_id=person.pk)


@login_required
@require_POST
def membership_end(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = (
        selectors.membership_list(actor=request.user)
        .filter(pk=membership_id)
        .select_related("organization")
        .first()
    )
    if membership is None:
        raise Http404
    try:
        services.membership_end(actor=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Membership ended."))
    return redirect("communities:member_detail", person_id=membership.person_id)


# --- imports ------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_list(request: HttpRequest) -> HttpResponse:
    _need(request, Perm.ORGS_MANAGE)
    form = ImportForm(request.POST or None, request.FILES or None, initial={"kind": ImportKind.MEMBERS})
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.import_job_create(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                file_name=upload.name,
                content=upload,
                size=upload.size,
            )
        except FileRefused as refused:
            form.add_error("file", refused.en if _english() else refused.th)
        else:
            return redirect("communities:import_detail", job_id=job.pk)
    jobs = Paginator(selectors.import_job_list(actor=request.user), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "communities/import_list.html",
        {"form": form, "jobs": jobs, "max_bytes": services.import_max_bytes()},
    )


def _get_job(request: HttpRequest, job_id: int) -> Any:
    job = selectors.import_job_get(actor=request.user, job_id=job_id)
    if job is None:
        raise Http404
    return job


def _job_state(job: Any) -> dict[str, Any]:
    stale = job.is_running and job.heartbeat_at and timezone.now() - job.heartbeat_at > services.STALE_AFTER
    return {
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "phase": job.phase,
        "processed": job.processed_rows,
        "total": job.total_rows,
        "valid": job.valid_rows,
        "error_rows": job.error_rows,
        "percent": job.percent,
        "running": job.is_running,
        "stale": bool(stale),
    }


@login_required
def import_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _get_job(request, job_id)
    english = _english()
    errors = Paginator(job.errors, ERRORS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "communities/import_detail.html",
        {
            "job": job,
            "state": _job_state(job),
            "errors": errors,
            "error_lines": [error_text(e, english=english) for e in errors],
            "message": job.message_en if english else job.message_th,
            "stored_errors_cut": job.error_count > len(job.errors),
        },
    )


@login_required
def import_progress(request: HttpRequest, job_id: int) -> JsonResponse:
    job = _get_job(request, job_id)
    return JsonResponse(_job_state(job))


@login_required
@require_POST
def import_action(request: HttpRequest, job_id: int, action: str) -> HttpResponse:
    job = _get_job(request, job_id)
    actions: dict[str, Callable[..., Any]] = {
        "commit": services.import_job_request_commit,
        "cancel": services.import_job_cancel,
        "retry": services.import_job_retry,
    }
    if action not in actions:
        raise Http404
    try:
        actions[action](actor=request.user, job=job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("communities:import_detail", job_id=job.pk)


@login_required
def import_errors_csv(request: HttpRequest, job_id: int) -> HttpResponseBase:
    job = _get_job(request, job_id)
    export = exporting.Export(
        header=["แถว", "คอลัมน์", "ข้อผิดพลาด", "Column", "Error"],
        rows=iter(
            [[e["row"], e["column"], e["message"], e["column_en"], e["message_en"]] for e in job.errors]
        ),
    )
    response = StreamingHttpResponse(exporting.csv_lines(export), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
    return response


@login_required
def import_template(request: HttpRequest, kind: str) -> HttpResponseBase:
    _need(request, Perm.ORGS_MANAGE)
    columns = {ImportKind.MEMBERS: MEMBER_COLUMNS, ImportKind.ORGANIZATIONS: ORGANIZATION_COLUMNS}.get(kind)  # type: ignore[call-overload]
    if columns is None:
        raise Http404
    export = exporting.Export(header=[c.th for c in columns], rows=iter([]))
    return _export_response(export, f"template-{kind}", "xlsx")
