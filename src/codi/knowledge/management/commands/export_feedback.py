"""manage.py export_feedback --output F.csv: assistant feedback as rows a reviewer turns into evaluation questions."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from codi.knowledge.models import Feedback


class Command(BaseCommand):
    help = (
        "Write question,kind,citation,top_citation,created_at for every feedback item: 'up' answers are "
        "candidate gold pairs, 'wrong_citation' and 'down' ones are cases to review."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        rows = 0
        with options["output"].open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["question", "kind", "citation", "top_citation", "created_at"])
            for item in Feedback.objects.select_related("turn").order_by("id").iterator():
                passages = item.turn.answer.get("passages", [])
                top = passages[0]["id"] if passages else ""
                writer.writerow(
                    [item.turn.question, item.kind, item.citation, top, item.created_at.isoformat()]
                )
                rows += 1
        self.stdout.write(f"{rows} feedback rows written to {options['output']}")
