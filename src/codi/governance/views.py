"""Pages of data governance: catalog and data dictionary, master data, code lists, data quality,
AI register. Thin: reads through selectors, writes through services."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from codi.areas.selectors import subdistrict_names
from codi.communities.models import Organization
from codi.core.pdf import render_pdf
from codi.core.spreadsheet import xlsx_response
from codi.governance import selectors, services
from codi.governance.catalog import (
    CLASSIFICATION_TH,
    CLASSIFICATIONS,
    DatasetEntry,
    catalog_entries,
    catalog_missing,
    catalog_problems,
)
from codi.governance.models import CodeList, QualityResult, ReviewOutcome
from codi.identity.guards import need
from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm

PAGE_SIZE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _need(request: HttpRequest, perm: str) -> None:
    need(request, perm)


def _catalog_filters(request: HttpRequest) -> dict[str, str]:
    return {
        "query": request.GET.get("q", "")[:200],
        "app_label": request.GET.get("app", "")[:50],
        "classification": request.GET.get("classification", "")[:20],
        "personal": request.GET.get("personal", "")[:20],
    }


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    _need(request, Perm.GOVERNANCE_VIEW)
    return render(
        request,
        "governance/home.html",
        {
            "datasets": len(selectors.catalog_search(actor=request.user)),
            "quality": selectors.quality_overview(actor=request.user, history=1),
            "models": selectors.ai_models(actor=request.user),
        },
    )


# --- catalog ----------------------------------------------------------------------------------


@login_required
@require_GET
def catalog_list(request: HttpRequest) -> HttpResponse:
    _need(request, Perm.GOVERNANCE_VIEW)
    filters = _catalog_filters(request)
    entries = selectors.catalog_search(actor=request.user, **filters)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "governance/catalog_list.html",
        {
            "page": page,
            "filters": filters,
            "apps": sorted({e.app_label for e in selectors.catalog_search(actor=request.user)}),
            "classifications": [(c, CLASSIFICATION_TH[c]) for c in CLASSIFICATIONS],
            "query": request.GET.urlencode(),
            # What the code has and the catalog does not (CI fails on it; shown so nobody is surprised).
            "gaps": catalog_missing() + catalog_problems(),
        },
    )


@login_required
@require_GET
def catalog_detail(request: HttpRequest, label: str) -> HttpResponse:
    _need(request, Perm.GOVERNANCE_VIEW)
    entry = selectors.catalog_dataset(actor=request.user, label=label)
    if entry is None:
        raise Http404
    history = selectors.quality_dataset_history(actor=request.user, dataset=label)
    return render(
        request,
        "governance/catalog_detail.html",
        {"entry": entry, "history": history},
    )


DICTIONARY_COLUMNS = [
    ("ชุดข้อมูล", "Dataset"),
    ("ตาราง", "Table"),
    ("ฟิลด์", "Field"),
    ("ชื่อ (ไทย)", "Thai name"),
    ("ชื่อ (อังกฤษ)", "English name"),
    ("คำอธิบาย", "Description"),
    ("ชนิดข้อมูล", "Data type"),
    ("ข้อมูลส่วนบุคคล", "Personal data"),
    ("ชั้นความลับ", "Classification"),
    ("หน่วยงานเจ้าของ", "Owning unit"),
    ("ผู้ดูแลข้อมูล", "Steward"),
    ("ฐานทางกฎหมาย", "Lawful basis"),
    ("แหล่งที่มา", "Source"),
    ("ความถี่ในการปรับปรุง", "Update frequency"),
    ("ระยะเวลาจัดเก็บ", "Retention"),
]


def dictionary_rows(entries: list[DatasetEntry]) -> list[list[str]]:
    rows = []
    for e in entries:
        for f in e.fields:
            rows.append(
                [
                    e.label,
                    e.db_table,
                    f.name,
                    f.name_th,
                    f.name_en,
                    f.description,
                    f.data_type,
                    f.personal,
                    f.classification,
                    e.owner_unit,
                    e.steward,
                    e.lawful_basis,
                    e.source,
                    e.update_frequency,
                    e.retention,
                ]
            )
    return rows


@login_required
@require_GET
def catalog_export_xlsx(request: HttpRequest) -> FileResponse:
    """The data dictionary: one sheet of datasets, one of fields (the filters of the list apply)."""

    _need(request, Perm.GOVERNANCE_VIEW)
    entries = selectors.catalog_search(actor=request.user, **_catalog_filters(request))
    header = [
        "dataset",
        "table",
        "name_th",
        "name_en",
        "description",
        "owner_unit",
        "steward",
        "classification",
        "classification_th",
        "personal",
        "lawful_basis",
        "source",
        "update_frequency",
        "retention",
        "fields",
    ]
    datasets = (
        [
            e.label,
            e.db_table,
            e.name_th,
            e.name_en,
            e.description,
            e.owner_unit,
            e.steward,
            e.classification,
            CLASSIFICATION_TH[e.classification],
            "yes" if e.personal else "no",
            e.lawful_basis,
            e.source,
            e.update_frequency,
            e.retention,
            len(e.fields),
        ]
        for e in entries
    )
    return xlsx_response(
        filename="codi-data-dictionary",
        sheets=[
            ("datasets", header, datasets),
            ("fields", [f"{th} / {en}" for th, en in DICTIONARY_COLUMNS], dictionary_rows(entries)),
        ],
    )


@login_required
@require_GET
def catalog_export_pdf(request: HttpRequest) -> HttpResponse:
    _need(request, Perm.GOVERNANCE_VIEW)

    entries = selectors.catalog_search(actor=request.user, **_catalog_filters(request))
    pdf = render_pdf(
        "governance/dictionary_pdf.html",
        {"entries": entries, "today": timezone.localdate()},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="codi-data-dictionary.pdf"'
    return response


# --- master data ------------------------------------------------------------------------------


@login_required
@require_GET
def duplicate_list(request: HttpRequest) -> HttpResponse:
    _need(request, Perm.GOVERNANCE_VIEW)
    # the area picker's subdistrict (chosen by name), or a code from an older link (?area=)
    area = (request.GET.get("subdistrict") or request.GET.get("area") or "").strip()[:6]
    pairs = selectors.duplicate_candidates(
        actor=request.user, subdistrict_code=area if len(area) == 6 and area.isdigit() else ""
    )
    page = Paginator(pairs, PAGE_SIZE).get_page(request.GET.get("page"))
    names = subdistrict_names(
        codes=[c for p in page for c in (p.first.subdistrict_id, p.second.subdistrict_id)]
    )
    for pair in page:  # the subdistricts by name, never by code
        pair.first_area = names.get(pair.first.subdistrict_id, "-")  # type: ignore[attr-defined]
        pair.second_area = names.get(pair.second.subdistrict_id, "-")  # type: ignore[attr-defined]
    return render(request, "governance/duplicate_list.html", {"page": page, "area": area})


@login_required
@require_GET
def duplicate_compare(request: HttpRequest, first: int, second: int) -> HttpResponse:
    _need(request, Perm.GOVERNANCE_VIEW)
    orgs = selectors.organization_pair(actor=request.user, first_id=first, second_id=second)
    if not orgs:
        raise Http404
    refs = [selectors.organization_reference_counts(organization=o) for o in orgs]
    return render(
        request,
        "governance/duplicate_compare.html",
        {
            "pair": list(zip(orgs, refs, strict=True)),
            "fields": ["name_th", "name_en", "org_type", "registration_no", "status", "founded_on"],
            "can_manage": user_has_perm(request.user, Perm.GOVERNANCE_MANAGE),
        },
    )


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError as error:
        raise Http404 from error


@login_required
@require_POST
def duplicate_merge(request: HttpRequest, first: int, second: int) -> HttpResponse:
    _need(request, Perm.GOVERNANCE_MANAGE)
    survivor = _int(request.POST.get("survivor"))
    if survivor not in (first, second):
        raise Http404
    duplicate = second if survivor == first else first
    try:
        merge = services.organization_merge(
            actor=request.user,
            survivor_id=survivor,
            duplicate_id=duplicate,
            reason=request.POST.get("reason", ""),
        )
    except Organization.DoesNotExist as error:
        raise Http404 from error
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("governance:duplicate_compare", first=first, second=second)
    messages.success(request, _("The organizations were merged."))
    return redirect("governance:merge_list") if merge else redirect("governance:duplicate_list")


@login_required
@require_POST
def duplicate_dismiss(request: HttpRequest, first: int, second: int) -> HttpResponse:
    _need(request, Perm.GOVERNANCE_MANAGE)
    try:
        services.duplicate_dismiss(
            actor=request.user, first_id=first, second_id=second, note=request.POST.get("note", "")
        )
    except Organization.DoesNotExist as error:
        raise Http404 from error
    messages.success(request, _("Marked as different organizations."))
    return redirect("governance:duplicate_list")


@login_required
@require_GET
def merge_list(request: HttpRequest) -> HttpResponse:
    _need(request, Perm.GOVERNANCE_VIEW)
    page = Paginator(selectors.merge_list(actor=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "governance/merge_list.html", {"page": page})


# --- code lists -------------------------------------------------------------------------------


@login_required
@require_GET
def code_lists(request: HttpRequest) -> HttpResponse:
    _need(request, Perm.GOVERNANCE_VIEW)
    managed, in_code = selectors.code_lists(actor=request.user)
    # A list defined in the code is named by its model and field; the catalog holds their Thai names
    # (a model's verbose name is often English only).
    names = {f"{e.label}.{f.name}": f"{e.name_th}: {f.name_th}" for e in catalog_entries() for f in e.fields}
    for info in in_code:
        info.name_th = names.get(info.key, info.name_th)
    return render(
        request,
        "governance/code_lists.html",
        {
            "managed": managed,
            "in_code": in_code,
            "can_manage": user_has_perm(request.user, Perm.GOVERNANCE_MANAGE),
        },
    )


@login_required
@require_POST
def code_add(request: HttpRequest, pk: int) -> HttpResponse:
    _need(request, Perm.GOVERNANCE_MANAGE)
    code_list = get_object_or_404(CodeList, pk=pk)
    try:
        services.code_save(
            actor=request.user,
            code_list=code_list,
            code=request.POST.get("code", "")[:40],
            label_th=request.POST.get("label_th", "")[:200],
            label_en=request.POST.get("label_en", "")[:200],
            sort_order=_int(request.POST.get("sort_order") or "0"),
            is_active=request.POST.get("is_active", "1") == "1",
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The code was saved."))
    return redirect("governance:code_lists")


# --- data quality -----------------------------------------------------------------------------


@login_required
@require_GET
def quality_overview(request: HttpRequest) -> HttpResponse:
    _need(request, Perm.GOVERNANCE_VIEW)
    run = selectors.latest_run(actor=request.user)
    return render(
        request,
        "governance/quality.html",
        {
            "datasets": selectors.quality_overview(actor=request.user),
            "run": run,
            "results": selectors.quality_results(actor=request.user, run=run) if run else [],
            "can_manage": user_has_perm(request.user, Perm.GOVERNANCE_MANAGE),
        },
    )


@login_required
@require_POST
def quality_run(request: HttpRequest) -> HttpResponse:
    _need(request, Perm.GOVERNANCE_MANAGE)
    services.quality_run(actor=request.user, trigger="page")
    messages.success(request, _("The quality checks were run."))
    return redirect("governance:quality")


@login_required
@require_GET
def quality_failures(request: HttpRequest, pk: int) -> HttpResponse:
    _need(request, Perm.GOVERNANCE_VIEW)
    result = get_object_or_404(QualityResult.objects.select_related("run"), pk=pk)
    failures = selectors.quality_failures(actor=request.user, result=result)
    page = Paginator(failures, 50).get_page(request.GET.get("page"))
    url_name = RECORD_PAGES.get(result.dataset)
    for failure in page:
        failure.url = (  # type: ignore[attr-defined]
            reverse(url_name, args=[int(failure.object_id)])
            if url_name and failure.object_id.isdigit()
            else ""
        )
    return render(request, "governance/quality_failures.html", {"result": result, "page": page})


# Where the steward fixes a failing record (the record's own page checks their permission).
RECORD_PAGES = {
    "communities.Organization": "communities:organization_detail",
    "communities.Person": "communities:member_detail",
    "feedback.Ticket": "feedback:ticket_detail",
    "projects.Project": "projects:project_detail",
}


# --- AI register ------------------------------------------------------------------------------


@login_required
@require_GET
def ai_register(request: HttpRequest) -> HttpResponse:
    _need(request, Perm.GOVERNANCE_VIEW)
    return render(request, "governance/ai_register.html", {"models": selectors.ai_models(actor=request.user)})


@login_required
@require_GET
def ai_model_card(request: HttpRequest, key: str, version: str) -> HttpResponse:
    _need(request, Perm.GOVERNANCE_VIEW)
    model = selectors.ai_model(actor=request.user, key=key, version=version)
    if model is None:
        raise Http404
    return render(
        request,
        "governance/ai_model_card.html",
        {
            "model": model,
            "outcomes": ReviewOutcome.choices,
            "can_manage": user_has_perm(request.user, Perm.GOVERNANCE_MANAGE),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def ai_model_review(request: HttpRequest, key: str, version: str) -> HttpResponse:
    _need(request, Perm.GOVERNANCE_MANAGE)
    reviewed_on = None
    if raw := request.POST.get("reviewed_on", ""):
        try:
            reviewed_on = date.fromisoformat(raw)
        except ValueError:
            reviewed_on = None
    try:
        services.ai_model_review_record(
            actor=request.user,
            key=key,
            version=version,
            outcome=request.POST.get("outcome", ""),
            notes=request.POST.get("notes", "")[:5000],
            reviewed_on=reviewed_on,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The review was recorded."))
    return redirect("governance:ai_model_card", key=key, version=version)
