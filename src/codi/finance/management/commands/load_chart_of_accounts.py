from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from codi.finance import ledger


class Command(BaseCommand):
    help = "Load CODI's chart of accounts from codi/finance/data/chart_of_accounts.csv (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        created, updated = ledger.chart_load(actor=None)
        self.stdout.write(f"chart of accounts: {created} created, {updated} updated")
