from __future__ import annotations

import csv
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from codi.people import tax

OUTPUT = ["case", "expense_deduction", "allowances", "net_income", "annual_tax"]


class Command(BaseCommand):
    help = (
        "Annual personal income tax on employment income for each row of a CSV "
        "(case,annual_salary,annual_bonus,sso,pvd,spouse,children_birth_years,parents); baht with 2 decimals."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--input", required=True)
        parser.add_argument("--output", required=True)
        parser.add_argument("--year", type=int, default=2026, help="tax year (Gregorian)")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = []
        with open(options["input"], encoding="utf-8-sig", newline="") as handle:
            for number, row in enumerate(csv.DictReader(handle), start=2):
                try:
                    result = tax.annual_tax(
                        tax.TaxInput(
                            year=options["year"], salary=tax.to_satang(row["annual_salary"]),
                            bonus=tax.to_satang(row.get("annual_bonus") or "0"), sso=tax.to_satang(row.get("sso") or "0"),
                            pvd=tax.to_satang(row.get("pvd") or "0"), spouse=(row.get("spouse") or "0").strip() == "1",
                            children_birth_years=tax.parse_birth_years(row.get("children_birth_years") or ""),
                            parents=int(row.get("parents") or 0),
                        )
                    )  # fmt: skip
                except (KeyError, ValueError) as exc:
                    raise CommandError(f"row {number}: {exc}") from None
                rows.append([row["case"], *(tax.baht_text(v) for v in (
                    result.expense_deduction, result.allowances, result.net_income, result.annual_tax))])  # fmt: skip
        with open(options["output"], "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(OUTPUT)
            writer.writerows(rows)
        self.stdout.write(f"{len(rows)} cases written to {options['output']}")
