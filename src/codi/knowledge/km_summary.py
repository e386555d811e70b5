"""Extractive Thai summaries: the most central sentences of a report, in their own order.

Used when an officer drafts a lesson from a closed project: the final report's most central
sentences are offered as the lesson's summary, which the officer keeps or edits before saving.
Nothing here writes anything.

* Sentences: PyThaiNLP's ``sent_tokenize`` (the ``whitespace+newline`` engine; the CRF engine needs
  python-crfsuite, which is not installed). Thai writes no full stop, so a space cuts clauses as
  well as sentences: a piece that opens with a connective (และ, แต่, ซึ่ง, ทำให้ …) or is too short
  to stand alone is joined back to the piece before it.
* Ranking: LexRank (Erkan & Radev 2004) — scikit-learn's TF-IDF over the words the search index
  uses (PyThaiNLP ``newmm`` without stopwords), cosine similarity between sentences, and the
  stationary distribution of that similarity graph (PageRank, damping 0.85, power iteration).
  A sentence ranks high when many other sentences say something like it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from codi.search.text import is_mostly_thai, normalise, tokens

# A clause opening with one of these continues the sentence before it.
CONNECTIVES = (
    "และ",
    "แต่",
    "ซึ่ง",
    "โดย",
    "เพื่อ",
    "ทำให้",
    "จึง",
    "หรือ",
    "รวมทั้ง",
    "ตลอดจน",
    "เนื่องจาก",
    "เพราะ",
    "จน",
    "ที่",
    "กับ",
    "ส่งผลให้",
)
MIN_SENTENCE_CHARS = 25  # a sentence shorter than this takes the next piece in
MIN_PIECE_CHARS = 12  # a piece shorter than this (a list item, a name) joins the sentence before it
DAMPING = 0.85
SUMMARY_CHARS = 600  # Article.summary

PROBLEM_EMPTY = "empty"
PROBLEM_NOT_THAI = "not_thai"
PROBLEM_TOO_SHORT = "too_short"


@dataclass(frozen=True)
class Summary:
    sentences: tuple[str, ...]
    problem: str = ""  # PROBLEM_* when no summary could be suggested

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


def _sent_tokenize(text: str) -> list[str]:
    from pythainlp.tokenize import sent_tokenize  # heavy: PyThaiNLP loads on the first summary

    pieces: list[str] = [str(s) for s in sent_tokenize(text, engine="whitespace+newline")]
    return [s.strip() for s in pieces if s.strip()]


def sentences(text: str) -> list[str]:
    """``text`` cut into Thai sentences; a line break always ends one, a space only when no clause follows."""
    out: list[str] = []
    for line in (text or "").replace("\r", "\n").split("\n"):
        line_sentences: list[str] = []
        for piece in _sent_tokenize(line) if line.strip() else []:
            continues = (
                piece.startswith(CONNECTIVES)
                or len(piece) < MIN_PIECE_CHARS
                # A number is spaced from its unit ("30 ปี", "300 บาท"): the unit belongs with it.
                or bool(line_sentences and line_sentences[-1][-1:].isdigit())
            )
            if line_sentences and (continues or len(line_sentences[-1]) < MIN_SENTENCE_CHARS):
                line_sentences[-1] = f"{line_sentences[-1]} {piece}"
            else:
                line_sentences.append(piece)
        out.extend(line_sentences)
    return out


def _centrality(parts: list[str]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer  # heavy: scikit-learn, only for a summary

    vectoriser = TfidfVectorizer(analyzer=tokens, sublinear_tf=True)
    matrix: Any = vectoriser.fit_transform(parts)  # rows are L2-normalised
    similarity = (matrix @ matrix.T).toarray()
    np.fill_diagonal(similarity, 0.0)
    n = len(parts)
    totals = similarity.sum(axis=1, keepdims=True)
    # A sentence sharing no word with any other spreads its vote evenly.
    transition = np.where(totals > 0, similarity / np.where(totals > 0, totals, 1.0), 1.0 / n)
    rank = np.full(n, 1.0 / n)
    for _ in range(100):
        updated = (1 - DAMPING) / n + DAMPING * transition.T @ rank
        if np.abs(updated - rank).sum() < 1e-9:
            return updated
        rank = updated
    return rank


def summarise_report(text: str, *, max_sentences: int = 3, max_chars: int = SUMMARY_CHARS) -> Summary:
    """The ``max_sentences`` most central sentences of ``text`` that fit ``max_chars``, in source order."""
    text = (text or "").strip()
    if not text:
        return Summary((), PROBLEM_EMPTY)
    if not is_mostly_thai(text):
        return Summary((), PROBLEM_NOT_THAI)
    parts = [normalise(s) for s in sentences(text)]
    parts = [s for s in parts if tokens(s)]
    if not parts:
        return Summary((), PROBLEM_NOT_THAI)
    if len(parts) < 2:
        return Summary((), PROBLEM_TOO_SHORT)
    scores = _centrality(parts)
    order = sorted(range(len(parts)), key=lambda i: (-scores[i], i))
    picked: list[int] = []
    used = 0
    for i in order:
        cost = len(parts[i]) + (1 if picked else 0)
        if len(picked) >= max_sentences:
            break
        if used + cost <= max_chars:
            picked.append(i)
            used += cost
    if not picked:  # even the best sentence is longer than the field: cut it at a word boundary
        best = parts[order[0]]
        return Summary((best[:max_chars].rsplit(" ", 1)[0],))
    return Summary(tuple(parts[i] for i in sorted(picked)))
