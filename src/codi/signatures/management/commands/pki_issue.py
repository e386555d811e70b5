from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from codi.identity.models import User
from codi.signatures import services


class Command(BaseCommand):
    help = (
        "Issue a signing certificate to a user from the server console (an operator at the console "
        "stands in for the web page's two-factor check)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--user", required=True, help="username")
        parser.add_argument(
            "--position", default="", help="position shown in signatures (default: the user's)"
        )
        parser.add_argument(
            "--if-missing", action="store_true", help="skip a user who has an active certificate"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user {options['user']!r}.")
        if options["if_missing"] and user.signing_certificates.filter(status="active").exists():
            self.stdout.write(f"{user.username} has a certificate; nothing to do.")
            return
        try:
            certificate = services.certificate_issue(
                actor=None, user=user, position=options["position"], second_factor_verified=True
            )
        except services.PkiError as exc:
            raise CommandError(exc.english) from exc
        self.stdout.write(f"Issued {certificate.serial_number} to {certificate.subject_name}")
