"""depreciation_run: a month's straight-line depreciation of N assets with its ledger posting.

In a child process on a fresh SQLite database: ``BENCH_DEPRECIATION_ASSETS`` assets (default
20,000 on the shared 2-core machine; the issue's 100,000 with ``BENCH_DEPRECIATION_ASSETS=100000``)
spread over the five seeded classes are bulk-inserted, then ``codi.procurement.assets.depreciation_run``
posts last month: reads the assets, computes each month's amount, writes one journal entry (one
debit/credit pair per class), a depreciation line per asset and the new accumulated totals, in
one transaction. The baseline is the same arithmetic (``monthly_amount`` over the same assets)
in a bare Python loop with no database. Reported: seconds, assets per second, the ratio, and the
time projected to 100,000 assets (linear) when fewer were run.

Goal (issue): 100,000 assets in < 60 s on SQLite.
"""

from __future__ import annotations

import os
import time
from typing import Any

from bench import common

NAME = "depreciation_run"
GOAL_SECONDS = 60.0
GOAL_ASSETS = 100_000
ASSETS = int(os.environ.get("BENCH_DEPRECIATION_ASSETS", "20000"))


def _worker(count: int) -> dict[str, Any]:
    import django

    django.setup()
    from datetime import date, timedelta
    from decimal import Decimal

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    call_command("migrate", interactive=False, verbosity=0)
    from codi.finance import ledger
    from codi.finance.models import JournalLine
    from codi.identity.models import OrgUnit
    from codi.procurement import assets
    from codi.procurement.models import Asset, AssetClass, DepreciationLine

    ledger.chart_load(actor=None)
    period = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    for year_be in {ledger.fiscal_year_of(period), ledger.fiscal_year_of(timezone.localdate())}:
        ledger.fiscal_year_ensure(actor=None, year_be=year_be)
    unit = OrgUnit.objects.get_or_create(code="BENCH-ASSET", defaults={"name_th": "หน่วยทดสอบ"})[0]
    classes = list(AssetClass.objects.order_by("code"))
    acquired = date(period.year - 1, 1, 15)
    rows = [
        Asset(
            code=f"BENCH-{n:07d}", asset_class=classes[n % len(classes)], description="bench", unit=unit,
            cost=Decimal(10000 + (n % 997) * 37) + Decimal("0.55"), accumulated=Decimal((n % 13) * 100),
            acquired_on=acquired,
        )
        for n in range(count)
    ]  # fmt: skip
    Asset.objects.bulk_create(rows, batch_size=2000)

    loaded = list(Asset.objects.select_related("asset_class").order_by("pk"))
    started, cpu = time.perf_counter(), time.process_time()
    bare_total = sum((assets.monthly_amount(a) for a in loaded), Decimal("0.00"))
    bare_s, bare_cpu = time.perf_counter() - started, time.process_time() - cpu

    started, cpu = time.perf_counter(), time.process_time()
    run = assets.depreciation_run(actor=None, period=period)
    service_s, service_cpu = time.perf_counter() - started, time.process_time() - cpu
    assert run.total == bare_total, (run.total, bare_total)  # the service and the loop agree
    assert DepreciationLine.objects.filter(run=run).count() == count
    pairs = {(c.expense_account, c.accumulated_account) for c in classes}
    assert JournalLine.objects.filter(entry_id=run.journal_entry_id).count() == 2 * len(pairs)
    return {
        "vendor": connection.vendor,
        "assets": count,
        "total_baht": str(run.total),
        "service": {"seconds": round(service_s, 2), "assets_per_s": round(count / service_s, 1),
                    "cpu_s": round(service_cpu, 2)},
        "bare_loop": {"seconds": round(bare_s, 3), "assets_per_s": round(count / max(bare_s, 1e-9), 1),
                      "cpu_s": round(bare_cpu, 3)},
        "ratio_service_over_bare": round(service_s / max(bare_s, 1e-9), 1),
        "projected_100k_seconds": round(service_s * GOAL_ASSETS / count, 1),
    }  # fmt: skip


def run() -> dict[str, Any]:
    started, load_at_start = time.monotonic(), common.load_average()
    sqlite = common.sqlite_worker(NAME, "assets", ASSETS)
    seconds = sqlite["service"]["seconds"] if ASSETS >= GOAL_ASSETS else sqlite["projected_100k_seconds"]
    return {
        "benchmark": NAME,
        "machine": common.machine_info("sqlite", load_at_start=load_at_start),
        "setup": {
            "service": "codi.procurement.assets.depreciation_run (one journal entry, a line per asset, accumulated updated)",
            "baseline": "assets.monthly_amount over the same assets in a bare loop (no database)",
            "assets": ASSETS,
            "note": "the issue's 100,000 assets: BENCH_DEPRECIATION_ASSETS=100000; fewer are projected linearly",
        },
        "databases": {"sqlite": sqlite},
        "goal": f"{GOAL_ASSETS:,} assets in < {GOAL_SECONDS:.0f} s on SQLite",
        "goal_met": seconds < GOAL_SECONDS,
        "elapsed_s": round(time.monotonic() - started, 1),
    }


def summary(result: dict[str, Any]) -> str:
    d = result["databases"]["sqlite"]
    return (
        f"   sqlite: {d['assets']:,} assets in {d['service']['seconds']} s ({d['service']['assets_per_s']:.0f}/s), "
        f"bare loop {d['bare_loop']['seconds']} s (service/bare {d['ratio_service_over_bare']}x); "
        f"100,000 projected {d['projected_100k_seconds']} s"
    )


def _main() -> None:
    common.worker_cli(NAME, "assets", ASSETS, _worker)


if __name__ == "__main__":
    _main()
