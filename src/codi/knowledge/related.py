"""Knowledge that means the same thing: "related knowledge" beside an article, "asked before" on the board.

By meaning when the source's e5 vectors are all in (``index_progress(...).dense_ready``): the
dense search's cosine between the text (as an e5 query) and each item (as an e5 passage) must
reach ``MEANING_MIN``. Measured on small Thai samples: paraphrased questions scored 0.88–0.92,
unrelated community topics 0.79–0.85, so 0.87 sits between them. While the vectors are still being
made, the words decide: BM25 finds candidates and an item must contain at least ``WORDS_MIN`` of
the text's distinct content words.

Only what the reader may see and only published articles are ever offered: a waiting article is
not indexed, and the candidates are read back through the same published filter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm
from codi.knowledge.models import ARTICLE_SOURCE, QUESTION_SOURCE, Article, ArticleStatus, Question
from codi.search.selectors import index_progress
from codi.search.text import tokens

MEANING_MIN = 0.87
WORDS_MIN = 0.5
POOL = 30
MAX_TEXT_CHARS = 600
BY_MEANING = "meaning"
BY_WORDS = "words"


@dataclass(frozen=True)
class Similar:
    item: Any  # an Article or a Question
    score: float  # cosine (by meaning) or share of the text's words found (by words)
    by: str  # BY_MEANING or BY_WORDS


def _candidates(source: str, text: str) -> tuple[list[tuple[int, float]], str]:
    """(object pk, cosine) above the meaning threshold, or BM25 candidates (pk, 0) when vectors are not ready."""
    from codi.search import engine  # heavy: numpy and the e5 model, loaded on the first search

    if index_progress(source=source).dense_ready:
        hits = engine.search(source, text, k=POOL, method="dense")
        return [(int(h.object_id), h.dense_score) for h in hits if h.dense_score >= MEANING_MIN], BY_MEANING
    hits = engine.search(source, text, k=POOL, method="lexical")
    return [(int(h.object_id), 0.0) for h in hits], BY_WORDS


def _similar(
    source: str, items: Any, text: str, exclude_id: int | None, limit: int, item_text: Any
) -> list[Similar]:
    text = (text or "").strip()[:MAX_TEXT_CHARS]
    terms = set(tokens(text))
    if not terms:
        return []
    found, by = _candidates(source, text)
    scores: dict[int, float] = {}
    for pk, score in found:
        if pk != exclude_id and pk not in scores:
            scores[pk] = score
    by_pk = {obj.pk: obj for obj in items.filter(pk__in=list(scores))}
    out: list[Similar] = []
    for pk, score in scores.items():
        obj = by_pk.get(pk)
        if obj is None:
            continue
        if by == BY_WORDS:
            score = len(terms & set(tokens(item_text(obj)))) / len(terms)
            if score < WORDS_MIN:
                continue
        out.append(Similar(obj, round(score, 3), by))
    out.sort(key=lambda s: -s.score)
    return out[:limit]


def similar_articles(
    *, actor: Any, text: str, exclude_id: int | None = None, limit: int = 5
) -> list[Similar]:
    """Published articles close to ``text`` (best first); [] for a reader outside the library."""
    if not user_has_perm(actor, Perm.KNOWLEDGE_SHARE):
        return []
    published = Article.objects.filter(status=ArticleStatus.PUBLISHED)
    return _similar(
        ARTICLE_SOURCE,
        published,
        text,
        exclude_id,
        limit,
        lambda a: f"{a.title}\n{a.summary}\n{a.topics}\n{a.body}",
    )


def similar_questions(
    *, actor: Any, text: str, exclude_id: int | None = None, limit: int = 5
) -> list[Similar]:
    """Questions already asked that are close to ``text``, with their answer counts (best first)."""
    if not user_has_perm(actor, Perm.KNOWLEDGE_SHARE):
        return []
    questions = Question.objects.annotate(
        answer_count=Count("answers"), accepted_count=Count("answers", filter=Q(answers__is_accepted=True))
    )
    return _similar(
        QUESTION_SOURCE,
        questions,
        text,
        exclude_id,
        limit,
        lambda q: f"{q.title}\n{q.body}\n{q.topics}",
    )
