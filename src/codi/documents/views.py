"""Pages: the document list with filters and full-text search, upload, detail with versions and status."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from codi.core.spreadsheet import xlsx_response
from codi.documents import access, files, selectors, services
from codi.documents.forms import DocumentForm, FilterForm, ReadersForm, UploadForm, VersionForm
from codi.documents.models import Document, Status
from codi.identity.models import User
from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm

PAGE_SIZE = 25
SEARCH_PAGE_SIZE = 20
PREVIEW_CHARS = 4000
PROCESSING = {Status.QUEUED, Status.TYPE_CHECK, Status.TEXT, Status.OCR, Status.THUMBNAIL}


def _need_view(request: HttpRequest) -> None:
    # A named reader of a secret document may hold no document role at all.
    if not (
        user_has_perm(request.user, Perm.DOCUMENTS_VIEW) or request.user.readable_documents.exists()  # type: ignore[union-attr]
    ):
        raise PermissionDenied


def _read_upload(upload: UploadedFile) -> bytes:
    max_bytes = files.limits()[0]
    if upload.size is not None and upload.size > max_bytes:
        raise files.FileRefusedError(
            "too_large",
            f"ไฟล์ใหญ่เกินขนาดที่รับได้ ({max_bytes / 1048576:.0f} MB)",
            f"The file is larger than the {max_bytes / 1048576:.0f} MB accepted",
        )
    return upload.read()


def _filters(form: FilterForm) -> selectors.DocumentFilters:
    data = form.cleaned_data if form.is_valid() else {}
    return selectors.DocumentFilters(
        doc_type=data.get("doc_type") or "",
        classification=data.get("classification") or "",
        area=data.get("area") or "",
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
    )


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    _need_view(request)
    form = FilterForm(request.GET or None)
    filters = _filters(form)
    text = form.cleaned_data.get("q", "") if form.is_valid() else ""
    context: dict[str, Any] = {
        "form": form,
        "text": text,
        "can_upload": user_has_perm(request.user, Perm.DOCUMENTS_MANAGE),
        "query": request.GET.urlencode(),
    }
    try:
        page_number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page_number = 1
    if text:
        result = selectors.document_search(
            user=request.user,
            text=text,
            filters=filters,
            limit=SEARCH_PAGE_SIZE,
            offset=(page_number - 1) * SEARCH_PAGE_SIZE,
        )
        context |= {
            "hits": result.hits,
            "total": result.total,
            "page_number": page_number,
            "has_next": page_number * SEARCH_PAGE_SIZE < result.total,
        }
    else:
        context["page"] = Paginator(
            selectors.document_list(user=request.user, filters=filters), PAGE_SIZE
        ).get_page(page_number)
    return render(request, "documents/document_list.html", context)


@login_required
def document_export(request: HttpRequest) -> FileResponse:
    """The filtered list as an Excel workbook (the shared writer: formulas neutralised)."""
    _need_view(request)
    documents = selectors.document_list(user=request.user, filters=_filters(FilterForm(request.GET or None)))
    header = [
        _("Id"),
        _("Title"),
        _("Type"),
        _("Classification"),
        _("Area code"),
        _("Document date"),
        _("Versions"),
        _("Updated"),
    ]
    rows = (
        [
            document.pk,
            document.title,
            document.get_doc_type_display(),
            document.get_classification_display(),
            document.area_code,
            document.document_date,
            document.latest_number,
            document.updated_at,
        ]
        for document in documents[:10000]
    )
    return xlsx_response(filename="documents", sheets=[(_("Documents"), header, rows)])


@login_required
@require_http_methods(["GET", "POST"])
def document_upload(request: HttpRequest) -> HttpResponse:
    if not user_has_perm(request.user, Perm.DOCUMENTS_MANAGE):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.document_create(
                actor=request.user,  # type: ignore[arg-type]
                fields=form.fields_value(),
                data=_read_upload(form.cleaned_data["file"]),
                filename=form.cleaned_data["file"].name,
            )
        except files.FileRefusedError as exc:
            form.add_error("file", exc.message)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except PermissionDenied:
            form.add_error("area_code", _("You may not add documents in this area."))
        else:
            messages.success(request, _("The document was uploaded and is being processed."))
            return redirect("documents:document_detail", document_id=version.document_id)
    return render(request, "documents/document_form.html", {"form": form, "is_new": True})


def _document_or_404(request: HttpRequest, document_id: int) -> Document:
    document = selectors.document_with_details(user=request.user, document_id=document_id)
    if document is None:
        raise Http404
    return document


@login_required
def document_detail(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _document_or_404(request, document_id)
    versions = list(document.versions.all())
    shown = next((v for v in versions if v.status == Status.INDEXED), None)
    can_manage = access.can_manage(request.user, document)
    context = {
        "document": document,
        "versions": versions,
        "shown": shown,
        "preview": shown.text[:PREVIEW_CHARS] if shown else "",
        "is_truncated": bool(shown and len(shown.text) > PREVIEW_CHARS),
        "is_processing": any(v.status in PROCESSING for v in versions),
        "can_manage": can_manage,
        "version_form": VersionForm() if can_manage else None,
        "readers_form": ReadersForm(
            initial={"usernames": " ".join(u.username for u in document.readers.all())}
        )
        if can_manage
        else None,
        "links": list(document.links.all()),
        "readers": list(document.readers.all()),
    }
    return render(request, "documents/document_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def document_edit(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _document_or_404(request, document_id)
    if not access.can_manage(request.user, document):
        raise PermissionDenied
    links = list(document.links.all())
    initial = {
        "title": document.title,
        "doc_type": document.doc_type,
        "classification": document.classification,
        "area_code": document.area_code,
        "document_date": document.document_date,
        "retention_years": document.retention_years,
        "description": document.description,
        "project_ids": " ".join(link.link_id for link in links if link.link_type == "project"),
        "organization_ids": " ".join(link.link_id for link in links if link.link_type == "organization"),
        "area_links": " ".join(link.link_id for link in links if link.link_type == "area"),
    }
    form = DocumentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_update(
                actor=request.user,  # type: ignore[arg-type]
                document_id=document.pk,
                fields=form.fields_value(),
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except PermissionDenied:
            form.add_error("area_code", _("You may not move documents to this area."))
        else:
            messages.success(request, _("The document was saved."))
            return redirect("documents:document_detail", document_id=document.pk)
    return render(
        request, "documents/document_form.html", {"form": form, "document": document, "is_new": False}
    )


@login_required
@require_POST
def version_upload(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _document_or_404(request, document_id)
    if not access.can_manage(request.user, document):
        raise PermissionDenied
    form = VersionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_version_add(
                actor=request.user,  # type: ignore[arg-type]
                document_id=document.pk,
                data=_read_upload(form.cleaned_data["file"]),
                filename=form.cleaned_data["file"].name,
            )
        except files.FileRefusedError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The new version was uploaded and is being processed."))
    else:
        messages.error(request, _("Choose a file to upload."))
    return redirect("documents:document_detail", document_id=document.pk)


@login_required
@require_POST
def readers_set(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _document_or_404(request, document_id)
    if not access.can_manage(request.user, document):
        raise PermissionDenied
    form = ReadersForm(request.POST)
    if form.is_valid():
        names = form.usernames_list()
        found = dict(User.objects.filter(username__in=names, is_active=True).values_list("username", "pk"))
        missing = [n for n in names if n not in found]
        if missing:
            messages.error(request, _("Unknown user names: %(names)s") % {"names": ", ".join(missing)})
        else:
            services.document_readers_set(
                actor=request.user,  # type: ignore[arg-type]
                document_id=document.pk,
                user_ids=list(found.values()),
            )
            messages.success(request, _("The named readers were saved."))
    return redirect("documents:document_detail", document_id=document.pk)


@login_required
@require_POST
def version_retry(request: HttpRequest, document_id: int, number: int) -> HttpResponse:
    version = selectors.version_get(user=request.user, document_id=document_id, number=number)
    if version is None:
        raise Http404
    services.version_retry(actor=request.user, version_id=version.pk)  # type: ignore[arg-type]
    return redirect("documents:document_detail", document_id=document_id)


@login_required
def version_file(request: HttpRequest, document_id: int, number: int) -> FileResponse:
    version = selectors.version_get(user=request.user, document_id=document_id, number=number)
    if version is None:
        raise Http404
    name = (
        f"{version.document.title[:80]}-v{version.number}.{files.EXTENSIONS.get(version.content_type, 'bin')}"
    )
    response = FileResponse(
        version.file.open("rb"), as_attachment=True, filename=name, content_type=version.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def version_thumbnail(request: HttpRequest, document_id: int, number: int) -> FileResponse:
    version = selectors.version_get(user=request.user, document_id=document_id, number=number)
    if version is None or not version.thumbnail:
        raise Http404
    return FileResponse(version.thumbnail.open("rb"), content_type="image/png")
