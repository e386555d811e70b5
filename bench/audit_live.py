"""audit_live: every e-Audit rule over live payment vouchers on PostgreSQL (issue 20: 1,000,000
payments + 100,000 projects < 60 s), with the raw-SQL baseline in the same run.

In a child process on a fresh PostgreSQL database (``DATABASE_URL=postgres://…``; run it under
``scripts/with-postgres.sh``), ``BENCH_AUDIT_PAYMENTS`` paid vouchers (default the issue's
1,000,000) are bulk-inserted for 20,000 vendors: log-uniform amounts with cents (they follow
Benford's law, as real payments do), paid on working days, requested five days before, one unit
and category. Planted: ``PLANTED`` duplicate pairs (the same vendor's invoice number quoted on two
vouchers) and ``PLANTED`` missing voucher numbers. Then, timed once each:

- ``raw_sql_read``: ``SELECT`` of the columns the analytics need, every row fetched (the floor for
  any analysis done outside the database);
- ``raw_sql_duplicates``: the duplicate-invoice test alone as one ``GROUP BY … HAVING`` query;
- ``feed_read``: the finance audit feed turned into the analytics' dataset (``feeds.live_dataset``);
- ``analytics_run``: ``services.analytics_run`` — every enabled rule over the live feeds and the
  exceptions written to the queue, as the scheduled task does.

Each phase reports its wall time and the worker process's CPU time (``time.process_time``; the
PostgreSQL server's own CPU is not in it), with the load average at the start and end, since the
shared machine is loaded. ``ratio_analytics_over_raw_read`` compares the analytics run with the
raw-SQL read of the same rows in the same run. Every planted duplicate and gap must be flagged,
so a fast wrong answer cannot pass. The issue's
100,000 projects are not seeded here (projects are not bulk-loadable without their whole process);
the projects feed reads an empty table, which is stated in the result.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench import common

NAME = "audit_live"
PAYMENTS = int(os.environ.get("BENCH_AUDIT_PAYMENTS", "1000000"))
VENDORS = 20_000
PLANTED = 200
GOAL_S = 60.0
START = date(2024, 10, 1)


def _working_days(count: int) -> list[date]:
    days: list[date] = []
    day = START
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def _seed(count: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from bench import finance_seed as seed
    from codi.finance.models import PaymentVoucher, Vendor, VoucherStatus
    from codi.identity.models import RoleAssignment

    year, _viewer, line = seed.setup_books()
    user_model = get_user_model()
    maker = user_model.objects.create(username="bench-maker")
    auditor = user_model.objects.create(username="bench-auditor")
    RoleAssignment.objects.create(user=auditor, role="internal_auditor", scope_level="country", scope_code="")
    rng = random.Random(20)  # reproducible benchmark inputs
    Vendor.objects.bulk_create(
        [
            Vendor(name=f"บริษัท ทดสอบ {n} จำกัด", tax_id=f"{1000000000000 + n}", payee_type="juristic",
                   bank_code="006", account_no=f"{n:010d}")
            for n in range(VENDORS)
        ],
        batch_size=5000,
    )  # fmt: skip
    days = _working_days(480)
    # Planted: duplicates quote the same invoice twice; gaps skip a voucher number.
    dup_at = set(rng.sample(range(10, count - 10), PLANTED))
    gap_at = set(rng.sample(sorted(set(range(10, count - 10)) - dup_at - {d + 1 for d in dup_at}), PLANTED))
    planted_dup: set[int] = set()
    planted_gap: set[int] = set()
    sequence, made = 0, 0
    batch: list[Any] = []
    started = time.perf_counter()

    def flush() -> None:
        with transaction.atomic():
            PaymentVoucher.objects.bulk_create(batch, batch_size=5000)
        batch.clear()

    previous: tuple[int, str] | None = None
    for n in range(count):
        sequence += 1
        if n in gap_at:
            sequence += 1
            planted_gap.add(sequence - 1)
        if n - 1 in dup_at and previous is not None:
            vendor, invoice = previous
            planted_dup.update({sequence - 1, sequence})
        else:
            vendor, invoice = rng.randrange(VENDORS), f"INV-{n:07d}"
        amount = Decimal(10 ** rng.uniform(2, 5)).quantize(Decimal("0.01"))
        if amount % 1000 == 0:
            amount += Decimal("0.37")
        paid = days[rng.randrange(len(days))]
        batch.append(
            PaymentVoucher(
                fiscal_year=year, sequence=sequence, budget_line=line, payee_name=f"บริษัท ทดสอบ {vendor} จำกัด",
                payee_bank_code="006", payee_account_no=f"{vendor:010d}", amount=amount,
                description=f"ค่าบริการ invoice {invoice}", status=VoucherStatus.PAID, created_by=maker,
                paid_on=paid,
            )
        )  # fmt: skip
        previous = (vendor, invoice)
        made += 1
        if len(batch) >= 20000:
            flush()
    if batch:
        flush()
    with connection.cursor() as cursor:
        # Requested five days before payment, at 09:00 (bulk_create stamps "now" on created_at).
        cursor.execute(
            "UPDATE finance_paymentvoucher SET created_at = (paid_on - 5) + time '09:00' WHERE paid_on IS NOT NULL"
        )
        cursor.execute("ANALYZE finance_paymentvoucher")
    return {
        "auditor": auditor,
        "year": year,
        "payments": made,
        "seed_s": round(time.perf_counter() - started, 1),
        "planted_dup_seq": planted_dup,
        "planted_gap_seq": planted_gap,
    }


def _worker(count: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.db import connection

    from codi.audit import feeds, services
    from codi.audit.models import AuditException

    seeded = _seed(count)
    timings: dict[str, float] = {}
    cpu: dict[str, float] = {}

    t0, c0 = time.perf_counter(), time.process_time()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT v.id, v.sequence, v.payee_bank_code, v.payee_account_no, v.amount, v.description, "
            "v.created_at, v.paid_on, l.category, u.code FROM finance_paymentvoucher v "
            "JOIN finance_budgetline l ON l.id = v.budget_line_id JOIN identity_orgunit u ON u.id = l.unit_id "
            "WHERE v.status NOT IN ('draft', 'rejected')"
        )
        read_rows = len(cursor.fetchall())
    timings["raw_sql_read"], cpu["raw_sql_read"] = time.perf_counter() - t0, time.process_time() - c0

    t0, c0 = time.perf_counter(), time.process_time()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT payee_bank_code, payee_account_no, substring(description from 'INV-[0-9]+') AS inv, COUNT(*) "
            "FROM finance_paymentvoucher WHERE status NOT IN ('draft', 'rejected') "
            "GROUP BY 1, 2, 3 HAVING COUNT(*) > 1"
        )
        sql_dup_groups = len(cursor.fetchall())
    timings["raw_sql_duplicates"], cpu["raw_sql_duplicates"] = (
        time.perf_counter() - t0,
        time.process_time() - c0,
    )

    t0, c0 = time.perf_counter(), time.process_time()
    data, _counts = feeds.live_dataset()
    timings["feed_read"], cpu["feed_read"] = time.perf_counter() - t0, time.process_time() - c0
    del data

    t0, c0 = time.perf_counter(), time.process_time()
    result = services.analytics_run(actor=seeded["auditor"])
    timings["analytics_run"], cpu["analytics_run"] = time.perf_counter() - t0, time.process_time() - c0

    number = {f"PV{seeded['year'].year_be}-{s:05d}" for s in seeded["planted_dup_seq"]}
    flagged_dup = set(
        AuditException.objects.filter(rule="duplicate_payment").values_list("record_id", flat=True)
    )
    gap_reasons = " ".join(
        AuditException.objects.filter(rule="numbering_gap").values_list("reason", flat=True)
    )
    return {
        "vendor": connection.vendor,
        "payments": seeded["payments"],
        "projects": 0,
        "seed_s": seeded["seed_s"],
        "rows_read_by_sql": read_rows,
        "sql_duplicate_groups": sql_dup_groups,
        "timings_s": {k: round(v, 2) for k, v in timings.items()},
        "cpu_s": {k: round(v, 2) for k, v in cpu.items()},
        "flags_by_rule": result.run.flags,
        "new_exceptions": result.new,
        "planted_duplicates": len(number),
        "planted_duplicates_missed": len({n for n in number if n not in flagged_dup}),
        "duplicate_ids_sample": sorted(number)[:3],
        "planted_gaps": len(seeded["planted_gap_seq"]),
        "planted_gaps_missed": sum(
            1 for s in seeded["planted_gap_seq"] if f"number(s) {s} missing" not in gap_reasons
        ),
    }


def _run_worker(env: dict[str, str]) -> dict[str, Any]:
    output = common.run_child(
        ["-m", "bench.audit_live", "--worker", "--payments", str(PAYMENTS)], env, timeout=5400
    )
    return common.last_json_line(output)


def run() -> dict[str, Any]:
    started, load_at_start = time.monotonic(), common.load_average()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return {
            "benchmark": NAME, "skipped": "needs PostgreSQL: scripts/with-postgres.sh .venv/bin/python -m bench.audit_live",
            "goal_met": False,
        }  # fmt: skip
    with common.temp_dir(NAME) as tmp:
        pg = common.with_postgres_database(url, Path(tmp), _run_worker)
    t = pg["timings_s"]
    goals = {
        f"analytics_run_under_{int(GOAL_S)}s": t["analytics_run"] < GOAL_S,
        "all_planted_duplicates_flagged": pg["planted_duplicates_missed"] == 0,
        "all_planted_gaps_flagged": pg["planted_gaps_missed"] == 0,
    }
    return {
        "benchmark": NAME,
        "machine": common.machine_info("postgresql", load_at_start=load_at_start),
        "setup": {
            "payments": PAYMENTS,
            "vendors": VENDORS,
            "planted_each": PLANTED,
            "note": "projects not seeded (issue asks 1,000,000 payments + 100,000 projects); run with nice -n 10 "
            "on the shared 2-core machine",
        },
        "postgresql": pg,
        "ratio_analytics_over_raw_read": round(t["analytics_run"] / max(t["raw_sql_read"], 1e-9), 1),
        "ratio_analytics_over_raw_read_cpu": round(
            pg["cpu_s"]["analytics_run"] / max(pg["cpu_s"]["raw_sql_read"], 1e-9), 1
        ),
        "goals": goals,
        "goal_met": all(goals.values()),
        "elapsed_s": round(time.monotonic() - started, 1),
    }


def summary(result: dict[str, Any]) -> str:
    if "skipped" in result:
        return f"   skipped: {result['skipped']}"
    pg, t = result["postgresql"], result["postgresql"]["timings_s"]
    return (
        f"   postgresql: {pg['payments']:,} payments; analytics run {t['analytics_run']:.1f} s (feed read "
        f"{t['feed_read']:.1f} s), raw SQL read {t['raw_sql_read']:.1f} s, SQL duplicate GROUP BY "
        f"{t['raw_sql_duplicates']:.1f} s; CPU {pg['cpu_s']['analytics_run']:.1f} s; load "
        f"{result['machine']['load_average_1m_at_start']}; planted duplicates missed {pg['planted_duplicates_missed']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--payments", type=int, default=PAYMENTS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(_worker(args.payments), default=str))
        return
    result = run()
    if "skipped" in result:
        raise SystemExit(result["skipped"])
    path = common.write_result(NAME, result)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"written {path}")


if __name__ == "__main__":
    main()
