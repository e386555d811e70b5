from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from codi.web.demo import ACCOUNTS, DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = "Load the labelled demo data set (demo accounts, organizations); running it again adds nothing."

    def handle(self, *args: Any, **options: Any) -> None:
        summary = demo_load()
        if summary.users_created:
            self.stdout.write("Demo accounts created (shown once; also in the README):")
            for account in ACCOUNTS:
                if account.username in summary.users_created:
                    self.stdout.write(
                        f"  {account.username:<18} {DEMO_PASSWORD}   {account.role} / {account.scope_level} {account.scope_code}"
                    )
            self.stdout.write(
                "Staff accounts set up two-step verification (an authenticator app) at first sign-in."
            )
        else:
            self.stdout.write("demo accounts: already present")
        self.stdout.write(f"demo organizations: +{summary.organizations_created}")
