"""Writes of the knowledge app: importing statutes, asking the assistant, feedback, retention."""

from __future__ import annotations

import csv
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from codi.core.audit import audit_record
from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm
from codi.knowledge import assistant
from codi.knowledge.models import (
    SECTION_SOURCE,
    Act,
    AnswerStatus,
    Conversation,
    Feedback,
    FeedbackKind,
    Section,
    Turn,
    section_search_id,
)
from codi.knowledge.parser import ParsedSection, clean_body, parse_act
from codi.search import services as search_services
from codi.search.text import normalise

log = logging.getLogger("codi.knowledge")
BUNDLED_DIR = Path(__file__).resolve().parent / "data" / "acts"
NOT_PERMITTED = "ไม่มีสิทธิ์ใช้ผู้ช่วยกฎหมาย / Not permitted to use the law assistant"
DEFAULT_RETENTION_DAYS = 180


@dataclass
class ImportReport:
    acts_created: int = 0
    acts_updated: int = 0
    acts_unchanged: int = 0
    sections: int = 0
    chunks_indexed: int = 0
    without_sections: list[str] = field(default_factory=list)


def read_titles(directory: Path) -> dict[str, tuple[str, str]]:
    """Titles and subject groups from an ``index.csv`` beside the Acts (or one folder up), if there is one."""
    for candidate in (directory / "index.csv", directory.parent / "index.csv"):
        if candidate.is_file():
            with candidate.open(encoding="utf-8", newline="") as handle:
                return {row["id"]: (row["title"], row.get("groups", "")) for row in csv.DictReader(handle)}
    return {}


def statute_import_file(*, path: Path, title: str = "", groups: str = "") -> tuple[str, int, int]:
    """Import one Act file (its stem is the Act id): returns (outcome, sections, chunks indexed).

    Unchanged files (same SHA-256) are skipped, so running the import again changes nothing.
    """
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    act_id = path.stem
    existing = Act.objects.filter(act_id=act_id).first()
    if existing is not None and existing.source_sha256 == digest:
        return "unchanged", existing.sections.count(), 0
    parsed = parse_act(raw.decode("utf-8", errors="replace"))
    sections = parsed.sections
    if not sections:
        # An announcement without sections is kept whole, so its text is still searchable.
        sections = [
            ParsedSection(number="", chapter="", body=clean_body(raw.decode("utf-8", "replace")), ordinal=0)
        ]
    title = normalise(title) or parsed.title
    with transaction.atomic():
        act, created = Act.objects.update_or_create(
            act_id=act_id,
            defaults={
                "title": title[:500],
                "year_be": parsed.year_be,
                "groups": groups[:200],
                "source_sha256": digest,
            },
        )
        old_numbers = set(act.sections.values_list("number", flat=True))
        act.sections.all().delete()
        Section.objects.bulk_create(
            [
                Section(act=act, number=s.number, ordinal=s.ordinal, chapter=s.chapter[:500], body=s.body)
                for s in sections
            ],
            batch_size=500,
        )
        numbers = [s.number for s in sections]
        removed = sorted(old_numbers - set(numbers))
        if removed:
            search_services.index_remove(
                source=SECTION_SOURCE, object_ids=[section_search_id(act_id, n) for n in removed]
            )
        indexed = search_services.index_update(
            source=SECTION_SOURCE, object_ids=[section_search_id(act_id, n) for n in numbers]
        )
    return ("created" if created else "updated"), len(sections), indexed


def statutes_import(
    *, directory: Path, progress: Callable[[int, int, str], None] | None = None
) -> ImportReport:
    """Import every ``*.txt`` in ``directory`` (lexical index included); idempotent. One audit entry per run."""
    files = sorted(directory.glob("*.txt"))
    titles = read_titles(directory)
    report = ImportReport()
    for i, path in enumerate(files, start=1):
        title, groups = titles.get(path.stem, ("", ""))
        outcome, count, indexed = statute_import_file(path=path, title=title, groups=groups)
        setattr(report, f"acts_{outcome}", getattr(report, f"acts_{outcome}") + 1)
        report.sections += count
        report.chunks_indexed += indexed
        if count == 1 and Section.objects.filter(act__act_id=path.stem, number="").exists():
            report.without_sections.append(path.stem)
        if progress:
            progress(i, len(files), path.stem)
    if report.acts_created or report.acts_updated:
        audit_record(
            actor=None,
            action="knowledge.statutes_import",
            object_type="knowledge.act",
            object_id=str(directory.name),
            changes={
                "created": report.acts_created,
                "updated": report.acts_updated,
                "sections": report.sections,
            },
        )
    return report


# --- the assistant ---------------------------------------------------------------------------------


def retention_days() -> int:
    return int(getattr(settings, "KNOWLEDGE_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def question_ask(*, actor: Any, question: str, conversation_id: int | None = None) -> Turn:
    """Answer ``question`` from the statutes and keep it in the actor's conversation.

    An empty or too long question is refused with a clear message (nothing stored);
    when support is weak the answer says so and cites nothing as the answer.
    """
    if not user_has_perm(actor, Perm.KNOWLEDGE_VIEW):
        raise PermissionDenied(NOT_PERMITTED)
    if not (question or "").strip():
        raise ValidationError({"question": assistant.MSG_EMPTY})
    if len(question) > assistant.MAX_QUESTION_CHARS:
        raise ValidationError({"question": assistant.MSG_TOO_LONG})
    answer = assistant.answer(question)
    with transaction.atomic():
        conversation = None
        if conversation_id is not None:
            conversation = Conversation.objects.filter(pk=conversation_id, user=actor).first()
            if conversation is None:
                raise ValidationError("ไม่พบบทสนทนา / Conversation not found")
        if conversation is None:
            conversation = Conversation.objects.create(user=actor, title=(question.strip() or "—")[:200])
        turn = Turn.objects.create(
            conversation=conversation,
            question=question,
            status=answer.status,
            answer=answer.as_dict(),
        )
        conversation.save(update_fields=["updated_at"])
    return turn


def feedback_record(*, actor: Any, turn_id: int, kind: str, citation: str = "", note: str = "") -> Feedback:
    """Store thumbs up/down or "this citation is wrong" on one of the actor's own answers."""
    turn = Turn.objects.filter(pk=turn_id, conversation__user=actor).first()
    if turn is None or not user_has_perm(actor, Perm.KNOWLEDGE_VIEW):
        raise PermissionDenied(NOT_PERMITTED)
    if kind not in FeedbackKind.values:
        raise ValidationError("ประเภทความเห็นไม่ถูกต้อง / Unknown feedback kind")
    cited = {p["id"] for p in turn.answer.get("passages", [])}
    if kind == FeedbackKind.WRONG_CITATION and citation not in cited:
        raise ValidationError("ไม่พบการอ้างอิงนี้ในคำตอบ / That citation is not in the answer")
    if kind != FeedbackKind.WRONG_CITATION:
        citation = ""
    with transaction.atomic():
        feedback = Feedback.objects.create(
            turn=turn, user=actor, kind=kind, citation=citation, note=note[:1000]
        )
        audit_record(
            actor=actor,
            action="knowledge.feedback",
            object_type="knowledge.turn",
            object_id=turn.pk,
            changes={"kind": kind, "citation": citation},
        )
    return feedback


def conversations_purge(*, older_than_days: int | None = None) -> int:
    """Delete conversations untouched for longer than the retention period; returns how many."""
    days = retention_days() if older_than_days is None else older_than_days
    cutoff = timezone.now() - timedelta(days=days)
    with transaction.atomic():
        stale = Conversation.objects.filter(updated_at__lt=cutoff)
        count = stale.count()
        stale.delete()
        if count:
            audit_record(
                actor=None,
                action="knowledge.conversations_purge",
                object_type="knowledge.conversation",
                changes={"older_than_days": days},
            )
    return count


__all__ = ["AnswerStatus", "ImportReport", "question_ask", "statutes_import"]
