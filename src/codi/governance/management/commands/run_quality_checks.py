"""Run the data-quality rules and store a score per dataset (for cron or by hand)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from codi.governance import services
from codi.governance.models import QualityRun


class Command(BaseCommand):
    help = "Run every registered data-quality rule (or the named rules/datasets) and store the scores."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "only", nargs="*", help="rule keys or datasets (app_label.Model) to run; all when omitted"
        )
        parser.add_argument(
            "--if-none",
            action="store_true",
            help="do nothing when a run already exists (for idempotent setup scripts such as make run)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_none"] and QualityRun.objects.filter(finished_at__isnull=False).exists():
            self.stdout.write("a quality run exists: nothing to do")
            return
        run = services.quality_run(actor=None, trigger="command", only=options["only"] or None)
        for result in run.results.all():
            status = f"ERROR {result.error}" if result.error else f"{result.failed}/{result.checked} failed"
            self.stdout.write(f"{result.dataset:32} {result.rule_key:50} {status}")
        for score in run.scores.all():
            self.stdout.write(f"score {score.dataset}: {score.score}%")
        self.stdout.write(self.style.SUCCESS(f"quality run {run.pk} done"))
