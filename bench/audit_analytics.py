"""audit_analytics: the e-Audit shell form over a payments CSV (issue 20: 1,000,000 rows < 30 s).

In process, no database: a reproducible CSV of ``BENCH_AUDIT_ROWS`` payments (default 200,000 on
the shared machine; the issue's 1,000,000 with ``BENCH_AUDIT_ROWS=1000000``) is written to a
temporary file, then read with ``csv.reader`` alone (the baseline the issue compares with) and run
through what ``manage.py audit_analytics`` does: parse and check every row, the four shell-form
rules (duplicate_payment, split_purchase, paid_before_approval, paid_before_inspection), write
FLAGS.csv. Planted exceptions (duplicate pairs, split groups, early payments) must all be flagged,
so a fast wrong answer cannot pass. The live form over PostgreSQL (1,000,000 payments + 100,000
projects < 60 s) is not measured here.
"""

from __future__ import annotations

import csv
import os
import random
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench import common

NAME = "audit_analytics"
ROWS = 200_000
FULL_ROWS = 1_000_000
GOAL_SECONDS_AT_FULL = 30.0
PLANTED = 200  # of each kind


def _write(path: Path, count: int) -> dict[str, set[str]]:
    """The CSV; returns the planted ids per rule."""
    rng = random.Random(20)  # reproducible benchmark inputs
    start = date(2025, 10, 1)
    planted: dict[str, set[str]] = {
        k: set() for k in ("duplicate_payment", "split_purchase", "paid_before_approval")
    }
    categories = ["supplies", "services", "works", "travel"]
    units = [f"U{n:02d}" for n in range(40)]
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(
            ["payment_id", "vendor_tax_id", "vendor_name", "invoice_no", "amount", "category", "org_unit",
             "requested_at", "approved_at", "inspected_at", "paid_at"]
        )  # fmt: skip
        n = 0

        def row(
            tax: str, invoice: str, amount: str, category: str, unit: str, req: date, appr: date, paid: date
        ) -> str:
            nonlocal n
            n += 1
            pid = f"PV{n:08d}"
            writer.writerow(
                [pid, tax, f"vendor {tax[-5:]}", invoice, amount, category, unit, req.isoformat(),
                 f"{appr.isoformat()}T10:00:00", "", f"{paid.isoformat()}T14:00:00"]
            )  # fmt: skip
            return pid

        for i in range(PLANTED):
            tax = f"9{i:012d}"
            day = start + timedelta(days=rng.randrange(0, 300))
            for k in range(2):  # same invoice, paid months apart
                planted["duplicate_payment"].add(
                    row(
                        tax,
                        f"DUP-{i}",
                        f"{1000 + k}.00",
                        "services",
                        "U00",
                        day,
                        day,
                        day + timedelta(days=90 * k),
                    )
                )
            tax = f"8{i:012d}"
            for k in range(3):  # three purchases of 200,000 within 20 days
                d = day + timedelta(days=10 * k)
                planted["split_purchase"].add(row(tax, f"SP-{i}-{k}", "200000.00", "works", "U01", d, d, d))
            tax = f"7{i:012d}"
            planted["paid_before_approval"].add(
                row(
                    tax,
                    f"PB-{i}",
                    "5000.00",
                    "travel",
                    "U02",
                    day,
                    day + timedelta(days=3),
                    day + timedelta(days=1),
                )
            )
        vendors = [f"0105{v:09d}" for v in range(20_000)]
        while n < count:
            req = start + timedelta(days=rng.randrange(0, 360))
            appr = req + timedelta(days=rng.randrange(0, 5))
            paid = appr + timedelta(days=rng.randrange(0, 20))
            row(
                rng.choice(vendors), f"INV{n:09d}", f"{rng.randrange(100, 5_000_000)}.{rng.randrange(100):02d}",
                rng.choice(categories), rng.choice(units), req, appr, paid,
            )  # fmt: skip
    return planted


def run() -> dict[str, Any]:
    from codi.audit import analytics

    load = common.load_average()
    count = int(os.environ.get("BENCH_AUDIT_ROWS", ROWS))
    with common.temp_dir("bench-audit-") as tmp:
        source, target = Path(tmp) / "payments.csv", Path(tmp) / "flags.csv"
        planted = _write(source, count)
        size_mb = source.stat().st_size / 1e6

        started = time.perf_counter()
        with source.open(encoding="utf-8", newline="") as stream:
            baseline_rows = sum(1 for _ in csv.reader(stream)) - 1
        read_only = time.perf_counter() - started

        started = time.perf_counter()
        with source.open(encoding="utf-8-sig", newline="") as stream:
            payments = analytics.read_payments(stream)
        parsed = time.perf_counter() - started
        flags = analytics.run_rules(
            analytics.Dataset(payments=payments), analytics.resolve_rules(analytics.SHELL_RULES)
        )
        with target.open("w", encoding="utf-8", newline="") as stream:
            written = analytics.write_flags(stream, flags)
        total = time.perf_counter() - started
    found: dict[str, set[str]] = {}
    for flag in flags:
        found.setdefault(flag.rule, set()).add(flag.payment_id)
    missed = {rule: len(ids - found.get(rule, set())) for rule, ids in planted.items()}
    per_rule = {rule: len(ids) for rule, ids in found.items()}
    # Scaled to the size for the goal when a smaller run was made.
    projected = total * FULL_ROWS / count
    exact = not any(missed.values()) and baseline_rows == count
    return {
        "rows": count,
        "csv_mb": round(size_mb, 1),
        "read_csv_alone_s": round(read_only, 3),
        "parse_and_check_s": round(parsed, 3),
        "total_s": round(total, 3),
        "ratio_to_read_alone": round(total / read_only, 2),
        "rows_per_s": round(count / total),
        "projected_s_at_1m": round(projected, 1),
        "flags_written": written,
        "flags_by_rule": per_rule,
        "planted_missed": missed,
        "goals": {"all_planted_flagged": exact, "under_30s_at_1m": projected < GOAL_SECONDS_AT_FULL},
        "goal_met": exact and projected < GOAL_SECONDS_AT_FULL,
        "full_size": count >= FULL_ROWS,
        "machine": common.machine_info("none", load_at_start=load),
    }


def summary(result: dict[str, Any]) -> str:
    return (
        f"   {result['rows']} rows ({result['csv_mb']} MB): csv.reader alone {result['read_csv_alone_s']} s, "
        f"audit_analytics {result['total_s']} s (x{result['ratio_to_read_alone']}; {result['rows_per_s']} rows/s; "
        f"projected {result['projected_s_at_1m']} s at 1,000,000); flags {result['flags_by_rule']}; "
        f"planted missed {result['planted_missed']}"
    )
