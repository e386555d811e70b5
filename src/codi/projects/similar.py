"""Closed projects like this one: what was done before, nearby or under the same program, and what it taught.

Shown on a project's page (issue 25, KM with AI). A closed project is a candidate only when the
reader may see it (``selectors.visible_projects``: the same scope as the project list), so a user
never learns of a project outside their area through a recommendation.

Score of a candidate = text similarity + small bonuses, each with its reason shown:

* text: cosine of TF-IDF vectors over the Thai words (``codi.search.text.tokens``: PyThaiNLP
  ``newmm`` without stopwords) of title, rationale and objectives — what the project is about
  and which problem it meets; IDF over the candidate pool itself;
* ``PROGRAM_BONUS`` for the same program, ``KIND_BONUS`` for another program of the same kind;
* ``PROVINCE_BONUS`` for the same province, ``DISTRICT_BONUS`` more for the same district.

A candidate with no shared word and no shared program is never offered (nearby alone is not
"similar"). The pool is the ``POOL`` most recently created closed projects the reader may see.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from codi.projects.models import Project, ProjectStatus
from codi.projects.selectors import visible_projects
from codi.search.text import tokens

POOL = 400
PROGRAM_BONUS = 0.30
KIND_BONUS = 0.15
PROVINCE_BONUS = 0.10
DISTRICT_BONUS = 0.05
TEXT_MIN = 0.05
MAX_CHARS = 2000
SHOWN_WORDS = 4

REASON_PROGRAM = "program"
REASON_KIND = "kind"
REASON_PROVINCE = "province"
REASON_DISTRICT = "district"
REASON_WORDS = "words"


@dataclass(frozen=True)
class SimilarProject:
    project: Project
    score: float
    text_score: float
    reasons: tuple[str, ...]  # REASON_* codes, strongest first; the page words them
    shared_words: tuple[str, ...]  # the words that made the texts alike, most telling first


def _text(project: Project) -> str:
    return f"{project.title}\n{project.rationale}\n{project.objectives}"[:MAX_CHARS]


@lru_cache(maxsize=4096)
def _words(text: str) -> tuple[str, ...]:
    """Segmented words of a project's text (closed projects' texts rarely change: kept per process)."""
    return tuple(tokens(text))


def _weights(counts: Counter[str], idf: dict[str, float]) -> dict[str, float]:
    vector = {w: (1.0 + math.log(c)) * idf.get(w, 0.0) for w, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    return {w: v / norm for w, v in vector.items()}


def similar_closed_projects(*, actor: Any, project: Project, limit: int = 5) -> list[SimilarProject]:
    """The closed projects most like ``project`` that ``actor`` may see, best first (at most ``limit``)."""
    pool = list(
        visible_projects(actor)
        .filter(status=ProjectStatus.CLOSED)
        .exclude(pk=project.pk)
        .select_related("program")
        .only("pk", "code", "title", "rationale", "objectives", "subdistrict_id", "program")
        .order_by("-created_at", "-pk")[:POOL]
    )
    if not pool:
        return []
    counts = [Counter(_words(_text(p))) for p in pool]
    mine = Counter(_words(_text(project)))
    documents = len(pool) + 1
    frequency: Counter[str] = Counter()
    for c in [*counts, mine]:
        frequency.update(c.keys())
    idf = {w: math.log((1 + documents) / (1 + n)) + 1.0 for w, n in frequency.items()}
    target = _weights(mine, idf)
    area = project.subdistrict_id or ""
    found = []
    for candidate, candidate_counts in zip(pool, counts, strict=True):
        vector = _weights(candidate_counts, idf)
        shared = {w: target[w] * vector[w] for w in target.keys() & vector.keys()}
        text_score = sum(shared.values())
        reasons: list[str] = []
        bonus = 0.0
        if candidate.program_id == project.program_id:
            bonus += PROGRAM_BONUS
            reasons.append(REASON_PROGRAM)
        elif candidate.program.kind == project.program.kind:
            bonus += KIND_BONUS
            reasons.append(REASON_KIND)
        if text_score < TEXT_MIN and REASON_PROGRAM not in reasons:
            continue
        if text_score >= TEXT_MIN:
            reasons.insert(0, REASON_WORDS)
        other = candidate.subdistrict_id or ""
        if area[:4] and other[:4] == area[:4]:
            bonus += PROVINCE_BONUS + DISTRICT_BONUS
            reasons.append(REASON_DISTRICT)
        elif area[:2] and other[:2] == area[:2]:
            bonus += PROVINCE_BONUS
            reasons.append(REASON_PROVINCE)
        words = tuple(w for w, _ in sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))[:SHOWN_WORDS])
        found.append(
            SimilarProject(
                candidate, round(text_score + bonus, 4), round(text_score, 4), tuple(reasons), words
            )
        )
    found.sort(key=lambda s: (-s.score, -s.project.pk))
    return found[:limit]
