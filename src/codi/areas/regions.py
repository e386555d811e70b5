"""CODI's default regions and which provinces each covers.

A documented starting point, grouped by DOPA province code the way CODI's
regional offices divide the country (Bangkok and its five neighbouring
provinces form one region). System admins can move a province later.
"""

from __future__ import annotations

REGIONS: list[tuple[str, str, str]] = [
    ("bangkok", "กรุงเทพมหานครและปริมณฑล", "Bangkok and vicinity"),
    ("central_west", "ภาคกลางและตะวันตก", "Central and West"),
    ("east", "ภาคตะวันออก", "East"),
    ("northeast", "ภาคตะวันออกเฉียงเหนือ", "Northeast"),
    ("north", "ภาคเหนือ", "North"),
    ("south", "ภาคใต้", "South"),
]

_BANGKOK_AND_VICINITY = {"10", "11", "12", "13", "73", "74"}


def default_region_for(province_code: str) -> str:
    if province_code in _BANGKOK_AND_VICINITY:
        return "bangkok"
    first = province_code[0]
    if first == "1" or first == "7":
        return "central_west"
    if first == "2":
        return "east"
    if first in {"3", "4"}:
        return "northeast"
    if first in {"5", "6"}:
        return "north"
    return "south"
