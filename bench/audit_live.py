"""audit_live: every e-Audit rule over live payment vouchers on PostgreSQL (issue 20: 1,000,000
payments + 100,000 projects < 60 s), with the raw-SQL baseline in the same run.

In a child process on a fresh PostgreSQL database (``DATABASE_URL=postgres://…``; run it under
``scripts/with-postgres.sh``), ``BENCH_AUDIT_PAYMENTS`` paid vouchers (default the issue's
1,000,000) for 20,000 vendors are written with ``COPY``: log-uniform amounts with cents (they follow
Benford's law, as real payments do), paid on working days, requested five days before, approved
(a completed approval step each) on the day paid, one unit and category. ``BENCH_AUDIT_PROJECTS``
projects (default 100,000) are written by ``INSERT … SELECT generate_series``, each with two paid
installments and the first one's accepted progress report. Planted, ``PLANTED`` of each:
duplicate pairs (the same vendor's invoice number on two vouchers), missing voucher numbers,
vouchers paid the day before their approval, projects whose second installment was paid with no
accepted report. Then, timed once each:

- ``raw_sql_read``: ``SELECT`` of the columns the payment rules need, the approval time included,
  every row fetched on a bare cursor (the floor for any analysis done outside the database);
- ``raw_sql_duplicates``: the duplicate-invoice test alone as one ``GROUP BY … HAVING`` query;
- ``feed_read``: every app's audit feed turned into the analytics' dataset (``feeds.live_dataset``);
- ``analytics_run``: ``services.analytics_run`` — every enabled rule over the live feeds and the
  exceptions written to the queue, as the scheduled task does (the goal's number);
- ``analytics_rerun``: the same again, as the next night's run (every flag already queued).

Each phase reports its wall time and the worker process's CPU time (``time.process_time``; the
PostgreSQL server's own CPU is not in it), with the load average at the start and end, since the
shared machine is loaded. ``ratio_analytics_over_raw_read`` compares the analytics run with the
raw-SQL read of the same rows in the same run. Every planted exception must be flagged, so a fast
wrong answer cannot pass.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench import common

NAME = "audit_live"
PAYMENTS = int(os.environ.get("BENCH_AUDIT_PAYMENTS", "1000000"))
PROJECTS = int(os.environ.get("BENCH_AUDIT_PROJECTS", "100000"))
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


def _copy(cursor: Any, table: str, columns: list[str], rows: Iterable[tuple[Any, ...]]) -> None:
    """``COPY table (columns) FROM STDIN`` of ``rows`` (psycopg 3's copy protocol)."""
    with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _seed(count: int, projects: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction

    from bench import finance_seed as seed
    from codi.areas.models import Subdistrict
    from codi.communities.models import Organization, OrgType
    from codi.finance.models import Vendor
    from codi.identity.models import RoleAssignment
    from codi.projects.models import BudgetLine as ProgramBudget
    from codi.projects.models import Program

    year, _viewer, line = seed.setup_books()
    call_command("load_areas", verbosity=0)
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
    # Planted: duplicates quote the same invoice twice; gaps skip a voucher number; some vouchers
    # are paid the day before their approval step was completed.
    dup_at = set(rng.sample(range(10, count - 10), PLANTED))
    gap_at = set(rng.sample(sorted(set(range(10, count - 10)) - dup_at - {d + 1 for d in dup_at}), PLANTED))
    early_at = set(rng.sample(range(10, count - 10), PLANTED))
    planted_dup: set[int] = set()
    planted_gap: set[int] = set()
    planted_early: set[int] = set()
    started = time.perf_counter()

    def vouchers() -> Iterable[tuple[Any, ...]]:
        sequence = 0
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
            if n in early_at:
                planted_early.add(sequence)
            previous = (vendor, invoice)
            # Requested five days before payment at 09:00 Bangkok (02:00 UTC).
            requested = datetime(paid.year, paid.month, paid.day, 2, tzinfo=UTC) - timedelta(days=5)
            yield (
                year.pk, sequence, line.pk, f"บริษัท ทดสอบ {vendor} จำกัด", "006", f"{vendor:010d}", amount,
                f"ค่าบริการ invoice {invoice}", "paid", "{}", "", 2, maker.pk, requested, "", paid, False,
            )  # fmt: skip

    with transaction.atomic(), connection.cursor() as cursor:
        _copy(
            cursor, "finance_paymentvoucher",
            ["fiscal_year_id", "sequence", "budget_line_id", "payee_name", "payee_bank_code", "payee_account_no",
             "amount", "description", "status", "workflow_state", "current_step", "submissions", "created_by_id",
             "created_at", "bank_reference", "paid_on", "is_demo"],
            vouchers(),
        )  # fmt: skip
        # Each voucher's approval step, completed at 10:00 on the day it is paid (a working day); the
        # planted ones the day after payment.
        cursor.execute(
            "INSERT INTO finance_voucherstep (voucher_id, task_key, name, role, opened_at, completed_at, "
            "completed_by_id, outcome, comment) SELECT v.id, 'approve', 'อนุมัติ', 'finance_director', v.created_at, "
            "CASE WHEN v.sequence = ANY(%s) THEN v.paid_on + interval '1 day 3 hours' "
            "ELSE v.paid_on + interval '3 hours' END, %s, 'approve', '' FROM finance_paymentvoucher v",
            [sorted(planted_early), maker.pk],
        )
    vouchers_s = time.perf_counter() - started

    started = time.perf_counter()
    program = Program.objects.create(code="BENCH", kind="other", name_th="โครงการทดสอบ")
    subdistrict = Subdistrict.objects.order_by("code").first()
    assert subdistrict is not None
    org = Organization.objects.create(
        name_th="องค์กรชุมชนทดสอบ", org_type=OrgType.COMMUNITY_ORGANIZATION, subdistrict=subdistrict
    )
    region = subdistrict.district.province.region_id
    assert region is not None
    budget = ProgramBudget.objects.create(
        program=program, region_id=region, fiscal_year=2569,
        allocated=Decimal(200000) * projects, disbursed=Decimal(200000) * projects,
    )  # fmt: skip
    unreported = sorted(rng.sample(range(projects), min(PLANTED, projects)))
    with transaction.atomic(), connection.cursor() as cursor:
        # Projects in progress, two installments each, both paid; the second follows an accepted
        # report except for the planted ones.
        cursor.execute(
            "INSERT INTO projects_project (code, fiscal_year, title, rationale, objectives, requested_amount, "
            "approved_amount, reduction_reason, co_funding_amount, co_funding_source, households, persons, "
            "type_details, status, workflow_state, current_step, evaluation, cancellation_reason, is_demo, "
            "created_at, updated_at, lead_organization_id, program_id, subdistrict_id) "
            "SELECT 'AUD-' || lpad(g::text, 7, '0'), 2569, 'โครงการทดสอบ ' || g, '', '', 200000, 200000, '', 0, '', "
            "10, 40, '{}', 'in_progress', '{}', '', '', '', false, now(), now(), %s, %s, %s "
            "FROM generate_series(0, %s - 1) g",
            [org.pk, program.pk, subdistrict.pk, projects],
        )
        cursor.execute(
            "INSERT INTO projects_installment (project_id, number, amount, conditions, due_date, status, is_demo) "
            "SELECT p.id, n, 100000, '', date '2026-01-01' + 90 * n, 'disbursed', false "
            "FROM projects_project p CROSS JOIN generate_series(1, 2) n"
        )
        cursor.execute(
            "INSERT INTO projects_progressreport (project_id, installment_id, is_final, narrative, status, "
            "submitted_at, reviewed_at, review_comment, created_at) "
            "SELECT p.id, i.id, false, 'รายงานงวดแรก', 'accepted', timestamptz '2026-03-01 03:00+00', "
            "timestamptz '2026-03-05 03:00+00', '', now() FROM projects_project p "
            "JOIN projects_installment i ON i.project_id = p.id AND i.number = 1 "
            "WHERE NOT (substring(p.code from 5)::int = ANY(%s))",
            [unreported],
        )
        cursor.execute(
            "INSERT INTO projects_disbursement (installment_id, budget_line_id, amount, idempotency_key, paid_at, "
            "paid_by_id, reference) SELECT i.id, %s, i.amount, 'bench-' || i.id, "
            "timestamptz '2026-01-01 03:00+00' + (i.number - 1) * interval '90 days', %s, '' "
            "FROM projects_installment i",
            [budget.pk, maker.pk],
        )
        cursor.execute("ANALYZE")
    return {
        "auditor": auditor,
        "year": year,
        "payments": count,
        "projects": projects,
        "seed_s": {"vouchers": round(vouchers_s, 1), "projects": round(time.perf_counter() - started, 1)},
        "planted_dup_seq": planted_dup,
        "planted_gap_seq": planted_gap,
        "planted_early_seq": planted_early,
        "planted_unreported": [f"AUD-{n:07d}#2" for n in unreported],
    }


def _timed(timings: dict[str, float], cpu: dict[str, float], name: str, call: Any) -> Any:
    t0, c0 = time.perf_counter(), time.process_time()
    result = call()
    timings[name], cpu[name] = time.perf_counter() - t0, time.process_time() - c0
    return result


def _raw_read() -> int:
    """The floor: every column the payment rules need, fetched on a bare cursor."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT v.id, v.sequence, v.payee_name, v.payee_bank_code, v.payee_account_no, v.amount, "
            "v.description, v.created_at, v.paid_on, l.category, u.code, "
            "(SELECT max(s.completed_at) FROM finance_voucherstep s WHERE s.voucher_id = v.id) "
            "FROM finance_paymentvoucher v "
            "JOIN finance_budgetline l ON l.id = v.budget_line_id JOIN identity_orgunit u ON u.id = l.unit_id "
            "WHERE v.status NOT IN ('draft', 'rejected')"
        )
        return len(cursor.fetchall())


def _raw_duplicates() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT payee_bank_code, payee_account_no, substring(description from 'INV-[0-9]+') AS inv, COUNT(*) "
            "FROM finance_paymentvoucher WHERE status NOT IN ('draft', 'rejected') "
            "GROUP BY 1, 2, 3 HAVING COUNT(*) > 1"
        )
        return len(cursor.fetchall())


def _worker(count: int, projects: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.db import connection

    from codi.audit import feeds, services
    from codi.audit.models import AuditException

    seeded = _seed(count, projects)
    timings: dict[str, float] = {}
    cpu: dict[str, float] = {}
    read_rows = _timed(timings, cpu, "raw_sql_read", _raw_read)
    sql_dup_groups = _timed(timings, cpu, "raw_sql_duplicates", _raw_duplicates)
    data, counts = _timed(timings, cpu, "feed_read", feeds.live_dataset)
    del data
    result = _timed(timings, cpu, "analytics_run", lambda: services.analytics_run(actor=seeded["auditor"]))
    # The next night's run: the same rows again (every flag already in the queue is refreshed).
    again = _timed(timings, cpu, "analytics_rerun", lambda: services.analytics_run(actor=seeded["auditor"]))

    prefix = f"PV{seeded['year'].year_be}"
    number = {f"{prefix}-{s:05d}" for s in seeded["planted_dup_seq"]}
    early = {f"{prefix}-{s:05d}" for s in seeded["planted_early_seq"]}

    def flagged(rule: str) -> set[str]:
        return set(AuditException.objects.filter(rule=rule).values_list("record_id", flat=True))

    gap_reasons = " ".join(
        AuditException.objects.filter(rule="numbering_gap").values_list("reason", flat=True)
    )
    return {
        "vendor": connection.vendor,
        "payments": seeded["payments"],
        "projects": seeded["projects"],
        "seed_s": seeded["seed_s"],
        "feed_records": counts,
        "rows_read_by_sql": read_rows,
        "sql_duplicate_groups": sql_dup_groups,
        "timings_s": {k: round(v, 2) for k, v in timings.items()},
        "cpu_s": {k: round(v, 2) for k, v in cpu.items()},
        "flags_by_rule": result.run.flags,
        "new_exceptions": result.new,
        "rerun_new_exceptions": again.new,
        "planted_duplicates": len(number),
        "planted_duplicates_missed": len(number - flagged("duplicate_payment")),
        "duplicate_ids_sample": sorted(number)[:3],
        "planted_gaps": len(seeded["planted_gap_seq"]),
        "planted_gaps_missed": sum(
            1 for s in seeded["planted_gap_seq"] if f"number(s) {s} missing" not in gap_reasons
        ),
        "planted_paid_before_approval": len(early),
        "planted_paid_before_approval_missed": len(early - flagged("paid_before_approval")),
        "planted_disbursed_without_report": len(seeded["planted_unreported"]),
        "planted_disbursed_without_report_missed": len(
            set(seeded["planted_unreported"]) - flagged("disbursed_without_report")
        ),
    }


def _run_worker(env: dict[str, str]) -> dict[str, Any]:
    output = common.run_child(
        ["-m", "bench.audit_live", "--worker", "--payments", str(PAYMENTS), "--projects", str(PROJECTS)],
        env,
        timeout=5400,
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
    return result_of(pg, load_at_start=load_at_start, elapsed_s=time.monotonic() - started)


def result_of(
    pg: dict[str, Any], *, load_at_start: float, elapsed_s: float, scaling: list[dict[str, Any]] | None = None,
    note: str = "",
) -> dict[str, Any]:  # fmt: skip
    """The result (goals checked) of one worker's output; ``scaling`` lists smaller runs beside it."""
    t = pg["timings_s"]
    goals = {
        f"analytics_run_under_{int(GOAL_S)}s": t["analytics_run"] < GOAL_S,
        "all_planted_duplicates_flagged": pg["planted_duplicates_missed"] == 0,
        "all_planted_gaps_flagged": pg["planted_gaps_missed"] == 0,
        "all_planted_paid_before_approval_flagged": pg["planted_paid_before_approval_missed"] == 0,
        "all_planted_disbursed_without_report_flagged": pg["planted_disbursed_without_report_missed"] == 0,
        "full_size": pg["payments"] >= 1_000_000 and pg["projects"] >= 100_000,
    }
    result: dict[str, Any] = {
        "benchmark": NAME,
        "machine": common.machine_info("postgresql", load_at_start=load_at_start),
        "setup": {
            "payments": pg["payments"],
            "projects": pg["projects"],
            "vendors": VENDORS,
            "planted_each": PLANTED,
            "note": "issue 20 asks 1,000,000 payments + 100,000 projects; full_size says whether this run had them"
            + (f"; {note}" if note else ""),
        },
        "postgresql": pg,
        "ratio_analytics_over_raw_read": round(t["analytics_run"] / max(t["raw_sql_read"], 1e-9), 1),
        "ratio_analytics_over_raw_read_cpu": round(
            pg["cpu_s"]["analytics_run"] / max(pg["cpu_s"]["raw_sql_read"], 1e-9), 1
        ),
        "goals": goals,
        "goal_met": all(goals.values()),
        "elapsed_s": round(elapsed_s, 1),
    }
    if scaling:
        result["scaling"] = [
            {
                "payments": run["payments"], "projects": run["projects"], "load_average_1m": run.get("load"),
                "wall_s": run["timings_s"], "cpu_s": run["cpu_s"],
                "analytics_run_us_per_payment": round(run["timings_s"]["analytics_run"] / run["payments"] * 1e6, 1),
                "analytics_run_cpu_us_per_payment": round(run["cpu_s"]["analytics_run"] / run["payments"] * 1e6, 1),
            }
            for run in scaling
        ]  # fmt: skip
    return result


def _assembled(paths: list[str], note: str) -> dict[str, Any]:
    """Worker outputs run by hand on copies of an already migrated database (``load_start X`` and
    ``load_end X`` lines around each worker's JSON line): the first is the result, all the scaling."""
    runs = []
    for path in paths:
        text = Path(path).read_text()
        run = common.last_json_line(text)
        loads = dict(line.split() for line in text.splitlines() if line.startswith("load_"))
        run["load"] = [float(loads.get("load_start", "nan")), float(loads.get("load_end", "nan"))]
        runs.append(run)
    runs.sort(key=lambda r: -r["payments"])
    full = runs[0]
    elapsed = sum(sum(r["timings_s"].values()) for r in runs)
    return result_of(full, load_at_start=full["load"][0], elapsed_s=elapsed, scaling=runs[::-1], note=note)


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
    parser.add_argument("--projects", type=int, default=PROJECTS)
    parser.add_argument(
        "--assemble", nargs="+", help="worker outputs to write up as the result (see _assembled)"
    )
    parser.add_argument("--note", default="")
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(_worker(args.payments, args.projects), default=str))
        return
    result = _assembled(args.assemble, args.note) if args.assemble else run()
    if "skipped" in result:
        raise SystemExit(result["skipped"])
    path = common.write_result(NAME, result)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"written {path}")


if __name__ == "__main__":
    main()
