from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from codi.finance import ledger, legacy
from codi.identity.models import User


class Command(BaseCommand):
    help = (
        "Import a legacy ACCPAC / EFS general-ledger export (.xlsx or CSV: entry_ref,date,account_code,"
        "debit,credit[,description,system,org_unit,fund,program,project,region,province]). A dry run "
        "unless --commit; every error names its row and column; nothing is posted while any remains; "
        "entries already imported are skipped."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--file", required=True)
        parser.add_argument("--user", required=True, help="sign-in name of a country-wide finance officer")
        parser.add_argument("--commit", action="store_true", help="post the entries (default: dry run)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        actor = User.objects.filter(username=options["user"]).first()
        if actor is None:
            raise CommandError(f"ไม่พบผู้ใช้ {options['user']}")
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"อ่านไฟล์ไม่ได้: {exc}") from None
        result = legacy.legacy_import(
            actor=actor, content=content, filename=path.name, dry_run=not options["commit"]
        )
        for error in result.errors:
            self.stderr.write(error)
        if result.errors:
            raise CommandError(f"พบข้อผิดพลาด {len(result.errors)} รายการ ไม่ได้บันทึกรายการใด")
        self.stdout.write(
            f"{result.rows} แถว {result.entries} รายการ เดบิต {ledger.baht(result.debit)} "
            f"เครดิต {ledger.baht(result.credit)} นำเข้าแล้วก่อนหน้า {result.skipped} รายการ"
            + (f" บันทึกใหม่ {result.posted} รายการ" if options["commit"] else " (ทดลอง ยังไม่บันทึก: ใส่ --commit)")
        )
