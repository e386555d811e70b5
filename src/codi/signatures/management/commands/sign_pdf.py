from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from codi.identity.models import User
from codi.signatures import services


class Command(BaseCommand):
    help = "Sign a PDF as a user (PAdES B-LT with the platform timestamp and a visible stamp)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--signer", required=True, help="username of the signer")
        parser.add_argument("--input", required=True, help="PDF to sign")
        parser.add_argument("--output", required=True, help="where to write the signed PDF")
        parser.add_argument("--reason", default="ลงนามอิเล็กทรอนิกส์", help="reason shown in the signature")
        parser.add_argument("--location", default="", help="place of signing")
        parser.add_argument(
            "--certify", action="store_true", help="lock the document (certification signature)"
        )
        parser.add_argument("--invisible", action="store_true", help="no visible stamp")

    def handle(self, *args: Any, **options: Any) -> None:
        signer = User.objects.filter(username=options["signer"]).first()
        if signer is None:
            raise CommandError(f"No user {options['signer']!r}.")
        try:
            data = Path(options["input"]).read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {options['input']}: {exc.strerror}") from exc
        try:
            signed = services.pdf_sign(
                signer=signer,
                pdf=data,
                reason=options["reason"],
                location=options["location"],
                visible=not options["invisible"],
                certify=options["certify"],
            )
        except (services.SigningRefusedError, services.PdfRejectedError, services.PkiError) as exc:
            raise CommandError(f"{exc.thai} / {exc.english}") from exc
        Path(options["output"]).write_bytes(signed)
        self.stdout.write(f"Signed by {signer.username}: {options['output']} ({len(signed):,} bytes)")
