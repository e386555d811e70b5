"""Thai text normalisation, word segmentation and the hashed n-gram features the models read.

PyThaiNLP is imported on first use, not when Django loads the app: the web
process pays for it only when a text is actually analysed.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

_SPACE = re.compile(r"\s+")
_REPEAT = re.compile(r"(.)\1{2,}")  # "มากกกกก" and "555555" collapse to three
_URL = re.compile(r"https?://\S+|www\.\S+")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

_tokenizer: Callable[[str], list[str]] | None = None


def normalise(text: str) -> str:
    """NFC, Thai digits to Arabic, lower case, URLs dropped, runs of one character shortened."""
    text = unicodedata.normalize("NFC", text or "").translate(_THAI_DIGITS).lower()
    text = _URL.sub(" ", text)
    text = _REPEAT.sub(r"\1\1\1", text)
    return _SPACE.sub(" ", text).strip()


def _load_tokenizer() -> Callable[[str], list[str]]:
    global _tokenizer
    if _tokenizer is None:
        # heavy: PyThaiNLP is loaded on the first tokenisation only
        from pythainlp.tokenize import word_tokenize

        def tokenize(text: str) -> list[str]:
            return word_tokenize(text, engine="newmm", keep_whitespace=False)

        _tokenizer = tokenize
    return _tokenizer


@lru_cache(maxsize=4096)
def _words_cached(text: str) -> tuple[str, ...]:
    return tuple(w for w in _load_tokenizer()(text) if w.strip() and any(ch.isalnum() for ch in w))


def words(text: str) -> list[str]:
    """Words of a normalised text (PyThaiNLP newmm), punctuation-only tokens dropped.

    Cached: the sentiment and topic models read the same text one after the other.
    """
    if not text:
        return []
    return list(_words_cached(text))


# feature string -> bucket, per dimension: a dict lookup is several times cheaper than encoding
# and hashing each n-gram again, and the same n-grams recur across texts. Bounded.
_BUCKET_CACHE_MAX = 2_000_000
_bucket_caches: dict[int, dict[str, int]] = {}


def _bucket(feature: str, dim: int) -> int:
    cache = _bucket_caches.setdefault(dim, {})
    bucket = cache.get(feature)
    if bucket is None:
        if len(cache) >= _BUCKET_CACHE_MAX:
            cache.clear()
        bucket = cache[feature] = zlib.crc32(feature.encode("utf-8")) % dim
    return bucket


@dataclass(frozen=True)
class FeatureSpec:
    """How texts become vectors; saved with a model so training and use cannot drift apart."""

    dim: int = 1 << 19
    char_min: int = 2
    char_max: int = 4
    word_bigrams: bool = True
    char_weight: float = 0.8

    def as_dict(self) -> dict[str, int | bool | float]:
        return {
            "dim": self.dim,
            "char_min": self.char_min,
            "char_max": self.char_max,
            "word_bigrams": self.word_bigrams,
            "char_weight": self.char_weight,
        }


def text_features(text: str, spec: FeatureSpec) -> tuple[dict[int, float], dict[int, float]]:
    """Counts of hashed word n-grams and character n-grams (two separate blocks)."""
    norm = normalise(text)
    word_counts: dict[int, float] = {}
    tokens = words(norm)
    grams = [f"w:{w}" for w in tokens]
    if spec.word_bigrams:
        grams += [f"b:{a}|{b}" for a, b in itertools.pairwise(tokens)]
    for g in grams:
        k = _bucket(g, spec.dim)
        word_counts[k] = word_counts.get(k, 0.0) + 1.0
    char_counts: dict[int, float] = {}
    padded = f" {norm} "
    cache = _bucket_caches.setdefault(spec.dim, {})
    for n in range(spec.char_min, spec.char_max + 1):
        for i in range(len(padded) - n + 1):
            gram = "c:" + padded[i : i + n]
            bucket = cache.get(gram)
            if bucket is None:
                bucket = _bucket(gram, spec.dim)
            char_counts[bucket] = char_counts.get(bucket, 0.0) + 1.0
    return word_counts, char_counts


@dataclass
class SparseRows:
    """A CSR matrix in three numpy arrays; enough for the products a linear model needs."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    n_cols: int

    @property
    def n_rows(self) -> int:
        return len(self.indptr) - 1

    def row_ids(self) -> np.ndarray:
        return np.repeat(np.arange(self.n_rows), np.diff(self.indptr))

    def dot(self, weights: np.ndarray) -> np.ndarray:
        """X @ W for a dense W of shape (n_cols, k)."""
        rows = self.row_ids()
        contrib = self.data[:, None] * weights[self.indices]
        out = np.zeros((self.n_rows, weights.shape[1]), dtype=np.float64)
        for j in range(out.shape[1]):
            out[:, j] = np.bincount(rows, weights=contrib[:, j], minlength=self.n_rows)
        return out

    def tdot(self, grad_rows: np.ndarray) -> np.ndarray:
        """X.T @ G for a dense G of shape (n_rows, k)."""
        rows = self.row_ids()
        k = grad_rows.shape[1]
        out = np.empty((self.n_cols, k), dtype=np.float64)
        for j in range(k):
            out[:, j] = np.bincount(
                self.indices, weights=self.data * grad_rows[rows, j], minlength=self.n_cols
            )
        return out


def _block(counts: dict[int, float], idf: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    if not counts:
        return np.empty(0, dtype=np.int64), np.empty(0)
    keys = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
    vals = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
    if idf is not None:
        vals = vals * idf[keys]
    norm = np.sqrt((vals * vals).sum())
    return keys, vals / norm if norm else vals


def vectorise(
    texts: Iterable[str], spec: FeatureSpec, idf: np.ndarray | None = None
) -> tuple[SparseRows, list[set[int]]]:
    """Sublinear TF (times IDF when given), each block L2-normalised; also each row's feature set."""
    indptr = [0]
    all_idx: list[np.ndarray] = []
    all_val: list[np.ndarray] = []
    seen: list[set[int]] = []
    for text in texts:
        word_counts, char_counts = text_features(text, spec)
        wk, wv = _block(word_counts, idf)
        ck, cv = _block(char_counts, idf)
        keys = np.concatenate([wk, ck])
        vals = np.concatenate([wv, cv * spec.char_weight])
        all_idx.append(keys)
        all_val.append(vals)
        indptr.append(indptr[-1] + len(keys))
        seen.append(set(word_counts) | set(char_counts))
    indices = np.concatenate(all_idx) if all_idx else np.empty(0, dtype=np.int64)
    data = np.concatenate(all_val) if all_val else np.empty(0)
    return SparseRows(np.asarray(indptr, dtype=np.int64), indices.astype(np.int64), data, spec.dim), seen


def document_frequency_idf(feature_sets: list[set[int]], dim: int) -> np.ndarray:
    """Smoothed IDF over hashed buckets, as scikit-learn computes it (1 + ln((1+n)/(1+df)))."""
    df = np.zeros(dim, dtype=np.float64)
    for features in feature_sets:
        if features:
            df[np.fromiter(features, dtype=np.int64, count=len(features))] += 1
    n = len(feature_sets)
    return (1.0 + np.log((1.0 + n) / (1.0 + df))).astype(np.float32)
