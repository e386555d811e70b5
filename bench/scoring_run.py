"""scoring_run: the community-strength index and the project risk, with explanations, for N organizations.

In a child process on a fresh SQLite database: an indicator snapshot of ``BENCH_SCORING_ORGS``
organizations (default 100,000, the issue's figure) is bulk-inserted (seven indicators, about a
third of the values missing, as in real data), then timed:

* ``index``: ``codi.scoring.services.index_compute`` — reads the snapshot, normalises, weights,
  aggregates, computes every score's contributions, the sensitivity analysis over the eight
  alternative methods (rank changes, rank ranges) and writes one score row per organization;
* ``risk``: ``codi.scoring.risk.predict`` over one project per organization — calibrated
  probability and the three largest SHAP contributions written in Thai — with a model trained
  (not timed) on 2,000 synthetic approved projects.

The indicator feeds (the queries over projects, loans and members) are not in the timing: they
depend on the other apps' data volumes, not on this code. Goal (issue): < 60 s on SQLite.
"""

from __future__ import annotations

import os
import random
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bench import common

NAME = "scoring_run"
GOAL_SECONDS = 60.0
ORGS = int(os.environ.get("BENCH_SCORING_ORGS", "100000"))


def _projects(n: int, rng: random.Random, start: datetime) -> list[dict[str, Any]]:
    rows = []
    for i in range(n):
        requested = rng.randrange(50, 2000) * 1000
        co = rng.choice([0, 0, rng.randrange(1, 50) * 1000])
        households = rng.randrange(10, 300)
        bad = ((requested < 600_000 and co == 0) or households > 250) != (rng.random() < 0.15)
        approved = start + timedelta(minutes=i)
        rows.append({
            "id": i + 1, "code": f"B{i}", "status": "in_progress", "approved_at": approved,
            "program__kind": rng.choice(["housing", "welfare", "land", "economy"]),
            "org_type": rng.choice(["community_org", "savings_group", "council"]),
            "subdistrict__district__province__region_id": rng.choice(["north", "northeast", "south", "east"]),
            "subdistrict__district__name_th": rng.choice(["เมืองขอนแก่น", "บ้านไผ่"]),
            "requested_amount": requested, "approved_amount": requested, "co_funding_amount": co,
            "households": households, "start_date": date(2025, 1, 1), "end_date": date(2025, 12, 31),
            "org_age": rng.random() * 20, "prior_projects": rng.randrange(0, 4), "prior_problems": 0,
            "late_steps": int(bad), "returned_reports": 0, "outcome_known_at": None,
        })  # fmt: skip
    return rows


def _worker(count: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    from codi.scoring import risk, services
    from codi.scoring.indicators import indicators
    from codi.scoring.models import IndexScore, IndicatorRun, IndicatorValue

    rng = random.Random(2569)
    defs = indicators("organization")
    run = IndicatorRun.objects.create(
        period=2569, level="organization", indicator_keys=[d.key for d in defs], entity_count=count
    )
    values = []
    for org in range(1, count + 1):
        for d in defs:
            if rng.random() < 0.33:
                continue  # missing stays missing
            value = rng.random() if d.unit == "สัดส่วน" else float(rng.randrange(1, 300))
            values.append(
                IndicatorValue(run=run, indicator_key=d.key, entity=str(org), value=value, inputs={})
            )
    IndicatorValue.objects.bulk_create(values, batch_size=5000)

    started, cpu = time.perf_counter(), time.process_time()
    index_run = services.index_compute(indicator_run=run)
    index_s, index_cpu = time.perf_counter() - started, time.process_time() - cpu
    # an organization with all seven values missing has no row at all (missing, not zero)
    assert IndexScore.objects.filter(run=index_run).count() == len({v.entity for v in values})

    start = datetime(2024, 1, 1, tzinfo=UTC)
    trained = risk.train(_projects(2000, rng, start))
    rows = _projects(count, rng, start + timedelta(days=400))
    started, cpu = time.perf_counter(), time.process_time()
    predictions = risk.predict(
        rows,
        booster_text=trained.booster_text,
        calibration=trained.calibration,
        categories=trained.categories,
    )
    risk_s, risk_cpu = time.perf_counter() - started, time.process_time() - cpu
    assert len(predictions) == count and all(len(p.explanation) == 3 for p in predictions)
    total = index_s + risk_s
    return {
        "vendor": connection.vendor,
        "organizations": count,
        "indicator_values": len(values),
        "index": {"seconds": round(index_s, 2), "cpu_s": round(index_cpu, 2),
                  "scored": IndexScore.objects.filter(run=index_run, score__isnull=False).count(),
                  "scenarios": len(index_run.sensitivity["scenarios"])},
        "risk": {"seconds": round(risk_s, 2), "cpu_s": round(risk_cpu, 2),
                 "test_auc": trained.card["trees"]["auc"]},
        "total_seconds": round(total, 2),
        "projected_100k_seconds": round(total * 100_000 / count, 1),
    }  # fmt: skip


def run() -> dict[str, Any]:
    started, load_at_start = time.monotonic(), common.load_average()
    sqlite = common.sqlite_worker(NAME, "orgs", ORGS)
    seconds = sqlite["total_seconds"] if ORGS >= 100_000 else sqlite["projected_100k_seconds"]
    return {
        "benchmark": NAME,
        "machine": common.machine_info("sqlite", load_at_start=load_at_start),
        "setup": {
            "index": "codi.scoring.services.index_compute (snapshot read, index, contributions, sensitivity, rows written)",
            "risk": "codi.scoring.risk.predict (calibrated probability + three Thai SHAP explanations per project)",
            "organizations": ORGS,
            "note": "indicator feeds not timed; fewer organizations (BENCH_SCORING_ORGS) are projected linearly",
        },
        "databases": {"sqlite": sqlite},
        "goal": f"100,000 organizations in < {GOAL_SECONDS:.0f} s on SQLite, with explanations",
        "goal_met": seconds < GOAL_SECONDS,
        "elapsed_s": round(time.monotonic() - started, 1),
    }


def summary(result: dict[str, Any]) -> str:
    d = result["databases"]["sqlite"]
    return (
        f"   sqlite: {d['organizations']:,} organizations: index {d['index']['seconds']} s, "
        f"risk with explanations {d['risk']['seconds']} s, total {d['total_seconds']} s "
        f"(100,000 projected {d['projected_100k_seconds']} s)"
    )


def _main() -> None:
    common.worker_cli(NAME, "orgs", ORGS, _worker)


if __name__ == "__main__":
    _main()
