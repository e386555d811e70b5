"""The composite index: contributions add up, weights are checked, missing stays missing,
and the sensitivity analysis reports rank changes."""

from __future__ import annotations

import math

import numpy as np
import pytest

from codi.scoring import composite
from codi.scoring.composite import Method, WeightsError

NAN = float("nan")
ENTITIES = ["a", "b", "c", "d", "e"]
KEYS = ["members", "completion", "arrears"]
HIGHER = [True, True, False]
MATRIX = np.array(
    [
        [120, 0.9, 0.0],
        [40, 0.5, 0.4],
        [300, 0.2, 0.1],
        [10, NAN, NAN],  # one of three indicators: under the coverage rule
        [80, 1.0, NAN],
    ]
)


@pytest.mark.parametrize("aggregation", ["arithmetic", "geometric"])
@pytest.mark.parametrize("normalisation", ["minmax", "zscore"])
@pytest.mark.parametrize("weighting", ["equal", "pca", "expert"])
def test_contributions_add_up_to_each_score(aggregation, normalisation, weighting):
    result = composite.compute(
        entities=ENTITIES, keys=KEYS, matrix=MATRIX, higher_is_better=HIGHER,
        method=Method(normalisation, weighting, aggregation),
        expert_weights={"members": 0.2, "completion": 0.5, "arrears": 0.3},
    )  # fmt: skip
    scored = [s for s in result.scores if s.score is not None]
    # whether d and e reach the coverage rule's 50 % depends on the weights
    assert {s.entity for s in scored} >= {"a", "b", "c"}
    for s in scored:
        assert math.fsum(p.contribution for p in s.parts) == s.score
        assert 0 <= s.score <= 100
    assert math.isclose(math.fsum(result.weights.values()), 1.0, abs_tol=1e-12)


def test_minmax_arithmetic_equal_scores_exactly():
    result = composite.compute(
        entities=ENTITIES, keys=KEYS, matrix=MATRIX, higher_is_better=HIGHER, method=Method()
    )
    by = {s.entity: s for s in result.scores}
    # b: members winsorised ranks mid-way; completion and arrears known; contributions per part
    parts = {p.key: p for p in by["a"].parts}
    assert parts["arrears"].normalised == 1.0  # lowest arrears is best
    assert parts["members"].weight == pytest.approx(1 / 3)
    assert by["a"].rank is not None and by["a"].rank <= 2


def test_missing_is_missing_not_zero():
    result = composite.compute(
        entities=ENTITIES, keys=KEYS, matrix=MATRIX, higher_is_better=HIGHER, method=Method()
    )
    by = {s.entity: s for s in result.scores}
    # d has one indicator of three (1/3 of the weight < 50 %): no score, no rank, parts stay empty
    assert by["d"].score is None and by["d"].rank is None
    assert [p.value for p in by["d"].parts][1:] == [None, None]
    # e lacks arrears: its weights are re-scaled over the two it has, not filled with a zero
    e = {p.key: p for p in by["e"].parts}
    assert e["arrears"].value is None and e["arrears"].weight == 0.0
    assert e["members"].weight == pytest.approx(0.5) and e["completion"].weight == pytest.approx(0.5)
    assert by["e"].coverage == pytest.approx(2 / 3)


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"members": 0.5, "completion": 0.3, "arrears": 0.3}, "sum to 1.100000, not 1"),
        ({"members": 0.5, "completion": 0.5}, "no weight for: arrears"),
        ({"members": 1.2, "completion": -0.2, "arrears": 0.0}, "not negative"),
        ({"members": 0.5, "completion": 0.5, "arrears": 0.0, "x": 0.0}, "unknown indicators: x"),
    ],
)
def test_weights_that_do_not_sum_to_one_are_refused(weights, message):
    with pytest.raises(WeightsError, match=message):
        composite.compute(
            entities=ENTITIES, keys=KEYS, matrix=MATRIX, higher_is_better=HIGHER,
            method=Method("minmax", "expert", "arithmetic"), expert_weights=weights,
        )  # fmt: skip


def test_sensitivity_reports_rank_changes():
    # given an index where a geometric mean punishes the unbalanced entity c (many members,
    # few completions) more than an arithmetic mean does
    sens = composite.sensitivity(
        entities=ENTITIES, keys=KEYS, matrix=MATRIX, higher_is_better=HIGHER, baseline=Method(),
        expert_weights={"members": 0.6, "completion": 0.2, "arrears": 0.2},
    )  # fmt: skip
    labels = [s.method.label() for s in sens.scenarios]
    assert len(labels) == 12 and "minmax/equal/arithmetic" in labels
    baseline = next(s for s in sens.scenarios if s.method == Method())
    assert baseline.max_rank_change == 0 and baseline.spearman == pytest.approx(1.0)
    changed = [s for s in sens.scenarios if s.max_rank_change > 0]
    assert changed, "some alternative method must move a rank"
    expert = next(s for s in sens.scenarios if s.method.label() == "minmax/expert/arithmetic")
    assert expert.ranks["c"] < baseline.ranks["c"]  # members weigh more: c climbs
    best, low, high = sens.rank_range["c"]
    assert low is not None and high is not None and low <= best <= high and low < high
    assert sens.rank_range["d"] == (None, None, None)


def test_constant_indicator_normalises_to_the_middle():
    norm = composite.normalise(np.array([[1.0], [1.0], [NAN]]), [True], "minmax")
    assert norm[0, 0] == 0.5 and norm[1, 0] == 0.5 and math.isnan(norm[2, 0])
