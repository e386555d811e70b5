from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from codi.gis.demo import gis_demo_load


class Command(BaseCommand):
    help = (
        "Load demo informal settlements (after load_demo and load_projects_demo; before publish_open_data)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = gis_demo_load()
        if summary.already:
            self.stdout.write("demo settlements already loaded")
            return
        self.stdout.write(f"demo settlements created: {summary.created}, skipped: {summary.skipped}")
