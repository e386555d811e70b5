"""Fill the Thai search words of organizations loaded without them (bulk loads, demo data)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from codi.communities.services import organization_reindex_names


class Command(BaseCommand):
    help = "Segment the names of organizations that have no search words yet (PyThaiNLP newmm)."

    def handle(self, *args: Any, **options: Any) -> None:
        done = organization_reindex_names()
        self.stdout.write(f"organizations indexed: {done:,}")
