"""Writes to the document store: documents, versions, metadata, named readers, and the processing pipeline.

Each write checks the actor's right (``codi.documents.access``), changes the
rows and appends its audit entry in one transaction. An upload is checked by
its content before anything is stored (type, encryption, damage, size, pages)
and then processed in the background after commit (``version_process``):

    queued → type_check → text → ocr (only when a page has no text layer) → thumbnail → indexed | failed

Each step's status is committed as it starts, so the page shows where a
version is. The results (text, thumbnail, index entry) are written together in
the last transaction: a version that fails keeps its upload and the reason,
and nothing derived from it. A change of who may see a document (class, area,
readers) re-indexes it inside the same transaction, so the search index never
shows a document to someone who may no longer open it.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from codi.areas.selectors import subdistrict_get
from codi.communities.selectors import organization_get
from codi.core import uploads
from codi.core.audit import audit_record
from codi.documents import access, files
from codi.documents.models import (
    SEARCH_SOURCE,
    Classification,
    DocType,
    Document,
    DocumentLink,
    DocumentVersion,
    LinkType,
    Status,
)
from codi.documents.ocr import OcrFailedError, OcrUnavailableError, ocr_image, ocr_settings
from codi.identity.models import User
from codi.projects.selectors import project_get
from codi.search import services as search_services
from codi.search.tasks import embed_task

log = logging.getLogger("codi.documents")
OBJECT_TYPE = "documents.Document"
VERSION_TYPE = "documents.DocumentVersion"


@dataclass(frozen=True)
class DocumentFields:
    """The metadata a person sets on a document."""

    title: str
    doc_type: str = DocType.OTHER
    classification: str = Classification.INTERNAL
    area_code: str = ""
    document_date: date | None = None
    retention_years: int = 10
    description: str = ""
    links: tuple[tuple[str, str], ...] = ()  # (link type, id or subdistrict code)


def _link_visible(actor: User, link_type: str, link_id: str) -> bool:
    """Whether the linked object exists and lies in the actor's scope (an unseen one answers like a missing one)."""
    if link_type == LinkType.AREA:
        return subdistrict_get(code=link_id) is not None and access.can_create_in(actor, link_id)
    if not link_id.isdigit():
        return False
    if link_type == LinkType.PROJECT:
        return project_get(actor=actor, project_id=int(link_id)) is not None
    if link_type == LinkType.ORGANIZATION:
        return organization_get(actor=actor, org_id=int(link_id)) is not None
    return False


def _clean(fields: DocumentFields, *, actor: User) -> DocumentFields:
    errors: dict[str, str] = {}
    title = " ".join(fields.title.split())
    if not title:
        errors["title"] = "กรุณาใส่ชื่อเอกสาร (A title is required)"
    if fields.doc_type not in DocType.values:
        errors["doc_type"] = "ประเภทเอกสารไม่ถูกต้อง (Unknown document type)"
    if fields.classification not in Classification.values:
        errors["classification"] = "ชั้นความลับไม่ถูกต้อง (Unknown classification)"
    if fields.area_code and subdistrict_get(code=fields.area_code) is None:
        errors["area_code"] = "ไม่พบรหัสตำบลนี้ (No subdistrict has this code)"
    if not 0 <= fields.retention_years <= 100:
        errors["retention_years"] = "ระยะเวลาเก็บต้องอยู่ระหว่าง 0–100 ปี (Retention must be 0–100 years)"
    links = []
    for link_type, link_id in fields.links:
        link_id = str(link_id).strip()
        if link_type not in LinkType.values or not link_id or len(link_id) > 64:
            errors["links"] = "ลิงก์ไม่ถูกต้อง (Invalid link)"
        elif not _link_visible(actor, link_type, link_id):
            # Resolved through the actor's scope: no linking a document to a project, an
            # organization or an area one cannot see (nor learning that it exists).
            label_th, label_en = {
                LinkType.PROJECT: ("โครงการ", "project"),
                LinkType.ORGANIZATION: ("องค์กร", "organization"),
                LinkType.AREA: ("ตำบล", "subdistrict"),
            }[LinkType(link_type)]
            errors["links"] = (
                f"ไม่พบ{label_th} {link_id} ในพื้นที่ที่ท่านรับผิดชอบ (No {label_en} {link_id} in your areas)"
            )
        else:
            links.append((link_type, link_id))
    if errors:
        raise ValidationError(errors)
    return DocumentFields(
        title=title[:300],
        doc_type=fields.doc_type,
        classification=fields.classification,
        area_code=fields.area_code,
        document_date=fields.document_date,
        retention_years=fields.retention_years,
        description=fields.description.strip(),
        links=tuple(dict.fromkeys(links)),
    )


def _check_still_readable(actor: User, document: Document) -> None:
    """Nobody files a document (or reclassifies one) where they could no longer open it."""
    if not access.can_view(actor, document):
        raise ValidationError(
            {
                "classification": "ท่านจะเปิดเอกสารชั้นความลับนี้ในพื้นที่นี้ไม่ได้ "
                "(You could not open the document with this classification in this area)"
            }
        )


def _reindex(document_id: int) -> None:
    # Inside the caller's transaction: the index and the document change together.
    search_services.index_update(source=SEARCH_SOURCE, object_ids=[str(document_id)])


def _store_version(
    *, document: Document, actor: User, data: bytes, filename: str, stored: uploads.StoredFiles
) -> DocumentVersion:
    info = files.inspect_file(data)
    number = document.latest_number + 1
    version = DocumentVersion(
        document=document,
        number=number,
        original_name=filename[:255] or "upload",
        content_type=info.content_type,
        size=info.size,
        sha256=hashlib.sha256(data).hexdigest(),
        page_count=info.page_count,
        uploaded_by=actor,
    )
    # A generated name with the detected type's extension; the client's name is display only.
    stored.save(version.file, data, content_type=info.content_type)
    version.save()
    document.latest_number = number
    document.save(update_fields=["latest_number", "updated_at"])
    return version


def _queue(version_id: int) -> None:
    from codi.documents.tasks import process_version_task  # cycle: documents.tasks imports these services

    transaction.on_commit(lambda: process_version_task.enqueue(version_id))


def document_create(*, actor: User, fields: DocumentFields, data: bytes, filename: str) -> DocumentVersion:
    """A new document with its first version (queued for processing once committed).

    Raises ``PermissionDenied`` when the actor may not add documents in the area,
    ``ValidationError`` for bad metadata, ``files.FileRefusedError`` for a file we do not take.
    """
    fields = _clean(fields, actor=actor)
    if not access.can_create_in(actor, fields.area_code):
        raise PermissionDenied
    with uploads.stored_files() as stored, transaction.atomic():
        document = Document.objects.create(
            title=fields.title,
            description=fields.description,
            doc_type=fields.doc_type,
            classification=fields.classification,
            area_code=fields.area_code,
            document_date=fields.document_date,
            retention_years=fields.retention_years,
            created_by=actor,
        )
        DocumentLink.objects.bulk_create(
            [DocumentLink(document=document, link_type=t, link_id=i) for t, i in fields.links]
        )
        if fields.classification == Classification.SECRET:
            document.readers.add(actor)
        _check_still_readable(actor, document)
        version = _store_version(document=document, actor=actor, data=data, filename=filename, stored=stored)
        audit_record(
            actor=actor,
            action="documents.document.create",
            object_type=OBJECT_TYPE,
            object_id=document.pk,
            changes={
                "title": document.title,
                "doc_type": document.doc_type,
                "classification": document.classification,
                "area_code": document.area_code,
                "retention_years": document.retention_years,
                "links": [f"{t}:{i}" for t, i in fields.links],
                "version": version.number,
                "sha256": version.sha256,
                "content_type": version.content_type,
            },
        )
        _queue(version.pk)
    return version


def document_version_add(*, actor: User, document_id: int, data: bytes, filename: str) -> DocumentVersion:
    """Version n+1 of a document (older versions stay); the document stays searchable through the
    last processed version until this one is indexed."""
    with uploads.stored_files() as stored, transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id)
        if not access.can_manage(actor, document):
            raise PermissionDenied
        version = _store_version(document=document, actor=actor, data=data, filename=filename, stored=stored)
        audit_record(
            actor=actor,
            action="documents.version.create",
            object_type=OBJECT_TYPE,
            object_id=document.pk,
            changes={
                "version": version.number,
                "sha256": version.sha256,
                "content_type": version.content_type,
            },
        )
        _queue(version.pk)
    return version


def document_update(*, actor: User, document_id: int, fields: DocumentFields) -> Document:
    """Change a document's metadata and links; re-indexes it in the same transaction."""
    fields = _clean(fields, actor=actor)
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id)
        if not access.can_manage(actor, document) or not access.can_create_in(actor, fields.area_code):
            raise PermissionDenied
        changes: dict[str, Any] = {}
        for name in ("title", "description", "doc_type", "classification", "area_code", "document_date"):
            old, new = getattr(document, name), getattr(fields, name)
            if old != new:
                changes[name] = [str(old) if old is not None else None, str(new) if new is not None else None]
                setattr(document, name, new)
        if document.retention_years != fields.retention_years:
            changes["retention_years"] = [document.retention_years, fields.retention_years]
            document.retention_years = fields.retention_years
        old_links = sorted(f"{t}:{i}" for t, i in document.links.values_list("link_type", "link_id"))
        new_links = sorted(f"{t}:{i}" for t, i in fields.links)
        if old_links != new_links:
            changes["links"] = [old_links, new_links]
            document.links.all().delete()
            DocumentLink.objects.bulk_create(
                [DocumentLink(document=document, link_type=t, link_id=i) for t, i in fields.links]
            )
        if not changes:
            return document
        document.save()
        if document.classification == Classification.SECRET:
            # Whoever makes a document secret stays able to open it.
            document.readers.add(actor)
        _check_still_readable(actor, document)
        audit_record(
            actor=actor,
            action="documents.document.update",
            object_type=OBJECT_TYPE,
            object_id=document.pk,
            changes=changes,
        )
        _reindex(document.pk)
    return document


def document_readers_set(*, actor: User, document_id: int, user_ids: Sequence[int]) -> Document:
    """Replace a document's named readers (the actor stays one when the document is secret)."""
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id)
        if not access.can_manage(actor, document):
            raise PermissionDenied
        wanted = set(User.objects.filter(pk__in=list(user_ids), is_active=True).values_list("pk", flat=True))
        if document.classification == Classification.SECRET:
            wanted.add(actor.pk)
        before = set(document.readers.values_list("pk", flat=True))
        if wanted == before:
            return document
        document.readers.set(sorted(wanted))
        audit_record(
            actor=actor,
            action="documents.document.readers",
            object_type=OBJECT_TYPE,
            object_id=document.pk,
            changes={"readers": [sorted(before), sorted(wanted)]},
        )
        _reindex(document.pk)
    return document


CLASS_RANK = {c: i for i, c in enumerate(Classification.values)}  # public < internal < confidential < secret


def documents_classification_raise(
    *,
    actor: User | None,
    document_ids: Sequence[int],
    classification: str,
    readers: Mapping[int, Sequence[int]],
    reason: str,
    dry_run: bool = False,
) -> list[int]:
    """Raise the classification of the given documents to ``classification`` (a document already at
    or above it is left as it is: never lowered), for a data fix of an owning app (``actor`` None: a
    system change, e.g. a management command) or by someone who manages each document. When the new
    class is secret, the document's named readers become ``readers[id]``. One transaction, one audit
    entry per document with the ``reason``, re-indexed. Returns the ids changed (or to change)."""
    if classification not in Classification.values or not reason.strip():
        raise ValueError("a known classification and a reason are required")
    changed: list[int] = []
    with transaction.atomic():
        rows = Document.objects.select_for_update().filter(pk__in=list(document_ids)).order_by("pk")
        for document in rows:
            if CLASS_RANK[document.classification] >= CLASS_RANK[classification]:
                continue
            if actor is not None and not access.can_manage(actor, document):
                raise PermissionDenied
            changed.append(document.pk)
            if dry_run:
                continue
            before = document.classification
            document.classification = classification
            document.save(update_fields=["classification"])
            names: list[int] = []
            if classification == Classification.SECRET:
                wanted = set(readers.get(document.pk, ()))
                if actor is not None:
                    wanted.add(actor.pk)
                names = sorted(
                    User.objects.filter(pk__in=wanted, is_active=True).values_list("pk", flat=True)
                )
                document.readers.set(names)
            audit_record(
                actor=actor,
                action="documents.document.classification_raise",
                object_type=OBJECT_TYPE,
                object_id=document.pk,
                changes={"classification": [before, classification], "readers": names, "reason": reason},
            )
            _reindex(document.pk)
    return changed


# --- the pipeline -----------------------------------------------------------------------------------


def _set_status(version_id: int, status: str) -> None:
    DocumentVersion.objects.filter(pk=version_id).update(status=status)


def _queue_embedding() -> None:
    embed_task.enqueue(SEARCH_SOURCE)


def version_process(*, version_id: int) -> DocumentVersion:
    """Run one version through the pipeline; an indexed version is left alone (safe to run twice)."""
    version = DocumentVersion.objects.select_related("document").get(pk=version_id)
    if version.status == Status.INDEXED:
        return version
    thumbnail_name = ""
    try:
        _set_status(version.pk, Status.TYPE_CHECK)
        with version.file.open("rb") as handle:
            data = handle.read()
        if hashlib.sha256(data).hexdigest() != version.sha256:
            raise files.FileRefusedError(
                "changed", "ไฟล์ถูกแก้ไขหลังอัปโหลด", "The stored file changed after it was uploaded"
            )
        info = files.inspect_file(data)
        if info.content_type != version.content_type:
            raise files.unsupported_type_error()
        _set_status(version.pk, Status.TEXT)
        ocr_pages = 0

        def ocr(image: Any) -> str:
            nonlocal ocr_pages
            if ocr_pages == 0:
                _set_status(version.pk, Status.OCR)
            ocr_pages += 1
            return ocr_image(image)

        pages = list(files.extract_pages(data, version.content_type, ocr=ocr, dpi=ocr_settings().dpi))
        text = "\n\n".join(page.text for page in pages if page.text).strip()
        _set_status(version.pk, Status.THUMBNAIL)
        thumbnail = files.make_thumbnail(data, version.content_type, text=text)
        thumbnail_name = version.thumbnail.storage.save(
            f"documents/thumbs/doc{version.document_id}-v{version.number}.png", ContentFile(thumbnail)
        )
        with transaction.atomic():
            version.text = text
            version.ocr_pages = ocr_pages
            version.thumbnail.name = thumbnail_name
            version.status = Status.INDEXED
            version.status_reason = ""
            version.processed_at = timezone.now()
            version.save(
                update_fields=["text", "ocr_pages", "thumbnail", "status", "status_reason", "processed_at"]
            )
            audit_record(
                actor=None,
                action="documents.version.process",
                object_type=VERSION_TYPE,
                object_id=version.pk,
                changes={"status": Status.INDEXED, "characters": len(text), "ocr_pages": ocr_pages},
            )
            _reindex(version.document_id)
            transaction.on_commit(_queue_embedding)
    except Exception as exc:
        if thumbnail_name:
            version.thumbnail.storage.delete(thumbnail_name)
        if isinstance(exc, files.FileRefusedError):
            reason = exc.message
        elif isinstance(exc, OcrUnavailableError):
            reason = f"ไม่มีโปรแกรม OCR ภาษาไทยในเครื่อง (OCR unavailable: {exc})"
        elif isinstance(exc, OcrFailedError):
            reason = f"อ่านข้อความจากภาพไม่สำเร็จ (OCR failed: {exc})"
        else:
            log.exception("document version %s failed", version.pk)
            reason = f"ประมวลผลไม่สำเร็จ (Processing failed: {type(exc).__name__})"
        with transaction.atomic():
            DocumentVersion.objects.filter(pk=version.pk).update(
                status=Status.FAILED,
                status_reason=reason[:500],
                text="",
                ocr_pages=0,
                thumbnail="",
                processed_at=timezone.now(),
            )
            audit_record(
                actor=None,
                action="documents.version.process",
                object_type=VERSION_TYPE,
                object_id=version.pk,
                changes={"status": Status.FAILED, "reason": reason[:500]},
            )
        version.refresh_from_db()
    return version


def version_retry(*, actor: User, version_id: int) -> DocumentVersion:
    """Queue a failed version again (e.g. after Tesseract was installed)."""
    with transaction.atomic():
        version = DocumentVersion.objects.select_for_update().select_related("document").get(pk=version_id)
        if not access.can_manage(actor, version.document):
            raise PermissionDenied
        if version.status != Status.FAILED:
            return version
        version.status, version.status_reason = Status.QUEUED, ""
        version.save(update_fields=["status", "status_reason"])
        audit_record(
            actor=actor,
            action="documents.version.retry",
            object_type=VERSION_TYPE,
            object_id=version.pk,
            changes={"status": [Status.FAILED, Status.QUEUED]},
        )
        _queue(version.pk)
    return version
