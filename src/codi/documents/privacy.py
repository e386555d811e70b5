"""Documents' data-subject collector: documents whose words name the person.

A document is the person's when the text read from one of its versions (OCR included) holds the
person's national ID, phone number or full name. Documents are CODI's official records (kept for
their ``retention_years`` under the Official Information Act and the archives rules): an erasure
keeps them, names the rule, and the access rules of the document keep applying.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from codi.core.models import AuditEntry
from codi.core.personaldata import KEEP, RULE_OFFICIAL_RECORD, Outcome, Subject, plain
from codi.documents.models import Document, DocumentVersion

ORDER = 50


def _versions(subject: Subject) -> list[DocumentVersion]:
    needles = subject.text_needles()
    if not needles:
        return []
    condition = Q()
    for needle in needles:
        condition |= Q(text__contains=needle)
    return list(
        DocumentVersion.objects.filter(condition)
        .select_related("document")
        .only("id", "number", "original_name", "created_at", "document__id", "document__title")
        .order_by("document_id", "number")
    )


class DocumentsCollector:
    name = "documents"

    def collect(self, subject: Subject) -> dict[str, list[dict[str, Any]]]:
        versions = _versions(subject)
        documents: dict[int, dict[str, Any]] = {}
        for version in versions:
            entry = documents.setdefault(
                version.document.pk,
                {"id": version.document.pk, "title": version.document.title, "versions": []},
            )
            entry["versions"].append(
                {
                    "number": version.number,
                    "file": version.original_name,
                    "created_at": plain(version.created_at),
                }
            )
        return {"documents.Document": list(documents.values())}

    def audit_entries(self, subject: Subject) -> list[Any]:
        ids = sorted({str(v.document.pk) for v in _versions(subject)})
        if not ids:
            return []
        return list(AuditEntry.objects.filter(object_type="documents.Document", object_id__in=ids))

    def erase(self, subject: Subject, *, dry_run: bool) -> list[Outcome]:
        ids = sorted({v.document.pk for v in _versions(subject)})
        years = dict(Document.objects.filter(pk__in=ids).values_list("pk", "retention_years"))
        return [
            Outcome(
                "documents.Document",
                str(pk),
                KEEP,
                ("text",),
                rule=RULE_OFFICIAL_RECORD,
                reason=(
                    "official record naming the person: kept "
                    + (f"{years[pk]} years" if years.get(pk) else "permanently")
                    + " under its retention schedule; readable only by its readers"
                ),
            )
            for pk in ids
        ]
