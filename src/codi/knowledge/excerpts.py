"""CODI's plan quotes the sections of its Royal Decree of 2543 and summarises the laws it works
under (chapter 2.3); those excerpts ship as a bundled source the assistant can cite.

They are not the statutes: each source's title says it is an excerpt from the plan, its parts
are numbered by the plan's headings (หัวข้อ 2.3.N.M), and the assistant's answer says so. Importing
again changes nothing (each source keeps the SHA-256 of its text).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from codi.core.audit import audit_record
from codi.knowledge.models import SECTION_SOURCE, Act, ActKind, Section, section_search_id
from codi.search import services as search_services

EXCERPTS_FILE = Path(__file__).resolve().parent / "data" / "plan_excerpts.json"
EXCERPT_LABEL = "ข้อความคัดย่อจากแผนปฏิบัติการดิจิทัล พอช. บทที่ 2.3 ไม่ใช่ตัวบทฉบับเต็ม"
EXCERPT_GROUPS = "plan-excerpts"


@dataclass
class ExcerptsReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    parts: int = 0


def excerpt_title(title: str) -> str:
    return f"{title} ({EXCERPT_LABEL})"[:500]


def plan_excerpts_import(path: Path = EXCERPTS_FILE) -> ExcerptsReport:
    """Import the plan's law excerpts as sources of kind ``excerpt`` (lexical index included)."""
    report = ExcerptsReport()
    for law in json.loads(path.read_text(encoding="utf-8")):
        raw = json.dumps(law, ensure_ascii=False, sort_keys=True).encode()
        digest = hashlib.sha256(raw).hexdigest()
        act_id = str(law["act_id"])[:32]
        existing = Act.objects.filter(act_id=act_id).first()
        report.parts += len(law["sections"])
        if existing is not None and existing.source_sha256 == digest:
            report.unchanged += 1
            continue
        with transaction.atomic():
            act, created = Act.objects.update_or_create(
                act_id=act_id,
                defaults={
                    "kind": ActKind.EXCERPT,
                    "title": excerpt_title(law["title"]),
                    "year_be": law.get("year_be"),
                    "groups": EXCERPT_GROUPS,
                    "source_sha256": digest,
                    "source_name": "CODI digital plan, chapter 2.3",
                },
            )
            old = set(act.sections.values_list("number", flat=True))
            act.sections.all().delete()
            Section.objects.bulk_create(
                Section(
                    act=act, number=s["number"][:20], ordinal=i, chapter=s["chapter"][:500], body=s["body"]
                )
                for i, s in enumerate(law["sections"])
            )
            numbers = [s["number"][:20] for s in law["sections"]]
            removed = sorted(old - set(numbers))
            if removed:
                search_services.index_remove(
                    source=SECTION_SOURCE, object_ids=[section_search_id(act_id, n) for n in removed]
                )
            ids = [section_search_id(act_id, n) for n in numbers]
            search_services.index_update(source=SECTION_SOURCE, object_ids=ids)
            search_services.index_after_commit(source=SECTION_SOURCE, object_ids=ids)
            audit_record(
                actor=None,
                action="knowledge.plan_excerpts_import",
                object_type="knowledge.act",
                object_id=act_id,
                changes={"title": act.title, "parts": len(numbers)},
            )
        if created:
            report.created += 1
        else:
            report.updated += 1
    return report
