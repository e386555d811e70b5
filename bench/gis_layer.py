"""gis_layer: the project layer for the whole country, 100,000 projects aggregated to subdistricts.

A child process migrates a fresh database (SQLite under a temporary ``CODI_VAR_DIR``; the
PostgreSQL of ``DATABASE_URL`` when it is ``postgres://…``), loads the areas and seeds
``BENCH_PROJECTS`` (100,000) projects over 5,000 organizations in random subdistricts (the
seeding of ``bench.project_list``).

Measured, warm (after a warm-up), for a country-wide project officer with an API key, through
the whole Django stack (test client: middleware, key check, JSON):

* ``whole_layer``: every feature of ``/gis/ogc/collections/projects-by-subdistrict/items`` for the
  whole country, paged by 1,000 (``limit``/``offset``) as QGIS and the map read it — the issue's
  figure (goal: < 300 ms warm);
* ``map_page``: the map's one request at the country view (``bbox`` = Thailand, ``limit=1000``);
* ``raw_sql``: the aggregation alone (count, approved budget, households per subdistrict, the
  same ``GROUP BY`` the layer runs) on a bare cursor.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from bench import common

NAME = "gis_layer"
PROJECTS = int(os.environ.get("BENCH_PROJECTS", "100000"))
ROUNDS = 20
GOAL_MS = 300.0
LAYER = "/gis/ogc/collections/projects-by-subdistrict/items"
THAILAND = "97.3,5.6,105.7,20.5"


def _worker(projects: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from bench.project_list import bench_user, seed
    from codi.gis.layers import area_boxes
    from codi.identity import services as identity_services
    from codi.projects import gis_feed

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_areas", verbosity=0)
    seeded = seed(projects, installments=False)
    user = bench_user(level="country", code="")
    _key, raw_key = identity_services.api_key_create(
        actor=None, user=user, name="bench", rate_limit_per_minute=1_000_000
    )
    client = Client(HTTP_X_API_KEY=raw_key)

    def whole_layer() -> tuple[int, int]:
        features, size, offset = 0, 0, 0
        while True:
            response = client.get(LAYER, {"limit": 1000, "offset": offset})
            assert response.status_code == 200, response.content[:300]
            body = json.loads(response.content)
            features += body["numberReturned"]
            size += len(response.content)
            offset += 1000
            if offset >= body["numberMatched"]:
                return features, size

    def map_page() -> int:
        response = client.get(LAYER, {"bbox": THAILAND, "limit": 1000})
        assert response.status_code == 200
        return len(response.content)

    statements: list[tuple[str, Any]] = []

    def capture(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        expected = gis_feed.totals_by_area(actor=user, level="subdistrict", query=gis_feed.ProjectQuery())
    aggregate_sql = statements[-1]

    def raw_sql() -> int:
        with connection.cursor() as cursor:
            cursor.execute(*aggregate_sql)
            return len(cursor.fetchall())

    assert raw_sql() == len(expected)
    features, size = whole_layer()
    # Every subdistrict with a polygon in the committed boundaries is a feature: those without a
    # project are a true 0 for a country-wide officer (areas with projects but no polygon are not features).
    polygons = area_boxes("subdistrict")
    assert features == len(polygons), (features, len(polygons))
    zero_areas = sum(1 for code in polygons if code not in expected)
    times = common.time_rounds({"whole_layer": whole_layer, "map_page": map_page, "raw_sql": raw_sql}, ROUNDS)
    return {
        "vendor": connection.vendor,
        "seeded": seeded,
        "subdistricts_with_projects": len(expected),
        "whole_layer": {"features": features, "zero_areas": zero_areas, "pages": -(-features // 1000), "bytes": size,
                        "ms": common.ms_percentiles(times["whole_layer"]["wall"]),
                        "cpu_ms": common.ms_percentiles(times["whole_layer"]["cpu"])},
        "map_page": {"bytes": map_page(), "ms": common.ms_percentiles(times["map_page"]["wall"]),
                     "cpu_ms": common.ms_percentiles(times["map_page"]["cpu"])},
        "raw_sql": {"rows": len(expected), "ms": common.ms_percentiles(times["raw_sql"]["wall"]),
                    "cpu_ms": common.ms_percentiles(times["raw_sql"]["cpu"])},
    }  # fmt: skip


def run() -> dict[str, Any]:
    started, load_at_start = time.monotonic(), common.load_average()
    with common.temp_dir(NAME) as tmp:
        env = common.fresh_env(Path(tmp))
        if os.environ.get("DATABASE_URL", "").startswith("postgres"):
            env["DATABASE_URL"] = os.environ["DATABASE_URL"]
        out = common.run_child(
            ["-m", "bench.gis_layer", "--worker", "--projects", str(PROJECTS)], env, timeout=1800
        )
        raw = common.last_json_line(out)
    whole = raw["whole_layer"]["ms"]["p95"]
    base = max(raw["raw_sql"]["ms"]["p95"], 0.1)
    return {
        "benchmark": NAME,
        "machine": common.machine_info(raw["vendor"], load_at_start=load_at_start),
        "setup": {
            "data": f"{PROJECTS:,} projects over 5,000 organizations in random subdistricts",
            "measured": f"every page (limit 1000) of {LAYER} for a country-wide officer (API key, whole stack); "
            "the map's country-view request; the aggregation SQL alone",
            "rounds": ROUNDS,
        },
        "result": raw,
        "goals": {
            "whole_layer_p95_under_300ms": {"value_ms": whole, "goal_met": whole < GOAL_MS},
            "full_size_100k": {"value": PROJECTS, "goal_met": PROJECTS >= 100_000},
        },
        "ratios": {
            "whole_layer_p95_to_raw_sql_p95": round(whole / base, 2),
            "map_page_p95_to_raw_sql_p95": round(raw["map_page"]["ms"]["p95"] / base, 2),
        },
        "goal_met": whole < GOAL_MS,
        "elapsed_s": round(time.monotonic() - started, 1),
    }


def summary(result: dict[str, Any]) -> str:
    r = result["result"]
    return "\n".join(
        [
            f"   {r['seeded']['projects']:,} projects ({r['vendor']}) in {r['subdistricts_with_projects']:,} subdistricts",
            f"   whole layer ({r['whole_layer']['pages']} pages, {r['whole_layer']['bytes'] / 1e6:.1f} MB) "
            f"p50 {r['whole_layer']['ms']['p50']:.1f} ms p95 {r['whole_layer']['ms']['p95']:.1f} ms",
            f"   map page (bbox Thailand, limit 1000) p95 {r['map_page']['ms']['p95']:.1f} ms; "
            f"aggregation SQL p95 {r['raw_sql']['ms']['p95']:.1f} ms",
        ]
    )


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
