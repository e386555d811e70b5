"""The KPI registry: each KPI of the digital action plan with its Thai name, unit, direction, targets
per fiscal year (B.E.) and the source that computes its actual value.

A source reads only the owning app's public selectors (``codi.insights.eis.sources``), never its
tables, as the viewing person, and returns one ``Fact`` per area code: a subdistrict (6 digits),
district (4), province (2), CODI region code, or ``""`` (belongs to no area; country-wide only).
A KPI may also have a ``mart_source`` reading the same figures from the analytics store (DuckDB
over the Parquet marts, filtered by the viewer's provinces); the board uses it when its marts have
been built and falls back to the operational source otherwise. Ratios are kept as a
numerator and a denominator so that provinces add up to their region and the country exactly.
A source that cannot answer raises ``NoDataError`` with the reason shown on the board.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise

ZERO = Decimal("0")


class NoDataError(Exception):
    """The KPI's source is missing or empty; ``str(exc)`` is the reason shown to the viewer."""


@dataclass
class Fact:
    """A KPI's figures in one area: ``value`` = numerator / denominator × 100 for a percentage,
    the numerator itself for a count."""

    numerator: Decimal = ZERO
    denominator: Decimal = ZERO

    def add(self, other: Fact) -> None:
        self.numerator += other.numerator
        self.denominator += other.denominator


Source = Callable[[Any, int], dict[str, Fact]]  # (viewer, fiscal year B.E.) → area code → Fact
# The same figures from the analytics store: (the viewer's provinces or None, fiscal year) → area code → Fact
MartSourceFn = Callable[[frozenset[str] | None, int], dict[str, Fact]]


@dataclass(frozen=True)
class Record:
    """One source record behind a KPI in a subdistrict, linking to its own page."""

    label: str
    url: str
    value: Decimal | None = None


RecordsFn = Callable[[frozenset[str] | None, int, str], list[Record]]  # (provinces, year, subdistrict)


@dataclass(frozen=True)
class Kpi:
    key: str
    name: str | Promise  # English msgid; Thai in scripts/th/eis.py
    unit: str  # "percent" or "count"
    source: Source
    targets: dict[int, Decimal] = field(default_factory=dict)
    higher_is_better: bool = True
    owner: str = ""  # the owning module (codi_labels MODULES key)
    # From the analytics store: the marts it reads and the query; None keeps the operational source.
    mart_source: MartSourceFn | None = None
    marts: tuple[str, ...] = ()
    records: RecordsFn | None = None  # the records of a subdistrict (from the marts)
    definition: str | Promise = ""  # how the actual value is counted, shown on the KPI page
    area_note: str | Promise = ""  # why the drill-down stops where it does, shown on the KPI page

    def value(self, fact: Fact) -> Decimal | None:
        if self.unit == "percent":
            if fact.denominator <= 0:
                return None
            return (fact.numerator * 100 / fact.denominator).quantize(Decimal("0.01"))
        return fact.numerator

    def target(self, fiscal_year: int) -> Decimal | None:
        """The target of the year, or the latest earlier one (a plan's target holds until changed)."""
        years = [y for y in self.targets if y <= fiscal_year]
        return self.targets[max(years)] if years else None


_REGISTRY: dict[str, Kpi] = {}


def kpi_register(kpi: Kpi) -> None:
    """Register a KPI (idempotent by key: registering again replaces it)."""
    if kpi.unit not in ("percent", "count"):
        raise ValueError(f"unknown unit {kpi.unit!r}")
    _REGISTRY[kpi.key] = kpi


def kpi_list() -> list[Kpi]:
    return list(_REGISTRY.values())


def kpi_get(key: str) -> Kpi | None:
    return _REGISTRY.get(key)
