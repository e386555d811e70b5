"""Run the live connectors named in ``FEEDBACK_CONNECTORS`` (none by default): fetch, parse, import."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from codi.feedback import services
from codi.feedback.connectors import ImportRefusedError, configured_connectors


class Command(BaseCommand):
    help = "Fetch posts from every configured connector and import them as tickets (skips posts already in)."

    def handle(self, *args: Any, **options: Any) -> None:
        ran = 0
        for connector in configured_connectors():
            ran += 1
            try:
                reports = connector.parse(connector.fetch())
            except (ImportRefusedError, OSError) as exc:
                self.stderr.write(f"{connector.name}: {exc}")
                continue
            result = services.tickets_import_posts(
                actor=None, rows=[r.as_row() for r in reports], source=connector.name
            )
            self.stdout.write(
                f"{connector.name}: {result.created} created, {result.skipped} skipped, {len(result.errors)} errors"
            )
        if not ran:
            self.stdout.write("no connectors configured (FEEDBACK_CONNECTORS)")
