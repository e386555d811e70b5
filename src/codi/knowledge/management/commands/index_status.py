"""manage.py index_status [--embed [--workers N]]: how far the statute index is; --embed computes the
missing vectors here (resumable), in N processes (one per core) when asked."""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from codi.knowledge.models import SECTION_SOURCE
from codi.search.selectors import index_progress
from codi.search.services import index_embed_pending


class Command(BaseCommand):
    help = "Show (and optionally finish) the statute index: chunks indexed and dense vectors computed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--embed", action="store_true", help="compute missing dense vectors now")
        parser.add_argument("--workers", type=int, default=1, help="processes to embed with (one per core)")
        parser.add_argument("--shard", default="0/1", help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        progress = index_progress(source=SECTION_SOURCE, with_pending=True)
        self.stdout.write(
            f"{progress.chunks} sections indexed; {progress.embedded} with dense vectors; "
            f"{progress.pending} to embed (long sections as overlapping passages)"
        )
        if not options["embed"]:
            return
        workers = max(1, int(options["workers"]))
        if workers > 1:
            # One child process per shard: the model runs single-threaded best, so cores are used by processes.
            children = [
                subprocess.Popen(  # noqa: S603 - this same command, with fixed arguments
                    [sys.executable, "-m", "django", "index_status", "--embed", "--shard", f"{i}/{workers}"]
                )
                for i in range(workers)
            ]
            failed = [child.args for child in children if child.wait() != 0]
            if failed:
                raise CommandError(f"embedding processes failed: {failed}")
            progress = index_progress(source=SECTION_SOURCE, with_pending=True)
            self.stdout.write(
                f"{progress.embedded} of {progress.chunks} sections have dense vectors; {progress.pending} to embed"
            )
            return
        index, _, count = str(options["shard"]).partition("/")

        started = time.monotonic()

        def report(done: int, total: int) -> None:
            if done == total or done % 320 == 0:
                rate = done / max(time.monotonic() - started, 1e-9)
                left = (total - done) / rate / 60 if rate else 0.0
                self.stdout.write(
                    f"  [{options['shard']}] embedded {done}/{total} sections, {rate:.2f}/s, ~{left:.0f} min left",
                )
                self.stdout.flush()

        index_embed_pending(source=SECTION_SOURCE, progress=report, shard=(int(index), int(count or 1)))
