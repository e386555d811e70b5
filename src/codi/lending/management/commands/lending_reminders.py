"""Repayment reminders (run daily from cron or the task worker); each instalment once per kind."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from codi.lending import reminders


class Command(BaseCommand):
    help = (
        "Remind borrowing organizations (e-mail) and their credit officers (in-app) of instalments due "
        "within --days days and of overdue ones. Running again the same day sends nothing more."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--days", type=int, default=reminders.DAYS_BEFORE, help="days before the due date"
        )
        parser.add_argument("--today", default="", help="YYYY-MM-DD to use as today (drills and tests)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = date.fromisoformat(options["today"]) if options["today"] else timezone.localdate()
        except ValueError:
            raise CommandError("--today ต้องเป็นวันที่ ค.ศ. YYYY-MM-DD") from None
        if not 0 <= options["days"] <= 60:
            raise CommandError("--days ต้องอยู่ระหว่าง 0 ถึง 60")
        report = reminders.reminders_send(today=today, days_before=options["days"])
        self.stdout.write(
            f"ใกล้ครบกำหนด {len(report.due_soon)} งวด ค้างชำระ {len(report.overdue)} งวด "
            f"ส่งแจ้งเตือน {report.notifications} รายการ"
        )
