from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from codi.finance import balances
from codi.finance.models import FiscalYear


class Command(BaseCommand):
    help = (
        "Check the pre-summed balance table against the journal lines (default), or --rebuild it from "
        "them. Exits non-zero and names every differing key when the check fails."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--year", type=int, help="fiscal year (B.E.); default: every year")
        parser.add_argument(
            "--rebuild", action="store_true", help="replace the table by the sums of the lines"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        year_id = None
        if options["year"]:
            year = FiscalYear.objects.filter(year_be=options["year"]).first()
            if year is None:
                raise CommandError(f"ไม่พบปีงบประมาณ {options['year']}")
            year_id = year.pk
        if options["rebuild"]:
            count = balances.rebuild(year_id=year_id)
            self.stdout.write(f"สร้างยอดคงเหลือใหม่ {count:,} แถว (rebuilt {count:,} balance rows)")
            return
        differences = balances.check(year_id=year_id)
        for diff in differences:
            self.stderr.write(f"{diff.key}: stored {diff.stored} lines {diff.from_lines}")
        if differences:
            raise CommandError(f"ยอดคงเหลือไม่ตรงกับรายการบัญชี {len(differences)} แถว (balances differ)")
        self.stdout.write("ยอดคงเหลือตรงกับรายการบัญชี (balances match the journal lines)")
