"""Writes of the knowledge app: importing statutes, asking the assistant, feedback, retention."""

from __future__ import annotations

import csv
import hashlib
import logging
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from codi.areas.models import Subdistrict
from codi.core.audit import audit_record
from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm
from codi.knowledge.extract import ExtractError, extract_text
from codi.knowledge.models import (
    ARTICLE_SOURCE,
    QUESTION_SOURCE,
    SECTION_SOURCE,
    Act,
    ActKind,
    Answer,
    AnswerStatus,
    Article,
    ArticleKind,
    ArticleStatus,
    Conversation,
    Feedback,
    FeedbackKind,
    Question,
    Section,
    Turn,
    section_search_id,
)
from codi.knowledge.parser import CLAUSE_MARKER, ParsedSection, clean_body, parse_act
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
    from codi.knowledge import assistant  # heavy: the search engine (numpy, e5), on the first question

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


# --- knowledge management: articles, lessons and the question-and-answer board -------------------

MAX_TITLE_CHARS = 300
MAX_BODY_CHARS = 20_000


def _require_share(actor: Any) -> None:
    if not user_has_perm(actor, Perm.KNOWLEDGE_SHARE):
        raise PermissionDenied("ไม่มีสิทธิ์ใช้คลังความรู้ / Not permitted to use the knowledge library")


def _tidy(text: str) -> str:
    """NFC and Unix line ends; unlike ``normalise`` it keeps the lines (paragraphs, clauses)."""
    return unicodedata.normalize("NFC", text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _clean_text(value: str, *, label_th: str, label_en: str, limit: int, required: bool = True) -> str:
    text = _tidy(value)
    if required and not text:
        raise ValidationError(f"กรุณากรอก{label_th} / {label_en} is required")
    if len(text) > limit:
        raise ValidationError(
            f"{label_th}ยาวเกิน {limit:,} ตัวอักษร / {label_en} is longer than {limit:,} characters"
        )
    return text


def _clean_topics(value: str) -> str:
    topics = [t.strip() for t in (value or "").replace("،", ",").split(",") if t.strip()]
    return ", ".join(dict.fromkeys(topics))[:300]


def _subdistrict_or_none(code: str) -> Any:

    if not code:
        return None
    subdistrict = Subdistrict.objects.filter(code=code).first()
    if subdistrict is None:
        raise ValidationError(f"ไม่พบรหัสตำบล {code} / Unknown subdistrict code {code}")
    return subdistrict


def article_create(
    *,
    actor: Any,
    kind: str,
    title: str,
    body: str,
    summary: str = "",
    topics: str = "",
    program_kind: str = "",
    subdistrict_code: str = "",
    source_project_id: int | None = None,
) -> Article:
    """A new article: published at once when staff write it, waiting for review when a community leader does."""
    _require_share(actor)
    if kind not in ArticleKind.values:
        raise ValidationError(f"ประเภทบทความไม่ถูกต้อง / Unknown article kind {kind!r}")
    needs_review = not user_has_perm(actor, Perm.KNOWLEDGE_VIEW)  # community leaders are not staff
    with transaction.atomic():
        article = Article.objects.create(
            kind=kind,
            title=_clean_text(title, label_th="ชื่อเรื่อง", label_en="Title", limit=MAX_TITLE_CHARS),
            body=_clean_text(body, label_th="เนื้อหา", label_en="Text", limit=MAX_BODY_CHARS),
            summary=_clean_text(summary, label_th="สรุป", label_en="Summary", limit=600, required=False),
            topics=_clean_topics(topics),
            program_kind=program_kind[:20],
            subdistrict=_subdistrict_or_none(subdistrict_code),
            source_project_id=source_project_id,
            status=ArticleStatus.PENDING if needs_review else ArticleStatus.PUBLISHED,
            author=actor,
        )
        audit_record(
            actor=actor,
            action="knowledge.article.create",
            object_type="knowledge.article",
            object_id=article.pk,
            changes={"kind": kind, "title": article.title, "status": article.status},
        )
        if article.status == ArticleStatus.PUBLISHED:
            search_services.index_after_commit(source=ARTICLE_SOURCE, object_ids=[str(article.pk)])
    return article


def article_publish(*, actor: Any, article: Article) -> Article:
    """A knowledge officer publishes an article a community leader sent."""
    if not user_has_perm(actor, Perm.KNOWLEDGE_MANAGE):
        raise PermissionDenied("ต้องเป็นเจ้าหน้าที่จัดการความรู้ / Only knowledge officers publish")
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        if article.status == ArticleStatus.PUBLISHED:
            return article
        article.status = ArticleStatus.PUBLISHED
        article.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action="knowledge.article.publish",
            object_type="knowledge.article",
            object_id=article.pk,
            changes={"status": [ArticleStatus.PENDING, ArticleStatus.PUBLISHED]},
        )
        search_services.index_after_commit(source=ARTICLE_SOURCE, object_ids=[str(article.pk)])
    return article


def lesson_from_project(
    *,
    actor: Any,
    project_id: int,
    title: str,
    body: str,
    summary: str = "",
    topics: str = "",
    program_kind: str = "",
    subdistrict_code: str = "",
) -> Article:
    """Turn a closing project report into a lesson (one per project; asking twice returns the first)."""
    existing = Article.objects.filter(source_project_id=project_id).first()
    if existing is not None:
        _require_share(actor)
        return existing
    return article_create(
        actor=actor,
        kind=ArticleKind.LESSON,
        title=title,
        body=body,
        summary=summary,
        topics=topics,
        program_kind=program_kind,
        subdistrict_code=subdistrict_code,
        source_project_id=project_id,
    )


def question_post(
    *, actor: Any, title: str, body: str = "", topics: str = "", subdistrict_code: str = ""
) -> Question:
    _require_share(actor)
    with transaction.atomic():
        question = Question.objects.create(
            title=_clean_text(title, label_th="คำถาม", label_en="Question", limit=MAX_TITLE_CHARS),
            body=_clean_text(
                body, label_th="รายละเอียด", label_en="Details", limit=MAX_BODY_CHARS, required=False
            ),
            topics=_clean_topics(topics),
            subdistrict=_subdistrict_or_none(subdistrict_code),
            author=actor,
        )
        audit_record(
            actor=actor,
            action="knowledge.question.create",
            object_type="knowledge.question",
            object_id=question.pk,
            changes={"title": question.title},
        )
        search_services.index_after_commit(source=QUESTION_SOURCE, object_ids=[str(question.pk)])
    return question


def answer_post(*, actor: Any, question: Question, body: str) -> Answer:
    _require_share(actor)
    with transaction.atomic():
        answer = Answer.objects.create(
            question=question,
            body=_clean_text(body, label_th="คำตอบ", label_en="Answer", limit=MAX_BODY_CHARS),
            author=actor,
        )
        audit_record(
            actor=actor,
            action="knowledge.answer.create",
            object_type="knowledge.answer",
            object_id=answer.pk,
            changes={"question": question.pk},
        )
        search_services.index_after_commit(source=QUESTION_SOURCE, object_ids=[str(question.pk)])
    return answer


def answer_accept(*, actor: Any, answer: Answer) -> Answer:
    """The person who asked (or a knowledge officer) marks the answer that solved it; one per question."""
    if answer.question.author_id != getattr(actor, "pk", None) and not user_has_perm(
        actor, Perm.KNOWLEDGE_MANAGE
    ):
        raise PermissionDenied("เฉพาะผู้ถามหรือเจ้าหน้าที่จัดการความรู้ / Only the asker or a knowledge officer")
    with transaction.atomic():
        Answer.objects.filter(question_id=answer.question_id, is_accepted=True).exclude(pk=answer.pk).update(
            is_accepted=False
        )
        Answer.objects.filter(pk=answer.pk).update(is_accepted=True)
        answer.is_accepted = True
        audit_record(
            actor=actor,
            action="knowledge.answer.accept",
            object_type="knowledge.answer",
            object_id=answer.pk,
            changes={"question": answer.question_id},
        )
    return answer


# --- CODI's own regulations, orders and manuals (clauses: ข้อ) -------------------------------------


def regulation_upload(*, actor: Any, data: bytes, filename: str, title: str = "", groups: str = "") -> Act:
    """Import an uploaded regulation: split into clauses (ข้อ N), index, cite like an Act's sections.

    The same file uploaded again changes nothing. A file with no text, no clauses or an
    unreadable format is refused with a clear message and nothing is stored.
    """

    if not user_has_perm(actor, Perm.KNOWLEDGE_MANAGE):
        raise PermissionDenied("ต้องเป็นเจ้าหน้าที่จัดการความรู้ / Only knowledge officers upload regulations")
    try:
        text = _tidy(extract_text(data))
    except ExtractError as exc:
        raise ValidationError(str(exc)) from exc
    parsed = parse_act(text, marker=CLAUSE_MARKER)
    if not parsed.sections:
        raise ValidationError(
            "ไม่พบข้อ (เช่น “ข้อ ๑”) ในเอกสาร จึงอ้างอิงไม่ได้ / No clauses (such as “ข้อ ๑”) were found, "
            "so the document could not be cited"
        )
    digest = hashlib.sha256(data).hexdigest()
    act_id = f"codi-{digest[:12]}"
    existing = Act.objects.filter(act_id=act_id).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        act = Act.objects.create(
            act_id=act_id,
            kind=ActKind.REGULATION,
            title=(normalise(title) or parsed.title)[:500],
            year_be=parsed.year_be,
            groups=groups[:200],
            source_sha256=digest,
            source_name=Path(filename).name[:255],
            uploaded_by=actor,
        )
        Section.objects.bulk_create(
            [
                Section(act=act, number=s.number, ordinal=s.ordinal, chapter=s.chapter[:500], body=s.body)
                for s in parsed.sections
            ]
        )
        ids = [section_search_id(act_id, s.number) for s in parsed.sections]
        search_services.index_update(source=SECTION_SOURCE, object_ids=ids)
        search_services.index_after_commit(source=SECTION_SOURCE, object_ids=ids)
        audit_record(
            actor=actor,
            action="knowledge.regulation.upload",
            object_type="knowledge.act",
            object_id=act_id,
            changes={"title": act.title, "clauses": len(parsed.sections), "file": act.source_name},
        )
    return act
