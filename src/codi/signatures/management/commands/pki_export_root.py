from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from codi.signatures.selectors import authority_active


class Command(BaseCommand):
    help = (
        "Write the platform's root CA certificate (PEM) to a file, to give validators as their trust anchor."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("output", help="where to write the PEM file")

    def handle(self, *args: Any, **options: Any) -> None:
        root = authority_active(kind="root")
        if root is None:
            raise CommandError("The PKI is not set up: run manage.py pki_init first.")
        Path(options["output"]).write_text(root.certificate_pem)
        self.stdout.write(f"Wrote {root.subject} to {options['output']}")
