"""Write a realistic member workbook with an exact share of bad rows, and say which rows are bad."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from codi.areas.models import Subdistrict
from codi.communities.generator import generate_members
from codi.communities.models import Organization


class Command(BaseCommand):
    help = (
        "Generate a member workbook (.xlsx or .csv) for import tests: valid national IDs, Thai names, "
        "real subdistrict codes, and exactly --bad-share of rows with one defect each."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--rows", type=int, default=1000)
        parser.add_argument("--bad-share", type=float, default=0.0, help="fraction of bad rows, e.g. 0.01")
        parser.add_argument("--output", required=True, help="FILE.xlsx or FILE.csv")
        parser.add_argument(
            "--fixed-output", default="", help="also write the same file with every defect undone"
        )
        parser.add_argument("--report", default="", help="write the bad rows as JSON to this file")
        parser.add_argument("--seed", type=int, default=2569)
        parser.add_argument("--province", default="", help="only subdistricts/organizations under this code")
        parser.add_argument(
            "--no-organizations",
            action="store_true",
            help="leave the organization column empty (default: spread members over registered organizations)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["rows"] < 1:
            raise CommandError("--rows must be at least 1")
        prefix = options["province"]
        codes = list(
            Subdistrict.objects.filter(code__startswith=prefix)
            .order_by("code")
            .values_list("code", flat=True)
        )
        if not codes:
            raise CommandError("no subdistricts found: run `manage.py load_areas` first")
        organizations: list[tuple[str, str]] = []
        if not options["no_organizations"]:
            organizations = list(
                Organization.objects.exclude(registration_no="")
                .filter(subdistrict__code__startswith=prefix)
                .order_by("pk")
                .values_list("registration_no", "subdistrict_id")
            )
        try:
            generated = generate_members(
                rows=options["rows"],
                bad_share=options["bad_share"],
                subdistricts=codes,
                organizations=organizations,
                seed=options["seed"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        output = Path(options["output"])
        generated.write(output)
        if options["fixed_output"]:
            generated.write(Path(options["fixed_output"]), fixed=True)
        bad = generated.bad_rows
        if options["report"]:
            Path(options["report"]).write_text(
                json.dumps({str(k): v for k, v in bad.items()}, ensure_ascii=False, indent=1),
                encoding="utf-8",
            )
        self.stdout.write(
            f"wrote {output}: {options['rows']:,} rows, {len(bad):,} bad "
            f"({len(bad) / options['rows']:.2%}), organizations used: {len(organizations):,}"
        )
        for row_number, info in list(bad.items())[:50]:
            self.stdout.write(f"  แถว {row_number:,} คอลัมน์ {info['column']}: {info['defect']}")
        if len(bad) > 50:
            self.stdout.write(f"  … and {len(bad) - 50:,} more (use --report FILE.json for all)")
