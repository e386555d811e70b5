"""The month-end NPL snapshot of the loan book (``codi.lending.history``); idempotent per month."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from codi.lending import history


class Command(BaseCommand):
    help = (
        "Record the loan book's outstanding, PAR30 and NPL by province at a month's end (default: the "
        "month before today's). A month already taken is left as it was unless --replace is given."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--month", default="", help="YYYY-MM: the month whose end is taken")
        parser.add_argument("--replace", action="store_true", help="take an already taken month again")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["month"]:
            try:
                day = date.fromisoformat(options["month"] + "-01")
            except ValueError:
                raise CommandError("--month ต้องเป็นเดือน ค.ศ. YYYY-MM") from None
            month_end = history.month_end_of(day)
            if month_end >= timezone.localdate():
                raise CommandError("เดือนนี้ยังไม่สิ้นเดือน (--month ต้องเป็นเดือนที่ผ่านมาแล้ว)")
        else:
            month_end = history.last_closed_month_end(timezone.localdate())
        result = history.snapshot_take(month_end=month_end, replace=options["replace"])
        state = "บันทึกแล้ว" if result.created else "มีอยู่แล้ว ไม่บันทึกซ้ำ"
        self.stdout.write(
            f"ภาพรวมสินเชื่อ ณ {result.month_end.isoformat()}: {result.provinces} จังหวัด "
            f"{result.loans} สัญญา ({state})"
        )
