"""loan_portfolio: ageing, NPL and PAR30 of the loan book (``codi.lending.selectors.portfolio``),
vs the raw SQL of the same figures in the same run.

In a child process on a fresh database (areas loaded), ``BENCH_LOANS`` active loans (default
20,000 on the shared 2-core machine; the issue's figure is 50,000 loans / 3,000,000 instalments:
``BENCH_LOANS=50000 BENCH_LOAN_MONTHS=60``) of ``BENCH_LOAN_MONTHS`` monthly instalments each
(default 24) are bulk-inserted across 2,000 organizations in every region; a reproducible share of
them stops paying at some month, so every ageing bucket is filled. Then 10 alternating timed runs
of: ``selectors.portfolio(actor, as_of)`` for a country-wide viewer (one GROUP BY per loan, then the
buckets by region, province and product in Python), the same for a region-scoped officer, and the
raw SQL (one GROUP BY per loan over the current instalments, then a GROUP BY over the buckets) whose
NPL and PAR30 must equal the selector's to the satang. SQLite always; PostgreSQL too when
``DATABASE_URL`` is ``postgres://…``; ``BENCH_LOAN_DATABASES=postgresql`` skips SQLite (the full size
on PostgreSQL alone, where the goal is judged). Client CPU seconds are reported beside wall time
(the database server's CPU is not in them).

Goal (issue 19): p95 < 2 s on PostgreSQL.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from datetime import date
from decimal import Decimal
from typing import Any

from bench import common

NAME = "loan_portfolio"
GOAL_P95_S = 2.0
LOANS = int(os.environ.get("BENCH_LOANS", "20000"))
MONTHS = int(os.environ.get("BENCH_LOAN_MONTHS", "24"))
RUNS = 10
AS_OF = date(2026, 6, 30)
SEED = 1919
REGION = "northeast"
DATABASES = os.environ.get("BENCH_LOAN_DATABASES", "sqlite,postgresql").split(",")


def _add_months(day: date, months: int) -> date:
    y, m = divmod(day.month - 1 + months, 12)
    return date(day.year + y, m + 1, min(day.day, 28))


def _seed(loans: int, months: int) -> dict[str, Any]:
    from codi.areas.models import Subdistrict
    from codi.communities.models import Organization, OrgType
    from codi.lending import services
    from codi.lending.models import Instalment, Loan, LoanStatus, ScheduleVersion

    rng = random.Random(SEED)
    codes = list(Subdistrict.objects.order_by("code").values_list("code", flat=True))
    Organization.objects.bulk_create(
        (
            Organization(
                name_th=f"องค์กรผู้กู้ทดสอบ {i:05d}",
                org_type=OrgType.COMMUNITY_ORGANIZATION,
                registration_no=f"LB{i:06d}",
                subdistrict_id=rng.choice(codes),
            )
            for i in range(2000)
        ),
        batch_size=2000,
    )
    orgs = list(
        Organization.objects.filter(registration_no__startswith="LB").values_list("pk", "subdistrict_id")
    )
    products = [
        services.product_create(
            actor=None,
            code=code,
            name_th=f"สินเชื่อทดสอบ {code}",
            kind=kind,
            method="equal_principal",
            day_count="30/360",
            annual_rate="4",
            rate_from=date(2015, 1, 1),
            min_principal="1000",
            max_principal="100000000",
            min_months=6,
            max_months=240,
        )
        for code, kind in (("B-HOU", "housing"), ("B-LIV", "livelihood"), ("B-REV", "revolving"))
    ]
    started, cpu_started = time.perf_counter(), time.process_time()
    instalments = 0
    batch = 2000
    for first in range(0, loans, batch):
        rows = []
        for i in range(first, min(first + batch, loans)):
            org, sub = orgs[i % len(orgs)]
            start = _add_months(AS_OF, -rng.randrange(1, months + 12))
            rows.append(Loan(
                number=f"B{i:07d}", product=products[i % 3], organization_id=org, subdistrict_id=sub,
                purpose="ทดสอบ", principal=Decimal(months * 1000), annual_rate=Decimal(4), months=months,
                method="equal_principal", day_count="30/360", applied_on=start, disbursed_on=start,
                schedule_start=start, status=LoanStatus.ACTIVE,
            ))  # fmt: skip
        made = Loan.objects.bulk_create(rows)
        versions = ScheduleVersion.objects.bulk_create(
            ScheduleVersion(loan=loan, version=1, reason="bench") for loan in made
        )
        lines = []
        for loan, version in zip(made, versions, strict=True):
            # 70 % pay everything due; the rest stop after a random instalment.
            stop = months if rng.random() < 0.7 else rng.randrange(0, months)
            assert loan.disbursed_on is not None
            for n in range(1, months + 1):
                due = _add_months(loan.disbursed_on, n)
                paid = n <= stop and due <= AS_OF
                interest = Decimal("3.33")
                lines.append(Instalment(
                    version=version, loan=loan, n=n, due_date=due, principal_due=Decimal(1000),
                    interest_due=interest, principal_paid=Decimal(1000) if paid else Decimal(0),
                    interest_paid=interest if paid else Decimal(0),
                ))  # fmt: skip
        Instalment.objects.bulk_create(lines, batch_size=10000)
        instalments += len(lines)
    return {
        "loans": loans,
        "instalments": instalments,
        "seed_s": round(time.perf_counter() - started, 1),
        "seed_cpu_s": round(time.process_time() - cpu_started, 1),
    }


RAW_SQL = """
WITH per_loan AS (
  SELECT i.loan_id,
         SUM(i.principal_due - i.principal_paid) AS outstanding,
         MIN(CASE WHEN i.due_date < %s AND (i.principal_paid < i.principal_due OR i.interest_paid < i.interest_due)
                  THEN i.due_date END) AS oldest
  FROM lending_instalment i JOIN lending_loan l ON l.id = i.loan_id
  WHERE i.is_current AND l.status = 'active'
  GROUP BY i.loan_id
)
SELECT oldest, SUM(outstanding), COUNT(*) FROM per_loan GROUP BY oldest
"""


def _raw(connection: Any) -> dict[str, Decimal]:
    with connection.cursor() as cursor:
        cursor.execute(RAW_SQL, [AS_OF])
        rows = cursor.fetchall()
    total = npl = par = Decimal(0)
    for oldest, outstanding, _count in rows:
        amount = Decimal(str(outstanding))
        total += amount
        if oldest is not None:
            day = oldest if isinstance(oldest, date) else date.fromisoformat(str(oldest))
            days = (AS_OF - day).days
            npl += amount if days > 90 else 0
            par += amount if days > 30 else 0
    return {"outstanding": total, "npl": npl, "par30": par}


def _worker(loans: int, months: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_areas", verbosity=0)
    seeded = _seed(loans, months)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE lending_instalment; ANALYZE lending_loan")
    from codi.identity.models import RoleAssignment, User
    from codi.lending import selectors

    viewer = User.objects.create(username="bench-lending")
    RoleAssignment.objects.create(user=viewer, role="internal_auditor", scope_level="country", scope_code="")
    regional = User.objects.create(username="bench-lending-ne")
    RoleAssignment.objects.create(
        user=regional, role="project_officer", scope_level="region", scope_code=REGION
    )
    variants: dict[str, Any] = {
        "portfolio_country": lambda: selectors.portfolio(actor=viewer, as_of=AS_OF),
        "portfolio_region": lambda: selectors.portfolio(actor=regional, as_of=AS_OF),
        "raw_sql": lambda: _raw(connection),
    }
    timings: dict[str, list[float]] = {name: [] for name in variants}
    cpu: dict[str, float] = dict.fromkeys(variants, 0.0)
    for call in variants.values():
        call()  # warm-up
    country = selectors.portfolio(actor=viewer, as_of=AS_OF)  # the figures compared
    raw = _raw(connection)
    same = (country.total.outstanding, country.total.npl_outstanding, country.total.par30_outstanding) == (
        raw["outstanding"], raw["npl"], raw["par30"],
    )  # fmt: skip
    for _ in range(RUNS):
        for name, call in variants.items():
            t0, c0 = time.perf_counter(), time.process_time()
            call()
            timings[name].append(time.perf_counter() - t0)
            cpu[name] += time.process_time() - c0
    return {
        "vendor": connection.vendor,
        **seeded,
        "npl_ratio": str(country.total.npl_ratio),
        "par30_ratio": str(country.total.par30_ratio),
        "buckets": {k: str(v) for k, v in country.total.buckets.items()},
        "figures_equal_raw_sql": same,
        "variants": {
            name: {
                "p50_s": round(common.median(v), 4),
                "p95_s": round(common.percentile(v, 95), 4),
                "runs": len(v),
                "client_cpu_s_per_run": round(cpu[name] / len(v), 4),
            }
            for name, v in timings.items()
        },
    }


def _run_worker(env: dict[str, str]) -> dict[str, Any]:
    output = common.run_child(
        ["-m", "bench.loan_portfolio", "--worker", "--loans", str(LOANS), "--months", str(MONTHS)], env,
        timeout=3600,
    )  # fmt: skip
    raw = common.last_json_line(output)
    v = raw["variants"]
    raw["ratio_portfolio_over_raw_p95"] = round(v["portfolio_country"]["p95_s"] / v["raw_sql"]["p95_s"], 2)
    raw["goal_met"] = raw["figures_equal_raw_sql"] and v["portfolio_country"]["p95_s"] < GOAL_P95_S
    return raw


def run() -> dict[str, Any]:
    started, load_at_start = time.monotonic(), common.load_average()
    databases = common.on_each_database(NAME, _run_worker, vendors=DATABASES)
    goal_db = "postgresql" if "postgresql" in databases else "sqlite"
    return {
        "benchmark": NAME,
        "machine": common.machine_info("+".join(databases), load_at_start=load_at_start),
        "setup": {
            "loans": LOANS,
            "months": MONTHS,
            "runs": RUNS,
            "as_of": AS_OF.isoformat(),
            "note": "the issue's 50,000 loans / 3,000,000 instalments: BENCH_LOANS=50000 BENCH_LOAN_MONTHS=60",
        },
        "databases": databases,
        "goal": f"portfolio (ageing, NPL, PAR30) p95 < {GOAL_P95_S} s on PostgreSQL, equal to the raw SQL",
        "goal_judged_on": goal_db,
        "goal_met": databases[goal_db]["goal_met"],
        "elapsed_s": round(time.monotonic() - started, 1),
    }


def summary(result: dict[str, Any]) -> str:
    lines = []
    for vendor, d in result["databases"].items():
        v = d["variants"]
        lines.append(
            f"   {vendor}: {d['loans']:,} loans / {d['instalments']:,} instalments; portfolio p95 "
            f"{v['portfolio_country']['p95_s'] * 1000:.0f} ms (one region {v['portfolio_region']['p95_s'] * 1000:.0f} ms), "
            f"raw SQL p95 {v['raw_sql']['p95_s'] * 1000:.0f} ms ({d['ratio_portfolio_over_raw_p95']:.2f}x); "
            f"NPL {d['npl_ratio']} %, PAR30 {d['par30_ratio']} %, equal to raw SQL: {d['figures_equal_raw_sql']}"
        )
    return "\n".join(lines)


def _main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--loans", type=int, default=LOANS)
    parser.add_argument("--months", type=int, default=MONTHS)
    args = parser.parse_args()
    if not args.worker:
        parser.error("run it with python -m bench.run loan_portfolio")
    print(json.dumps(_worker(args.loans, args.months)))


if __name__ == "__main__":
    _main()
