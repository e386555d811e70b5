"""``manage.py audit_analytics --input PAYMENTS.csv --output FLAGS.csv``: the analytics over an export.

Reads ``payment_id,vendor_tax_id,vendor_name,invoice_no,amount,category,org_unit,requested_at,
approved_at,inspected_at,paid_at`` and writes ``rule,payment_id,group_id,reason``. By default the
four rules of the shell form run (duplicate_payment, split_purchase, paid_before_approval,
paid_before_inspection); ``--rules`` names others from the registry. A malformed row, an unknown
rule or a parameter out of range stops the command with the line and column and writes nothing.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from codi.audit import analytics
from codi.audit.analytics import AnalyticsError
from codi.calendar.selectors import holiday_dates


class Command(BaseCommand):
    help = "Run the continuous-audit rules over a payments CSV and write the flags CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, help="payments CSV (UTF-8)")
        parser.add_argument("--output", required=True, help="flags CSV to write ('-' for standard output)")
        parser.add_argument(
            "--rules", default=",".join(analytics.SHELL_RULES),
            help=f"comma-separated rule names (default: {','.join(analytics.SHELL_RULES)}; all: {','.join(analytics.RULES)})",
        )  # fmt: skip
        parser.add_argument(
            "--split-threshold", default=None, help="split_purchase threshold in baht (default 500000)"
        )
        parser.add_argument(
            "--param", action="append", default=[], metavar="RULE.NAME=VALUE", help="a rule parameter"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            rules = analytics.resolve_rules(r for r in options["rules"].split(",") if r.strip())
            params = analytics.params_from_options(options["param"])
            if options["split_threshold"] is not None:
                params.setdefault("split_purchase", {})["threshold"] = options["split_threshold"]
            for rule in rules:  # every parameter checked before the file is read
                rule.resolve(params.get(rule.name))
            source = Path(options["input"])
            if not source.is_file():
                raise AnalyticsError(f"ไม่พบไฟล์ {source}", f"No such file: {source}")
            with source.open(encoding="utf-8-sig", newline="") as stream:
                payments = analytics.read_payments(stream)
            read_s = time.perf_counter() - started
            holidays = (
                frozenset(holiday_dates()) if any(r.name == "weekend_holiday" for r in rules) else frozenset()
            )
            data = analytics.Dataset(payments=payments, holidays=holidays)
            flags = analytics.run_rules(data, rules, params)
        except AnalyticsError as exc:
            for line in exc.errors[1:]:
                self.stderr.write(line)
            raise CommandError(exc.message_en) from None
        except UnicodeDecodeError as exc:
            raise CommandError(f"the file is not UTF-8 (byte {exc.start})") from None
        if options["output"] == "-":
            count = analytics.write_flags(sys.stdout, flags)
        else:
            target = Path(options["output"])
            # Written beside the target and renamed: a failed run leaves no half file.
            fd, tmp = tempfile.mkstemp(dir=target.parent or Path("."), prefix=".flags-", suffix=".csv")
            try:
                with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
                    count = analytics.write_flags(stream, flags)
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        total_s = time.perf_counter() - started
        by_rule: dict[str, int] = {}
        for flag in flags:
            by_rule[flag.rule] = by_rule.get(flag.rule, 0) + 1
        summary = ", ".join(f"{r.name}: {by_rule.get(r.name, 0)}" for r in rules)
        self.stderr.write(
            f"{len(payments)} payments read in {read_s:.2f} s; {count} flags ({summary}) in {total_s:.2f} s"
        )
