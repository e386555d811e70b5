"""What the knowledge app gives the search service: one chunk per statute section, per published
article, and per question (with its answers)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from codi.knowledge.models import (
    ARTICLE_SOURCE,
    QUESTION_SOURCE,
    SECTION_SOURCE,
    Article,
    ArticleStatus,
    Question,
    Section,
    section_search_id,
)
from codi.search.registry import ChunkData, Source, register


def section_title(act_title: str, number: str, marker: str = "มาตรา") -> str:
    return f"{act_title}, {marker} {number}" if number else act_title


def section_chunks(object_ids: Sequence[str]) -> Iterator[ChunkData]:
    by_act: dict[str, list[str]] = {}
    for object_id in object_ids:
        act_id, _, number = object_id.partition(":")
        by_act.setdefault(act_id, []).append(number)
    for act_id, numbers in by_act.items():
        sections = Section.objects.filter(act__act_id=act_id, number__in=numbers).select_related("act")
        for section in sections:
            yield ChunkData(
                object_id=section_search_id(act_id, section.number),
                title=section_title(section.act.title, section.number, section.act.marker),
                text=(f"{section.chapter}\n" if section.chapter else "") + section.body,
            )


def all_section_ids() -> Iterator[str]:
    for act_id, number in Section.objects.order_by("act__act_id", "ordinal").values_list(
        "act__act_id", "number"
    ):
        yield section_search_id(act_id, number)


def article_chunks(object_ids: Sequence[str]) -> Iterator[ChunkData]:
    ids = [int(i) for i in object_ids if i.isdigit()]
    for article in Article.objects.filter(pk__in=ids, status=ArticleStatus.PUBLISHED):
        yield ChunkData(
            object_id=str(article.pk),
            title=article.title,
            text="\n".join(part for part in (article.summary, article.topics, article.body) if part),
        )


def all_article_ids() -> Iterator[str]:
    for pk in (
        Article.objects.filter(status=ArticleStatus.PUBLISHED).order_by("pk").values_list("pk", flat=True)
    ):
        yield str(pk)


def question_chunks(object_ids: Sequence[str]) -> Iterator[ChunkData]:
    ids = [int(i) for i in object_ids if i.isdigit()]
    for question in Question.objects.filter(pk__in=ids).prefetch_related("answers"):
        answers = "\n".join(answer.body for answer in question.answers.all())
        yield ChunkData(
            object_id=str(question.pk),
            title=question.title,
            text="\n".join(part for part in (question.body, question.topics, answers) if part),
        )


def all_question_ids() -> Iterator[str]:
    for pk in Question.objects.order_by("pk").values_list("pk", flat=True):
        yield str(pk)


def register_sources() -> None:
    register(Source(name=SECTION_SOURCE, chunks=section_chunks, all_ids=all_section_ids, passages=True))
    register(Source(name=ARTICLE_SOURCE, chunks=article_chunks, all_ids=all_article_ids))
    register(Source(name=QUESTION_SOURCE, chunks=question_chunks, all_ids=all_question_ids))
