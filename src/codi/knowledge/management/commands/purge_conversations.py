"""manage.py purge_conversations [--days N]: delete assistant conversations older than the retention period."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from codi.knowledge.services import conversations_purge, retention_days


class Command(BaseCommand):
    help = "Delete law-assistant conversations untouched for longer than KNOWLEDGE_RETENTION_DAYS."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"] if options["days"] is not None else retention_days()
        count = conversations_purge(older_than_days=days)
        self.stdout.write(f"{count} conversations older than {days} days deleted")
