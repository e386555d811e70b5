"""ledger_post: journal lines posted through the service vs a bulk insert of the same rows.

In a child process on a fresh database: ``service`` posts entries of ten lines (nine expense
debits, one bank credit) one by one with ``codi.finance.ledger.entry_post`` — validation, one prefetch
query (idempotency, accounts, the budget line's dimensions), fiscal-year row lock, numbering and
closed-period check, the entry and its lines (one ``executemany``), the pre-summed balance rows
(one upsert ``executemany``, ``codi.finance.balances``), the database balance triggers
and an audit entry per entry, each in its own transaction: nine statements per entry
(``tests/finance/test_posting_queries.py`` pins them), the budget line tagged on the first line; ``bulk`` inserts the same rows
with ``bulk_create`` in chunks of 500 entries (PostgreSQL: the lines by ``COPY``, 5,000 entries a
chunk; the triggers still run). Lines per second of each
and the ratio. The issue asks for 1,000,000 lines; the default here is ``BENCH_LEDGER_LINES``
(50,000: the shared 2-core machine) — set it to 1000000 for the full run. The process CPU time
of each side is reported with its wall time: on the shared machine other work takes most of the
cores, and ``cpu_lines_per_s`` is the rate the code itself sustains. SQLite always;
PostgreSQL too when ``DATABASE_URL`` is ``postgres://…``.

Goal (issue): >= 2,000 lines/s through the service on SQLite.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from typing import Any

from bench import common

NAME = "ledger_post"
GOAL_LINES_PER_S = 2000
LINES = int(os.environ.get("BENCH_LEDGER_LINES", "50000"))


def _worker(lines: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.db import connection

    from bench import finance_seed as seed
    from codi.finance import balances, ledger
    from codi.finance.ledger import LineSpec

    year, _viewer, budget = seed.setup_books()
    entries = max(lines // seed.LINES_PER_ENTRY, 1)

    def service(number: int) -> None:
        rows = seed.entry_lines(number)
        specs = [LineSpec(a, debit=d, credit=c) for a, d, c in rows]
        specs[0] = LineSpec(rows[0][0], debit=rows[0][1], budget_line_id=budget.pk)
        ledger.entry_post(
            actor=None, entry_date=seed.DAY, description="bench", lines=specs, source_type="bench.service",
            source_id=str(number), dimensions=seed.dimensions_of(number),
        )  # fmt: skip

    for number in range(20):  # warm-up
        service(-1 - number)
    started, cpu = time.perf_counter(), time.process_time()
    for number in range(entries):
        service(number)
    service_s, service_cpu = time.perf_counter() - started, time.process_time() - cpu
    # the balance table the service kept equals a fresh sum of the lines it posted (not timed)
    assert balances.check(year_id=year.pk) == []

    started, cpu = time.perf_counter(), time.process_time()
    written = seed.bulk_insert(year, 0, entries, budget_line_id=budget.pk)
    bulk_s, bulk_cpu = time.perf_counter() - started, time.process_time() - cpu
    service_lines = entries * seed.LINES_PER_ENTRY
    return {
        "vendor": connection.vendor,
        "lines": service_lines,
        "entries": entries,
        "service": {"seconds": round(service_s, 2), "lines_per_s": round(service_lines / service_s, 1),
                    "cpu_s": round(service_cpu, 2), "cpu_lines_per_s": round(service_lines / service_cpu, 1)},
        "bulk": {"seconds": round(bulk_s, 2), "lines_per_s": round(written / bulk_s, 1), "cpu_s": round(bulk_cpu, 2),
                 "cpu_lines_per_s": round(written / bulk_cpu, 1)},
    }  # fmt: skip


def _run_worker(env: dict[str, str]) -> dict[str, Any]:
    output = common.run_child(
        ["-m", "bench.ledger_post", "--worker", "--lines", str(LINES)], env, timeout=3600
    )
    raw = common.last_json_line(output)
    raw["ratio_bulk_over_service"] = round(raw["bulk"]["lines_per_s"] / raw["service"]["lines_per_s"], 2)
    raw["ratio_bulk_over_service_cpu"] = round(
        raw["bulk"]["cpu_lines_per_s"] / raw["service"]["cpu_lines_per_s"], 2
    )
    raw["goal_met"] = raw["service"]["lines_per_s"] >= GOAL_LINES_PER_S
    return raw


def run() -> dict[str, Any]:
    started, load_at_start = time.monotonic(), common.load_average()
    databases = common.on_each_database(NAME, _run_worker)
    return {
        "benchmark": NAME,
        "machine": common.machine_info("+".join(databases), load_at_start=load_at_start),
        "setup": {
            "service": "codi.finance.ledger.entry_post, entries of 10 lines, one per call (audit entry each)",
            "baseline": "JournalEntry/JournalLine bulk_create of the same rows, 500 entries per transaction "
            "(PostgreSQL: lines by COPY, 5,000 entries per transaction)",
            "lines": LINES,
            "note": "the issue's 1,000,000 lines: BENCH_LEDGER_LINES=1000000",
        },
        "databases": databases,
        "goal": f">= {GOAL_LINES_PER_S} lines/s through the service on SQLite",
        "goal_met": databases["sqlite"]["goal_met"],
        "elapsed_s": round(time.monotonic() - started, 1),
    }


def summary(result: dict[str, Any]) -> str:
    return "\n".join(
        f"   {vendor}: service {d['service']['lines_per_s']:.0f} lines/s, bulk {d['bulk']['lines_per_s']:.0f} "
        f"lines/s (bulk/service {d['ratio_bulk_over_service']:.1f}x) over {d['lines']:,} lines"
        for vendor, d in result["databases"].items()
    )


def _main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--lines", type=int, default=LINES)
    args = parser.parse_args()
    if not args.worker:
        parser.error("run it with python -m bench.run ledger_post")
    print(json.dumps(_worker(args.lines)))


if __name__ == "__main__":
    _main()
