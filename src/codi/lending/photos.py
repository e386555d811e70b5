"""Photos of a Baan Mankong project's stages, kept in the documents app through its services and
selectors (lending never reads or writes that app's tables).

A stage's photos are one document (``ProjectStage.document_id``), each photo one of its versions:
the first upload creates the document, the next ones add versions, so the documents app keeps
every photo with its hash, uploader and thumbnail. The document takes the project's place in the
documents app's rules: "internal", in the project's subdistrict (who may open it is then who may
see documents of that area), linked to the borrowing organization. Only pictures are taken (PNG,
JPEG or TIFF, recognised by their content, not their name); the uploader must be a credit officer
of the project's area (``lending.manage``) who may also file documents there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from codi.core.audit import audit_record
from codi.documents import selectors as document_selectors
from codi.documents import services as documents
from codi.documents.files import IMAGES, FileRefusedError, inspect_file
from codi.identity.roles import Perm
from codi.lending.models_community import HousingProject
from codi.lending.models_reports import Phase, ProjectStage
from codi.lending.services import LendingError, _require

MAX_PHOTO_BYTES = 15 * 1024 * 1024


@dataclass(frozen=True)
class Photo:
    document_id: int
    number: int
    file_url: str
    thumbnail_url: str  # the documents app's thumbnail, or the picture itself until it is made


def stage_photo_add(
    *, actor: Any, project: HousingProject, phase: str, data: bytes, filename: str
) -> ProjectStage:
    """Add a photo to a planned or reached stage (module docstring); audited here and in documents."""
    _require(actor, Perm.LENDING_MANAGE, project.subdistrict_id)
    if phase not in Phase.values:
        raise LendingError("ขั้นตอนโครงการไม่ถูกต้อง", "Unknown project stage")
    if not data or len(data) > MAX_PHOTO_BYTES:
        raise LendingError("กรุณาแนบภาพถ่ายขนาดไม่เกิน 15 MB", "Attach a photo of at most 15 MB")
    try:
        kind = inspect_file(data).content_type
    except FileRefusedError:
        kind = ""
    if kind not in IMAGES:
        raise LendingError("รับเฉพาะไฟล์รูปภาพ", "Only pictures are taken (PNG, JPEG or TIFF)")
    with transaction.atomic():
        stage = ProjectStage.objects.select_for_update().filter(project=project, phase=phase).first()
        if stage is None:
            raise LendingError("กรุณาวางแผนขั้นตอนนี้ก่อนแนบภาพ", "Plan the stage before adding photos")
        try:
            if stage.document_id is None:
                version = documents.document_create(
                    actor=actor,
                    fields=documents.DocumentFields(
                        title=f"ภาพถ่าย {project.code} {Phase(phase).label}", doc_type="evidence",
                        classification="internal", area_code=project.subdistrict_id,
                        description=f"ภาพถ่ายความคืบหน้าโครงการบ้านมั่นคง {project.name_th}",
                        links=(("organization", str(project.organization_id)),),
                    ),
                    data=data, filename=filename,
                )  # fmt: skip
                stage.document_id = version.document_id
                stage.save(update_fields=["document_id"])
            else:
                version = documents.document_version_add(
                    actor=actor, document_id=stage.document_id, data=data, filename=filename
                )
        except PermissionDenied as exc:
            raise LendingError(
                "ท่านไม่มีสิทธิ์จัดเก็บเอกสารในพื้นที่ของโครงการ", "You may not file documents in the project's area"
            ) from exc
        except (FileRefusedError, ValidationError) as exc:
            raise LendingError(f"ไม่รับไฟล์นี้: {exc}", f"File refused: {exc}") from exc
        audit_record(
            actor=actor, action="lending.stage_photo_add", object_type="lending.HousingProject", object_id=project.pk,
            changes={"phase": phase, "document": version.document_id, "version": version.number,
                     "sha256": version.sha256},
        )  # fmt: skip
    return stage


def stage_photos(*, user: Any, stage: ProjectStage) -> list[Photo]:
    """The stage's photos the user may open (through the documents app's rules), newest first."""
    if stage.document_id is None:
        return []
    out = []
    for v in document_selectors.document_versions(user=user, document_id=stage.document_id):
        base = f"/documents/{stage.document_id}/v{v.number}/"
        out.append(
            Photo(
                stage.document_id,
                v.number,
                base + "file",
                base + ("thumbnail.png" if v.thumbnail else "file"),
            )
        )
    return out
