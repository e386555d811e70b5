"""Every app that adds accounts to finance's chart must not give an existing code a second meaning.

People, lending and procurement each load their own accounts into the one chart (ledger.chart_load
upserts by code); a code reused with another name would post payroll into, say, output VAT.
"""

from __future__ import annotations

import csv
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "codi"


def _chart_files() -> list[Path]:
    files = sorted(SRC.glob("*/data/*account*.csv"))
    assert SRC / "finance" / "data" / "chart_of_accounts.csv" in files
    return files


def test_no_account_code_has_two_meanings():
    seen: dict[str, tuple[str, str, Path]] = {}
    clashes = []
    for path in _chart_files():
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                code, name, kind = row["code"].strip(), row["name_en"].strip(), row["type"].strip()
                if code in seen and (seen[code][0].lower(), seen[code][1]) != (name.lower(), kind):
                    clashes.append(
                        f"{code}: {seen[code][0]} ({seen[code][2].parent.parent.name}) vs {name} ({path.parent.parent.name})"
                    )
                seen.setdefault(code, (name, kind, path))
    assert not clashes, clashes
