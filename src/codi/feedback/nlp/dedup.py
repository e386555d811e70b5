"""Near-duplicate detection: MinHash over character 3-grams of the normalised text.

The same problem reported many times, with small changes of wording, gets
signatures whose agreement estimates the Jaccard similarity of the two texts'
3-gram sets. 64 hash functions from a fixed seed: a signature is 64 integers,
stored with the ticket, so comparing a new report with the recent ones in its
province is one numpy comparison.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence

import numpy as np

from codi.feedback.nlp.text import normalise

NUM_HASHES = 64
SHINGLE = 3
DUPLICATE_THRESHOLD = 0.5
_PRIME = (1 << 61) - 1
_rng = np.random.default_rng(20260101)
_A = _rng.integers(1, _PRIME, size=NUM_HASHES, dtype=np.uint64)
_B = _rng.integers(0, _PRIME, size=NUM_HASHES, dtype=np.uint64)
_NOT_TEXT = re.compile(r"[\s\W_]+")


def shingles(text: str) -> set[str]:
    compact = _NOT_TEXT.sub("", normalise(text))
    if len(compact) <= SHINGLE:
        return {compact} if compact else set()
    return {compact[i : i + SHINGLE] for i in range(len(compact) - SHINGLE + 1)}


def signature(text: str) -> list[int]:
    """64 minimum hash values (as Python ints, JSON-safe); all zeros for an empty text."""
    grams = shingles(text)
    if not grams:
        return [0] * NUM_HASHES
    values = np.fromiter((zlib.crc32(g.encode("utf-8")) for g in grams), dtype=np.uint64, count=len(grams))
    # (a*x + b) mod p, in uint64 arithmetic that wraps; the low 32 bits are enough for comparing.
    hashed = (_A[:, None] * values[None, :] + _B[:, None]) & np.uint64(0xFFFFFFFF)
    return [int(v) for v in hashed.min(axis=1)]


def similarity(first: Sequence[int], second: Sequence[int]) -> float:
    """Estimated Jaccard similarity of two signatures."""
    a, b = np.asarray(first), np.asarray(second)
    if not a.any() or not b.any():
        return 0.0
    return float((a == b).mean())


def best_match(sig: Sequence[int], candidates: Sequence[Sequence[int]]) -> tuple[int, float]:
    """Index and similarity of the most similar candidate (-1, 0.0 when there are none)."""
    if not candidates or not any(sig):
        return -1, 0.0
    matrix = np.asarray(candidates, dtype=np.uint64)
    scores = (matrix == np.asarray(sig, dtype=np.uint64)[None, :]).mean(axis=1)
    best = int(scores.argmax())
    return best, float(scores[best])


def cluster(texts: Sequence[str], threshold: float = DUPLICATE_THRESHOLD) -> list[int]:
    """Cluster ids (index of each cluster's first text) by single-link over signature similarity."""
    sigs = [signature(t) for t in texts]
    labels: list[int] = []
    for i, sig in enumerate(sigs):
        j, score = best_match(sig, sigs[:i])
        labels.append(labels[j] if j >= 0 and score >= threshold else i)
    return labels
