"""What an app hands the analytics store: the shape of one mart's source (issue 24, item 1).

Each app that owns a fact keeps a read-only ``marts.py`` with a module-level ``MARTS`` list of
``MartSource``. The app reads only its own tables there (the way ``audit_feed.py`` and
``gis_feed.py`` do); ``mart_sources()`` imports every installed app's ``marts`` module by name
(as the data catalog reads each ``catalog.py``), so no app imports insights and insights imports
no app's models. The types live here, in core, because the store (``codi.insights.marts``) and the
data catalog's lineage page (``codi.governance``) both need them.

``rows(after)`` yields tuples in ``columns`` order. ``after`` is ``None`` for a full extract, else
the last watermark value seen: the rows added since then. A source with ``watermark="id"`` is
append-only (journal lines are never changed after posting, a disbursement is paid once), so new
rows are appended as a new Parquet part. A source with ``watermark=""`` is mutable (budget lines,
loans, instalments being paid, tickets moving through their states) and is rebuilt whole, but only
when its ``fingerprint()`` (a cheap aggregate: count, largest id, sums of what changes) differs
from the one recorded at the last refresh; without a fingerprint it is rebuilt every time.

Area columns use the DOPA codes (``province`` 2 digits, ``district`` 4, ``subdistrict`` 6), so the
store filters a person's rows by their provinces; a mart with no ``province`` column is shown only
to country-wide holders of the insights right.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps as global_apps
from django.db.models import Count, Max

# Column types the store knows: money is "decimal" (satang precision, never float).
COLUMN_TYPES = ("int", "str", "decimal", "date", "datetime", "bool", "float")


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    source: str  # lineage: "app_label.Model.field" or "app_label.Model.field via relation"
    description: str = ""


@dataclass(frozen=True)
class MartSource:
    """One fact or dimension table of the store, extracted by the app that owns its rows."""

    name: str  # the mart's name in the store and its URLs: "ledger_lines"
    title_en: str
    app_label: str
    selector: str  # the function that reads it, for the lineage: "codi.finance.marts.ledger_lines"
    columns: tuple[Column, ...]
    rows: Callable[[Any], Iterable[tuple[Any, ...]]]
    key: str = "id"  # unique per row
    watermark: str = ""  # "" (rebuilt whole when changed), or "id" (append-only: new rows appended)
    date_column: str = ""  # gives the fiscal year, quarter and month (B.E.)
    measures: tuple[str, ...] = ()  # numeric columns that totals() sums
    fingerprint: Callable[[], str] | None = None  # for a mutable source: changes when its rows change
    kind: str = "fact"  # "fact" or "dimension"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def __post_init__(self) -> None:
        names = self.column_names
        bad = [c.type for c in self.columns if c.type not in COLUMN_TYPES]
        if bad or len(set(names)) != len(names):
            raise ValueError(f"mart {self.name}: unknown column types {bad} or duplicate columns")
        for wanted in (self.key, self.watermark, self.date_column, *self.measures):
            if wanted and wanted not in names:
                raise ValueError(f"mart {self.name}: {wanted} is not one of its columns")


DERIVED_DISTRICT = Column("district", "str", "derived: first 4 digits of subdistrict (DOPA code)")
DERIVED_PROVINCE = Column("province", "str", "derived: first 2 digits of subdistrict (DOPA code)")
DERIVED_REGION = Column("region", "str", "derived: areas.Province.region of province")


def _fiscal_columns(date_column: str) -> tuple[Column, ...]:
    rule = f"derived: {date_column}"
    return (
        Column("fiscal_year", "int", f"{rule}, Thai fiscal year in B.E. (October to September)"),
        Column("fiscal_quarter", "int", f"{rule}, fiscal quarter 1-4 (Q1 = October-December)"),
        Column("fiscal_month", "int", f"{rule}, fiscal month 1-12 (1 = October)"),
    )


def derived_columns(src: MartSource) -> tuple[Column, ...]:
    names = set(src.column_names)
    extra: list[Column] = []
    if "subdistrict" in names and "province" not in names:
        if "district" not in names:
            extra.append(DERIVED_DISTRICT)
        extra.append(DERIVED_PROVINCE)
        names.add("province")
    if "province" in names and "region" not in names:
        extra.append(DERIVED_REGION)
    if src.date_column and "fiscal_year" not in names:
        extra.extend(_fiscal_columns(src.date_column))
    return tuple(extra)


def all_columns(src: MartSource) -> tuple[Column, ...]:
    """The mart's columns as stored: the source's, then the conformed dimensions the store adds."""
    return src.columns + derived_columns(src)


def mart_sources() -> list[MartSource]:
    """Every installed CODI app's ``MARTS``, in INSTALLED_APPS order (``<app>.marts`` by name)."""
    found: list[MartSource] = []
    for config in global_apps.get_app_configs():
        if not config.name.startswith("codi."):
            continue
        module_name = f"{config.name}.marts"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue
            raise
        found.extend(s for s in getattr(module, "MARTS", ()) if isinstance(s, MartSource))
    names = [s.name for s in found]
    if len(set(names)) != len(names):
        raise ValueError(f"two apps declare the same mart name: {sorted(names)}")
    return found


# A mart's column spec as the apps write it: (name, type, lineage source, model field or "").
ColumnSpec = tuple[tuple[str, str, str, str], ...]


def columns_of(spec: ColumnSpec) -> tuple[Column, ...]:
    """The ``Column`` list of a spec (the model field is the app's own business, for its query)."""
    return tuple(Column(name, kind, source) for name, kind, source, _field in spec)


def fingerprint(queryset: Any, *extra: object, **aggregates: Any) -> str:
    """A mutable source's change marker: its row count, largest id, the given aggregates (sums of
    the amounts that change) and any ``extra`` values, as one string compared between refreshes."""
    agg = queryset.aggregate(n=Count("id"), top=Max("id"), **aggregates)
    return ":".join(str(value) for value in [*agg.values(), *extra])
