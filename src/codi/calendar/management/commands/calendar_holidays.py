"""The working-day calendar: load Thai public holidays, add or remove CODI closures, list a year."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from codi.calendar import selectors, services


def _day(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise CommandError(f"not a date (YYYY-MM-DD): {raw}") from exc


class Command(BaseCommand):
    help = (
        "Load Thailand's public holidays (--load-public [YEAR ...], default last year to two years ahead), "
        "add a CODI closure (--add YYYY-MM-DD NAME), --remove YYYY-MM-DD, and list (--year YYYY)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--load-public", nargs="*", type=int, metavar="YEAR")
        parser.add_argument("--add", nargs=2, metavar=("DATE", "NAME"))
        parser.add_argument("--remove", metavar="DATE")
        parser.add_argument("--year", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["load_public"] is not None:
                this_year = timezone.localdate().year
                years = options["load_public"] or list(range(this_year - 1, this_year + 3))
                changed = services.public_holidays_load(actor=None, years=years)
                self.stdout.write(f"public holidays {min(years)}–{max(years)}: {changed} added or renamed")
            if options["add"]:
                raw, name = options["add"]
                services.holiday_set(actor=None, day=_day(raw), name=name)
            if options["remove"] and not services.holiday_remove(actor=None, day=_day(options["remove"])):
                raise CommandError(f"{options['remove']} is not in the calendar")
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        if options["year"] is not None or not (options["load_public"] is not None or options["add"]):
            for holiday in selectors.holiday_list(year=options["year"]):
                self.stdout.write(f"{holiday.date} {holiday.source} {holiday.name}")
