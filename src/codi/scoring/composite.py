"""The composite index: normalisation, weights, aggregation, contributions, sensitivity.

Pure numbers in, numbers out (numpy; no database), following the OECD/JRC Handbook on
Constructing Composite Indicators (2008):

* **Normalisation** of each indicator over the entities of one period:
  ``minmax`` — winsorise at the 5th and 95th percentiles, then ``(x - lo) / (hi - lo)``;
  ``zscore`` — winsorise the same way, standardise, then map ``z`` from [-3, 3] onto [0, 1].
  An indicator where lower is better is flipped (``1 - n``). Where every entity has the same
  value the indicator says nothing about their differences and normalises to 0.5.
* **Weights**: ``equal``; ``expert`` (a recorded decision gives them); ``pca`` — the squared
  loadings of the first principal component of the normalised, complete rows (Handbook §6.1).
  Weights must be non-negative and sum to 1 (checked to 1e-9), else ``WeightsError``.
* **Aggregation**: ``arithmetic`` (sum of w·n) or ``geometric`` (product of n^w, each n floored
  at 0.01 so that one zero does not wipe out the rest).
* **Missing data**: a missing value is never a zero. An entity's weights are re-scaled over the
  indicators it has; with less than ``MIN_COVERAGE`` of the total weight present its score is
  missing too.
* **Contributions**: arithmetic — ``w'·n`` per indicator; geometric — the score shared in
  proportion to ``w'·ln n`` (equal shares when every n is 1). The score is *defined* as the sum
  of its contributions (``math.fsum``), so they add up to it.
* **Sensitivity**: the index is recomputed under every alternative normalisation × weighting ×
  aggregation; each entity's rank in each scenario, and per scenario the mean and largest rank
  change and Spearman's rank correlation with the chosen method.

Scores are on a 0–100 scale.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

NORMALISATIONS = ("minmax", "zscore")
WEIGHTINGS = ("equal", "expert", "pca")
AGGREGATIONS = ("arithmetic", "geometric")
WINSOR = (5.0, 95.0)
MIN_COVERAGE = 0.5
GEOMETRIC_FLOOR = 0.01


class WeightsError(ValueError):
    """Weights that are negative, name unknown indicators, or do not sum to 1."""


@dataclass(frozen=True)
class Method:
    normalisation: str = "minmax"
    weighting: str = "equal"
    aggregation: str = "arithmetic"

    def label(self) -> str:
        return f"{self.normalisation}/{self.weighting}/{self.aggregation}"


@dataclass
class Part:
    key: str
    value: float | None
    normalised: float | None
    weight: float  # the weight used for this entity (re-scaled over what it has)
    contribution: float


@dataclass
class EntityScore:
    entity: str
    score: float | None
    coverage: float  # share of the total weight whose indicator has a value
    parts: list[Part] = field(default_factory=list)
    rank: int | None = None


@dataclass
class IndexResult:
    method: Method
    weights: dict[str, float]
    scores: list[EntityScore]


def check_weights(weights: Mapping[str, float], keys: Sequence[str]) -> dict[str, float]:
    """The weights, refused unless each indicator has one, none is negative and they sum to 1."""
    unknown = sorted(set(weights) - set(keys))
    if unknown:
        raise WeightsError(f"weights name unknown indicators: {', '.join(unknown)}")
    absent = [k for k in keys if k not in weights]
    if absent:
        raise WeightsError(f"no weight for: {', '.join(absent)}")
    if any(w < 0 or not math.isfinite(w) for w in weights.values()):
        raise WeightsError("weights must be finite and not negative")
    total = math.fsum(weights.values())
    if abs(total - 1.0) > 1e-9:
        raise WeightsError(f"weights sum to {total:.6f}, not 1")
    return {k: float(weights[k]) for k in keys}


def _winsorised(column: np.ndarray) -> np.ndarray:
    present = column[~np.isnan(column)]
    if present.size == 0:
        return column
    lo, hi = np.percentile(present, WINSOR)
    return np.clip(column, lo, hi)


def normalise(matrix: np.ndarray, higher_is_better: Sequence[bool], method: str) -> np.ndarray:
    """Entities × indicators, NaN for missing → the same shape on [0, 1], NaN kept."""
    if method not in NORMALISATIONS:
        raise ValueError(f"unknown normalisation {method!r}")
    out = np.full(matrix.shape, np.nan)
    for j in range(matrix.shape[1]):
        col = _winsorised(matrix[:, j].astype(float))
        present = ~np.isnan(col)
        if not present.any():
            continue
        if method == "minmax":
            lo, hi = np.nanmin(col), np.nanmax(col)
            n = np.where(present, 0.5, np.nan) if hi == lo else (col - lo) / (hi - lo)
        else:
            mean, sd = np.nanmean(col), np.nanstd(col)
            n = np.where(present, 0.5, np.nan) if sd == 0 else (np.clip((col - mean) / sd, -3, 3) + 3) / 6
        out[:, j] = n if higher_is_better[j] else 1.0 - n
    return out


def pca_weights(normalised: np.ndarray, keys: Sequence[str]) -> dict[str, float]:
    """Squared loadings of the first principal component over the complete rows; equal weights
    when fewer than three complete rows or no variance leave nothing to learn from."""
    complete = normalised[~np.isnan(normalised).any(axis=1)]
    k = len(keys)
    if complete.shape[0] < 3 or np.allclose(complete.std(axis=0), 0):
        return {key: 1.0 / k for key in keys}
    centred = complete - complete.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    squared = vt[0] ** 2
    squared = squared / squared.sum()
    weights = {key: float(w) for key, w in zip(keys, squared, strict=True)}
    # Make the sum exactly 1 by giving the float residue to the largest weight.
    top = max(weights, key=lambda key: weights[key])
    weights[top] += 1.0 - math.fsum(weights.values())
    return weights


def _weights_for(
    method: Method, normalised: np.ndarray, keys: Sequence[str], expert: Mapping[str, float] | None
) -> dict[str, float]:
    if method.weighting == "equal":
        weights = {k: 1.0 / len(keys) for k in keys}
        weights[keys[-1]] += 1.0 - math.fsum(weights.values())
        return weights
    if method.weighting == "expert":
        if expert is None:
            raise WeightsError("expert weighting needs a recorded weight decision")
        return check_weights(expert, keys)
    if method.weighting == "pca":
        return pca_weights(normalised, keys)
    raise ValueError(f"unknown weighting {method.weighting!r}")


@dataclass
class _Vectors:
    """The index of every entity as arrays: entities × indicators, NaN for missing."""

    norm: np.ndarray
    weights: dict[str, float]
    scaled: np.ndarray  # the weight each entity's indicator gets (re-scaled over what it has)
    contrib: np.ndarray
    score: np.ndarray  # NaN where the coverage rule leaves no score
    coverage: np.ndarray
    rank: np.ndarray  # 0 where no score


def _ranks(score: np.ndarray) -> np.ndarray:
    """Rank 1 = highest; equal scores share the better rank; 0 for a missing score."""
    present = ~np.isnan(score)
    out = np.zeros(score.shape, dtype=np.int64)
    if present.any():
        descending = np.sort(-score[present])
        out[present] = np.searchsorted(descending, -score[present], side="left") + 1
    return out


def _vectors(
    matrix: np.ndarray,
    keys: Sequence[str],
    higher_is_better: Sequence[bool],
    method: Method,
    expert_weights: Mapping[str, float] | None,
    *,
    exact: bool = True,
) -> _Vectors:
    if method.aggregation not in AGGREGATIONS:
        raise ValueError(f"unknown aggregation {method.aggregation!r}")
    norm = normalise(matrix, higher_is_better, method.normalisation)
    weights = _weights_for(method, norm, keys, expert_weights)
    check_weights(weights, keys)
    w = np.array([weights[k] for k in keys])
    present = ~np.isnan(norm)
    coverage = present.astype(float) @ w
    scored = (coverage >= MIN_COVERAGE) & (coverage > 0)
    safe_cov = np.where(scored, coverage, 1.0)
    scaled = np.where(present & scored[:, None], w[None, :] / safe_cov[:, None], 0.0)
    filled = np.nan_to_num(norm, nan=1.0)
    if method.aggregation == "arithmetic":
        contrib = 100.0 * scaled * np.where(present, filled, 0.0)
    else:
        logs = scaled * np.log(np.maximum(filled, GEOMETRIC_FLOOR))
        total = logs.sum(axis=1)
        geo = 100.0 * np.exp(total)
        safe_total = np.where(total == 0, 1.0, total)
        contrib = np.where(
            (total == 0)[:, None], geo[:, None] * scaled, geo[:, None] * logs / safe_total[:, None]
        )
    contrib = np.where(scored[:, None], contrib, 0.0)
    # The score is the exact sum of its contributions (``math.fsum``); the sensitivity scenarios,
    # which only rank, take numpy's sum.
    if exact:
        score = np.array(
            [
                math.fsum(row) if ok else math.nan
                for row, ok in zip(contrib.tolist(), scored.tolist(), strict=True)
            ]
        )
    else:
        score = np.where(scored, contrib.sum(axis=1), np.nan)
    return _Vectors(norm, weights, scaled, contrib, score, coverage, _ranks(score))


def compute(
    *,
    entities: Sequence[str],
    keys: Sequence[str],
    matrix: np.ndarray,
    higher_is_better: Sequence[bool],
    method: Method,
    expert_weights: Mapping[str, float] | None = None,
) -> IndexResult:
    """The index of every entity under one method (see the module docstring)."""
    if matrix.shape != (len(entities), len(keys)):
        raise ValueError("matrix shape does not match entities × indicators")
    v = _vectors(matrix, keys, higher_is_better, method, expert_weights)
    raw = matrix.tolist()
    norm = v.norm.tolist()
    scaled = v.scaled.tolist()
    contrib = v.contrib.tolist()
    scores = []
    for i, entity in enumerate(entities):
        has_score = not math.isnan(v.score[i])
        parts = [
            Part(
                key=k,
                value=None if math.isnan(raw[i][j]) else float(raw[i][j]),
                normalised=None if math.isnan(norm[i][j]) else norm[i][j],
                weight=scaled[i][j],
                contribution=contrib[i][j],
            )
            for j, k in enumerate(keys)
        ]
        scores.append(
            EntityScore(
                entity=entity,
                score=float(v.score[i]) if has_score else None,
                coverage=float(v.coverage[i]),
                parts=parts,
                rank=int(v.rank[i]) if has_score else None,
            )
        )
    return IndexResult(method=method, weights=v.weights, scores=scores)


@dataclass
class Scenario:
    method: Method
    mean_rank_change: float
    max_rank_change: int
    spearman: float | None
    ranks: dict[str, int | None]


@dataclass
class Sensitivity:
    baseline: Method
    scenarios: list[Scenario]
    # Per entity: its rank under the chosen method, best and worst rank over every scenario.
    rank_range: dict[str, tuple[int | None, int | None, int | None]]


def _spearman(a: list[int], b: list[int]) -> float | None:
    if len(a) < 3:
        return None
    ra, rb = np.asarray(a, float), np.asarray(b, float)
    if ra.std() == 0 or rb.std() == 0:
        return None
    return float(np.corrcoef(ra, rb)[0, 1])


def sensitivity(
    *,
    entities: Sequence[str],
    keys: Sequence[str],
    matrix: np.ndarray,
    higher_is_better: Sequence[bool],
    baseline: Method,
    expert_weights: Mapping[str, float] | None = None,
) -> Sensitivity:
    """Scores and ranks under every alternative method; rank changes against ``baseline``."""
    base = _vectors(matrix, keys, higher_is_better, baseline, expert_weights, exact=False).rank
    scenarios: list[Scenario] = []
    best = np.where(base > 0, base, np.iinfo(np.int64).max)
    worst = base.copy()
    for norm_name in NORMALISATIONS:
        for weighting in WEIGHTINGS:
            if weighting == "expert" and expert_weights is None:
                continue
            for agg in AGGREGATIONS:
                method = Method(norm_name, weighting, agg)
                ranks = (
                    base
                    if method == baseline
                    else _vectors(matrix, keys, higher_is_better, method, expert_weights).rank
                )
                both = (ranks > 0) & (base > 0)
                changes = np.abs(ranks[both] - base[both])
                best = np.where(both, np.minimum(best, ranks), best)
                worst = np.where(both, np.maximum(worst, ranks), worst)
                scenarios.append(
                    Scenario(
                        method=method,
                        mean_rank_change=float(changes.mean()) if changes.size else 0.0,
                        max_rank_change=int(changes.max()) if changes.size else 0,
                        spearman=_spearman(base[both].tolist(), ranks[both].tolist()),
                        ranks={e: (int(r) or None) for e, r in zip(entities, ranks.tolist(), strict=True)},
                    )
                )
    rank_range: dict[str, tuple[int | None, int | None, int | None]] = {
        e: (int(b), int(lo), int(hi)) if b > 0 else (None, None, None)
        for e, b, lo, hi in zip(entities, base.tolist(), best.tolist(), worst.tolist(), strict=True)
    }
    return Sensitivity(baseline=baseline, scenarios=scenarios, rank_range=rank_range)
