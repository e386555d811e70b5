"""manage.py import_statutes --dir DIR | --bundled [--embed]: import Thai Acts (idempotent), lexical index included."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from codi.knowledge.models import SECTION_SOURCE
from codi.knowledge.services import BUNDLED_DIR, statutes_import
from codi.search.services import index_embed_pending
from codi.search.tasks import embed_task


class Command(BaseCommand):
    help = (
        "Import every *.txt Act in a folder (the file stem is the Act id); running it again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument(
            "--dir", type=Path, help="folder of <act id>.txt files (index.csv beside it gives titles)"
        )
        where.add_argument(
            "--bundled", action="store_true", help="the curated subset shipped with the platform"
        )
        parser.add_argument(
            "--embed",
            choices=["none", "background", "now"],
            default="background",
            help="dense vectors: queue a background task (default), compute now, or skip",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = BUNDLED_DIR if options["bundled"] else options["dir"]
        if not directory.is_dir():
            raise CommandError(f"not a folder: {directory}")
        started = time.monotonic()
        verbosity = options["verbosity"]

        def progress(done: int, total: int, act_id: str) -> None:
            if verbosity >= 1 and (done == total or done % 25 == 0 or verbosity >= 2):
                self.stdout.write(f"  {done}/{total} Acts ({act_id})")

        report = statutes_import(directory=directory, progress=progress)
        self.stdout.write(
            f"Acts: {report.acts_created} new, {report.acts_updated} updated, {report.acts_unchanged} unchanged; "
            f"{report.sections} sections; {report.chunks_indexed} chunks indexed (lexical) "
            f"in {time.monotonic() - started:.1f} s"
        )
        if report.without_sections:
            self.stdout.write(f"kept whole (no มาตรา found): {', '.join(report.without_sections)}")
        if options["embed"] == "now":

            def embedded(done: int, total: int) -> None:
                if verbosity >= 1 and (done == total or done % 320 == 0):
                    self.stdout.write(f"  embedded {done}/{total}")

            count = index_embed_pending(source=SECTION_SOURCE, progress=embedded)
            self.stdout.write(f"dense vectors: {count} computed, {time.monotonic() - started:.1f} s in all")
        elif options["embed"] == "background":
            embed_task.enqueue(SECTION_SOURCE)
            self.stdout.write(
                "dense vectors: queued for the background worker (manage.py index_status shows progress)"
            )
