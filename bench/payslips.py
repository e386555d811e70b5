"""payslips: a month's payslip PDFs rendered by 1 and by 2 worker processes; pages/s and PDFs/s.

In a child process on a fresh database: ``BENCH_PAYSLIPS`` employees (default 200 on the shared
machine; the issue's 10,000 with ``BENCH_PAYSLIPS=10000`` or ``python -m bench.payslips --payslips
10000``) are loaded through the employee import path and paid by ``payroll_run_create`` (one
payslip each). Then every payslip is printed through the product's own path — the HR officer's
``selectors.payslip_list`` (scope, run, employee, unit) and ``codi.people.payslips.payslip_pdf``
(``codi.core.pdf.render_pdf``: the template, Sarabun embedded, WeasyPrint) — one PDF per employee,
by a ``ProcessPoolExecutor`` of 1 and then of 2 workers, each with its own database connection,
in chunks of ``CHUNK`` payslips. The workers are forked after one warm-up render in the parent, so
WeasyPrint's import and first font load are not counted; pool start-up is. Pages are counted in
each PDF (pypdf) inside the timed work.

Goal (issue): 10,000 payslip PDFs with 2 processes, pages/s reported (no target figure), plus the
2-vs-1 ratio. SQLite always; PostgreSQL too when ``DATABASE_URL`` is ``postgres://…``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

from bench import common

NAME = "payslips"
GOAL_PAYSLIPS = 10_000
PAYSLIPS = int(os.environ.get("BENCH_PAYSLIPS", "200"))
CHUNK = 25
PAY_DATE = date(2026, 11, 25)


def _render_chunk(ids: list[int]) -> dict[str, Any]:
    """In a pool worker: print the payslips ``ids`` as HR would; PDFs, pages, bytes and CPU seconds."""
    from pypdf import PdfReader

    from codi.identity.models import User
    from codi.people import selectors
    from codi.people.payslips import payslip_pdf

    cpu = time.process_time()
    hr = User.objects.get(username="bench-hr")
    pdfs = pages = size = 0
    for slip in selectors.payslip_list(actor=hr).filter(pk__in=ids):
        pdf = payslip_pdf(slip)
        assert pdf.startswith(b"%PDF"), "not a PDF"
        pages += len(PdfReader(BytesIO(pdf)).pages)
        pdfs += 1
        size += len(pdf)
    return {
        "pdfs": pdfs,
        "pages": pages,
        "bytes": size,
        "cpu_s": time.process_time() - cpu,
        "pid": os.getpid(),
    }


def _print_all(ids: list[int], processes: int) -> dict[str, Any]:
    from django.db import connections

    connections.close_all()  # each forked worker opens its own connection
    chunks = [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]
    began = time.perf_counter()
    with ProcessPoolExecutor(max_workers=processes, mp_context=multiprocessing.get_context("fork")) as pool:
        parts = list(pool.map(_render_chunk, chunks))
    seconds = time.perf_counter() - began
    pdfs, pages = sum(p["pdfs"] for p in parts), sum(p["pages"] for p in parts)
    assert pdfs == len(ids), (pdfs, len(ids))
    return {
        "processes": processes,
        "workers_used": len({p["pid"] for p in parts}),
        "seconds": round(seconds, 2),
        "pdfs": pdfs,
        "pages": pages,
        "pdfs_per_s": round(pdfs / seconds, 2),
        "pages_per_s": round(pages / seconds, 2),
        "worker_cpu_ms_per_pdf": round(1000 * sum(p["cpu_s"] for p in parts) / pdfs, 1),
        "mean_pdf_kib": round(sum(p["bytes"] for p in parts) / pdfs / 1024, 1),
    }


def _worker(payslips: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    from codi.finance import ledger
    from codi.identity.models import OrgUnit, RoleAssignment, User
    from codi.people import demo, importing, payroll, selectors
    from codi.people.payslips import payslip_pdf

    ledger.chart_load(actor=None)
    ledger.fiscal_year_ensure(actor=None, year_be=2570)
    hr = User.objects.create(username="bench-hr")
    RoleAssignment.objects.create(user=hr, role="hr_officer", scope_level="country", scope_code="")
    units = [OrgUnit.objects.create(code=f"B-{i:02d}", name_th=f"หน่วย {i}") for i in range(20)]
    started = time.perf_counter()
    report = importing.employee_rows_apply(
        actor=None, rows=demo.employee_rows(payslips, [u.code for u in units], prefix="B"), source="bench"
    )
    assert report.written and not report.errors, report.errors[:3]
    run = payroll.payroll_run_create(actor=hr, year=2026, month=11, pay_date=PAY_DATE)
    ids = list(run.payslips.order_by("pk").values_list("pk", flat=True))
    assert len(ids) == payslips, (len(ids), payslips)
    seed_s = time.perf_counter() - started

    began = time.perf_counter()
    first = selectors.payslip_list(actor=hr).first()
    assert first is not None
    payslip_pdf(first)  # warm-up: WeasyPrint import, fonts
    warm_s = time.perf_counter() - began

    rounds = [_print_all(ids, n) for n in (1, 2)]
    one, two = rounds
    return {
        "vendor": connection.vendor,
        "payslips": payslips,
        "seed_s": round(seed_s, 2),
        "first_render_s": round(warm_s, 2),
        "rounds": rounds,
        "pages_per_s": two["pages_per_s"],
        "pdfs_per_s": two["pdfs_per_s"],
        "speedup_2_vs_1": round(two["pdfs_per_s"] / one["pdfs_per_s"], 2),
    }


def _run_worker(env: dict[str, str]) -> dict[str, Any]:
    output = common.run_child(
        ["-m", "bench.payslips", "--worker", "--payslips", str(PAYSLIPS)], env, timeout=7200
    )
    raw = common.last_json_line(output)
    raw["projected_10000_s"] = round(GOAL_PAYSLIPS / raw["pdfs_per_s"], 0)
    raw["goal_met"] = raw["rounds"][1]["pdfs"] == raw["payslips"] and raw["rounds"][1]["workers_used"] == 2
    return raw


def run() -> dict[str, Any]:
    started, load_at_start = time.monotonic(), common.load_average()
    databases: dict[str, Any] = {}
    with common.temp_dir(NAME) as tmp:
        databases["sqlite"] = _run_worker(common.fresh_env(Path(tmp)))
        url = os.environ.get("DATABASE_URL", "")
        if url.startswith("postgres"):
            databases["postgresql"] = common.with_postgres_database(url, Path(tmp), _run_worker)
    return {
        "benchmark": NAME,
        "machine": common.machine_info("+".join(databases), load_at_start=load_at_start),
        "setup": {
            "payslips": PAYSLIPS,
            "path": "selectors.payslip_list (HR officer) -> codi.people.payslips.payslip_pdf -> core.pdf.render_pdf",
            "processes": f"ProcessPoolExecutor (fork) of 1, then of 2; chunks of {CHUNK} payslips",
            "note": "the issue's 10,000: BENCH_PAYSLIPS=10000 (or --payslips when run directly)",
        },
        "databases": databases,
        "goal": f"{GOAL_PAYSLIPS:,} payslip PDFs with 2 processes: pages/s reported (no target figure in the issue)",
        "goal_met": all(d["goal_met"] for d in databases.values()),
        "elapsed_s": round(time.monotonic() - started, 1),
    }


def summary(result: dict[str, Any]) -> str:
    return "\n".join(
        f"   {vendor}: {d['payslips']:,} payslips, 2 processes {d['pages_per_s']} pages/s "
        f"({d['pdfs_per_s']} PDFs/s), 1 process {d['rounds'][0]['pages_per_s']} pages/s; "
        f"2 vs 1 ×{d['speedup_2_vs_1']}; 10,000 → ~{d['projected_10000_s']:.0f} s"
        for vendor, d in result["databases"].items()
    )


def _main() -> None:
    global PAYSLIPS
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--payslips", type=int, default=PAYSLIPS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(_worker(args.payslips)))
        return
    PAYSLIPS = args.payslips
    result = run()
    path = common.write_result(NAME, result)
    print(summary(result))
    print(f"   goal met: {'yes' if result['goal_met'] else 'NO'}; {path.relative_to(common.REPO)}")


if __name__ == "__main__":
    _main()
