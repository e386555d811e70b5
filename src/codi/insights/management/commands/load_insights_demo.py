"""Load the insights demo (satisfaction answers, one incident, an alert evaluation); idempotent."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand

from codi.insights import demo


class Command(BaseCommand):
    help = "Load the insights demo through the real services (run after the other demo loaders)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(json.dumps(demo.load(), ensure_ascii=False))
