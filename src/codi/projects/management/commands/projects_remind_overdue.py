"""``manage.py projects_remind_overdue [--today YYYY-MM-DD]``: remind the holders of overdue steps (cron, daily)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand

from codi.projects.services import steps_remind_overdue


class Command(BaseCommand):
    help = "Send reminders for open project steps past their due date (at most once a day per step)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--today", type=date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        sent = steps_remind_overdue(today=options["today"])
        self.stdout.write(f"overdue steps reminded: {sent}")
