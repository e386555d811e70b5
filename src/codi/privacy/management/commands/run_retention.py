"""Run the retention jobs that anonymise or delete expired personal data, and report what they did."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from codi.privacy import services


class Command(BaseCommand):
    help = "Anonymise or delete personal data past its retention period (--dry-run: count only)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        run = services.retention_run(actor=None, dry_run=options["dry_run"])
        for row in run.report:
            state = "" if row["enabled"] else " (disabled)"
            self.stdout.write(
                f"{row['rule']}: {row['action']} {row['count']} × {row['dataset']} older than {row['days']} days{state}"
            )
        prefix = "DRY RUN, nothing changed" if run.is_dry_run else "done"
        self.stdout.write(f"{prefix}: {run.total} records (run #{run.pk})")
