from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from codi.signatures import services
from codi.signatures.selectors import authority_active


class Command(BaseCommand):
    help = "Create the platform's root CA, issuing CA and timestamp authority (refuses to replace them without --force)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--force", action="store_true", help="replace an existing PKI (revokes every certificate)"
        )
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="do nothing, successfully, when a PKI exists (for make run)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_missing"] and not options["force"] and authority_active(kind="root") is not None:
            self.stdout.write("PKI exists; nothing to do.")
            return
        try:
            created = services.pki_init(force=options["force"])
        except services.PkiError as exc:
            raise CommandError(exc.english) from exc
        for authority in created:
            self.stdout.write(f"{authority.kind}: {authority.subject} (serial {authority.serial_number})")
        self.stdout.write(f"Certificates embed URLs under {services.public_base_url()}")
