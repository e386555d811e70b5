"""audit_write: a service write with its audit entry vs the same write without it.

In one child process per database (Django is set up once per process):

- ``service``: ``organization_create(actor=None, check_scope=False, ...)``: the service's
  validation, then the insert and ``audit_record`` in one transaction;
- ``bare``: ``Organization.objects.create(...)`` in ``transaction.atomic()`` with the same
  column values the service writes (copied from a row it wrote), no validation, no audit entry;
- ``service_without_audit``: the same service call with ``audit_record`` replaced by a no-op
  in this process, so the audit entry's own cost is isolated however the service evolves.

Batches are interleaved (rotating order), 10 batches of 200 writes per variant.
Always on a fresh SQLite file; also on PostgreSQL when ``DATABASE_URL`` starts with
``postgres`` (a temporary database is created there and dropped afterwards).

Goal (issue): service write with audit <= 1.5x the same write without it.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

from bench import common

NAME = "audit_write"
BATCHES = 10
BATCH_SIZE = 200
WARMUP = 50
GOAL_RATIO = 1.5
SUBDISTRICT = "400101"


# --- child process -------------------------------------------------------------------------------


def _worker(batches: int, batch_size: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_areas", verbosity=0)

    from codi.communities import services
    from codi.communities.models import Organization
    from codi.core.audit import verify_chain
    from codi.core.models import AuditEntry

    def service(name: str) -> None:
        services.organization_create(
            actor=None,
            check_scope=False,
            name_th=name,
            org_type="community_org",
            subdistrict_code=SUBDISTRICT,
        )

    # The row the service writes, field for field, so the baseline inserts exactly the same columns
    # and values (only the name differs) without the service's validation or its audit entry.
    service(f"ต้นแบบ {SUBDISTRICT}")
    prototype = Organization.objects.order_by("-id").first()
    assert prototype is not None
    skip = {"id", "created_at", "updated_at", "name_th"}
    row = {f.attname: getattr(prototype, f.attname) for f in Organization._meta.concrete_fields}
    row = {k: v for k, v in row.items() if k not in skip}

    def bare(name: str) -> None:
        with transaction.atomic():
            Organization.objects.create(name_th=name, **row)

    real_audit_record = services.audit_record

    def no_audit(**kwargs: Any) -> None:
        return None

    def service_without_audit(name: str) -> None:
        services.audit_record = no_audit  # type: ignore[assignment]
        try:
            service(name)
        finally:
            services.audit_record = real_audit_record

    variants: dict[str, Callable[[str], None]] = {
        "service": service,
        "bare": bare,
        "service_without_audit": service_without_audit,
    }
    timings: dict[str, list[float]] = {name: [] for name in variants}
    batch_means: dict[str, list[float]] = {name: [] for name in variants}
    batch_cpu: dict[str, list[float]] = {name: [] for name in variants}
    counter = 0
    for name, write in variants.items():  # warm up connections, statement paths and caches
        for _ in range(WARMUP):
            counter += 1
            write(f"องค์กรอุ่นเครื่อง {name} {counter}")
    order = list(variants)
    started = time.perf_counter()
    for batch in range(batches):
        rotated = order[batch % len(order) :] + order[: batch % len(order)]
        for name in rotated:
            write = variants[name]
            gc.collect()
            batch_times = []
            cpu_started = time.process_time()
            for _ in range(batch_size):
                counter += 1
                label = f"องค์กรทดสอบ {counter:06d}"
                t0 = time.perf_counter()
                write(label)
                batch_times.append(time.perf_counter() - t0)
            batch_cpu[name].append((time.process_time() - cpu_started) / batch_size)
            timings[name].extend(batch_times)
            batch_means[name].append(statistics.fmean(batch_times))
    elapsed = time.perf_counter() - started
    t0 = time.perf_counter()
    chain = verify_chain()
    verify_s = time.perf_counter() - t0

    def stats(values: list[float], means: list[float], cpu: list[float]) -> dict[str, Any]:
        return {
            "writes": len(values),
            "median_us": round(statistics.median(values) * 1e6, 1),
            "mean_us": round(statistics.fmean(values) * 1e6, 1),
            "p95_us": round(common.percentile(values, 95) * 1e6, 1),
            "batch_mean_us": [round(m * 1e6, 1) for m in means],
            # CPU time of this process per write (median over batches): steadier than wall time on a
            # busy machine; on SQLite it covers the database's work too, on PostgreSQL it does not.
            "cpu_us_per_write": round(statistics.median(cpu) * 1e6, 1),
        }

    return {
        "vendor": connection.vendor,
        "database_version": ".".join(str(x) for x in connection.Database.sqlite_version_info)
        if connection.vendor == "sqlite"
        else str(connection.pg_version),  # type: ignore[attr-defined]
        "variants": {name: stats(timings[name], batch_means[name], batch_cpu[name]) for name in variants},
        "audit_entries": AuditEntry.objects.count(),
        "chain_intact": chain.is_intact,
        "verify_chain_s": round(verify_s, 3),
        "measure_s": round(elapsed, 2),
    }


# --- parent ----------------------------------------------------------------------------------------


def _figures(raw: dict[str, Any]) -> dict[str, Any]:
    v = raw["variants"]
    service, bare, without = (
        v["service"]["median_us"],
        v["bare"]["median_us"],
        v["service_without_audit"]["median_us"],
    )
    ratio = service / bare
    ratio_without = service / without
    return {
        **raw,
        "median_write_us": {"with_audit": service, "without_audit": bare},
        "ratio": round(ratio, 3),
        "ratio_vs_service_without_audit": round(ratio_without, 3),
        "audit_entry_cost_us": round(service - without, 1),
        "ratio_cpu": round(v["service"]["cpu_us_per_write"] / v["bare"]["cpu_us_per_write"], 3),
        "goal": f"service write with audit <= {GOAL_RATIO}x the same write without it (median per write)",
        "goal_met": ratio <= GOAL_RATIO,
        "goal_met_vs_service_without_audit": ratio_without <= GOAL_RATIO,
    }


def _run_worker(env: dict[str, str]) -> dict[str, Any]:
    output = common.run_child(
        ["-m", "bench.audit_write", "--worker", "--batches", str(BATCHES), "--batch-size", str(BATCH_SIZE)],
        env,
        timeout=600,
    )
    return _figures(common.last_json_line(output))


def run() -> dict[str, Any]:
    started, load_at_start = time.monotonic(), common.load_average()
    databases = common.on_each_database(NAME, _run_worker)
    return {
        "benchmark": NAME,
        "machine": common.machine_info("+".join(databases), load_at_start=load_at_start),
        "setup": {
            "service": "codi.communities.services.organization_create(actor=None, check_scope=False, ...)",
            "baseline": "Organization.objects.create(same fields) inside transaction.atomic()",
            "batches": BATCHES,
            "batch_size": BATCH_SIZE,
            "warmup_writes_per_variant": WARMUP,
            "order": "variants interleaved per batch, rotating which goes first",
            "sqlite": "fresh file in a temporary CODI_VAR_DIR (WAL, synchronous=NORMAL, as in production settings)",
        },
        "databases": databases,
        "goal_met": all(d["goal_met"] for d in databases.values()),
        "elapsed_s": round(time.monotonic() - started, 1),
    }


def summary(result: dict[str, Any]) -> str:
    lines = []
    for vendor, d in result["databases"].items():
        v = d["variants"]
        lines.append(
            f"   {vendor}: with audit {v['service']['median_us']:.0f} us, without {v['bare']['median_us']:.0f} us "
            f"-> {d['ratio']:.2f}x (vs service minus audit {v['service_without_audit']['median_us']:.0f} us: "
            f"{d['ratio_vs_service_without_audit']:.2f}x); chain intact: {d['chain_intact']}"
        )
    return "\n".join(lines)


def _main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--batches", type=int, default=BATCHES)
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    args = parser.parse_args()
    if not args.worker:
        parser.error("run it with python -m bench.run audit_write")
    print(json.dumps(_worker(args.batches, args.batch_size)))


if __name__ == "__main__":
    _main()
