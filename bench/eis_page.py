"""eis_page: the executive KPI page (``/insights/eis/``) served warm, with its baseline in the same run.

A child process seeds a fresh database like ``pms_dashboard`` (``bench.project_list.seed``,
``BENCH_EIS_PROJECTS`` projects, default 20,000, 3 installments each) and signs in an executive
(whole country) and a regional executive (``northeast``) past the second factor. Timed, interleaved
after a warm-up (``common.time_rounds``):

- ``page_*``: the whole page through Django's test client (middleware, scope, every registered KPI's
  source, template) for the country and for the region;
- ``baseline_operational_*``: the same budget-disbursement figures read directly from the operational
  database by the PMS dashboard (``codi.projects.reporting.dashboard``), which the page's KPI reads.

The page/baseline ratio is what the board adds on top of its sources. The issue's goal compares the
page read from the analytics marts with the operational read; the marts are not part of this branch,
so only the operational side is measured here. Wall and CPU time are both reported (SQLite runs in
process, so its CPU time is the cost on an idle machine), with the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Any

from bench import common

NAME = "eis_page"
PROJECTS = int(os.environ.get("BENCH_EIS_PROJECTS", "20000"))
ROUNDS = int(os.environ.get("BENCH_EIS_ROUNDS", "15"))
GOAL_MS = 300.0


def _client(user: Any) -> Any:
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _worker(projects: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.project_list import bench_user, seed

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_areas", verbosity=0)
    seeded = seed(projects, installments=True)

    from codi.projects import reporting

    year = 2569
    executive = bench_user("executive", "country", "")
    regional = bench_user("executive", "region", "northeast")
    country, region = _client(executive), _client(regional)

    def page(client: Any, query: str) -> Any:
        def call() -> None:
            response = client.get(f"/insights/eis/?year={year}{query}")
            assert response.status_code == 200, response.status_code

        return call

    calls = {
        "page_country": page(country, ""),
        "baseline_operational_country": lambda: reporting.dashboard(actor=executive, fiscal_year=year),
        "page_northeast": page(region, "&area=northeast"),
        "baseline_operational_northeast": lambda: reporting.dashboard(
            actor=regional, fiscal_year=year, region="northeast"
        ),
    }
    times = common.time_rounds(calls, ROUNDS, warmup=2)
    from codi.insights.eis.board import board
    from codi.insights.eis.scope import scope_for

    views = board(scope=scope_for(executive), fiscal_year=year, area="")  # type: ignore[arg-type]
    disbursement = next(v for v in views if v.kpi.key == "budget_disbursement").line
    page_text = country.get(f"/insights/eis/?year={year}").content.decode()
    assert f"{disbursement.value}%" in page_text, "the page shows the board's figure"
    return {
        "vendor": connection.vendor,
        "seeded": seeded,
        "check": {"budget_disbursement_percent": str(disbursement.value), "status": disbursement.status},
        "ms": {
            name: {**common.ms_percentiles(t["wall"]), "cpu": common.ms_percentiles(t["cpu"])}
            for name, t in times.items()
        },
    }


def run() -> dict[str, Any]:
    started, load_at_start = time.monotonic(), common.load_average()
    cpu_start = os.times()
    with common.temp_dir(NAME) as tmp:
        env = common.fresh_env(Path(tmp))
        if os.environ.get("DATABASE_URL", "").startswith("postgres"):
            env["DATABASE_URL"] = os.environ["DATABASE_URL"]
        out = common.run_child(
            ["-m", "bench.eis_page", "--worker", "--projects", str(PROJECTS)], env, timeout=1200
        )
        raw = common.last_json_line(out)
    cpu_end = os.times()
    ms = raw["ms"]
    ratios = {
        area: round(ms[f"page_{area}"]["p95"] / max(ms[f"baseline_operational_{area}"]["p95"], 1e-9), 2)
        for area in ("country", "northeast")
    }
    worst = max(ms["page_country"]["p95"], ms["page_northeast"]["p95"])
    return {
        "benchmark": NAME,
        "machine": common.machine_info(raw["vendor"], load_at_start=load_at_start),
        "setup": {
            "data": f"{PROJECTS:,} projects, 3 installments each (bench.project_list.seed)",
            "measured": f"GET /insights/eis/ (test client, warm), p50/p95 of {ROUNDS} interleaved rounds; "
            "baseline: codi.projects.reporting.dashboard for the same year and area (operational read)",
        },
        "result": raw,
        "ratio_page_to_operational_p95": ratios,
        "child_cpu_s": round(
            (cpu_end.children_user + cpu_end.children_system)
            - (cpu_start.children_user + cpu_start.children_system),
            1,
        ),
        "goals": {
            "page_p95_under_300ms_warm": {"value_ms": worst, "goal_met": worst < GOAL_MS},
            "marts_vs_operational": {"goal_met": None, "note": "no analytics marts on this branch"},
        },
        "goal_met": worst < GOAL_MS,
        "elapsed_s": round(time.monotonic() - started, 1),
    }


def summary(result: dict[str, Any]) -> str:
    raw = result["result"]
    lines = [f"   {raw['seeded']['projects']:,} projects ({raw['vendor']})"]
    for name, case in raw["ms"].items():
        lines.append(
            f"   {name:32} p50 {case['p50']:7.1f} ms  p95 {case['p95']:7.1f} ms  CPU p95 {case['cpu']['p95']:7.1f} ms"
        )
    lines.append(f"   page/operational p95 ratio {result['ratio_page_to_operational_p95']}")
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--projects", type=int, default=PROJECTS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(_worker(args.projects), default=str))
