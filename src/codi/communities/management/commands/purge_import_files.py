"""Remove stored import uploads (they hold national IDs) that were never imported."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from codi.communities.services import import_files_purge


class Command(BaseCommand):
    help = "Delete the encrypted upload of every import older than --days that was checked but not imported."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--days", type=int, default=7)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["days"] < 1:
            raise CommandError("--days must be at least 1")
        removed = import_files_purge(older_than=timedelta(days=options["days"]))
        self.stdout.write(f"uploads removed: {removed:,}")
