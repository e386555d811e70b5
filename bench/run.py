"""Run the benchmarks: ``python -m bench.run [NAME ...]`` (``make bench`` runs them all).

Each benchmark writes ``bench/results/<name>.json`` with its figures, the goals
from the issue with ``goal_met`` flags, and the machine it ran on. A missed goal
is reported, not an error: the run exits 0 unless a benchmark itself fails.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import time
import traceback
from pathlib import Path
from types import ModuleType

from bench import common

# Modules under bench/ that are helpers, not benchmarks. Every other module is a benchmark when it
# defines NAME, run() -> dict (the JSON written to bench/results/NAME.json, with "goal_met") and
# summary(result) -> str; adding one needs no change here.
HELPERS = {
    "run",
    "common",
    "loadgen",
    "seed",
    "settings",
    "bare_urls",
    "finance_seed",
    "drill",
    "drill_failures",
    "drill_tasks",
    "drill_work",
    "people_seed",
}
FIRST = ["api_overhead", "audit_write"]


def discover() -> tuple[dict[str, ModuleType], list[str]]:
    """The benchmark modules, api_overhead and audit_write first; and those that failed to import."""
    names = [m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.name not in HELPERS]
    names.sort(key=lambda n: (FIRST.index(n) if n in FIRST else len(FIRST), n))
    found: dict[str, ModuleType] = {}
    broken: list[str] = []
    for name in names:
        try:
            module = importlib.import_module(f"bench.{name}")
        except Exception:  # a module being written must not stop the others
            traceback.print_exc()
            broken.append(name)
            continue
        if all(hasattr(module, attr) for attr in ("NAME", "run", "summary")):
            found[module.NAME] = module
    return found, broken


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument(
        "names",
        nargs="*",
        metavar="NAME",
        help="benchmarks to run (default: all)",
    )
    args = parser.parse_args(argv)
    benchmarks, broken = discover()
    unknown = [n for n in args.names if n not in benchmarks]
    if unknown:
        parser.error(f"unknown or broken benchmark(s): {', '.join(unknown)}; known: {', '.join(benchmarks)}")
    failed = [] if args.names else broken
    for name in args.names or list(benchmarks):
        print(f"== {name}", flush=True)
        started = time.monotonic()
        try:
            result = benchmarks[name].run()
        except Exception:  # one broken benchmark must not hide the others' results
            traceback.print_exc()
            failed.append(name)
            continue
        path = common.write_result(name, result)
        print(benchmarks[name].summary(result))
        print(
            f"   goal met: {'yes' if result['goal_met'] else 'NO'}; {time.monotonic() - started:.0f} s; {path.relative_to(common.REPO)}",
            flush=True,
        )
    if failed:
        print(f"benchmarks that could not run: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
