"""payroll_run on PostgreSQL only: the same worker as ``bench.payroll_run`` (which always runs
SQLite first), for a shared machine where SQLite + PostgreSQL at one size do not fit in ten minutes.

    scripts/with-postgres.sh env PYTHONPATH=src .venv/bin/python -m bench.payroll_run_postgresql 4000

Writes ``bench/results/payroll_run_postgresql.json`` (the shape of ``payroll_run.json``), with the
children's CPU seconds and the load average at the start and the end.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from bench import common, payroll_run, people_seed


def main(employees: int) -> None:
    payroll_run.EMPLOYEES = employees
    started, load_at_start = time.monotonic(), common.load_average()
    before = os.times()
    with common.temp_dir("payroll_pg") as tmp:
        raw = common.with_postgres_database(os.environ["DATABASE_URL"], Path(tmp), payroll_run._run_worker)
    after = os.times()
    children_cpu = (after.children_user + after.children_system) - (
        before.children_user + before.children_system
    )
    outcome = people_seed.result(
        "payroll_run",
        started=started,
        load_at_start=load_at_start,
        setup={"employees": employees, "note": "PostgreSQL only", "children_cpu_s": round(children_cpu, 1)},
        databases={"postgresql": raw},
        goal=f"preview + approval + posting of {payroll_run.GOAL_EMPLOYEES:,} employees < {payroll_run.GOAL_S:.0f} s",
    )
    outcome["machine"]["load_average_at_end"] = list(os.getloadavg())
    path = common.write_result("payroll_run_postgresql", outcome)
    print(payroll_run.summary(outcome))
    print(f"   {path.relative_to(common.REPO)}")


if __name__ == "__main__":
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("run under scripts/with-postgres.sh")
    main(int(sys.argv[1]) if len(sys.argv) > 1 else payroll_run.EMPLOYEES)
