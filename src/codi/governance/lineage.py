"""Lineage of the analytics store: where each column of each mart comes from.

Read from the apps' ``marts.py`` (``codi.core.marts.mart_sources``), as the catalog reads their
``catalog.py``: each column names its source as ``app_label.Model.field`` (``… via relation`` when it
is read through a foreign key), or ``derived: …`` for the dimensions the store adds (province from
the subdistrict code, region from the province, B.E. fiscal year, quarter and month from a date).
``lineage_problems()`` lists a source that names no catalogued dataset or field, so the lineage
cannot drift from the code (``tests/insights/test_marts_lineage.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.apps import apps as global_apps
from django.core.exceptions import FieldDoesNotExist

from codi.core.marts import MartSource, all_columns, derived_columns, mart_sources

_SOURCE = re.compile(r"^(?P<app>[a-z_]+)\.(?P<model>[A-Z][A-Za-z]+)\.(?P<field>[a-z_]+)")


@dataclass(frozen=True)
class ColumnLineage:
    name: str
    type: str
    source: str
    dataset: str  # "finance.JournalLine" (links to the catalog entry), "" when derived
    derived: bool


@dataclass(frozen=True)
class MartLineage:
    name: str
    title_en: str
    app_label: str
    selector: str
    kind: str
    refresh: str  # "append" or "rebuild"
    columns: list[ColumnLineage]


def _dataset(source: str) -> str:
    match = _SOURCE.match(source)
    return f"{match['app']}.{match['model']}" if match else ""


def _lineage(src: MartSource) -> MartLineage:
    derived = set(derived_columns(src))
    columns = [
        ColumnLineage(c.name, c.type, c.source, "" if c in derived else _dataset(c.source), c in derived)
        for c in all_columns(src)
    ]
    return MartLineage(src.name, src.title_en, src.app_label, src.selector, src.kind,
                       "append" if src.watermark else "rebuild", columns)  # fmt: skip


def mart_lineage() -> list[MartLineage]:
    return [_lineage(s) for s in mart_sources()]


def lineage_problems() -> list[str]:
    """Columns whose source names no model or no field of it."""
    problems: list[str] = []
    for mart in mart_lineage():
        for col in mart.columns:
            if col.derived:
                continue
            match = _SOURCE.match(col.source)
            if match is None:
                problems.append(f"{mart.name}.{col.name}: source {col.source!r} names no app.Model.field")
                continue
            try:
                model = global_apps.get_model(match["app"], match["model"])
                model._meta.get_field(match["field"])
            except (LookupError, FieldDoesNotExist):
                problems.append(f"{mart.name}.{col.name}: {col.source!r} is not a field of the code")
    return problems
