"""manage.py load_correspondence_demo: demo registers, registrars and Thai letters (after load_demo)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from codi.correspondence.demo import correspondence_demo_load


class Command(BaseCommand):
    help = "Demo saraban: registers for the demo units, registrars, and a dozen realistic Thai letters (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        summary = correspondence_demo_load()
        self.stdout.write(
            f"demo correspondence: {summary.registrars} registrars, {summary.letters} new letters"
        )
