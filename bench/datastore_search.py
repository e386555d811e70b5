"""datastore_search: p95 of the CKAN datastore_search action over a 1,000,000-row published dataset.

In one child process per database: migrate a fresh database, register a synthetic statistics
builder of ROWS rows (province, subdistrict, organization type, fiscal year, category, an amount,
and a note of three Thai words), publish it through ``codi.opendata.services.dataset_publish``
(the seeding time is reported: bulk insert / COPY, then the indexes), then send
``POST /opendata/api/3/action/datastore_search`` through the Django test client (URL routing,
middleware, the view, validation, SQL, JSON) with a fixed random mix of queries:

- ``filter_page``: one equality filter (a province, ~1.3 % of rows), limit 100, offset 0..2,000;
- ``two_filters``: province + organization type, limit 100, offset 0..200;
- ``q``: one village name (a Thai word in ~0.05 % of rows; prefix full-text), limit 100;
- ``q_filter``: a village name + a fiscal-year filter, limit 100, offset 0..500;
- ``sort_filter``: a province filter sorted by amount descending, limit 100;
- ``page_unfiltered``: no filter, limit 100, offset 0..10,000.

The baseline is ``status_show`` through the same stack (no database work), measured in the same
run. Reported apart, not in the p95: ``q_common`` (a word in ~6.7 % of the rows: the exact
``total`` counts ~67,000 matches), ``sort_wide_filter`` (a filter matching ~8 % of the rows
sorted by another column: the rows are sorted, no index serves both) and ``deep_offset``
(offset up to 990,000: CKAN's offset paging walks every skipped row). Those are the costly
shapes, on any database; harvesters should filter and page by ``_id``.

Always on a fresh SQLite file; also on PostgreSQL when ``DATABASE_URL`` starts with ``postgres``.
Goal (issue): p95 < 100 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from typing import Any

from bench import common

NAME = "datastore_search"
ROWS = int(os.environ.get("BENCH_DATASTORE_ROWS", "1000000"))
QUERIES_PER_KIND = 150
GOAL_MS = 100.0
WORDS = [
    "ชุมชน",
    "บ้านมั่นคง",
    "สวัสดิการ",
    "เกษตร",
    "น้ำประปา",
    "ถนน",
    "ป่าชุมชน",
    "ออมทรัพย์",
    "ที่ดิน",
    "อาชีพ",
    "ผู้สูงอายุ",
    "เยาวชน",
    "สุขภาพ",
    "ขยะ",
    "พลังงาน",
    "ประมง",
    "หัตถกรรม",
    "ท่องเที่ยว",
    "วัฒนธรรม",
    "ภัยพิบัติ",
    "การศึกษา",
    "ตลาด",
    "สหกรณ์",
    "เครือข่าย",
    "สภาองค์กร",
    "แม่น้ำ",
    "ชายฝั่ง",
    "ภูเขา",
    "เมือง",
    "ชนบท",
]
ORG_TYPES = [
    "community_org",
    "network",
    "council",
    "welfare_fund",
    "savings_group",
    "housing_coop",
    "enterprise",
    "other",
]
CATEGORIES = [f"cat{i:02d}" for i in range(12)]
# 2,000 village names (one Thai word each): a note names one village, so a village matches ~0.05 %
# of the rows, while each common word above is in ~6.7 % of them.
VILLAGES = [
    a + b + c
    for a in ["บ้าน", "หนอง", "โนน", "ดอน", "ห้วย", "นา", "โคก", "ท่า", "บึง", "วัง"]
    for b in [
        "ใหญ่",
        "น้อย",
        "แดง",
        "ขาว",
        "ทอง",
        "เหนือ",
        "ใต้",
        "กลาง",
        "ยาง",
        "ไผ่",
        "สวรรค์",
        "แสง",
        "คำ",
        "เงิน",
        "บัว",
        "โพธิ์",
        "ตาล",
        "มะม่วง",
        "ขาม",
        "หิน",
    ]
    for c in ["", "ใหม่", "เก่า", "พัฒนา", "สามัคคี", "ศรี", "ทุ่ง", "ตะวันออก", "ตะวันตก", "สันติ"]
]


def _rows(n: int):
    rng = random.Random(20260101)
    from decimal import Decimal

    for i in range(n):
        province = 10 + (i * 7919) % 77
        yield (
            f"{province:02d}",
            f"จังหวัด{province:02d}",
            f"{province:02d}{rng.randrange(1, 30):02d}{rng.randrange(1, 15):02d}",
            ORG_TYPES[rng.randrange(8)],
            2564 + rng.randrange(6),
            CATEGORIES[rng.randrange(12)],
            Decimal(rng.randrange(0, 5_000_000_00)) / 100,
            " ".join([*rng.sample(WORDS, 2), VILLAGES[rng.randrange(len(VILLAGES))]]),
        )


def _worker(rows: int, per_kind: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("migrate", interactive=False, verbosity=0)

    from codi.opendata import builders, services
    from codi.opendata.builders import Column, DatasetBuilder

    builders.register(
        DatasetBuilder(
            name="bench-million",
            title_th="ชุดข้อมูลทดสอบความเร็ว",
            title_en="Benchmark dataset",
            description="",
            objective="",
            data_type="statistics",
            data_category="ข้อมูลสาธารณะ",
            update_frequency="yearly",
            columns=(
                Column("province_code", "text", "รหัสจังหวัด"),
                Column("province_name", "text", "จังหวัด"),
                Column("subdistrict_code", "text", "รหัสตำบล"),
                Column("org_type", "text", "ประเภท"),
                Column("fiscal_year", "int", "ปีงบประมาณ"),
                Column("category", "text", "หมวด"),
                Column("amount", "numeric", "วงเงิน"),
                Column("note", "text", "หมายเหตุ"),
            ),
            build=lambda: _rows(rows),
        )
    )
    t0 = time.perf_counter()
    outcome = services.dataset_publish(actor=None, name="bench-million")
    seed_s = time.perf_counter() - t0
    resource_id = str(outcome.resource.ckan_id)
    client = Client(HTTP_HOST="127.0.0.1")
    url = "/opendata/api/3/action/datastore_search"
    rng = random.Random(7)

    def body(kind: str) -> dict[str, Any]:
        province = f"{10 + rng.randrange(77):02d}"
        if kind == "filter_page":
            return {"filters": {"province_code": province}, "limit": 100, "offset": rng.randrange(0, 2001)}
        if kind == "two_filters":
            return {
                "filters": {"province_code": province, "org_type": rng.choice(ORG_TYPES)},
                "limit": 100,
                "offset": rng.randrange(0, 201),
            }
        if kind == "q":
            return {"q": rng.choice(VILLAGES), "limit": 100}
        if kind == "q_common":
            return {"q": rng.choice(WORDS), "limit": 100, "offset": rng.randrange(0, 501)}
        if kind == "sort_wide_filter":
            return {"filters": {"category": rng.choice(CATEGORIES)}, "sort": "amount desc", "limit": 100}
        if kind == "q_filter":
            return {
                "q": rng.choice(VILLAGES),
                "filters": {"fiscal_year": 2564 + rng.randrange(6)},
                "limit": 100,
                "offset": rng.randrange(0, 501),
            }
        if kind == "sort_filter":
            return {"filters": {"province_code": province}, "sort": "amount desc", "limit": 100}
        if kind == "page_unfiltered":
            return {"limit": 100, "offset": rng.randrange(0, 10_001)}
        if kind == "deep_offset":
            return {"limit": 100, "offset": rng.randrange(0, 990_001)}
        raise ValueError(kind)

    def call(action: str, payload: dict[str, Any]) -> tuple[float, dict[str, Any]]:
        started = time.perf_counter()
        response = client.post(
            f"/opendata/api/3/action/{action}", data=json.dumps(payload), content_type="application/json"
        )
        elapsed = time.perf_counter() - started
        data = response.json()
        if response.status_code != 200 or not data["success"]:
            raise RuntimeError(f"{action} {payload} -> {response.status_code} {data}")
        return elapsed, data["result"]

    kinds = ["filter_page", "two_filters", "q", "q_filter", "sort_filter", "page_unfiltered"]
    for kind in kinds:  # warm up statement paths and the page cache
        for _ in range(5):
            call("datastore_search", {"resource_id": resource_id, **body(kind)})
    apart = ["q_common", "sort_wide_filter", "deep_offset"]
    timings: dict[str, list[float]] = {kind: [] for kind in [*kinds, *apart, "baseline_status_show"]}
    totals: dict[str, list[int]] = {kind: [] for kind in kinds}
    for _ in range(per_kind):
        for kind in kinds:
            elapsed, result = call("datastore_search", {"resource_id": resource_id, **body(kind)})
            timings[kind].append(elapsed)
            totals[kind].append(result["total"])
            assert len(result["records"]) <= 100
        timings["baseline_status_show"].append(call("status_show", {})[0])
    for _ in range(max(10, per_kind // 5)):
        for kind in apart:
            timings[kind].append(call("datastore_search", {"resource_id": resource_id, **body(kind)})[0])
    mixed = [t for kind in kinds for t in timings[kind]]

    def ms(values: list[float]) -> dict[str, float]:
        return {
            "n": len(values),
            "median_ms": round(statistics.median(values) * 1000, 2),
            "p95_ms": round(common.percentile(values, 95) * 1000, 2),
            "max_ms": round(max(values) * 1000, 2),
        }

    return {
        "vendor": connection.vendor,
        "rows": outcome.rows,
        "seed_s": round(seed_s, 1),
        "seed_rows_per_s": round(outcome.rows / seed_s),
        "url": url,
        "mixed": ms(mixed),
        "by_kind": {kind: ms(values) for kind, values in timings.items()},
        "median_total_by_kind": {kind: int(statistics.median(v)) for kind, v in totals.items()},
    }


def _figures(raw: dict[str, Any]) -> dict[str, Any]:
    p95 = raw["mixed"]["p95_ms"]
    baseline = raw["by_kind"]["baseline_status_show"]["median_ms"]
    return {
        **raw,
        "p95_ms": p95,
        "p95_vs_baseline_median": round(p95 / baseline, 1) if baseline else None,
        "goal": f"datastore_search p95 < {GOAL_MS:.0f} ms over a {raw['rows']:,}-row dataset",
        "goal_met": p95 < GOAL_MS and raw["rows"] >= 1_000_000,
    }


def _run_worker(env: dict[str, str]) -> dict[str, Any]:
    output = common.run_child(
        [
            "-m",
            "bench.datastore_search",
            "--worker",
            "--rows",
            str(ROWS),
            "--per-kind",
            str(QUERIES_PER_KIND),
        ],
        env,
        timeout=1800,
    )
    return _figures(common.last_json_line(output))


def run() -> dict[str, Any]:
    started, load_at_start = time.monotonic(), common.load_average()
    skip_sqlite = os.environ.get("BENCH_DATASTORE_SKIP_SQLITE") == "1"
    vendors = ("postgresql",) if skip_sqlite else ("sqlite", "postgresql")
    databases = common.on_each_database(NAME, _run_worker, vendors=vendors)
    return {
        "benchmark": NAME,
        "machine": common.machine_info("+".join(databases), load_at_start=load_at_start),
        "setup": {
            "rows": ROWS,
            "queries_per_kind": QUERIES_PER_KIND,
            "request": "POST JSON through django.test.Client (routing, middleware, view, SQL, JSON)",
            "baseline": "status_show through the same stack, no database work",
        },
        "databases": databases,
        "goal_met": bool(databases) and all(d["goal_met"] for d in databases.values()),
        "elapsed_s": round(time.monotonic() - started, 1),
    }


def summary(result: dict[str, Any]) -> str:
    lines = []
    for vendor, d in result["databases"].items():
        kinds = ", ".join(f"{k} {v['p95_ms']:.0f}" for k, v in d["by_kind"].items())
        lines.append(
            f"   {vendor}: {d['rows']:,} rows seeded in {d['seed_s']:.0f} s; mixed p95 {d['p95_ms']:.1f} ms "
            f"(median {d['mixed']['median_ms']:.1f} ms; {d['p95_vs_baseline_median']}x the status_show median); "
            f"p95 by kind (ms): {kinds}"
        )
    return "\n".join(lines)


def _main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--per-kind", type=int, default=QUERIES_PER_KIND)
    args = parser.parse_args()
    if not args.worker:
        parser.error("run it with python -m bench.run datastore_search")
    print(json.dumps(_worker(args.rows, args.per_kind)))


if __name__ == "__main__":
    _main()
