"""manage.py evaluate_honesty [--questions CSV]: does the law assistant say when it has no answer?

Each question says what an honest assistant does: ``answer`` (and cite the expected Act or plan
excerpt), ``missing_law`` (the question names a law the library does not hold: say so), or
``weak`` (nothing in the library answers: say so). Prints the share of each kind handled right.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from codi.knowledge.assistant import MSG_LAW_MISSING, answer

HELDOUT = Path(__file__).resolve().parents[2] / "data" / "heldout_honesty.csv"


class Command(BaseCommand):
    help = "Score the law assistant's honesty on a question set (answered / law not held / nothing found)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--questions", type=Path, default=HELDOUT)
        parser.add_argument("--show", action="store_true", help="print each question's outcome")

    def handle(self, *args: Any, **options: Any) -> None:

        missing_marker = MSG_LAW_MISSING.split("{names_en}")[1][:30]
        with options["questions"].open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        total: Counter[str] = Counter()
        right: Counter[str] = Counter()
        top1 = top5 = 0
        for row in rows:
            expect = row["expect"]
            result = answer(row["question"])
            acts = [p.act_id for p in result.passages]
            said_missing = missing_marker in result.message
            if expect == "answer":
                ok = result.status == "answered"
                top1 += bool(acts) and acts[0] == row["act_id"]
                top5 += row["act_id"] in acts[:5]
            elif expect == "missing_law":
                ok = result.status == "weak" and said_missing
            else:
                ok = result.status != "answered" and not said_missing
            total[expect] += 1
            right[expect] += ok
            if options["show"]:
                self.stdout.write(
                    f"{row['qid']} {expect:12} {'ok ' if ok else 'BAD'} {result.status:9} "
                    f"{'missing ' if said_missing else ''}{acts[:3]}"
                )
        for expect in ("answer", "missing_law", "weak"):
            if total[expect]:
                self.stdout.write(f"{expect}: {right[expect]}/{total[expect]} handled right")
        if total["answer"]:
            n = total["answer"]
            self.stdout.write(f"answerable: expected source first {top1}/{n}, in the top 5 {top5}/{n}")
        self.stdout.write(f"all: {sum(right.values())}/{sum(total.values())}")
