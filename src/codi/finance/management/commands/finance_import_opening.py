from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from codi.finance import ledger, opening
from codi.identity.models import User


class Command(BaseCommand):
    help = (
        "Import opening balances (.xlsx or CSV: account_code,debit,credit[,memo]) for a fiscal year. "
        "A dry run unless --commit; every row error is listed in Thai and nothing is posted on error."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--file", required=True)
        parser.add_argument("--year", type=int, required=True, help="fiscal year in B.E., e.g. 2570")
        parser.add_argument("--user", required=True, help="sign-in name of a country-wide finance officer")
        parser.add_argument("--commit", action="store_true", help="post the entry (default: dry run)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        actor = User.objects.filter(username=options["user"]).first()
        if actor is None:
            raise CommandError(f"ไม่พบผู้ใช้ {options['user']}")
        year = ledger.fiscal_year_ensure(actor=actor, year_be=options["year"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"อ่านไฟล์ไม่ได้: {exc}") from None
        result = opening.opening_import(
            actor=actor, year=year, content=content, filename=path.name, dry_run=not options["commit"]
        )
        for error in result.errors:
            self.stderr.write(error)
        if result.errors:
            raise CommandError(f"พบข้อผิดพลาด {len(result.errors)} รายการ ไม่ได้บันทึกยอดยกมา")
        self.stdout.write(
            f"{result.rows} แถว เดบิต {ledger.baht(result.debit)} เครดิต {ledger.baht(result.credit)}"
            + (f" บันทึกแล้ว {result.entry.number}" if result.entry else " (ทดลอง ยังไม่บันทึก: ใส่ --commit)")
        )
