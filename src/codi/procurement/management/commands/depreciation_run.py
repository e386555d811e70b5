from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from codi.finance.ledger import FinanceError
from codi.procurement import assets


class Command(BaseCommand):
    help = (
        "Post the monthly depreciation of the asset register to the ledger (run on the 1st of each "
        "month: by default the month that has just ended; --period YYYY-MM for another ended month). "
        "Running a month twice posts nothing more."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", default="", help="the month to post, YYYY-MM (default: last month)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["period"]:
            try:
                period = date.fromisoformat(f"{options['period']}-01")
            except ValueError:
                raise CommandError("--period is YYYY-MM") from None
        else:
            period = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
        try:
            run = assets.depreciation_run(actor=None, period=period)
        except FinanceError as exc:
            raise CommandError(exc.message_en) from None
        self.stdout.write(
            f"depreciation {period:%Y-%m}: {run.asset_count} assets, {run.total} baht, "
            f"journal entry {run.journal_entry_id or '-'}"
        )
