"""A small learned ranker for statutes: a linear model over the signals each candidate section has.

Candidates: the union of the BM25 and e5 (max-pooled passages) top ``POOL``. Features per
candidate (``FEATURES``):

* ``lexical``: BM25 score over the query's best BM25 score (0 outside the BM25 pool), and
  ``lexical_rr``, 1 / its BM25 rank;
* ``dense``: e5 cosine of the best passage minus the query's best cosine, ``dense_first`` the
  same for the section's first passage only, and ``dense_rr``, 1 / its e5 rank;
* ``act``: 1 / the rank of the section's Act when Acts are ranked by the sum of their sections'
  RRF scores (Act routing), ``act_dense``: the Act's best cosine minus the query's best;
* ``title``: share of the Act title's distinctive words found in the question;
* ``length``: log(1 + tokens of the section).

The weights are fitted on the tuning half of ``data/lay_questions.csv`` only (logistic regression,
``bench/law_retrieval_subcorpus.py``) and measured on its test half.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from codi.knowledge.models import SECTION_SOURCE, Act
from codi.search import engine
from codi.search.text import tokens

POOL = 100
RRF_K = 60
# Words of nearly every Act title: they say nothing about which Act a question is about.
_GENERIC_TITLE_WORDS = frozenset(
    {"พระราชบัญญัติ", "พระราชกำหนด", "ประกอบรัฐธรรมนูญ", "ว่าด้วย", "พ.ศ.", "พุทธศักราช", "การ", "และ", "แห่ง", "ใน"}
)
FEATURES = (
    "lexical",
    "lexical_rr",
    "dense",
    "dense_first",
    "dense_rr",
    "act",
    "act_dense",
    "title",
    "length",
)


@lru_cache(maxsize=4096)
def title_terms(act_id: str) -> frozenset[str]:
    """The distinctive words of an Act's title."""
    title = Act.objects.filter(act_id=act_id).values_list("title", flat=True).first() or ""
    return frozenset(t for t in tokens(title) if t not in _GENERIC_TITLE_WORDS and not t.isdigit())


@dataclass(frozen=True)
class Candidates:
    """One question's candidate sections and their features (rows of ``matrix`` in ``FEATURES`` order)."""

    ids: list[str]
    matrix: np.ndarray
    lexical: list[tuple[str, float]]  # the BM25 ranking (best first), for comparison
    dense: list[tuple[str, float]]  # the e5 max-pooled ranking
    dense_first: list[tuple[str, float]]  # the e5 first-passage ("whole section") ranking


def candidates(question: str, *, pool: int = POOL) -> Candidates:
    terms = tokens(question)
    lexical_index = engine.lexical_index(SECTION_SOURCE)
    dense_index = engine.dense_index(SECTION_SOURCE)
    lexical = lexical_index.search(terms, pool)
    vector = engine.embed_queries([question])[0] if dense_index.ids else None
    dense_all = dense_index.scores(vector) if vector is not None else np.zeros(0, dtype=np.float32)
    first_all = (
        dense_index.scores(vector, pooling="first") if vector is not None else np.zeros(0, dtype=np.float32)
    )
    dense = engine._top(dense_index.ids, dense_all, pool, positive_only=False) if len(dense_all) else []
    dense_first = engine._top(dense_index.ids, first_all, pool, positive_only=False) if len(first_all) else []
    ids = list(dict.fromkeys([oid for oid, _ in lexical] + [oid for oid, _ in dense]))
    position = {oid: i for i, oid in enumerate(dense_index.ids)}
    lex_pos = {oid: i for i, oid in enumerate(lexical_index.ids)}
    lex_score = dict(lexical)
    lex_rank = {oid: r for r, (oid, _) in enumerate(lexical, start=1)}
    dense_rank = {oid: r for r, (oid, _) in enumerate(dense, start=1)}
    top_lex = max((s for _, s in lexical), default=0.0) or 1.0
    top_dense = float(dense_all.max()) if len(dense_all) else 0.0
    top_first = float(first_all.max()) if len(first_all) else 0.0
    fused: dict[str, float] = defaultdict(float)
    for ranks in (lex_rank, dense_rank):
        for oid, r in ranks.items():
            fused[oid] += 1 / (RRF_K + r)
    by_act: dict[str, float] = defaultdict(float)
    act_dense: dict[str, float] = defaultdict(lambda: -1.0)
    for oid in ids:
        act = oid.partition(":")[0]
        by_act[act] += fused.get(oid, 0.0)
        if oid in position:
            act_dense[act] = max(act_dense[act], float(dense_all[position[oid]]))
    act_rank = {act: r for r, (act, _) in enumerate(sorted(by_act.items(), key=lambda i: -i[1]), start=1)}
    question_terms = frozenset(terms)
    rows = []
    for oid in ids:
        act = oid.partition(":")[0]
        at = position.get(oid)
        title = title_terms(act)
        rows.append(
            [
                lex_score.get(oid, 0.0) / top_lex,
                1 / lex_rank[oid] if oid in lex_rank else 0.0,
                float(dense_all[at]) - top_dense if at is not None else -1.0,
                float(first_all[at]) - top_first if at is not None else -1.0,
                1 / dense_rank[oid] if oid in dense_rank else 0.0,
                1 / act_rank[act],
                act_dense[act] - top_dense if act in act_dense else -1.0,
                len(title & question_terms) / len(title) if title else 0.0,
                math.log1p(float(lexical_index.lengths[lex_pos[oid]])) if oid in lex_pos else 0.0,
            ]
        )
    matrix = np.asarray(rows, dtype=np.float64).reshape(-1, len(FEATURES))
    return Candidates(ids=ids, matrix=matrix, lexical=lexical, dense=dense, dense_first=dense_first)


@dataclass(frozen=True)
class RankerWeights:
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]

    def score(self, matrix: np.ndarray) -> np.ndarray:
        z = (matrix - np.asarray(self.mean)) / np.asarray(self.scale)
        return z @ np.asarray(self.coef)


def rank(found: Candidates, weights: RankerWeights, *, k: int = 10) -> list[tuple[str, float]]:
    if not found.ids:
        return []
    scores = weights.score(found.matrix)
    order = sorted(range(len(found.ids)), key=lambda i: (-scores[i], found.ids[i]))
    return [(found.ids[i], float(scores[i])) for i in order[:k]]
