"""The learned statute ranker: a linear score over each candidate's features, best first."""

from __future__ import annotations

import numpy as np

from codi.knowledge import ranker


def test_the_ranker_puts_first_the_candidate_its_weights_favour():
    n = len(ranker.FEATURES)
    lexical_at, dense_at = ranker.FEATURES.index("lexical"), ranker.FEATURES.index("dense")
    matrix = np.zeros((3, n))
    matrix[0, lexical_at] = 1.0  # "A:1": the best BM25 match, far in meaning
    matrix[0, dense_at] = -0.4
    matrix[1, lexical_at] = 0.3  # "B:2": a weaker BM25 match, the nearest in meaning
    matrix[2, dense_at] = -0.5  # "C:3": neither
    found = ranker.Candidates(ids=["A:1", "B:2", "C:3"], matrix=matrix, lexical=[], dense=[], dense_first=[])
    coef = np.zeros(n)
    coef[dense_at] = 2.0
    coef[lexical_at] = 1.0
    weights = ranker.RankerWeights(mean=(0.0,) * n, scale=(1.0,) * n, coef=tuple(coef))
    assert [oid for oid, _ in ranker.rank(found, weights)] == ["B:2", "A:1", "C:3"]
    lexical_only = ranker.RankerWeights(mean=(0.0,) * n, scale=(1.0,) * n, coef=tuple(np.eye(n)[lexical_at]))
    assert [oid for oid, _ in ranker.rank(found, lexical_only, k=1)] == ["A:1"]
    assert ranker.rank(ranker.Candidates([], np.zeros((0, n)), [], [], []), weights) == []
