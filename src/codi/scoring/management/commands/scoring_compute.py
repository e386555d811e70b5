"""``manage.py scoring_compute [--period 2570] [--level organization]``: snapshot and index."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from codi.core.thaidate import fiscal_year_be
from codi.scoring.models import Level
from codi.scoring.tasks import compute


class Command(BaseCommand):
    help = "Compute the indicators (kept as a snapshot) and the community-strength index."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--period", type=int, action="append", help="fiscal year, B.E. (repeatable)")
        parser.add_argument("--level", choices=[c for c, _ in Level.choices], action="append")

    def handle(self, *args: Any, **options: Any) -> None:
        periods = options["period"] or [fiscal_year_be(timezone.localdate())]
        levels = options["level"] or [c for c, _ in Level.choices]
        for period in periods:
            for level, entities, scored in compute(period=period, levels=levels):
                self.stdout.write(f"{level} {period}: {entities} entities, {scored} scored")
