"""Documents: the record (title, type, classification, retention, area, links, named readers) and its versions.

A document's content lives in its versions: each upload of the same document is
version n+1 and the old ones are kept. Each version goes through the processing
pipeline (``codi.documents.pipeline``) and shows its step in ``status``. The
document is searchable through its newest version that reached ``indexed``;
a version that failed keeps its upload and the reason, and nothing derived
from it (text, thumbnail, index entry) is stored.

Who may open a document is decided in ``codi.documents.access`` from its
classification, its area and the document's named readers.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

SEARCH_SOURCE = "documents.document"


class Classification(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal")
    CONFIDENTIAL = "confidential", _("Confidential")
    SECRET = "secret", _("Secret")


class DocType(models.TextChoices):
    LETTER = "letter", _("Official letter")
    MEMO = "memo", _("Internal memo")
    CONTRACT = "contract", _("Contract or agreement")
    REPORT = "report", _("Report")
    MINUTES = "minutes", _("Meeting minutes")
    FORM = "form", _("Form")
    EVIDENCE = "evidence", _("Receipt or evidence")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    QUEUED = "queued", _("Queued")
    TYPE_CHECK = "type_check", _("Checking the file type")
    TEXT = "text", _("Extracting text")
    OCR = "ocr", _("Recognising text (OCR)")
    THUMBNAIL = "thumbnail", _("Making the thumbnail")
    INDEXED = "indexed", _("Searchable")
    FAILED = "failed", _("Failed")


class LinkType(models.TextChoices):
    PROJECT = "project", _("Project")
    ORGANIZATION = "organization", _("Organization")
    AREA = "area", _("Area")


class Document(models.Model):
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    doc_type = models.CharField(_("type"), max_length=20, choices=DocType.choices, default=DocType.OTHER)
    classification = models.CharField(
        _("classification"), max_length=12, choices=Classification.choices, default=Classification.INTERNAL
    )
    # The subdistrict the document belongs to ("" = organization-wide): the area scope of access.
    area_code = models.CharField(_("area"), max_length=6, blank=True, default="", db_index=True)
    document_date = models.DateField(_("document date"), null=True, blank=True)
    retention_years = models.PositiveSmallIntegerField(_("retention (years, 0 = permanent)"), default=10)
    readers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="readable_documents",
        blank=True,
        verbose_name=_("named readers"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="created_documents"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    latest_number = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["classification", "area_code"], name="documents_access")]

    def __str__(self) -> str:
        return self.title


class DocumentVersion(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to="documents/%Y/%m/", max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)  # detected from the bytes, not the name
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    page_count = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    status_reason = models.CharField(max_length=500, blank=True)
    text = models.TextField(blank=True)
    ocr_pages = models.PositiveIntegerField(default=0)  # pages whose text came from OCR
    thumbnail = models.FileField(upload_to="documents/thumbs/%Y/%m/", max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="uploaded_document_versions"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="documents_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.number}"


class DocumentLink(models.Model):
    """A link to a project, an organization or an area, by id or code (no foreign key to those apps)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="links")
    link_type = models.CharField(max_length=20, choices=LinkType.choices)
    link_id = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "link_type", "link_id"], name="documents_link_unique")
        ]
        indexes = [models.Index(fields=["link_type", "link_id"], name="documents_link_target")]

    def __str__(self) -> str:
        return f"{self.link_type}:{self.link_id}"
