"""mart_refresh: the analytics store's refresh over a large ledger and loan book, full and incremental.

In a child process on a fresh SQLite database: ``BENCH_MART_LINES`` journal lines (bulk-inserted by
``bench.finance_seed``) and ``BENCH_MART_LOANS`` loans of 24 monthly instalments (seeded by
``bench.loan_portfolio``): 20,000 lines and 250 loans (6,000 instalments) by default, the issue's
1,000,000 lines and 12,500 loans (300,000 instalments) with ``BENCH_MART_FULL=1``
(``BENCH_MART_PROFILE=1`` adds the full refresh's cProfile top functions); then

* ``full``: ``store.refresh(full=True)`` of every mart (extract through each app's ``marts.py``,
  Parquet written with pyarrow);
* ``incremental``: 1,000 new journal lines (100 entries) posted, then ``store.refresh()``: the
  ledger gets one new Parquet part, the unchanged instalments are skipped by their fingerprint;
* ``unchanged``: ``store.refresh()`` again with nothing new (the scheduled run's floor);
* ``duckdb_totals``: the sum of debits over the marts with DuckDB vs the same sum by SQL on the
  operational table (and both must agree to the satang), as the ratio baseline in the same run.

Wall and CPU time of each phase, and the load average before and after (the machine is shared).
Goals (issue 24): full < 60 s, incremental after 1,000 new rows < 5 s.

Run under ``scripts/with-postgres.sh`` it measures PostgreSQL (the seed then loads the journal lines
with ``COPY``); each size gets a database of its own on that cluster. ``BENCH_MART_SIZES`` runs
several sizes in one go (``lines:loans`` pairs, e.g. ``100000:1250,300000:3750``) and reports how
the refresh scales, with a linear fit of the full refresh's wall time over the rows extracted and
its value at the issue's size (1,000,000 lines + 300,000 instalments) marked as extrapolated when
that size was not run.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench import common

NAME = "mart_refresh"
GOAL_FULL_S = 60.0
GOAL_INCREMENTAL_S = 5.0
# The size (1,000,000 lines + 12,500 loans x 24 = 300,000 instalments) with BENCH_MART_FULL=1;
# by default a small run (20,000 lines + 250 loans = 6,000 instalments) that checks the bench works
# on a shared machine. BENCH_MART_LINES / BENCH_MART_LOANS set any other size.
FULL = os.environ.get("BENCH_MART_FULL", "") not in ("", "0")
LINES = int(os.environ.get("BENCH_MART_LINES", "1000000" if FULL else "20000"))
LOANS = int(os.environ.get("BENCH_MART_LOANS", "12500" if FULL else "250"))
MONTHS = 24
PROFILE = os.environ.get("BENCH_MART_PROFILE", "") not in ("", "0")  # cProfile of the full refresh
NEW_ENTRIES = 100  # x 10 lines = 1,000 new rows


def _timed(call: Any) -> tuple[Any, float, float]:
    t0, c0 = time.perf_counter(), time.process_time()
    result = call()
    return result, round(time.perf_counter() - t0, 3), round(time.process_time() - c0, 3)


def _profile_top(profiler: cProfile.Profile, n: int = 25) -> list[str]:
    """The functions that took the most time of their own in the full refresh (cProfile)."""
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(n)
    return [line.strip() for line in out.getvalue().splitlines() if line.strip()][-n:]


def _worker(lines: int, loans: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_areas", verbosity=0)
    from bench import finance_seed, loan_portfolio
    from codi.insights.marts import store

    year, _viewer, line = finance_seed.setup_books()
    t0 = time.perf_counter()
    written = finance_seed.bulk_insert(
        year, 0, max(lines // finance_seed.LINES_PER_ENTRY, 1), budget_line_id=line.pk
    )
    seed_ledger_s = round(time.perf_counter() - t0, 1)
    seeded_loans = loan_portfolio._seed(loans, MONTHS)
    load_start = common.load_average()

    profiler = cProfile.Profile() if PROFILE else None
    if profiler is not None:
        profiler.enable()
    full, full_s, full_cpu = _timed(lambda: store.refresh(full=True))
    if profiler is not None:
        profiler.disable()
    by_name = {r.name: r for r in full}
    first = lines // finance_seed.LINES_PER_ENTRY + 10
    new_lines = finance_seed.bulk_insert(
        year, first, NEW_ENTRIES, source_type="bench.new", budget_line_id=line.pk
    )
    incremental, inc_s, inc_cpu = _timed(lambda: store.refresh())
    inc_by_name = {r.name: r for r in incremental}
    unchanged, unchanged_s, unchanged_cpu = _timed(lambda: store.refresh())

    def operational() -> Any:
        with connection.cursor() as cursor:
            cursor.execute("SELECT SUM(debit), COUNT(*) FROM finance_journalline")
            return cursor.fetchone()

    (op_debit, op_rows), op_s, op_cpu = _timed(operational)
    mart, mart_s, mart_cpu = _timed(lambda: store.totals("ledger_lines"))
    return {
        "vendor": connection.vendor,
        "ledger_lines": written,
        "loans": seeded_loans["loans"],
        "instalments": seeded_loans["instalments"],
        "seed_ledger_s": seed_ledger_s,
        "seed_loans_s": seeded_loans["seed_s"],
        "full": {
            "wall_s": full_s,
            "cpu_s": full_cpu,
            "rows": {n: r.rows for n, r in by_name.items()},
            "per_mart_s": {n: r.duration_s for n, r in by_name.items()},
            **({"profile": _profile_top(profiler)} if profiler is not None else {}),
        },
        "incremental": {
            "new_rows": new_lines,
            "wall_s": inc_s,
            "cpu_s": inc_cpu,
            "modes": {n: r.mode for n, r in inc_by_name.items()},
            "ledger_added": inc_by_name["ledger_lines"].added_rows,
        },
        "unchanged": {
            "wall_s": unchanged_s,
            "cpu_s": unchanged_cpu,
            "modes": sorted({r.mode for r in unchanged}),
        },
        "totals": {
            "operational_sql_s": op_s,
            "operational_sql_cpu_s": op_cpu,
            "duckdb_marts_s": mart_s,
            "duckdb_marts_cpu_s": mart_cpu,
            "equal": Decimal(str(op_debit)).quantize(Decimal("0.01")) == mart["debit"]
            and op_rows == mart["rows"],
        },
        "load_average_at_start": load_start,
        "load_average_at_end": common.load_average(),
    }


def _database(index: int) -> str | None:
    """On PostgreSQL, a fresh database on the same cluster for one size; None on SQLite."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return None
    import psycopg  # heavy: only for a PostgreSQL run

    name = f"bench_mart_{index}_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + "/" + name


def _one(index: int, lines: int, loans: int) -> dict[str, Any]:
    cpu0 = os.times()
    with common.temp_dir(NAME) as tmp:
        env = common.fresh_env(Path(tmp))
        database = _database(index)
        if database:
            env["DATABASE_URL"] = database
        output = common.run_child(
            ["-m", f"bench.{NAME}", "--worker", "--lines", str(lines), "--loans", str(loans)],
            env,
            timeout=3600,
        )
    cpu1 = os.times()
    raw = common.last_json_line(output)
    raw["child_cpu_s"] = round(
        (cpu1.children_user + cpu1.children_system) - (cpu0.children_user + cpu0.children_system), 1
    )
    return raw


def _sizes() -> list[tuple[int, int]]:
    spec = os.environ.get("BENCH_MART_SIZES", "")
    if not spec:
        return [(LINES, LOANS)]
    return [(int(a), int(b)) for a, b in (pair.split(":") for pair in spec.split(","))]


def _scaling(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Seconds per 100,000 extracted rows at each size, and a least-squares line of the full refresh's
    wall time over the rows, evaluated at the issue's size."""
    points = [(r["ledger_lines"] + r["instalments"], r["full"]["wall_s"]) for r in runs]
    target_rows = 1_000_000 + 300_000
    out: dict[str, Any] = {
        "per_size": [
            {
                "ledger_lines": r["ledger_lines"],
                "instalments": r["instalments"],
                "full_wall_s": r["full"]["wall_s"],
                "full_cpu_s": r["full"]["cpu_s"],
                "incremental_wall_s": r["incremental"]["wall_s"],
                "s_per_100k_rows": round(r["full"]["wall_s"] * 100_000 / max(rows, 1), 2),
            }
            for r, (rows, _s) in zip(runs, points, strict=True)
        ],
    }
    if len(points) >= 2:
        n = len(points)
        mx, my = sum(x for x, _ in points) / n, sum(y for _, y in points) / n
        slope = sum((x - mx) * (y - my) for x, y in points) / max(sum((x - mx) ** 2 for x, _ in points), 1e-9)
        out["fit"] = {"s_per_100k_rows": round(slope * 100_000, 2), "intercept_s": round(my - slope * mx, 2)}
        out["full_wall_s_at_1m_plus_300k"] = round(my + slope * (target_rows - mx), 1)
    out["issue_size_run"] = any(x >= target_rows for x, _ in points)
    out["extrapolated"] = not out["issue_size_run"]
    return out


def run() -> dict[str, Any]:
    runs = [_one(i, lines, loans) for i, (lines, loans) in enumerate(_sizes())]
    raw = dict(runs[-1])
    if len(runs) > 1:
        raw["runs"] = runs
    raw["scaling"] = _scaling(runs)
    t = raw["totals"]
    raw["ratio_duckdb_over_sql"] = round(t["duckdb_marts_s"] / max(t["operational_sql_s"], 1e-6), 2)
    raw["goals"] = {"full_s": GOAL_FULL_S, "incremental_s": GOAL_INCREMENTAL_S}
    raw["goal_met"] = bool(
        raw["full"]["wall_s"] < GOAL_FULL_S
        and raw["incremental"]["wall_s"] < GOAL_INCREMENTAL_S
        and raw["incremental"]["ledger_added"] == raw["incremental"]["new_rows"]
        and t["equal"]
    )
    raw["machine"] = common.machine_info(raw["vendor"], load_at_start=raw["load_average_at_start"])
    return raw


def summary(result: dict[str, Any]) -> str:
    return (
        f"full refresh of {result['ledger_lines']:,} ledger lines + {result['instalments']:,} instalments: "
        f"{result['full']['wall_s']} s wall / {result['full']['cpu_s']} s CPU (goal < {GOAL_FULL_S:g} s); "
        f"incremental after {result['incremental']['new_rows']} rows: {result['incremental']['wall_s']} s "
        f"(goal < {GOAL_INCREMENTAL_S:g} s); nothing new: {result['unchanged']['wall_s']} s; "
        f"load {result['load_average_at_start']} -> {result['load_average_at_end']}"
    )


def _main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--lines", type=int, default=LINES)
    parser.add_argument("--loans", type=int, default=LOANS)
    args = parser.parse_args()
    if not args.worker:
        result = run()
        print(json.dumps(result, indent=2))
        common.write_result(NAME, result)
        return
    print(json.dumps(_worker(args.lines, args.loans)))


if __name__ == "__main__":
    _main()
