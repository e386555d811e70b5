"""manage.py index_status [--embed]: how far the statute index is; --embed computes the missing vectors here (resumable)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from codi.knowledge.models import SECTION_SOURCE
from codi.search.selectors import index_progress
from codi.search.services import index_embed_pending


class Command(BaseCommand):
    help = "Show (and optionally finish) the statute index: chunks indexed and dense vectors computed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--embed", action="store_true", help="compute missing dense vectors now")

    def handle(self, *args: Any, **options: Any) -> None:
        progress = index_progress(source=SECTION_SOURCE)
        self.stdout.write(f"{progress.chunks} sections indexed; {progress.embedded} with dense vectors")
        if options["embed"]:

            def report(done: int, total: int) -> None:
                if done == total or done % 320 == 0:
                    self.stdout.write(f"  embedded {done}/{total}")

            index_embed_pending(source=SECTION_SOURCE, progress=report)
