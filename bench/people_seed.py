"""Shared scaffolding of the people benchmarks (``payroll_run``, ``payslips``); not a benchmark.

* ``seed_staff`` — in the child process: migrate a fresh database, load finance's chart and the
  fiscal year, an HR officer (and an approver), 20 org units, then N employees through the
  product's import path (``codi.people.importing.employee_rows_apply``: checked, encrypted,
  bulk-written);
* ``on_databases`` — run a worker child on a fresh SQLite file and, when ``DATABASE_URL`` is
  ``postgres://…``, on a throw-away PostgreSQL database too;
* ``result`` — the common result document (machine, setup, databases, goal);
* ``main`` — the command line every people benchmark shares (``--worker``, ``--COUNT N``).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import common

UNITS = 20


@dataclass
class Seeded:
    hr: Any
    approver: Any
    unit_codes: list[str]
    seconds: float


def seed_staff(employees: int) -> Seeded:
    """Django set up on the child's fresh database, with ``employees`` staff in 20 units."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from codi.finance import ledger
    from codi.identity.models import OrgUnit, RoleAssignment, User
    from codi.people import demo, importing

    ledger.chart_load(actor=None)
    ledger.fiscal_year_ensure(actor=None, year_be=2570)
    hr = User.objects.create(username="bench-hr")
    approver = User.objects.create(username="bench-approver")
    RoleAssignment.objects.create(user=hr, role="hr_officer", scope_level="country", scope_code="")
    RoleAssignment.objects.create(user=approver, role="executive", scope_level="country", scope_code="")
    codes = [OrgUnit.objects.create(code=f"B-{i:02d}", name_th=f"หน่วย {i}").code for i in range(UNITS)]
    started = time.perf_counter()
    report = importing.employee_rows_apply(
        actor=None, rows=demo.employee_rows(employees, codes, prefix="B"), source="bench"
    )
    assert report.written and not report.errors, report.errors[:3]
    return Seeded(hr, approver, codes, time.perf_counter() - started)


def on_databases(name: str, worker: Callable[[dict[str, str]], dict[str, Any]]) -> dict[str, Any]:
    """``worker(env)`` on SQLite, then on PostgreSQL when ``DATABASE_URL`` names a server."""
    databases: dict[str, Any] = {}
    with common.temp_dir(name) as tmp:
        databases["sqlite"] = worker(common.fresh_env(Path(tmp)))
        url = os.environ.get("DATABASE_URL", "")
        if url.startswith("postgres"):
            databases["postgresql"] = common.with_postgres_database(url, Path(tmp), worker)
    return databases


def child(module: str, option: str, count: int, env: dict[str, str], *, timeout: float) -> dict[str, Any]:
    """Run ``python -m MODULE --worker --OPTION COUNT`` and return its JSON line."""
    output = common.run_child(["-m", module, "--worker", f"--{option}", str(count)], env, timeout=timeout)
    return common.last_json_line(output)


def result(
    name: str, *, started: float, load_at_start: float, setup: dict[str, Any], databases: dict[str, Any],
    goal: str,
) -> dict[str, Any]:  # fmt: skip
    return {
        "benchmark": name,
        "machine": common.machine_info("+".join(databases), load_at_start=load_at_start),
        "setup": setup,
        "databases": databases,
        "goal": goal,
        "goal_met": all(d["goal_met"] for d in databases.values()),
        "elapsed_s": round(time.monotonic() - started, 1),
    }


def main(
    module: Any, option: str, default: int, worker: Callable[[int], dict[str, Any]], set_count: Callable[[int], None]
) -> None:  # fmt: skip
    """``--worker``: print the worker's JSON for N; else run the benchmark and save its result."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", action="store_true")
    parser.add_argument(f"--{option}", type=int, default=default)
    args = parser.parse_args()
    count = getattr(args, option)
    if args.worker:
        print(json.dumps(worker(count)))
        return
    set_count(count)
    outcome = module.run()
    path = common.write_result(module.NAME, outcome)
    print(module.summary(outcome))
    print(f"   goal met: {'yes' if outcome['goal_met'] else 'NO'}; {path.relative_to(common.REPO)}")
