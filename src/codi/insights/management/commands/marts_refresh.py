"""Refresh the analytics store's Parquet marts (the scheduled run; `make run` runs it once)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from codi.insights.marts import store, tasks


class Command(BaseCommand):
    help = (
        "Refresh the Parquet marts under CODI_MARTS_DIR: new rows of append-only marts are appended, "
        "changed mutable marts rebuilt; --full rebuilds every mart."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--full", action="store_true", help="rebuild every mart from scratch")
        parser.add_argument("--mart", action="append", dest="marts", help="only this mart (repeatable)")
        parser.add_argument(
            "--schedule", action="store_true", help="then keep the marts refreshed hourly by the task worker"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        results = store.refresh(full=options["full"], names=options["marts"])
        for r in results:
            self.stdout.write(
                f"{r.name}: {r.mode}, {r.rows} rows ({r.added_rows} written) in {r.duration_s:.2f} s"
            )
        self.stdout.write(f"{len(results)} mart(s) in {store.marts_dir()}")
        if options["schedule"]:
            self.stdout.write(f"next refresh queued for {tasks.marts_schedule():%Y-%m-%d %H:%M} UTC")
