"""stock_issue: supplies issues per second under concurrent clients, never a negative balance.

In a child process on a fresh database: one item is received in 10 FIFO layers at different unit
costs, then ``BENCH_STOCK_CLIENTS`` threads (default 20, each with its own database connection)
each make ``BENCH_STOCK_ISSUES`` issues (default 25) of one unit through
``codi.procurement.supplies.issue`` (balance row lock, FIFO layers, a journal entry through
``codi.finance.services``, an audit entry). The stock is 10 % smaller than what is asked for, so
the last issues are refused. Checked afterwards: the balance never went below zero, served +
left = received, the stock value equals the layers' values and the ledger's inventory account.

PostgreSQL when ``DATABASE_URL`` is ``postgres://…`` (the issue's setting); on SQLite (one writer
at a time) the same run is made with one client, as a reference.

Goal (issue): zero negative balances under 20 concurrent clients on PostgreSQL; issues/s reported.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Any

from bench import common

NAME = "stock_issue"
CLIENTS = int(os.environ.get("BENCH_STOCK_CLIENTS", "20"))
ISSUES = int(os.environ.get("BENCH_STOCK_ISSUES", "25"))


def _worker(clients: int, issues: int) -> dict[str, Any]:
    import django

    django.setup()
    import threading
    from decimal import Decimal

    from django.core.management import call_command
    from django.db import connection, connections
    from django.utils import timezone

    call_command("migrate", interactive=False, verbosity=0)
    from codi.finance import ledger
    from codi.finance.models import Account
    from codi.finance.selectors import account_balance
    from codi.identity.models import OrgUnit
    from codi.procurement import supplies
    from codi.procurement.models import StockBalance, StockMove, Store, SupplyItem

    ledger.chart_load(actor=None)
    ledger.fiscal_year_ensure(actor=None, year_be=ledger.fiscal_year_of(timezone.localdate()))
    unit = OrgUnit.objects.get_or_create(code="BENCH-STOCK", defaults={"name_th": "หน่วยทดสอบ"})[0]
    store = Store.objects.create(code="BENCH", name_th="คลังทดสอบ", unit=unit)
    item = SupplyItem.objects.create(code="BENCH-A4", name_th="กระดาษ", unit_name="รีม")
    asked = clients * issues
    received = max(1, asked * 9 // 10)
    layers = max(1, min(10, received))
    for layer in range(layers):
        supplies.receive(
            actor=None, store=store, item=item,
            quantity=received // layers + (received % layers if layer == layers - 1 else 0),
            unit_cost=Decimal("100.1234") + layer, reference=f"L{layer}",
        )  # fmt: skip
    served: list[float] = []
    refused: list[int] = []
    failed: list[str] = []
    barrier = threading.Barrier(clients)
    lock = threading.Lock()

    def client() -> None:
        try:
            barrier.wait()
            for _n in range(issues):
                began = time.perf_counter()
                try:
                    supplies.issue(actor=None, store=store, item=item, quantity=1, to_unit=unit)
                except supplies.SupplyError:
                    with lock:
                        refused.append(1)
                    continue
                with lock:
                    served.append(time.perf_counter() - began)
        except Exception as exc:  # reported, not hidden: a failure other than a refusal
            failed.append(repr(exc)[:300])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    balance = StockBalance.objects.get(store=store, item=item)
    value, layers = supplies.valuation_check(store=store, item=item)
    issued = StockMove.objects.filter(kind="issue").count()
    min_after = min(StockMove.objects.values_list("balance_quantity", flat=True))
    inventory = account_balance(account=Account.objects.get(code=item.inventory_account))
    return {
        "vendor": connection.vendor,
        "clients": clients,
        "asked": asked,
        "received": received,
        "served": issued,
        "refused": len(refused),
        "failed": failed[:5],
        "seconds": round(seconds, 2),
        "issues_per_s": round(issued / seconds, 1),
        "latency_ms": {"p50": round(common.percentile(served, 50) * 1000, 1),
                       "p95": round(common.percentile(served, 95) * 1000, 1)},
        "balance_left": str(balance.quantity),
        "lowest_balance_seen": str(min_after),
        "consistent": bool(
            balance.quantity >= 0 and min_after >= 0 and issued + balance.quantity == received
            and value == layers == inventory and not failed
        ),
    }  # fmt: skip


def _run_worker(env: dict[str, str], clients: int) -> dict[str, Any]:
    output = common.run_child(
        ["-m", "bench.stock_issue", "--worker", "--clients", str(clients), "--issues", str(ISSUES)],
        env,
        timeout=3600,
    )
    return common.last_json_line(output)


def run() -> dict[str, Any]:
    started, load_at_start = time.monotonic(), common.load_average()
    databases: dict[str, Any] = {}
    with common.temp_dir(NAME) as tmp:
        databases["sqlite"] = _run_worker(common.fresh_env(Path(tmp)), 1)
        url = os.environ.get("DATABASE_URL", "")
        if url.startswith("postgres"):
            databases["postgresql"] = common.with_postgres_database(
                url, Path(tmp), lambda env: _run_worker(env, CLIENTS)
            )
    pg = databases.get("postgresql")
    return {
        "benchmark": NAME,
        "machine": common.machine_info("+".join(databases), load_at_start=load_at_start),
        "setup": {
            "service": "codi.procurement.supplies.issue of 1 unit (row lock, FIFO, journal entry, audit)",
            "clients": CLIENTS,
            "issues_per_client": ISSUES,
            "note": "SQLite runs one client as a reference; the concurrent run needs DATABASE_URL=postgres://",
        },
        "databases": databases,
        "goal": f"zero negative balances under {CLIENTS} concurrent clients on PostgreSQL; issues/s reported",
        "goal_met": bool(pg and pg["consistent"]),
        "elapsed_s": round(time.monotonic() - started, 1),
    }


def summary(result: dict[str, Any]) -> str:
    return "\n".join(
        f"   {vendor}: {d['clients']} clients, {d['served']} served / {d['refused']} refused, "
        f"{d['issues_per_s']:.0f} issues/s, p95 {d['latency_ms']['p95']} ms, lowest balance {d['lowest_balance_seen']}, "
        f"consistent: {d['consistent']}"
        for vendor, d in result["databases"].items()
    )


def _main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--issues", type=int, default=ISSUES)
    args = parser.parse_args()
    if not args.worker:
        parser.error("run it with python -m bench.run stock_issue")
    print(json.dumps(_worker(args.clients, args.issues)))


if __name__ == "__main__":
    _main()
