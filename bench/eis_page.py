"""eis_page: the executive KPI page (``/insights/eis/``) served warm, with its baseline in the same run.

A child process seeds a fresh database like ``pms_dashboard`` (``bench.project_list.seed``,
``BENCH_EIS_PROJECTS`` projects, default 20,000, 3 installments each) and signs in an executive
(whole country) and a regional executive (``northeast``) past the second factor. Timed, interleaved
after a warm-up (``common.time_rounds``):

The marts the board reads (``projects``, ``tickets``, ``satisfaction``) are built once after the
seed (the refresh is timed too). Then, interleaved after a warm-up (``common.time_rounds``):

- ``page_marts_*``: the whole page through Django's test client (middleware, scope, every KPI,
  template) with the marts built: the KPIs with a mart query read DuckDB over the Parquet files;
- ``page_operational_*``: the same page with ``CODI_MARTS_DIR`` pointed at an empty folder, so the
  same KPIs fall back to the operational database (the page's own fallback): the baseline;
- ``kpi_marts_*`` / ``kpi_operational_*``: the budget-disbursement KPI alone (``board.kpi_view``,
  with its breakdown) from each source, the part of the page the marts replace;
- ``dashboard_*``: the PMS dashboard's own operational read, as the earlier run measured it.

Ratios marts/operational (p95) are reported for the page and for the KPI. The other KPIs (loans,
people, open data, the plan's systems) have no mart query and cost the same on both sides. Wall and
CPU time are both reported (SQLite runs in process, so its CPU time is the cost on an idle machine),
with the load average.
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

    from django.conf import settings
    from django.test import override_settings

    from codi.insights.eis.board import board, kpi_view
    from codi.insights.eis.registry import kpi_get
    from codi.insights.eis.scope import scope_for
    from codi.insights.marts import store
    from codi.projects import reporting

    started = time.perf_counter(), time.process_time()
    store.refresh(full=True, names=["projects", "tickets", "satisfaction"])
    refresh = {
        "wall_s": round(time.perf_counter() - started[0], 2),
        "cpu_s": round(time.process_time() - started[1], 2),
    }
    empty = Path(settings.CODI_MARTS_DIR).parent / "no-marts"

    year = 2569
    executive = bench_user("executive", "country", "")
    regional = bench_user("executive", "region", "northeast")
    country, region = _client(executive), _client(regional)
    kpi = kpi_get("budget_disbursement")
    scopes = {"country": (scope_for(executive), ""), "northeast": (scope_for(regional), "northeast")}

    def page(client: Any, query: str, marts: bool) -> Any:
        def call() -> None:
            if marts:
                response = client.get(f"/insights/eis/?year={year}{query}")
            else:
                with override_settings(CODI_MARTS_DIR=empty):
                    response = client.get(f"/insights/eis/?year={year}{query}")
            assert response.status_code == 200, response.status_code

        return call

    def one_kpi(area: str, prefer: str) -> Any:
        scope, code = scopes[area]
        return lambda: kpi_view(kpi, scope=scope, fiscal_year=year, area=code, prefer=prefer)  # type: ignore[arg-type]

    calls = {
        "page_marts_country": page(country, "", True),
        "page_operational_country": page(country, "", False),
        "page_marts_northeast": page(region, "&area=northeast", True),
        "page_operational_northeast": page(region, "&area=northeast", False),
        "kpi_marts_country": one_kpi("country", "auto"),
        "kpi_operational_country": one_kpi("country", "operational"),
        "kpi_marts_northeast": one_kpi("northeast", "auto"),
        "kpi_operational_northeast": one_kpi("northeast", "operational"),
        "dashboard_country": lambda: reporting.dashboard(actor=executive, fiscal_year=year),
    }
    times = common.time_rounds(calls, ROUNDS, warmup=2)

    check: dict[str, Any] = {}
    for area, (scope, code) in scopes.items():
        marts = next(v for v in board(scope=scope, fiscal_year=year, area=code) if v.kpi.key == kpi.key)  # type: ignore[arg-type, union-attr]
        ops = kpi_view(kpi, scope=scope, fiscal_year=year, area=code, children=False, prefer="operational")  # type: ignore[arg-type]
        assert marts.source == "marts" and marts.line.fact == ops.line.fact, (
            area,
            marts.line.fact,
            ops.line.fact,
        )
        check[area] = {"budget_disbursement_percent": str(marts.line.value), "status": marts.line.status,
                       "marts_equal_operational": True}  # fmt: skip
    page_text = country.get(f"/insights/eis/?year={year}").content.decode()
    assert f"{check['country']['budget_disbursement_percent']}%" in page_text, (
        "the page shows the board's figure"
    )
    return {
        "vendor": connection.vendor,
        "seeded": seeded,
        "mart_refresh": refresh,
        "check": check,
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

    def ratio(a: str, b: str) -> float:
        return round(ms[a]["p95"] / max(ms[b]["p95"], 1e-9), 2)

    ratios = {
        f"{what}_{area}": ratio(f"{what}_marts_{area}", f"{what}_operational_{area}")
        for what in ("page", "kpi")
        for area in ("country", "northeast")
    }
    worst = max(ms["page_marts_country"]["p95"], ms["page_marts_northeast"]["p95"])
    return {
        "benchmark": NAME,
        "machine": common.machine_info(raw["vendor"], load_at_start=load_at_start),
        "setup": {
            "data": f"{PROJECTS:,} projects, 3 installments each (bench.project_list.seed)",
            "measured": f"GET /insights/eis/ (test client, warm), p50/p95 of {ROUNDS} interleaved rounds, "
            "with the marts built vs the same page falling back to the operational database; and the "
            "budget-disbursement KPI alone from each source",
        },
        "result": raw,
        "ratio_marts_to_operational_p95": ratios,
        "child_cpu_s": round(
            (cpu_end.children_user + cpu_end.children_system)
            - (cpu_start.children_user + cpu_start.children_system),
            1,
        ),
        "goals": {
            "page_p95_under_300ms_warm": {"value_ms": worst, "goal_met": worst < GOAL_MS},
            "marts_vs_operational": {
                "ratios_p95": ratios,
                "note": "below 1: the marts are faster than the operational database",
            },
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
    lines.append(f"   marts/operational p95 ratio {result['ratio_marts_to_operational_p95']}")
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--projects", type=int, default=PROJECTS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(_worker(args.projects), default=str))
