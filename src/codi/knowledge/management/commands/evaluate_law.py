"""manage.py evaluate_law [--input dev.csv]: HR@1/5/10 and MRR@10 per method, from one run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from codi.knowledge.evaluation import DEV_QUESTIONS, evaluate, read_questions


class Command(BaseCommand):
    help = "Score lexical, dense and hybrid retrieval on questions with gold act_id,section (the dev set by default)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", type=Path, default=DEV_QUESTIONS)

    def handle(self, *args: Any, **options: Any) -> None:
        questions = read_questions(options["input"])
        results = evaluate(questions)
        self.stdout.write(f"| method | HR@1 | HR@5 | HR@10 | MRR@10 |  (n = {len(questions)})")
        self.stdout.write("|---|---|---|---|---|")
        for method, s in results.items():
            self.stdout.write(f"| {method} | {s.hr1:.3f} | {s.hr5:.3f} | {s.hr10:.3f} | {s.mrr10:.3f} |")
