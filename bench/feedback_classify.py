"""feedback_classify: texts per second for ``manage.py classify_feedback`` on this machine (2 cores).

The input is the 2,406-text held-out split of the Wisesight training data (real Thai social-media
messages, 90 characters on average), repeated to 10,000 rows. Two figures:

* ``end_to_end_texts_per_s``: rows / wall time of the whole command in a fresh process — Python
  and Django start-up, model loading, reading and writing the CSV included (what an analyst waits for);
* ``steady_texts_per_s``: ``analyse_many`` on the same texts in batches of 512 after a warm-up
  batch (sentiment, topic, urgency and personal-data detection; what the web process sustains).

Goal (issue): >= 200 texts/s.
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from pathlib import Path
from typing import Any

from bench import common

NAME = "feedback_classify"
ROWS = 10_000
GOAL_TEXTS_PER_S = 200.0


def _texts() -> list[str]:
    from codi.feedback.nlp import training

    texts, _ = training.held_out(training.SENTIMENT_DATA, "label")
    return [texts[i % len(texts)] for i in range(ROWS)]


def _steady() -> dict[str, Any]:
    import django

    django.setup()
    from codi.feedback import nlp

    texts = _texts()
    nlp.analyse_many(texts[:512])  # warm-up: models and the tokenizer's dictionary load here
    started = time.perf_counter()
    for start in range(0, len(texts), 512):
        nlp.analyse_many(texts[start : start + 512])
    seconds = time.perf_counter() - started
    return {
        "steady_texts": len(texts),
        "steady_s": round(seconds, 2),
        "steady_texts_per_s": round(len(texts) / seconds, 1),
    }


def run() -> dict[str, Any]:
    load = common.load_average()
    with common.temp_dir("feedback-classify") as tmp:
        tmp_path = Path(tmp)
        env = common.fresh_env(tmp_path)
        source, target = tmp_path / "in.csv", tmp_path / "out.csv"
        common.run_child(["-m", "bench.feedback_classify", "--write-input", str(source)], env, timeout=600)
        started = time.perf_counter()
        common.run_child(
            ["manage.py", "classify_feedback", "--input", str(source), "--output", str(target)],
            env,
            timeout=3600,
        )
        end_to_end = time.perf_counter() - started
        with target.open(encoding="utf-8") as handle:
            labelled = sum(1 for row in csv.DictReader(handle) if row["sentiment"] and row["topic"])
        steady = common.last_json_line(
            common.run_child(["-m", "bench.feedback_classify", "--steady"], env, timeout=3600)
        )
    rate = ROWS / end_to_end
    return {
        "rows": ROWS,
        "labelled_rows": labelled,
        "end_to_end_s": round(end_to_end, 2),
        "end_to_end_texts_per_s": round(rate, 1),
        **steady,
        "goal_texts_per_s": GOAL_TEXTS_PER_S,
        "goal_met": rate >= GOAL_TEXTS_PER_S and steady["steady_texts_per_s"] >= GOAL_TEXTS_PER_S,
        "machine": common.machine_info("none", load_at_start=load),
    }


def summary(result: dict[str, Any]) -> str:
    return (
        f"   classify_feedback: {result['end_to_end_texts_per_s']} texts/s end to end "
        f"({result['rows']} rows in {result['end_to_end_s']} s), {result['steady_texts_per_s']} texts/s steady"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--write-input", type=Path)
    parser.add_argument("--steady", action="store_true")
    options = parser.parse_args()
    if options.write_input:
        with options.write_input.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "text"])
            writer.writerows(enumerate(_texts()))
    elif options.steady:
        print(json.dumps(_steady()))
