"""Set a unit's register (letter code, year basis, digits) and name its registrars."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from codi.correspondence import services
from codi.correspondence.models import YearBasis
from codi.identity.models import OrgUnit, User


class Command(BaseCommand):
    help = 'Set up a unit\'s saraban register, e.g. --unit KK --letter-code "พอช 12.3" --registrar somchai'

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="OrgUnit code")
        parser.add_argument("--letter-code", help='the unit\'s code in letter numbers, e.g. "พอช 12.3"')
        parser.add_argument(
            "--fiscal-year", action="store_true", help="numbers restart each fiscal year (Oct)"
        )
        parser.add_argument("--arabic-digits", action="store_true", help="print 0-9 instead of Thai digits")
        parser.add_argument("--registrar", action="append", default=[], help="username (repeatable)")

    def handle(self, *args: Any, **options: Any) -> None:
        unit = OrgUnit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(f"no unit with code {options['unit']!r}")
        if options["letter_code"]:
            book = services.register_book_set(
                actor=None,
                org_unit=unit,
                letter_code=options["letter_code"],
                year_basis=YearBasis.FISCAL if options["fiscal_year"] else YearBasis.CALENDAR,
                thai_digits=not options["arabic_digits"],
            )
            self.stdout.write(f"{unit.code}: letter code {book.letter_code}, {book.year_basis} year")
        for username in options["registrar"]:
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"no user {username!r}")
            services.registrar_assign(actor=None, user=user, org_unit=unit)
            self.stdout.write(f"{unit.code}: registrar {username}")
