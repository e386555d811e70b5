"""``manage.py import_projects FILE.xlsx [--dry-run] [--user USERNAME]``: legacy projects and installments.

Every row is checked first; with no errors all rows are written in one transaction, otherwise
nothing is written and the errors are listed by row and column (exit status 1).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from codi.communities.importing import error_text
from codi.communities.spreadsheet import FileRefused, sniff_format
from codi.identity.models import User
from codi.projects.importing import ProjectImport


class Command(BaseCommand):
    help = "Import projects and their installments from .xlsx/.csv (all or nothing; --dry-run only checks)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--user", default="", help="the acting staff account (default: first superuser)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        actor = (
            User.objects.filter(username=options["user"]).first()
            if options["user"]
            else User.objects.filter(is_superuser=True).order_by("pk").first()
        )
        if actor is None:
            raise CommandError("no acting user: pass --user USERNAME (a project officer or admin)")
        try:
            with path.open("rb") as head:
                file_format = sniff_format(head.read(8))
            importer = ProjectImport(actor=actor)
            if options["dry_run"]:
                outcome, _rows = importer.check(path, file_format)
            else:
                outcome = importer.write(path, file_format)
        except FileRefused as exc:
            raise CommandError(f"{exc.th} / {exc.en}") from exc
        for error in outcome.errors:
            self.stdout.write(error_text(error))
        self.stdout.write(
            f"rows: {outcome.total}, valid: {outcome.valid}, with errors: {outcome.error_rows}, "
            f"written: {outcome.created}{' (dry run)' if options['dry_run'] else ''}"
        )
        if outcome.error_rows:
            raise CommandError("nothing was written: fix the rows listed above")
