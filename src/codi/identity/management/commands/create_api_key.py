from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from codi.identity.models import User
from codi.identity.services import api_key_create


class Command(BaseCommand):
    help = "Create an API key for a user (a partner system); prints the key once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="username the key acts as")
        parser.add_argument("--name", required=True, help="what the key is for")
        parser.add_argument(
            "--rate-limit", type=int, default=None, help="requests per minute (default: setting)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"ไม่พบผู้ใช้ / no such user: {options['user']}")
        _, raw = api_key_create(
            actor=None, user=user, name=options["name"], rate_limit_per_minute=options["rate_limit"]
        )
        self.stdout.write(raw)
