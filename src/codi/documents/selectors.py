"""Reads of the document store, always through the access rule of ``codi.documents.access``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet

from codi.documents import access
from codi.documents.models import SEARCH_SOURCE, Document, DocumentVersion
from codi.search import query as search_query


@dataclass(frozen=True)
class DocumentFilters:
    doc_type: str = ""
    classification: str = ""
    area: str = ""  # a DOPA code prefix: 2, 4 or 6 digits
    date_from: date | None = None
    date_to: date | None = None
    link_type: str = ""
    link_id: str = ""


def document_list(*, user: Any, filters: DocumentFilters | None = None) -> QuerySet[Document]:
    """Documents ``user`` may open, newest change first, with their latest version."""
    filters = filters or DocumentFilters()
    documents = Document.objects.filter(access.visible_q(user))
    if filters.doc_type:
        documents = documents.filter(doc_type=filters.doc_type)
    if filters.classification:
        documents = documents.filter(classification=filters.classification)
    if filters.area:
        documents = documents.filter(area_code__startswith=filters.area)
    if filters.date_from:
        documents = documents.filter(document_date__gte=filters.date_from)
    if filters.date_to:
        documents = documents.filter(document_date__lte=filters.date_to)
    if filters.link_type and filters.link_id:
        documents = documents.filter(links__link_type=filters.link_type, links__link_id=filters.link_id)
    return documents.select_related("created_by").order_by("-updated_at", "-id")


def document_get(*, user: Any, document_id: int) -> Document | None:
    """One document, or ``None`` when it does not exist or ``user`` may not open it (the same answer)."""
    return (
        Document.objects.filter(access.visible_q(user), pk=document_id).select_related("created_by").first()
    )


def document_versions(*, user: Any, document_id: int) -> list[DocumentVersion]:
    document = document_get(user=user, document_id=document_id)
    if document is None:
        return []
    return list(document.versions.select_related("uploaded_by").order_by("-number"))


def version_get(*, user: Any, document_id: int, number: int) -> DocumentVersion | None:
    document = document_get(user=user, document_id=document_id)
    if document is None:
        return None
    return document.versions.filter(number=number).select_related("document", "uploaded_by").first()


def document_with_details(*, user: Any, document_id: int) -> Document | None:
    document = (
        Document.objects.filter(access.visible_q(user), pk=document_id)
        .select_related("created_by")
        .prefetch_related(
            "links",
            "readers",
            Prefetch(
                "versions", queryset=DocumentVersion.objects.select_related("uploaded_by").order_by("-number")
            ),
        )
        .first()
    )
    return document


@dataclass(frozen=True)
class DocumentHit:
    document: Document
    hit: search_query.SearchHit


@dataclass(frozen=True)
class DocumentSearch:
    hits: list[DocumentHit]
    total: int


def document_search(
    *,
    user: Any,
    text: str,
    filters: DocumentFilters | None = None,
    method: str = "lexical",
    limit: int = 20,
    offset: int = 0,
) -> DocumentSearch:
    """Full-text search over the documents ``user`` may open (the permission check is in the query)."""
    filters = filters or DocumentFilters()
    result = search_query.search(
        text,
        access=access.search_access(user),
        filters=search_query.Filters(
            sources=(SEARCH_SOURCE,),
            kinds=(filters.doc_type,) if filters.doc_type else (),
            classifications=(filters.classification,) if filters.classification else (),
            area_prefix=filters.area,
            date_from=filters.date_from,
            date_to=filters.date_to,
        ),
        method=method,
        limit=limit,
        offset=offset,
    )
    ids = [int(h.object_id) for h in result.hits]
    # The index is checked again against the tables: a hit is shown only if the rule still admits it.
    documents = (
        Document.objects.filter(access.visible_q(user), pk__in=ids).select_related("created_by").in_bulk()
    )
    hits = [DocumentHit(documents[int(h.object_id)], h) for h in result.hits if int(h.object_id) in documents]
    return DocumentSearch(hits=hits, total=result.total)
