from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from codi.areas.services import areas_load_reference


class Command(BaseCommand):
    help = "Load Thai provinces, districts and subdistricts (geothai) and CODI regions; safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        created = areas_load_reference()
        self.stdout.write("areas loaded: " + ", ".join(f"{k} +{v}" for k, v in created.items()))
