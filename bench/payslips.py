"""payslips: a month's payslip PDFs rendered by 1 and by 2 worker processes; pages/s and PDFs/s.

In a child process on a fresh database: ``BENCH_PAYSLIPS`` employees (default 200 on the shared
machine; the issue's 10,000 with ``BENCH_PAYSLIPS=10000`` or ``python -m bench.payslips --payslips
10000``) are loaded through the employee import path and paid by ``payroll_run_create`` (one
payslip each; seeding shared with ``payroll_run`` in ``bench.people_seed``). Then every payslip
is printed through the product's own path — the HR officer's ``selectors.payslip_list`` (scope,
run, employee, unit) and ``codi.people.payslips.payslip_pdf`` (the template, Sarabun embedded,
WeasyPrint with one font configuration per process) — one PDF per employee, by a
``ProcessPoolExecutor`` of 2 workers over all payslips, each with its own database connection, in
chunks of ``CHUNK`` payslips; for the 2-vs-1 ratio, a pool of 1 prints the first ``BASELINE``
(1,000) first. The workers are forked after one warm-up render in the parent, so WeasyPrint's
import is not counted; pool start-up and each worker's first font load are. Pages are counted in
each PDF (pypdf) inside the timed work.

Goal (issue): 10,000 payslip PDFs with 2 processes, pages/s reported (no target figure), plus the
2-vs-1 ratio. SQLite always; PostgreSQL too when ``DATABASE_URL`` is ``postgres://…``.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from io import BytesIO
from typing import Any

from bench import common, people_seed

NAME = "payslips"
GOAL_PAYSLIPS = 10_000
PAYSLIPS = int(os.environ.get("BENCH_PAYSLIPS", "200"))
CHUNK = 25
# the 1-process round (only the 2-vs-1 ratio) prints at most this many
BASELINE = int(os.environ.get("BENCH_PAYSLIPS_BASELINE", "1000"))
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
    seeded = people_seed.seed_staff(payslips)
    from django.db import connection

    from codi.people import payroll, selectors
    from codi.people.payslips import payslip_pdf

    started = time.perf_counter()
    run = payroll.payroll_run_create(actor=seeded.hr, year=2026, month=11, pay_date=PAY_DATE)
    ids = list(run.payslips.order_by("pk").values_list("pk", flat=True))
    assert len(ids) == payslips, (len(ids), payslips)
    seed_s = seeded.seconds + time.perf_counter() - started

    began = time.perf_counter()
    first = selectors.payslip_list(actor=seeded.hr).first()
    assert first is not None
    payslip_pdf(first)  # warm-up: WeasyPrint import, fonts
    warm_s = time.perf_counter() - began

    one = _print_all(ids[:BASELINE], 1)
    two = _print_all(ids, 2)
    return {
        "vendor": connection.vendor,
        "payslips": payslips,
        "seed_s": round(seed_s, 2),
        "first_render_s": round(warm_s, 2),
        "rounds": [one, two],
        "pages_per_s": two["pages_per_s"],
        "pdfs_per_s": two["pdfs_per_s"],
        "speedup_2_vs_1": round(two["pdfs_per_s"] / one["pdfs_per_s"], 2),
    }


def _run_worker(env: dict[str, str]) -> dict[str, Any]:
    raw = people_seed.child("bench.payslips", "payslips", PAYSLIPS, env, timeout=7200)
    raw["projected_10000_s"] = round(GOAL_PAYSLIPS / raw["pdfs_per_s"], 0)
    raw["goal_met"] = raw["rounds"][1]["pdfs"] == raw["payslips"] and raw["rounds"][1]["workers_used"] == 2
    return raw


def run() -> dict[str, Any]:
    started, load_at_start = time.monotonic(), common.load_average()
    return people_seed.result(
        NAME,
        started=started,
        load_at_start=load_at_start,
        setup={
            "payslips": PAYSLIPS,
            "path": "selectors.payslip_list (HR officer) -> codi.people.payslips.payslip_pdf (WeasyPrint, "
            "one FontConfiguration per process)",
            "processes": f"ProcessPoolExecutor (fork) of 2 over all payslips; of 1 over the first "
            f"{min(PAYSLIPS, BASELINE):,} (the 2-vs-1 ratio); chunks of {CHUNK} payslips",
            "note": "the issue's 10,000: BENCH_PAYSLIPS=10000 (or --payslips when run directly)",
        },
        databases=people_seed.on_databases(NAME, _run_worker),
        goal=f"{GOAL_PAYSLIPS:,} payslip PDFs with 2 processes: pages/s reported (no target figure in the issue)",
    )


def summary(result: dict[str, Any]) -> str:
    return "\n".join(
        f"   {vendor}: {d['payslips']:,} payslips, 2 processes {d['pages_per_s']} pages/s "
        f"({d['pdfs_per_s']} PDFs/s), 1 process {d['rounds'][0]['pages_per_s']} pages/s; "
        f"2 vs 1 ×{d['speedup_2_vs_1']}; 10,000 → ~{d['projected_10000_s']:.0f} s"
        for vendor, d in result["databases"].items()
    )


def _set_count(count: int) -> None:
    global PAYSLIPS
    PAYSLIPS = count


if __name__ == "__main__":
    people_seed.main(sys.modules[__name__], "payslips", PAYSLIPS, _worker, _set_count)
