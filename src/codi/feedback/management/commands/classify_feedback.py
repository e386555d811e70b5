"""Label a CSV of texts: the same rows out, with ``sentiment`` and ``topic`` (and more) added."""

from __future__ import annotations

import csv
import multiprocessing
import os
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from codi.feedback import nlp

BATCH = 512
# Below this many rows a second process costs more than it saves.
PARALLEL_MIN_ROWS = 2000


def _analyse(texts: Sequence[str]) -> list[nlp.Analysis]:
    return nlp.analyse_many(texts)


def _results(texts: list[str], workers: int) -> Iterator[nlp.Analysis]:
    batches = [texts[i : i + BATCH] for i in range(0, len(texts), BATCH)]
    if workers <= 1 or len(texts) < PARALLEL_MIN_ROWS:
        for batch in batches:
            yield from nlp.analyse_many(batch)
        return
    nlp.analyse_many(texts[:1])  # load models and dictionary once; forked workers share them
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for chunk in pool.map(_analyse, batches):
            yield from chunk


class Command(BaseCommand):
    help = "Read a CSV with a 'text' column; write it back with sentiment and topic columns added."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--input", type=Path, required=True)
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument("--text-column", default="text")
        parser.add_argument(
            "--workers",
            type=int,
            default=min(2, os.cpu_count() or 1),
            help="processes for large files (default: up to 2)",
        )
        parser.add_argument(
            "--extra", action="store_true", help="also add confidences, urgency and a personal-data flag"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["input"]
        column: str = options["text_column"]
        if not source.is_file():
            raise CommandError(f"{source} does not exist")
        csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
        with source.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            fields = list(reader.fieldnames or [])
            if column not in fields:
                raise CommandError(
                    f"{source} has no '{column}' column (columns: {', '.join(fields) or 'none'})"
                )
            rows = list(reader)
        added = ["sentiment", "topic"]
        if options["extra"]:
            added += ["sentiment_confidence", "topic_confidence", "is_urgent", "has_personal_data"]
        out_fields = fields + [f for f in added if f not in fields]
        with options["output"].open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=out_fields, extrasaction="ignore")
            writer.writeheader()
            texts = [r.get(column) or "" for r in rows]
            for row, result in zip(rows, _results(texts, options["workers"]), strict=True):
                row["sentiment"] = result.sentiment
                row["topic"] = result.topic
                if options["extra"]:
                    row["sentiment_confidence"] = f"{result.sentiment_confidence:.4f}"
                    row["topic_confidence"] = f"{result.topic_confidence:.4f}"
                    row["is_urgent"] = int(result.is_urgent)
                    row["has_personal_data"] = int(result.has_personal_data)
                writer.writerow(row)
        self.stdout.write(f"labelled {len(rows)} rows → {options['output']}")
