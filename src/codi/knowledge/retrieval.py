"""Statute retrieval for the law assistant: lexical, dense, plain hybrid, and the tuned "final" ranking.

``final`` fuses the BM25 and e5 rankings of the search service with *weighted* reciprocal-rank
fusion, then adds two signals the plain hybrid lacks:

* **Act routing** — sections of the Acts that the fused pool ranks highest as a whole (sum of
  their sections' fused scores) are lifted: a lay question usually lands in the right Act even
  when it misses the right section, and the other sections of that Act are the next best guesses;
* **Act-title match** — the share of the Act title's distinctive words found in the question
  ("ประกันสังคม", "สหกรณ์", "ป่าชุมชน"...).

The weights (``FinalWeights``) were tuned on the *tuning* half of the lay question set
(``data/lay_questions.csv``) and are measured on its *test* half (``bench/law_retrieval.py``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from codi.knowledge import ranker
from codi.knowledge.models import SECTION_SOURCE
from codi.knowledge.ranker import title_terms as _title_terms
from codi.search import engine
from codi.search.text import tokens

METHODS = ("lexical", "dense", "hybrid", "final")
POOL = 100
# How the dense side scores a section split into passages (codi.search.passages): "first" (its first
# passage, what every figure before passages measured) or "max" (its best passage). Kept at the
# measured winner on the tuning half (bench/results/law_retrieval_subcorpus.json).
DENSE_POOLING = "first"
# The learned ranker (codi.knowledge.ranker) that ``final`` uses when set; None: the weighted RRF below.
# Fitted on the tuning half only (bench/results/law_retrieval_subcorpus.json, 58-Act sub-corpus, 3,714
# sections): 4-fold CV on the tuning half HR@10 0.838 / MRR@10 0.599 against 0.812 / 0.551 for the
# weighted RRF; on the test half 0.923 / 0.629 against 0.859 / 0.519 — so it is the default.
RANKER_WEIGHTS: ranker.RankerWeights | None = ranker.RankerWeights(
    mean=(0.295184, 0.031975, -0.044106, -0.051267, 0.031994, 0.506813, -0.023628, 0.14277, 4.451336),
    scale=(0.267971, 0.095191, 0.022085, 0.024797, 0.095186, 0.386017, 0.024826, 0.317999, 0.645681),
    coef=(0.711001, 0.020156, 1.130148, 1.049736, 0.222447, 0.374579, 0.363167, -0.305716, -0.03768),
)


@dataclass(frozen=True)
class FinalWeights:
    lexical: float = 0.5
    dense: float = 1.0
    rrf_k: int = 30
    act: float = 0.5  # weight of the Act-level fused rank
    title: float = 0.01  # weight of the Act-title word share

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


# Chosen on the tuning half (80 questions, bundled 28 Acts, 2026-12-07): the best of 240 settings by
# HR@10 + MRR@10 (bench/results/law_retrieval_tuning.json). The Act-title match did not help there (0).
FINAL_WEIGHTS = FinalWeights(lexical=0.75, dense=1.0, rrf_k=10, act=2.0, title=0.0)


@dataclass(frozen=True)
class Pools:
    """The two candidate rankings of one question, kept so that fusion weights can be tried cheaply."""

    lexical: list[tuple[str, float]]
    dense: list[tuple[str, float]]
    question_terms: frozenset[str]


def pools(question: str, *, pool: int = POOL) -> Pools:
    lexical = [
        (h.object_id, h.score) for h in engine.search(SECTION_SOURCE, question, k=pool, method="lexical")
    ]
    dense = [
        (h.object_id, h.score)
        for h in engine.search(SECTION_SOURCE, question, k=pool, method="dense", pooling=DENSE_POOLING)
    ]
    return Pools(lexical=lexical, dense=dense, question_terms=frozenset(tokens(question)))


def clear_cache() -> None:
    _title_terms.cache_clear()


def fuse(candidates: Pools, weights: FinalWeights = FINAL_WEIGHTS) -> list[tuple[str, float]]:
    """Weighted RRF of the two rankings, plus Act routing and Act-title match; best first."""
    fused: dict[str, float] = defaultdict(float)
    for weight, ranking in ((weights.lexical, candidates.lexical), (weights.dense, candidates.dense)):
        for rank, (object_id, _score) in enumerate(ranking, start=1):
            fused[object_id] += weight / (weights.rrf_k + rank)
    by_act: dict[str, float] = defaultdict(float)
    for object_id, score in fused.items():
        by_act[object_id.partition(":")[0]] += score
    act_rank = {act: r for r, (act, _s) in enumerate(sorted(by_act.items(), key=lambda i: -i[1]), start=1)}
    scored = []
    for object_id, score in fused.items():
        act_id = object_id.partition(":")[0]
        score += weights.act / (weights.rrf_k + act_rank[act_id])
        if weights.title:
            terms = _title_terms(act_id)
            if terms:
                score += weights.title * len(terms & candidates.question_terms) / len(terms)
        scored.append((object_id, score))
    return sorted(scored, key=lambda item: (-item[1], item[0]))


def retrieve_law(question: str, *, k: int = 10, method: str = "final") -> list[tuple[str, float]]:
    """The best ``k`` sections as ("act_id:number", score) by ``method`` (see ``METHODS``)."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}")
    if method != "final":
        hits = engine.search(SECTION_SOURCE, question, k=k, method=method, pooling=DENSE_POOLING)
        return [(h.object_id, h.score) for h in hits]
    return [(hit.object_id, hit.score) for hit in final_hits(question, k=k)]


def final_hits(question: str, *, k: int = 10) -> list[engine.Hit]:
    """The ``final`` ranking as search hits, each with its own BM25 and e5 scores (0 where the
    section was not in that pool), for the answer page's support check."""
    if RANKER_WEIGHTS is not None:
        found = ranker.candidates(question)
        if found.dense:
            dense_pool = found.dense if DENSE_POOLING == "max" else found.dense_first
            return _hits(ranker.rank(found, RANKER_WEIGHTS, k=k), found.lexical, dense_pool)
    candidates = pools(question)
    # No section vectors yet (a fresh install before the worker has embedded the corpus): the
    # fusion weights and the Act lift were tuned with both rankings, so with one of them the lift
    # amplifies lexical noise. The plain lexical order is the better answer then.
    ranking = fuse(candidates)[:k] if candidates.dense else candidates.lexical[:k]
    return _hits(ranking, candidates.lexical, candidates.dense)


def _hits(
    ranking: list[tuple[str, float]],
    lexical_pool: list[tuple[str, float]],
    dense_pool: list[tuple[str, float]],
) -> list[engine.Hit]:
    lexical = dict(lexical_pool)
    dense = dict(dense_pool)
    lexical_rank = {object_id: r for r, (object_id, _s) in enumerate(lexical_pool, start=1)}
    dense_rank = {object_id: r for r, (object_id, _s) in enumerate(dense_pool, start=1)}
    return [
        engine.Hit(
            object_id=object_id,
            score=score,
            lexical_rank=lexical_rank.get(object_id),
            dense_rank=dense_rank.get(object_id),
            lexical_score=lexical.get(object_id, 0.0),
            dense_score=dense.get(object_id, 0.0),
        )
        for object_id, score in ranking
    ]


def ranked_ids(ranking: Sequence[tuple[str, float]]) -> list[tuple[str, str]]:
    return [tuple(object_id.split(":", 1)) for object_id, _ in ranking]  # type: ignore[misc]
