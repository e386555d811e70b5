from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from codi.lending.schedule import DayCount, Method, ScheduleError, build, parse_start, to_csv


class Command(BaseCommand):
    help = (
        "Write a loan repayment schedule as CSV (n,due_date,payment,principal,interest,balance). "
        "--annual-rate is percent a year (6 for 6 %); --start is the disbursement date."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--principal", required=True)
        parser.add_argument("--annual-rate", required=True)
        parser.add_argument("--months", required=True)
        parser.add_argument("--method", required=True, help=", ".join(Method.ALL))
        parser.add_argument("--day-count", required=True, help=", ".join(DayCount.ALL))
        parser.add_argument("--start", required=True, help="YYYY-MM-DD (A.D.)")
        parser.add_argument("--output", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rows = build(
                principal=options["principal"],
                annual_rate=options["annual_rate"],
                months=options["months"],
                method=options["method"],
                day_count=options["day_count"],
                start=parse_start(options["start"]),
            )
        except ScheduleError as exc:
            # Nothing is written: the file is opened only after the whole schedule was computed.
            raise CommandError(f"{exc.message_th} / {exc.message_en}") from None
        output = Path(options["output"])
        try:
            output.write_text(to_csv(rows), encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"เขียนไฟล์ไม่ได้ / Cannot write {output}: {exc.strerror}") from None
        total = sum(r.payment for r in rows)
        self.stdout.write(f"{len(rows)} instalments, total payments {total:,.2f} baht → {output}")
