"""Queue again notifications still waiting to be sent (run every few minutes)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from codi.notifications import services


class Command(BaseCommand):
    help = "Re-queue pending e-mail/LINE notifications older than --older-than seconds."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--older-than", type=int, default=60)

    def handle(self, *args: Any, **options: Any) -> None:
        count = services.notifications_retry_pending(older_than_seconds=options["older_than"])
        self.stdout.write(f"queued {count}")
