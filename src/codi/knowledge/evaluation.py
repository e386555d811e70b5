"""Retrieval for evaluation: rank sections for questions, and score rankings against gold answers."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from codi.knowledge.models import SECTION_SOURCE
from codi.knowledge.retrieval import DENSE_POOLING
from codi.search import engine

METHODS = ("lexical", "dense", "hybrid")
DEV_QUESTIONS = Path(__file__).resolve().parent / "data" / "dev_questions.csv"


@dataclass(frozen=True)
class Question:
    qid: str
    question: str
    act_id: str = ""
    section: str = ""


def read_questions(path: Path) -> list[Question]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [
            Question(
                qid=row["qid"].strip(),
                question=row["question"],
                act_id=(row.get("act_id") or "").strip(),
                section=(row.get("section") or "").strip(),
            )
            for row in csv.DictReader(handle)
        ]


def retrieve(question: str, *, k: int = 10, method: str = "hybrid") -> list[tuple[str, str]]:
    """The top ``k`` sections as (act_id, section number)."""
    hits = engine.search(SECTION_SOURCE, question, k=k, method=method, pooling=DENSE_POOLING)
    return [tuple(h.object_id.split(":", 1)) for h in hits]  # type: ignore[misc]


def write_rankings(path: Path, rankings: Iterable[tuple[str, list[tuple[str, str]]]]) -> int:
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["qid", "rank", "act_id", "section"])
        for qid, ranked in rankings:
            for rank, (act_id, section) in enumerate(ranked, start=1):
                writer.writerow([qid, rank, act_id, section])
                rows += 1
    return rows


@dataclass(frozen=True)
class Scores:
    hr1: float
    hr5: float
    hr10: float
    mrr10: float
    n: int

    def as_dict(self) -> dict[str, float]:
        return {"HR@1": self.hr1, "HR@5": self.hr5, "HR@10": self.hr10, "MRR@10": self.mrr10, "n": self.n}


def score(gold: Sequence[Question], ranked: dict[str, list[tuple[str, str]]]) -> Scores:
    """Hit rate at 1/5/10 and mean reciprocal rank at 10 of the gold (act, section) in each ranking."""
    hits = {1: 0, 5: 0, 10: 0}
    rr = 0.0
    for q in gold:
        ranking = ranked.get(q.qid, [])[:10]
        position = next((i for i, item in enumerate(ranking, start=1) if item == (q.act_id, q.section)), None)
        if position is not None:
            rr += 1 / position
            for cut in hits:
                if position <= cut:
                    hits[cut] += 1
    n = len(gold) or 1
    return Scores(
        hr1=round(hits[1] / n, 3),
        hr5=round(hits[5] / n, 3),
        hr10=round(hits[10] / n, 3),
        mrr10=round(rr / n, 3),
        n=len(gold),
    )


def evaluate(questions: Sequence[Question], *, methods: Sequence[str] = METHODS) -> dict[str, Scores]:
    return {
        method: score(questions, {q.qid: retrieve(q.question, k=10, method=method) for q in questions})
        for method in methods
    }


# --- the lay question set (issue 25): questions as people ask them, split tuning / test ---------

LAY_QUESTIONS = Path(__file__).resolve().parent / "data" / "lay_questions.csv"


@dataclass(frozen=True)
class LayQuestion:
    qid: str
    question: str
    act_id: str
    sections: tuple[str, ...]  # any of them answers the question
    kind: str  # plain | wrong_act | two_sections (space-separated)
    split: str  # tune | test: fixed in the file before any tuning

    @property
    def gold(self) -> frozenset[tuple[str, str]]:
        return frozenset((self.act_id, s) for s in self.sections)


def read_lay_questions(path: Path = LAY_QUESTIONS, *, split: str | None = None) -> list[LayQuestion]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [
            LayQuestion(
                qid=row["qid"],
                question=row["question"],
                act_id=row["act_id"],
                sections=tuple(s.strip() for s in row["sections"].split(";") if s.strip()),
                kind=row["kind"],
                split=row["split"],
            )
            for row in csv.DictReader(handle)
        ]
    return [q for q in rows if split is None or q.split == split]


def score_lay(questions: Sequence[LayQuestion], ranked: dict[str, list[tuple[str, str]]]) -> Scores:
    """As ``score``, where a question is hit by the first of its gold sections in the ranking;
    ``act_hr10`` (the right Act anywhere in the top 10) is reported beside it by ``act_hit_rate``."""
    hits = {1: 0, 5: 0, 10: 0}
    rr = 0.0
    for q in questions:
        ranking = ranked.get(q.qid, [])[:10]
        position = next((i for i, item in enumerate(ranking, start=1) if item in q.gold), None)
        if position is not None:
            rr += 1 / position
            for cut in hits:
                if position <= cut:
                    hits[cut] += 1
    n = len(questions) or 1
    return Scores(
        hr1=round(hits[1] / n, 3),
        hr5=round(hits[5] / n, 3),
        hr10=round(hits[10] / n, 3),
        mrr10=round(rr / n, 3),
        n=len(questions),
    )


def act_hit_rate(questions: Sequence[LayQuestion], ranked: dict[str, list[tuple[str, str]]]) -> float:
    hit = sum(1 for q in questions if any(act == q.act_id for act, _ in ranked.get(q.qid, [])[:10]))
    return round(hit / (len(questions) or 1), 3)
