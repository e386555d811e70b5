"""Register a system that signs its users in through CODI (OpenID Connect)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from codi.identity.oidc import oidc_client_create


class Command(BaseCommand):
    help = "Register an OIDC client (authorization code + PKCE). Prints the client id and secret once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True)
        parser.add_argument(
            "--redirect-uri", action="append", required=True, dest="redirect_uris", help="repeatable"
        )
        parser.add_argument("--public", action="store_true", help="a public client (no secret; PKCE only)")
        parser.add_argument("--ask-consent", action="store_true", help="ask users to approve the client")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            client = oidc_client_create(
                actor=None,
                name=options["name"],
                redirect_uris=options["redirect_uris"],
                confidential=not options["public"],
                skip_consent=not options["ask_consent"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"client_id: {client.client_id}")
        if client.client_secret:
            self.stdout.write(f"client_secret: {client.client_secret}")
            self.stdout.write("The secret is shown once; only its hash is kept.")
