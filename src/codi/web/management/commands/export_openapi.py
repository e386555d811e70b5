from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from codi.api.main import api


class Command(BaseCommand):
    help = "Write the API's OpenAPI schema (the committed copy is compared in tests)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", default="-")

    def handle(self, *args: Any, **options: Any) -> None:
        text = json.dumps(api.get_openapi_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        if options["output"] == "-":
            self.stdout.write(text, ending="")
        else:
            with open(options["output"], "w", encoding="utf-8") as handle:
                handle.write(text)
