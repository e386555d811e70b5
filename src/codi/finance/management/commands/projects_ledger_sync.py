from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from codi.finance.pms_sync import projects_ledger_sync


class Command(BaseCommand):
    help = "Post PMS disbursements and fund returns to the ledger and commit approved projects (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = projects_ledger_sync(actor=None)
        self.stdout.write(
            f"budget lines tied: {result.budget_lines}, entries posted: {result.entries_posted}, "
            f"commitments made: {result.commitments}, errors: {len(result.errors)}"
        )
        for error in result.errors[:20]:
            self.stderr.write(error)
