"""Evaluate the security alert rules now (run every few minutes by the scheduler)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from codi.insights.alerts import alerts_evaluate


class Command(BaseCommand):
    help = "Evaluate the security alert rules; new alerts are stored and sent to the security operators."

    def handle(self, *args: Any, **options: Any) -> None:
        created = alerts_evaluate()
        for alert in created:
            self.stdout.write(
                f"{alert.rule} {alert.subject} {alert.window_start.isoformat()} value={alert.value:g}"
            )
        self.stdout.write(f"{len(created)} new alert(s)")
