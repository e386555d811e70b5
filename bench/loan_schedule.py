"""loan_schedule: repayment schedules generated per second (issue 19: 50,000 loans).

In process, no database: ``codi.lending.schedule.build`` for LOANS loans with a reproducible mix
of principals (10,000 to 20,000,000 baht), rates (0 to 6 %), terms (6 to 240 months), the three
methods and both day counts. Every schedule is checked as it is made (principal sums exactly to
the principal, last balance 0.00), so a fast wrong answer cannot pass. The issue sets no figure
to reach: the goal is that all LOANS schedules are made and exact. ``LOAN_SCHEDULE_LOANS``
overrides the count for a quick run.
"""

from __future__ import annotations

import os
import random
import time
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from bench import common

NAME = "loan_schedule"
LOANS = 50_000


def _inputs(count: int) -> list[dict[str, Any]]:
    rng = random.Random(19)  # reproducible benchmark inputs
    methods = ["annuity", "equal_principal", "flat"]
    days = ["30/360", "actual/365"]
    return [
        {
            "principal": Decimal(rng.randrange(1_000_000, 2_000_000_000)) / 100,
            "annual_rate": Decimal(rng.randrange(0, 60_000)) / 10_000,
            "months": rng.choice([6, 12, 24, 36, 60, 84, 120, 180, 240]),
            "method": methods[i % 3],
            "day_count": days[(i // 3) % 2],
            "start": date(2020, 1, 1) + timedelta(days=rng.randrange(0, 2500)),
        }
        for i in range(count)
    ]


def run() -> dict[str, Any]:
    from codi.lending.schedule import build

    load = common.load_average()
    count = int(os.environ.get("LOAN_SCHEDULE_LOANS", LOANS))
    inputs = _inputs(count)
    rows = wrong = 0
    started = time.perf_counter()
    for args in inputs:
        schedule = build(**args)
        rows += len(schedule)
        if sum(r.principal for r in schedule) != args["principal"] or schedule[-1].balance != 0:
            wrong += 1
    elapsed = time.perf_counter() - started
    return {
        "loans": count,
        "instalments": rows,
        "seconds": round(elapsed, 3),
        "schedules_per_s": round(count / elapsed, 1),
        "instalments_per_s": round(rows / elapsed, 1),
        "inexact_schedules": wrong,
        "goals": {"all_schedules_exact": wrong == 0, "full_count": count >= LOANS},
        "goal_met": wrong == 0 and count >= LOANS,
        "machine": common.machine_info("none", load_at_start=load),
    }


def summary(result: dict[str, Any]) -> str:
    return (
        f"   {result['loans']} schedules ({result['instalments']} instalments) in {result['seconds']} s: "
        f"{result['schedules_per_s']} schedules/s, {result['instalments_per_s']} instalments/s; "
        f"inexact: {result['inexact_schedules']}"
    )
