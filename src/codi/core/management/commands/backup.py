from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from codi.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write the database and every media file into one .tar.gz with a manifest of SHA-256 "
        "checksums (default var/backups/codi-YYYYMMDD-HHMMSS.tar.gz)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", default=None, help="archive to write (FILE.tar.gz)")

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"]) if options["output"] else None
        try:
            result = backup_create(output=output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = result.manifest
        self.stdout.write(
            f"สำรองข้อมูลแล้ว / backup written: {result.path}\n"
            f"  database: {manifest.vendor}, media files: {manifest.media_files}, "
            f"size: {result.size} bytes, sha256: {result.sha256}"
        )
