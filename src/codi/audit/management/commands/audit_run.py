from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from codi.audit import services
from codi.audit.models import AnalyticsRun
from codi.audit.services import AuditError
from codi.audit.tasks import analytics_schedule


class Command(BaseCommand):
    help = (
        "Run the continuous-audit rules over live platform data (the scheduled run; cron or the task queue)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--rules", default="", help="comma-separated rule names (default: every enabled rule)"
        )
        parser.add_argument("--schedule", action="store_true", help="queue the nightly run in the task queue")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            when = analytics_schedule()
            self.stdout.write(f"next scheduled run: {timezone.localtime(when):%Y-%m-%d %H:%M}")
            return
        names = [r.strip() for r in options["rules"].split(",") if r.strip()]
        try:
            result = services.analytics_run(
                actor=None, trigger=AnalyticsRun.Trigger.SCHEDULED, rules=names or None
            )
        except AuditError as exc:
            raise CommandError(exc.message_en) from None
        self.stdout.write(
            f"run {result.run.pk}: records {result.run.records}; {result.flags} flags, {result.new} new exceptions"
        )
