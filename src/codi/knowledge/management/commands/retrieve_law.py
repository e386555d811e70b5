"""manage.py retrieve_law --input Q.csv --output R.csv [--k 10] [--method hybrid]: rank sections per question."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from codi.knowledge.evaluation import METHODS, read_questions, retrieve, write_rankings


class Command(BaseCommand):
    help = "Read qid,question; write qid,rank,act_id,section (Arabic numerals, sub-sections as 26/1)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", type=Path, required=True)
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument("--k", type=int, default=10)
        parser.add_argument("--method", choices=METHODS, default="hybrid")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["input"].is_file():
            raise CommandError(f"no such file: {options['input']}")
        if options["k"] < 1:
            raise CommandError("--k must be at least 1")
        try:
            questions = read_questions(options["input"])
        except KeyError as error:
            raise CommandError(f"the input needs the columns qid,question (missing {error})") from error
        rows = write_rankings(
            options["output"],
            ((q.qid, retrieve(q.question, k=options["k"], method=options["method"])) for q in questions),
        )
        self.stdout.write(f"{len(questions)} questions, {rows} rows written to {options['output']}")
