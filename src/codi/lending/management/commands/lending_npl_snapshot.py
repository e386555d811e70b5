"""The month-end NPL snapshot of the loan book (``codi.lending.history``); idempotent per month.

``--backfill N`` rebuilds the N month ends before this month from the dated repayments where that is
exact (``codi.lending.backfill``); ``--schedule`` queues the monthly run in the task queue
(``codi.lending.tasks``), which then queues its own successor every month.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from codi.lending import backfill, history
from codi.lending.tasks import npl_snapshot_schedule


class Command(BaseCommand):
    help = (
        "Record the loan book's outstanding, PAR30 and NPL by province at a month's end (default: the "
        "month before today's). A month already taken is left as it was unless --replace is given."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--month", default="", help="YYYY-MM: the month whose end is taken")
        parser.add_argument("--replace", action="store_true", help="take an already taken month again")
        parser.add_argument(
            "--backfill",
            type=int,
            default=0,
            metavar="N",
            help="rebuild the N month ends up to --month (default last month) from the repayments",
        )
        parser.add_argument("--schedule", action="store_true", help="queue the monthly run in the task queue")

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
        if options["schedule"]:
            when = npl_snapshot_schedule()
            self.stdout.write(f"ตั้งเวลาบันทึกภาพรวมสินเชื่อครั้งถัดไป {timezone.localtime(when):%Y-%m-%d %H:%M}")
            return
        if options["backfill"]:
            if not 1 <= options["backfill"] <= 120:
                raise CommandError("--backfill ต้องเป็น 1 ถึง 120 เดือน")
            for m in backfill.snapshot_backfill(until=month_end, months=options["backfill"],
                                                replace=options["replace"]):  # fmt: skip
                state = {backfill.CREATED: f"บันทึกแล้ว {m.loans} สัญญา", backfill.KEPT: "มีอยู่แล้ว ไม่บันทึกซ้ำ",
                         backfill.INEXACT: "สร้างย้อนหลังไม่ได้ตรงตามจริง: " + ", ".join(m.inexact)}[m.state]  # fmt: skip
                self.stdout.write(f"ภาพรวมสินเชื่อ ณ {m.month_end.isoformat()}: {state}")
            return
        result, exact = backfill.snapshot_take_exact(month_end=month_end, replace=options["replace"])
        state = "มีอยู่แล้ว ไม่บันทึกซ้ำ"
        if result.created:
            state = "บันทึกแล้ว ตามยอด ณ สิ้นเดือน" if exact else "บันทึกแล้ว ตามยอดปัจจุบัน"
        self.stdout.write(
            f"ภาพรวมสินเชื่อ ณ {result.month_end.isoformat()}: {result.provinces} จังหวัด "
            f"{result.loans} สัญญา ({state})"
        )
