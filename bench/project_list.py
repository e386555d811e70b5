"""project_list: the filtered, area-scoped project list over 100,000 projects vs its own raw SQL.

A child process migrates a fresh database (SQLite under a temporary ``CODI_VAR_DIR``; the
PostgreSQL of ``DATABASE_URL`` when it is ``postgres://…``), loads the areas, and adds 6 programs,
5,000 organizations and ``BENCH_PROJECTS`` (100,000) projects spread over every subdistrict, with
3 installments each when ``--installments`` is given (``pms_dashboard`` shares this seeding).

Measured, for a project officer scoped to region ``northeast`` (the page's user): what the list
page asks of the database — ``selectors.project_list_for_page`` with the page's filters, the first
page of 50 rows and the total count — built and run through the ORM, against the very same SQL
(``query.sql_with_params()``, captured once) run on a bare cursor. Several filter combinations,
``ROUNDS`` times each after a warm-up. Goal (issue): p95 < 150 ms.

PostgreSQL: one benchmark per ``scripts/with-postgres.sh`` run (each seeds the database it is given,
so two in one run collide). CPU figures mean "cost on an idle machine" only on SQLite (in process).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench import common

NAME = "project_list"
PROJECTS = int(os.environ.get("BENCH_PROJECTS", "100000"))
ROUNDS = 30
REGION = "northeast"
GOAL_P95_MS = 150.0
SEED = 2569
FILTERS: list[dict[str, Any]] = [
    {},
    {"fiscal_year": 2569, "status": "in_progress"},
    {"province": "40"},
    {"program": 2, "fiscal_year": 2568},
    {"subdistrict": "400104"},
    {"search": "ตลาด"},
]


# --- child process -------------------------------------------------------------------------------


def seed(projects: int, installments: bool) -> dict[str, Any]:
    """Programs, organizations and projects (and 3 installments each) with ``bulk_create``."""
    from codi.areas.models import Subdistrict
    from codi.communities.models import Organization, OrgType
    from codi.projects.models import Installment, Program, Project, ProjectStatus

    rng = random.Random(SEED)
    started = time.perf_counter()
    programs = [
        Program.objects.create(code=code, kind=kind, name_th=name)
        for code, kind, name in (
            ("BMK", "housing", "บ้านมั่นคง"),
            ("WELFARE", "welfare", "สวัสดิการชุมชน"),
            ("COUNCIL", "council", "สภาองค์กรชุมชน"),
            ("LAND", "land", "ที่ดินและเกษตร"),
            ("DISASTER", "disaster", "ภัยพิบัติ"),
            ("ECONOMY", "economy", "เศรษฐกิจชุมชน"),
        )
    ]
    codes = list(Subdistrict.objects.order_by("code").values_list("code", flat=True))
    orgs = Organization.objects.bulk_create(
        (
            Organization(
                name_th=f"องค์กรชุมชนทดสอบ {i:05d}",
                org_type=OrgType.COMMUNITY_ORGANIZATION,
                registration_no=f"P{i:06d}",
                subdistrict_id=rng.choice(codes),
            )
            for i in range(5000)
        ),
        batch_size=5000,
    )
    statuses = list(ProjectStatus.values)
    topics = ["ตลาดชุมชน", "บ้านมั่นคง", "กองทุนสวัสดิการ", "เกษตรอินทรีย์", "ป่าชุมชน", "น้ำประปา"]
    batch: list[Project] = []
    created = 0
    for i in range(projects):
        org = rng.choice(orgs)
        requested = Decimal(rng.randrange(50, 2000) * 1000)
        status = rng.choice(statuses)
        batch.append(
            Project(
                code=f"B-{i:07d}",
                program=programs[i % len(programs)],
                fiscal_year=rng.choice((2567, 2568, 2569)),
                subdistrict_id=org.subdistrict_id,
                lead_organization=org,
                title=f"{rng.choice(topics)} {i:07d}",
                requested_amount=requested,
                approved_amount=requested if status in ("approved", "in_progress", "closed") else None,
                status=status,
            )
        )
        if len(batch) == 5000:
            Project.objects.bulk_create(batch, batch_size=5000)
            created += len(batch)
            batch = []
    Project.objects.bulk_create(batch, batch_size=5000)
    projects_s = time.perf_counter() - started
    installments_n = 0
    started = time.perf_counter()
    if installments:
        rows: list[Installment] = []
        for pk, approved, status in Project.objects.values_list("pk", "requested_amount", "status").iterator(
            chunk_size=10000
        ):
            third = (approved / 3).quantize(Decimal("0.01"))
            for n, amount in enumerate((third, third, approved - 2 * third), start=1):
                paid = status in ("in_progress", "closed") and (status == "closed" or n == 1)
                rows.append(
                    Installment(
                        project_id=pk,
                        number=n,
                        amount=amount,
                        due_date=date(2025, 10, 1),
                        status="disbursed" if paid else "planned",
                    )
                )
            if len(rows) >= 15000:
                Installment.objects.bulk_create(rows, batch_size=5000)
                installments_n += len(rows)
                rows = []
        Installment.objects.bulk_create(rows, batch_size=5000)
        installments_n += len(rows)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "projects": Project.objects.count(),
        "organizations": len(orgs),
        "installments": installments_n,
        "projects_seconds": round(projects_s, 1),
        "installments_seconds": round(time.perf_counter() - started, 1),
    }


def bench_user(role: str = "project_officer", level: str = "region", code: str = REGION) -> Any:
    from codi.identity.models import RoleAssignment, User

    user = User.objects.create_user(username=f"bench_{role}_{code or 'all'}", name_th="ผู้ทดสอบ")
    RoleAssignment.objects.create(user=user, role=role, scope_level=level, scope_code=code)
    return User.objects.get(pk=user.pk)


def _worker(projects: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_areas", verbosity=0)
    seeded = seed(projects, installments=False)

    officer = bench_user()
    results = [_measure(officer, filters) for filters in FILTERS]
    return {"vendor": connection.vendor, "seeded": seeded, "filters": results}


def _measure(officer: Any, filters: dict[str, Any]) -> dict[str, Any]:
    from django.db import connection

    from codi.projects import selectors

    f = selectors.ProjectFilters(**filters)

    def orm_with_count() -> tuple[int, int]:
        qs = selectors.project_list_for_page(actor=officer, filters=f)
        return len(list(qs[:50])), qs.count()

    # The exact statements the ORM sends (SQL and parameters), replayed on a bare cursor.
    statements: list[tuple[str, Any]] = []

    def capture(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append((sql, params))
        return execute(sql, params, many, context)

    orm_with_count()  # grants and region provinces are cached on the user from here on
    with connection.execute_wrapper(capture):
        expected = orm_with_count()

    def raw() -> tuple[int, int]:
        with connection.cursor() as cursor:
            cursor.execute(*statements[0])
            rows = cursor.fetchall()
            cursor.execute(*statements[1])
            (total,) = cursor.fetchone()
        return len(rows), total

    statements[:] = statements[-2:]  # the page and the count (earlier ones: the scope lookup, ORM-side cost)
    assert raw() == expected, (raw(), expected)
    times = common.time_rounds({"orm": orm_with_count, "raw": raw}, ROUNDS)
    orm_times, orm_cpu = times["orm"]["wall"], times["orm"]["cpu"]
    raw_times, raw_cpu = times["raw"]["wall"], times["raw"]["cpu"]
    return {
        "filters": filters,
        "rows_on_page": expected[0],
        "total": expected[1],
        "orm_ms": common.ms_percentiles(orm_times, 2),
        "raw_sql_ms": common.ms_percentiles(raw_times, 2),
        # SQLite runs in this process: CPU time is the cost on an idle machine (wall time includes waiting).
        "orm_cpu_p95_ms": round(common.percentile(orm_cpu, 95) * 1000, 2),
        "raw_sql_cpu_p95_ms": round(common.percentile(raw_cpu, 95) * 1000, 2),
        "ratio_p95": round(common.percentile(orm_times, 95) / max(common.percentile(raw_times, 95), 1e-9), 2),
    }


# --- parent ----------------------------------------------------------------------------------------


def run() -> dict[str, Any]:
    started, load_at_start = time.monotonic(), common.load_average()
    with common.temp_dir(NAME) as tmp:
        env = common.fresh_env(Path(tmp))
        if os.environ.get("DATABASE_URL", "").startswith("postgres"):
            env["DATABASE_URL"] = os.environ["DATABASE_URL"]
        out = common.run_child(
            ["-m", "bench.project_list", "--worker", "--projects", str(PROJECTS)], env, timeout=1800
        )
        raw = common.last_json_line(out)
    worst = max(r["orm_ms"]["p95"] for r in raw["filters"])
    worst_cpu = max(r["orm_cpu_p95_ms"] for r in raw["filters"])
    return {
        "benchmark": NAME,
        "machine": common.machine_info(raw["vendor"], load_at_start=load_at_start),
        "setup": {
            "data": f"{PROJECTS:,} projects over 5,000 organizations in every subdistrict, 6 programs, 3 fiscal years",
            "user": f"project_officer scoped to region {REGION}",
            "measured": "selectors.project_list_for_page: first page (50 rows, with program, organization, "
            "subdistrict → district → province) + total count; vs the same SQL on a bare cursor",
            "rounds": ROUNDS,
        },
        "result": raw,
        "goals": {
            "list_p95_under_150ms": {"value_ms": worst, "goal_met": worst < GOAL_P95_MS},
            "list_cpu_p95_under_150ms": {"value_ms": worst_cpu, "goal_met": worst_cpu < GOAL_P95_MS},
        },
        "goal_met": worst < GOAL_P95_MS,
        "elapsed_s": round(time.monotonic() - started, 1),
    }


def summary(result: dict[str, Any]) -> str:
    lines = [f"   {result['result']['seeded']['projects']:,} projects ({result['result']['vendor']})"]
    for r in result["result"]["filters"]:
        lines.append(
            f"   {json.dumps(r['filters'], ensure_ascii=False):45} total {r['total']:>7,}  ORM p95 "
            f"{r['orm_ms']['p95']:7.1f} ms  raw SQL p95 {r['raw_sql_ms']['p95']:7.1f} ms  ×{r['ratio_p95']}  "
            f"(CPU {r['orm_cpu_p95_ms']:.1f} / {r['raw_sql_cpu_p95_ms']:.1f} ms)"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--projects", type=int, default=PROJECTS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(_worker(args.projects), default=str))
    else:
        result = run()
        common.write_result(NAME, result)
        print(summary(result))
        sys.exit(0)
