"""pms_dashboard: region/program aggregation over 100,000 projects and 300,000 installments, warm.

A child process seeds a fresh database like ``project_list`` (its ``seed``), with 3 installments
per project (the first paid for projects in progress, all paid for closed ones). Then
``reporting.dashboard`` — projects by status, requested/approved/disbursed/reported amounts,
overdue steps and indicator roll-ups, folded into region, province and program tables — is
timed ``ROUNDS`` times after one warm-up call, for an executive (whole country) and a regional
director (``northeast``), unfiltered and for one fiscal year. Baseline in the same run: the
two core grouped statements (projects by province/program/status; disbursed installments by
province/program) as raw SQL on a bare cursor. Goal (issue): < 500 ms warm (p95).

PostgreSQL: one benchmark per ``scripts/with-postgres.sh`` run (each seeds the database it is given,
so two in one run collide). CPU figures mean "cost on an idle machine" only on SQLite (in process).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Any

from bench import common

NAME = "pms_dashboard"
PROJECTS = int(os.environ.get("BENCH_PROJECTS", "100000"))
ROUNDS = 10
GOAL_MS = 500.0

BASELINE_SQL = [
    "SELECT substr(subdistrict_id, 1, 2) AS province, program_id, status, COUNT(id), "
    "SUM(requested_amount), SUM(approved_amount) FROM projects_project GROUP BY 1, 2, 3",
    "SELECT substr(p.subdistrict_id, 1, 2) AS province, p.program_id, SUM(i.amount) "
    "FROM projects_installment i JOIN projects_project p ON p.id = i.project_id "
    "WHERE i.status = 'disbursed' GROUP BY 1, 2",
]


def _worker(projects: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.project_list import bench_user, seed

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_areas", verbosity=0)
    seeded = seed(projects, installments=True)

    from codi.projects import reporting

    def timed(call: Any) -> dict[str, float]:
        call()  # warm-up
        times, cpu = [], []
        for _ in range(ROUNDS):
            started, started_cpu = time.perf_counter(), time.process_time()
            call()
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        # SQLite runs in this process: its CPU time is what the call costs on an idle machine.
        return {
            "p50": round(common.percentile(times, 50) * 1000, 1),
            "p95": round(common.percentile(times, 95) * 1000, 1),
            "cpu_p95": round(common.percentile(cpu, 95) * 1000, 1),
        }

    def baseline() -> None:
        with connection.cursor() as cursor:
            for sql in BASELINE_SQL:
                cursor.execute(sql)
                cursor.fetchall()

    executive = bench_user("executive", "country", "")
    director = bench_user("regional_director", "region", "northeast")
    board = reporting.dashboard(actor=executive)
    cases = {
        "executive_all": lambda: reporting.dashboard(actor=executive),
        "executive_fy2569": lambda: reporting.dashboard(actor=executive, fiscal_year=2569),
        "director_northeast": lambda: reporting.dashboard(actor=director),
        "director_program": lambda: reporting.dashboard(actor=director, program=1),
    }
    return {
        "vendor": connection.vendor,
        "seeded": seeded,
        "check": {
            "projects": board.total.projects,
            "approved": str(board.total.approved),
            "disbursed": str(board.total.disbursed),
            "regions": len(board.by_region),
        },
        "dashboard_ms": {name: timed(call) for name, call in cases.items()},
        "baseline_raw_sql_ms": timed(baseline),
    }


def run() -> dict[str, Any]:
    started, load_at_start = time.monotonic(), common.load_average()
    with common.temp_dir(NAME) as tmp:
        env = common.fresh_env(Path(tmp))
        if os.environ.get("DATABASE_URL", "").startswith("postgres"):
            env["DATABASE_URL"] = os.environ["DATABASE_URL"]
        out = common.run_child(
            ["-m", "bench.pms_dashboard", "--worker", "--projects", str(PROJECTS)], env, timeout=2400
        )
        raw = common.last_json_line(out)
    worst = max(case["p95"] for case in raw["dashboard_ms"].values())
    worst_cpu = max(case["cpu_p95"] for case in raw["dashboard_ms"].values())
    base = raw["baseline_raw_sql_ms"]["p95"]
    return {
        "benchmark": NAME,
        "machine": common.machine_info(raw["vendor"], load_at_start=load_at_start),
        "setup": {
            "data": f"{PROJECTS:,} projects, 3 installments each, 6 programs, 3 fiscal years, all subdistricts",
            "measured": "codi.projects.reporting.dashboard (all tables and totals), warm, p95 of "
            f"{ROUNDS} calls; baseline: the two core GROUP BY statements as raw SQL",
        },
        "result": raw,
        "ratio_to_baseline_p95": round(worst / max(base, 1e-9), 2),
        "goals": {
            "dashboard_p95_under_500ms_warm": {"value_ms": worst, "goal_met": worst < GOAL_MS},
            "dashboard_cpu_p95_under_500ms_warm": {"value_ms": worst_cpu, "goal_met": worst_cpu < GOAL_MS},
        },
        "goal_met": worst < GOAL_MS,
        "elapsed_s": round(time.monotonic() - started, 1),
    }


def summary(result: dict[str, Any]) -> str:
    raw = result["result"]
    lines = [
        f"   {raw['seeded']['projects']:,} projects, {raw['seeded']['installments']:,} installments ({raw['vendor']})"
    ]
    for name, case in raw["dashboard_ms"].items():
        lines.append(
            f"   {name:22} p50 {case['p50']:7.1f} ms  p95 {case['p95']:7.1f} ms  CPU p95 {case['cpu_p95']:7.1f} ms"
        )
    lines.append(
        f"   raw GROUP BY baseline p95 {raw['baseline_raw_sql_ms']['p95']:.1f} ms; worst/baseline ×{result['ratio_to_baseline_p95']}"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--projects", type=int, default=PROJECTS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(_worker(args.projects), default=str))
