"""Reads of the knowledge app. Statutes are national law (no area scope); conversations are the reader's own."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet

from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm
from codi.knowledge.models import (
    ARTICLE_SOURCE,
    QUESTION_SOURCE,
    Act,
    ActKind,
    Answer,
    Article,
    ArticleStatus,
    Conversation,
    Question,
    Section,
    Turn,
)

NEIGHBOURS = 2


def _require(actor: Any, perm: str = Perm.KNOWLEDGE_VIEW) -> None:
    if not user_has_perm(actor, perm):
        raise PermissionDenied


def act_get(*, actor: Any, act_id: str) -> Act | None:
    _require(actor)
    return Act.objects.filter(act_id=act_id).first()


def act_sections(*, actor: Any, act: Act) -> QuerySet[Section]:
    _require(actor)
    return act.sections.order_by("ordinal")


def section_in_context(*, actor: Any, act_id: str, number: str) -> tuple[Section, list[Section]] | None:
    """The section and its neighbours (two before, two after), in order."""
    _require(actor)
    section = Section.objects.select_related("act").filter(act__act_id=act_id, number=number).first()
    if section is None:
        return None
    around = list(
        Section.objects.select_related("act")
        .filter(
            act=section.act,
            ordinal__gte=section.ordinal - NEIGHBOURS,
            ordinal__lte=section.ordinal + NEIGHBOURS,
        )
        .order_by("ordinal")
    )
    return section, around


def conversation_list(*, actor: Any) -> QuerySet[Conversation]:
    _require(actor)
    return Conversation.objects.filter(user=actor).order_by("-updated_at")


def conversation_get(*, actor: Any, conversation_id: int) -> Conversation | None:
    _require(actor)
    return Conversation.objects.filter(user=actor, pk=conversation_id).first()


def conversation_turns(*, actor: Any, conversation: Conversation) -> QuerySet[Turn]:
    _require(actor)
    return conversation.turns.filter(conversation__user=actor).order_by("created_at", "id")


def act_count() -> int:
    return Act.objects.count()


# --- knowledge management -------------------------------------------------------------------------

SEARCH_POOL = 50


def _visible_articles(actor: Any) -> QuerySet[Article]:
    """Published articles, plus the reader's own waiting ones (and all waiting ones for knowledge officers)."""
    _require(actor, Perm.KNOWLEDGE_SHARE)
    if user_has_perm(actor, Perm.KNOWLEDGE_MANAGE):
        return Article.objects.all()
    return Article.objects.filter(Q(status=ArticleStatus.PUBLISHED) | Q(author_id=actor.pk))


def _ranked_ids(source: str, query: str) -> list[int]:
    from codi.search import engine  # heavy: numpy and the e5 model, loaded on the first search

    return [int(hit.object_id) for hit in engine.search(source, query, k=SEARCH_POOL, method="hybrid")]


def _in_rank_order(queryset: QuerySet[Any], ids: list[int]) -> list[Any]:
    by_id = {obj.pk: obj for obj in queryset.filter(pk__in=ids)}
    return [by_id[i] for i in ids if i in by_id]


def article_list(
    *, actor: Any, query: str = "", kind: str = "", topic: str = "", area_code: str = ""
) -> list[Article] | QuerySet[Article]:
    """Articles the reader may see; with ``query``, ranked by the hybrid (words + meaning) search."""
    articles = _visible_articles(actor).select_related("subdistrict")
    if kind:
        articles = articles.filter(kind=kind)
    if topic:
        articles = articles.filter(topics__icontains=topic)
    if area_code:
        articles = articles.filter(subdistrict__code__startswith=area_code)
    if query.strip():
        return _in_rank_order(articles, _ranked_ids(ARTICLE_SOURCE, query))
    return articles


def article_get(*, actor: Any, article_id: int) -> Article | None:
    return _visible_articles(actor).select_related("subdistrict", "author").filter(pk=article_id).first()


def question_list(*, actor: Any, query: str = "", area_code: str = "") -> list[Question] | QuerySet[Question]:
    _require(actor, Perm.KNOWLEDGE_SHARE)
    questions = (
        Question.objects.select_related("subdistrict")
        .annotate(answer_count=Count("answers"))
        .order_by("-created_at", "-id")
    )
    if area_code:
        questions = questions.filter(subdistrict__code__startswith=area_code)
    if query.strip():
        return _in_rank_order(questions, _ranked_ids(QUESTION_SOURCE, query))
    return questions


def question_get(*, actor: Any, question_id: int) -> Question | None:
    _require(actor, Perm.KNOWLEDGE_SHARE)
    return Question.objects.select_related("subdistrict", "author").filter(pk=question_id).first()


def question_answers(*, actor: Any, question: Question) -> QuerySet[Answer]:
    _require(actor, Perm.KNOWLEDGE_SHARE)
    return question.answers.select_related("author")


def related_knowledge(
    *, actor: Any, area_code: str = "", program_kind: str = "", text: str = "", limit: int = 5
) -> dict[str, list[Any]]:
    """Knowledge to show beside an area or a project: same area first, then same program, then similar text."""
    if not user_has_perm(actor, Perm.KNOWLEDGE_SHARE):
        return {"articles": [], "questions": []}
    published = Article.objects.filter(status=ArticleStatus.PUBLISHED)
    picked: list[Article] = []
    if area_code:
        picked += list(published.filter(subdistrict__code__startswith=area_code)[:limit])
    if program_kind and len(picked) < limit:
        picked += list(
            published.filter(program_kind=program_kind).exclude(pk__in=[a.pk for a in picked])[
                : limit - len(picked)
            ]
        )
    if text.strip() and len(picked) < limit:
        seen = {a.pk for a in picked}
        ranked = [a for a in _in_rank_order(published, _ranked_ids(ARTICLE_SOURCE, text)) if a.pk not in seen]
        picked += ranked[: limit - len(picked)]
    questions = list(
        Question.objects.filter(subdistrict__code__startswith=area_code)[:limit]
        if area_code
        else Question.objects.none()
    )
    return {"articles": picked[:limit], "questions": questions}


def regulation_list(*, actor: Any) -> QuerySet[Act]:
    """CODI's own regulations (clauses: ข้อ), newest first, with their clause counts."""
    _require(actor)
    return (
        Act.objects.filter(kind=ActKind.REGULATION)
        .annotate(clause_count=Count("sections"))
        .order_by("-imported_at", "-id")
    )


def lesson_for_project(*, project_id: int) -> Article | None:
    """The lesson already drawn from a project, if any (one per project)."""
    return Article.objects.filter(source_project_id=project_id).first()


def published_lessons_for_projects(*, actor: Any, project_ids: list[int]) -> dict[int, Article]:
    """Project id -> the published lesson drawn from it, for the projects given (readers of knowledge only)."""
    if not project_ids or not user_has_perm(actor, Perm.KNOWLEDGE_SHARE):
        return {}
    lessons = Article.objects.filter(
        source_project_id__in=project_ids, status=ArticleStatus.PUBLISHED
    ).order_by("-id")
    found: dict[int, Article] = {}
    for lesson in lessons:
        if lesson.source_project_id is not None:
            found.setdefault(lesson.source_project_id, lesson)
    return found


def question_topic_tags(*, limit: int = 200) -> list[str]:
    """The topic tags used on the board's most recent questions, most used first (for suggestions)."""
    counts: dict[str, int] = {}
    for topics in (
        Question.objects.exclude(topics="").order_by("-created_at").values_list("topics", flat=True)[:500]
    ):
        for tag in (t.strip() for t in topics.split(",")):
            if tag:
                counts[tag] = counts.get(tag, 0) + 1
    return [t for t, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))][:limit]
