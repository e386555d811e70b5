"""law_retrieval: HR@1/5/10 and MRR@10 on the development questions, lexical vs dense vs hybrid.

Two corpora, each scored in one run per method:

- ``bundled``: the 28 Acts shipped with the platform, on a SQLite database under
  ``var/bench-law-bundled/`` (built and embedded on first use, ~2,350 sections; reused after);
- ``full``: the 671-Act corpus indexed by ``law_index`` under ``var/bench-law/`` (skipped,
  and said so, when that index is missing or not fully embedded).

Questions: ``src/codi/knowledge/data/dev_questions.csv`` (paraphrased staff questions, gold Act
and section). Goal (issue): hybrid HR@10 >= 0.75 and hybrid better than lexical.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

from bench import common

NAME = "law_retrieval"
GOAL_HR10 = 0.75
BUNDLED_DIR = Path(os.environ.get("LAW_BUNDLED_BENCH_DIR", common.REPO / "var" / "bench-law-bundled"))
FULL_DIR = Path(os.environ.get("LAW_BENCH_DIR", common.REPO / "var" / "bench-law"))


def _worker(corpus: str) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from codi.knowledge.evaluation import DEV_QUESTIONS, evaluate, read_questions
    from codi.knowledge.models import SECTION_SOURCE
    from codi.knowledge.services import BUNDLED_DIR as ACTS
    from codi.knowledge.services import statutes_import
    from codi.search.selectors import index_progress
    from codi.search.services import index_embed_pending

    if corpus == "bundled":
        statutes_import(directory=ACTS)
        index_embed_pending(source=SECTION_SOURCE)
    progress = index_progress(source=SECTION_SOURCE)
    questions = read_questions(DEV_QUESTIONS)
    # Dense and hybrid over a partly embedded index would score a different corpus: lexical only then.
    methods = ("lexical", "dense", "hybrid") if progress.dense_ready else ("lexical",)
    scores = evaluate(questions, methods=methods)
    result: dict[str, Any] = {
        "sections": progress.chunks,
        "embedded": progress.embedded,
        "questions": len(questions),
        **{m: s.as_dict() for m, s in scores.items()},
    }
    if not progress.dense_ready:
        result["dense_skipped"] = f"only {progress.embedded}/{progress.chunks} sections embedded"
    return result


def run() -> dict[str, Any]:
    load = common.load_average()
    BUNDLED_DIR.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {}
    for corpus, folder in (("bundled", BUNDLED_DIR), ("full", FULL_DIR)):
        if corpus == "full" and not (folder / "codi.sqlite3").exists():
            results[corpus] = {"skipped": "run law_index first (it builds the full-corpus index)"}
            continue
        output = common.run_child(
            ["-m", "bench.law_retrieval", "--worker", corpus], common.fresh_env(folder), timeout=3 * 3600
        )
        results[corpus] = common.last_json_line(output)
    goals: dict[str, bool] = {}
    for corpus, result in results.items():
        if "skipped" in result or "hybrid" not in result:
            continue
        goals[f"{corpus}_hybrid_hr10_at_least_0.75"] = result["hybrid"]["HR@10"] >= GOAL_HR10
        goals[f"{corpus}_hybrid_beats_lexical"] = (result["hybrid"]["HR@10"], result["hybrid"]["MRR@10"]) > (
            result["lexical"]["HR@10"],
            result["lexical"]["MRR@10"],
        )
    return {
        **results,
        "goals": goals,
        "goal_met": bool(goals) and all(goals.values()),
        "machine": common.machine_info("sqlite", load_at_start=load),
    }


def summary(result: dict[str, Any]) -> str:
    lines = []
    for corpus in ("bundled", "full"):
        r = result.get(corpus, {})
        if "skipped" in r:
            lines.append(f"   {corpus}: skipped ({r['skipped']})")
            continue
        if "dense_skipped" in r:
            lines.append(f"   {corpus}: dense and hybrid skipped ({r['dense_skipped']})")
        for method in ("lexical", "dense", "hybrid"):
            if method not in r:
                continue
            s = r[method]
            lines.append(
                f"   {corpus:8} {method:8} HR@1 {s['HR@1']:.3f}  HR@5 {s['HR@5']:.3f}  "
                f"HR@10 {s['HR@10']:.3f}  MRR@10 {s['MRR@10']:.3f}"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", choices=["bundled", "full"], required=True)
    print(json.dumps(_worker(parser.parse_args().worker)))
