"""Add the starting privacy notices and processing register (only what is missing)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from codi.privacy.setup import privacy_setup


class Command(BaseCommand):
    help = "Publish the first privacy notices and fill the processing register where they are missing."

    def handle(self, *args: Any, **options: Any) -> None:
        added = privacy_setup()
        self.stdout.write(
            f"privacy notices added: {added['notices']}, register entries added: {added['activities']}"
        )
