"""governance_duplicates: duplicate-organization detection over a synthetic registry (no database).

20,000 organizations with Thai names built from common village words and kind prefixes, spread
over 1,500 subdistricts (about 13 each, like a large real registry). Figures:

* ``detect_s``: ``codi.governance.masterdata.find_duplicates`` (one analysed SequenceMatcher per
  name, length bound and quick ratios before the full ratio);
* ``baseline_s``: the plain approach measured in the same run on the same data — a new
  ``SequenceMatcher(...).ratio()`` for every pair of normalised names in a subdistrict;
* ``speedup``: baseline / detect; the pairs found must be the same (``same_pairs``).

No goal in the issue; the page caches the result, this measures a cold computation.
"""

from __future__ import annotations

import random
import time
from difflib import SequenceMatcher
from itertools import combinations
from typing import Any

from bench import common

NAME = "governance_duplicates"
ORGANIZATIONS = 20_000
SUBDISTRICTS = 1_500

_PREFIXES = ["กลุ่มออมทรัพย์", "ชุมชน", "วิสาหกิจชุมชน", "กองทุนสวัสดิการชุมชนตำบล", "สหกรณ์เคหสถานบ้านมั่นคง", ""]
_WORDS = [
    "บ้าน",
    "หนอง",
    "โนน",
    "ทอง",
    "แวง",
    "ใต้",
    "เหนือ",
    "ดอน",
    "สวรรค์",
    "คำ",
    "ป่า",
    "นา",
    "ไผ่",
    "หัว",
    "ช้าง",
]


def _records() -> list[Any]:
    from codi.governance.masterdata import OrgRecord

    rng = random.Random(2569)
    return [
        OrgRecord(
            i,
            rng.choice(_PREFIXES) + "".join(rng.choice(_WORDS) for _ in range(3)),
            str(400100 + rng.randrange(SUBDISTRICTS)),
            "community_org",
            "",
        )
        for i in range(1, ORGANIZATIONS + 1)
    ]


def _baseline(records: list[Any], threshold: float) -> set[tuple[int, int]]:
    from codi.governance.masterdata import MIN_CORE_CHARS, _kinds_compatible, name_core

    by_area: dict[str, list[tuple[Any, str, str]]] = {}
    for r in sorted(records, key=lambda r: r.id):
        core, kind = name_core(r.name_th)
        by_area.setdefault(r.subdistrict_id, []).append((r, core, kind))
    found = set()
    for group in by_area.values():
        for (a, ca, ka), (b, cb, kb) in combinations(group, 2):
            if not ca or not cb or not _kinds_compatible(a, ka, b, kb):
                continue
            if ca == cb or (
                min(len(ca), len(cb)) >= MIN_CORE_CHARS
                and SequenceMatcher(None, cb, ca, autojunk=False).ratio() >= threshold
            ):
                found.add((a.id, b.id))
    return found


def run() -> dict[str, Any]:
    from codi.governance.masterdata import NAME_SIMILARITY, find_duplicates

    load = common.load_average()
    records = _records()
    started = time.perf_counter()
    pairs = find_duplicates(records)
    detect_s = time.perf_counter() - started
    started = time.perf_counter()
    baseline = _baseline(records, NAME_SIMILARITY)
    baseline_s = time.perf_counter() - started
    return {
        "organizations": ORGANIZATIONS,
        "subdistricts": SUBDISTRICTS,
        "pairs_found": len(pairs),
        "same_pairs": {p.key for p in pairs} == baseline,
        "detect_s": round(detect_s, 3),
        "baseline_s": round(baseline_s, 3),
        "speedup": round(baseline_s / detect_s, 2) if detect_s else None,
        "goal_met": True,
        "machine": common.machine_info("none", load_at_start=load),
    }


def summary(result: dict[str, Any]) -> str:
    return (
        f"{result['organizations']:,} organizations: {result['pairs_found']} likely duplicate pairs in "
        f"{result['detect_s']} s (plain pairwise ratio {result['baseline_s']} s, "
        f"{result['speedup']}x; same pairs: {result['same_pairs']})"
    )
