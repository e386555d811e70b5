"""Import the existing loan book (.xlsx or CSV); a dry run unless --commit (see codi.lending.loanbook)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from codi.identity.models import User
from codi.lending import loanbook


class Command(BaseCommand):
    help = (
        "Import existing loans with their schedules and outstanding principal (columns: "
        + ", ".join(loanbook.COLUMNS)
        + "). A dry run unless --commit; errors by line and column; nothing is written on error; "
        "loan numbers already in the book are skipped."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--file", required=True)
        parser.add_argument(
            "--user", required=True, help="sign-in name of a credit officer of the loans' areas"
        )
        parser.add_argument("--commit", action="store_true", help="write the loans (default: dry run)")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = User.objects.filter(username=options["user"], is_active=True).first()
        if actor is None:
            raise CommandError(f"ไม่พบผู้ใช้ {options['user']}")
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"อ่านไฟล์ไม่ได้: {exc}") from None
        result = loanbook.loan_book_import(
            actor=actor, content=content, filename=path.name, dry_run=not options["commit"]
        )
        for error in result.errors:
            self.stderr.write(str(error))
        if result.errors:
            raise CommandError(f"พบข้อผิดพลาด {len(result.errors)} รายการ ไม่ได้นำเข้าสัญญาใด")
        done = (
            f"นำเข้าแล้ว {len(result.created)} สัญญา"
            if result.created
            else f"ทดลอง: จะนำเข้า {result.to_create} สัญญา"
        )
        self.stdout.write(
            f"{result.rows} แถว {done} ข้ามสัญญาที่มีอยู่แล้ว {len(result.skipped)} สัญญา "
            f"เงินต้นคงค้าง {result.outstanding:,.2f} บาท"
        )
