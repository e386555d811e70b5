"""What the documents app gives the search service: one chunk per document, from its newest indexed version.

The chunk carries the document's classification, area and named readers, so
the search service's permission filter applies the rule of
``codi.documents.access`` inside the query.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from codi.documents.access import reader_principal
from codi.documents.models import SEARCH_SOURCE, Document, DocumentVersion, Status
from codi.search.registry import ChunkData, Source, register


def document_chunks(object_ids: Sequence[str]) -> Iterator[ChunkData]:
    ids = [int(i) for i in object_ids if str(i).isdigit()]
    documents = Document.objects.filter(pk__in=ids).prefetch_related("readers")
    texts: dict[int, str] = {}
    for document_id, text in (
        DocumentVersion.objects.filter(document_id__in=ids, status=Status.INDEXED)
        .order_by("document_id", "number")
        .values_list("document_id", "text")
    ):
        texts[document_id] = text  # the highest number wins
    for document in documents:
        if document.pk not in texts:
            continue  # nothing processed yet: not searchable
        body = texts[document.pk]
        yield ChunkData(
            object_id=str(document.pk),
            title=document.title,
            text=f"{document.description}\n{body}".strip() if document.description else body,
            kind=document.doc_type,
            classification=document.classification,
            area_code=document.area_code,
            doc_date=document.document_date or document.created_at.date(),
            readers=tuple(reader_principal(user.pk) for user in document.readers.all()),
        )


def all_document_ids() -> Iterator[str]:
    for pk in Document.objects.order_by("pk").values_list("pk", flat=True):
        yield str(pk)


def register_sources() -> None:
    register(Source(name=SEARCH_SOURCE, chunks=document_chunks, all_ids=all_document_ids))
