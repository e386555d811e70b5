from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from codi.core.backup import BackupError, backup_open, backup_restore


class Command(BaseCommand):
    help = (
        "Restore the database and the media files from a backup archive. Every member's checksum "
        "is verified first; nothing is changed when any check fails."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="backup archive (FILE.tar.gz) written by manage.py backup")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def _confirmed(self) -> bool:
        self.stdout.write(
            "การกู้คืนจะแทนที่ฐานข้อมูลและไฟล์สื่อทั้งหมด / This REPLACES the whole database and every "
            "media file.\nพิมพ์ yes เพื่อดำเนินการ / Type 'yes' to continue: ",
            ending="",
        )
        self.stdout.flush()
        try:
            answer = input()
        except EOFError:
            return False
        return answer.strip().lower() == "yes"

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with backup_open(archive=Path(options["archive"])) as verified:
                manifest = verified.manifest
                self.stdout.write(
                    f"ตรวจสอบไฟล์สำรองแล้ว / archive verified: {len(manifest.members)} members, "
                    f"database {manifest.vendor}, media files {manifest.media_files}, "
                    f"taken {manifest.created_at}"
                )
                if not options["yes"] and not self._confirmed():
                    self.stdout.write("ยกเลิก ไม่มีการเปลี่ยนแปลง / cancelled, nothing was changed")
                    return
                result = backup_restore(verified=verified)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"กู้คืนแล้ว / restored: database ({result.manifest.vendor}) and {result.media_files} media files"
        )
        if result.pending_migrations:
            self.stdout.write(
                f"ฐานข้อมูลที่กู้คืนยังขาด migration {result.pending_migrations} รายการ / the restored database "
                f"lacks {result.pending_migrations} migrations: run manage.py migrate"
            )
