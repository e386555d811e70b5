"""Escalate overdue feedback tickets (run every hour from cron or the task worker)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from codi.feedback import services


class Command(BaseCommand):
    help = "Escalate open tickets past their SLA. --now lets tests and drills control the clock."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--now", default="", help="ISO date-time to use as the current time")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        if options["now"]:
            try:
                now = datetime.fromisoformat(options["now"])
            except ValueError as exc:
                raise CommandError(f"--now must be an ISO date-time, got {options['now']!r}") from exc
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        report = services.tickets_escalate_overdue(now=now)
        self.stdout.write(f"escalated {len(report.escalated)}: {' '.join(report.escalated)}")
