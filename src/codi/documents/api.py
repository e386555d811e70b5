"""API of the document store: list, search, upload, versions, metadata, named readers, text and files.

A document the caller may not open answers 404, the same as one that does not
exist; search hits, counts and snippets come only from documents the caller may open.
"""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from ninja import Field, File, Form, Query, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate

from codi.api.kit import ERRORS, Pages, need
from codi.core.problems import problem
from codi.documents import access, files, selectors, services
from codi.documents.models import Document, DocumentVersion
from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm

router = Router(tags=["documents"])

AREA = r"^(\d{2}|\d{4}|\d{6})?$"
TYPES = r"^(letter|memo|contract|report|minutes|form|evidence|other)?$"
CLASSES = r"^(public|internal|confidential|secret)?$"


class VersionOut(Schema):
    number: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    page_count: int
    status: str = Field(..., description="queued, type_check, text, ocr, thumbnail, indexed or failed")
    status_reason: str
    ocr_pages: int
    created_at: datetime
    processed_at: datetime | None


class LinkOut(Schema):
    link_type: str
    link_id: str


class DocumentOut(Schema):
    id: int
    title: str
    description: str
    doc_type: str
    classification: str
    area_code: str
    document_date: date | None
    retention_years: int
    latest_number: int
    created_at: datetime
    updated_at: datetime


class DocumentDetailOut(DocumentOut):
    versions: list[VersionOut]
    links: list[LinkOut]
    reader_ids: list[int]


class DocumentIn(Schema):
    title: str = Field(..., min_length=1, max_length=300)
    doc_type: str = Field("other", pattern=TYPES)
    classification: str = Field("internal", pattern=CLASSES)
    area_code: str = Field("", pattern=r"^(\d{6})?$")
    document_date: date | None = None
    retention_years: int = Field(10, ge=0, le=100)
    description: str = Field("", max_length=5000)
    links: list[LinkOut] = Field(default_factory=list, max_length=50)


class ReadersIn(Schema):
    user_ids: list[int] = Field(..., max_length=200)


class SearchHitOut(Schema):
    document: DocumentOut
    score: float
    snippet: str = Field(..., description="the matching passage, plain text")
    highlights: list[str] = Field(..., description="the matched words in the snippet, in order")


class DocumentSearchOut(Schema):
    total: int = Field(..., description="how many documents the caller may open match")
    hits: list[SearchHitOut]


class TextOut(Schema):
    number: int
    status: str
    text: str


def _need(request: HttpRequest, perm: str) -> None:
    need(request, perm)


def _need_view(request: HttpRequest) -> None:
    if not request.user.is_authenticated:
        raise PermissionDenied
    if not (user_has_perm(request.user, Perm.DOCUMENTS_VIEW) or request.user.readable_documents.exists()):
        raise PermissionDenied


def _fields(body: DocumentIn) -> services.DocumentFields:
    return services.DocumentFields(
        title=body.title,
        doc_type=body.doc_type,
        classification=body.classification,
        area_code=body.area_code,
        document_date=body.document_date,
        retention_years=body.retention_years,
        description=body.description,
        links=tuple((link.link_type, link.link_id) for link in body.links),
    )


def _refused(exc: files.FileRefusedError) -> HttpResponse:
    return problem(
        422, detail_th=exc.message_th, detail_en=exc.message_en, type_=f"urn:codi:documents:{exc.code}"
    )


def _invalid(exc: ValidationError) -> HttpResponse:
    errors = [{"field": f, "message": " ".join(m)} for f, m in exc.message_dict.items()]
    return problem(422, detail_th="ข้อมูลไม่ผ่านการตรวจสอบ", detail_en="Validation failed", errors=errors)


def _detail(document: Document) -> dict[str, Any]:
    return {
        **DocumentOut.from_orm(document).model_dump(),
        "versions": [VersionOut.from_orm(v) for v in document.versions.all()],
        "links": [LinkOut.from_orm(link) for link in document.links.all()],
        "reader_ids": [u.pk for u in document.readers.all()],
    }


def _read(file: UploadedFile) -> bytes:
    max_bytes = files.limits()[0]
    if file.size is not None and file.size > max_bytes:
        raise files.FileRefusedError(
            "too_large",
            f"ไฟล์ใหญ่เกินขนาดที่รับได้ ({max_bytes / 1048576:.0f} MB)",
            f"The file is larger than the {max_bytes / 1048576:.0f} MB accepted",
        )
    return file.read()


@router.get(
    "/documents", response={200: list[DocumentOut], **ERRORS}, summary="Documents the caller may open"
)
@paginate(Pages)
def document_list(
    request: HttpRequest,
    doc_type: str = Query("", pattern=TYPES),
    classification: str = Query("", pattern=CLASSES),
    area: str = Query("", pattern=AREA),
    date_from: date | None = None,
    date_to: date | None = None,
    link_type: str = Query("", pattern=r"^(project|organization|area)?$"),
    link_id: str = Query("", max_length=64),
) -> QuerySet[Document]:
    _need_view(request)
    return selectors.document_list(
        user=request.user,
        filters=selectors.DocumentFilters(
            doc_type=doc_type,
            classification=classification,
            area=area,
            date_from=date_from,
            date_to=date_to,
            link_type=link_type,
            link_id=link_id,
        ),
    )


@router.get(
    "/search",
    response={200: DocumentSearchOut, **ERRORS},
    summary="Full-text search over documents the caller may open",
)
def document_search(
    request: HttpRequest,
    q: str = Query(..., min_length=1, max_length=500),
    method: str = Query("lexical", pattern=r"^(lexical|hybrid)$"),
    doc_type: str = Query("", pattern=TYPES),
    classification: str = Query("", pattern=CLASSES),
    area: str = Query("", pattern=AREA),
    date_from: date | None = None,
    date_to: date | None = None,
    page: int = Query(1, ge=1, le=500),
    page_size: int = Query(20, ge=1, le=50),
) -> dict[str, Any]:
    _need_view(request)
    result = selectors.document_search(
        user=request.user,
        text=q,
        filters=selectors.DocumentFilters(
            doc_type=doc_type, classification=classification, area=area, date_from=date_from, date_to=date_to
        ),
        method=method,
        limit=page_size,
        offset=(page - 1) * page_size,
    )
    return {
        "total": result.total,
        "hits": [
            {
                "document": DocumentOut.from_orm(h.document),
                "score": h.hit.score,
                "snippet": h.hit.snippet_text,
                "highlights": [piece for piece, is_match in h.hit.snippet if is_match],
            }
            for h in result.hits
        ],
    }


@router.post("/documents", response={201: DocumentDetailOut, **ERRORS}, summary="Upload a new document")
def document_create(
    request: HttpRequest, file: File[UploadedFile], body: Form[DocumentIn]
) -> tuple[int, dict[str, Any]] | HttpResponse:
    _need(request, Perm.DOCUMENTS_MANAGE)
    try:
        version = services.document_create(
            actor=request.user,  # type: ignore[arg-type]
            fields=_fields(body),
            data=_read(file),
            filename=file.name or "upload",
        )
    except files.FileRefusedError as exc:
        return _refused(exc)
    except ValidationError as exc:
        return _invalid(exc)
    document = selectors.document_with_details(user=request.user, document_id=version.document_id)
    assert document is not None
    return 201, _detail(document)


def _get(request: HttpRequest, document_id: int) -> Document:
    _need_view(request)
    document = selectors.document_with_details(user=request.user, document_id=document_id)
    if document is None:
        raise HttpError(404, "not found")
    return document


@router.get(
    "/documents/{document_id}",
    response={200: DocumentDetailOut, **ERRORS},
    summary="One document with its versions",
)
def document_detail(request: HttpRequest, document_id: int) -> dict[str, Any]:
    return _detail(_get(request, document_id))


@router.put(
    "/documents/{document_id}",
    response={200: DocumentDetailOut, **ERRORS},
    summary="Change a document's metadata",
)
def document_update(
    request: HttpRequest, document_id: int, body: DocumentIn
) -> dict[str, Any] | HttpResponse:
    document = _get(request, document_id)
    if not access.can_manage(request.user, document):
        raise PermissionDenied
    try:
        services.document_update(actor=request.user, document_id=document.pk, fields=_fields(body))  # type: ignore[arg-type]
    except ValidationError as exc:
        return _invalid(exc)
    return _detail(_get(request, document_id))


@router.put(
    "/documents/{document_id}/readers",
    response={200: DocumentDetailOut, **ERRORS},
    summary="Replace the named readers",
)
def readers_set(request: HttpRequest, document_id: int, body: ReadersIn) -> dict[str, Any]:
    document = _get(request, document_id)
    if not access.can_manage(request.user, document):
        raise PermissionDenied
    services.document_readers_set(actor=request.user, document_id=document.pk, user_ids=body.user_ids)  # type: ignore[arg-type]
    return _detail(_get(request, document_id))


@router.post(
    "/documents/{document_id}/versions", response={201: VersionOut, **ERRORS}, summary="Upload a new version"
)
def version_create(
    request: HttpRequest, document_id: int, file: File[UploadedFile]
) -> tuple[int, DocumentVersion] | HttpResponse:
    document = _get(request, document_id)
    if not access.can_manage(request.user, document):
        raise PermissionDenied
    try:
        version = services.document_version_add(
            actor=request.user,  # type: ignore[arg-type]
            document_id=document.pk,
            data=_read(file),
            filename=file.name or "upload",
        )
    except files.FileRefusedError as exc:
        return _refused(exc)
    return 201, version


def _version(request: HttpRequest, document_id: int, number: int) -> DocumentVersion:
    _need_view(request)
    version = selectors.version_get(user=request.user, document_id=document_id, number=number)
    if version is None:
        raise HttpError(404, "not found")
    return version


@router.get(
    "/documents/{document_id}/versions/{number}/text",
    response={200: TextOut, **ERRORS},
    summary="The text read from one version (empty until it is indexed)",
)
def version_text(request: HttpRequest, document_id: int, number: int) -> DocumentVersion:
    return _version(request, document_id, number)


@router.get(
    "/documents/{document_id}/versions/{number}/file",
    response={200: None, **ERRORS},
    summary="Download one version's file",
)
def version_file(request: HttpRequest, document_id: int, number: int) -> FileResponse:
    version = _version(request, document_id, number)
    response = FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=f"document-{document_id}-v{number}.{files.EXTENSIONS.get(version.content_type, 'bin')}",
        content_type=version.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
