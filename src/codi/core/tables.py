"""Server-side ordering of list pages from a whitelisted ``?sort=`` parameter.

``?sort=title`` orders by the column named ``title`` ascending, ``?sort=-title`` descending. Only
the keys a page declares are accepted; anything else falls back to the page's default, so a
hand-edited address never reaches the database as a field name. The column headers that set the
parameter are drawn by the ``sort_header`` tag (``codi.web.templatetags.codi_tables``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import QuerySet

M = TypeVar("M", bound=Any)


@dataclass(frozen=True)
class Sort:
    key: str
    descending: bool

    @property
    def param(self) -> str:
        return f"-{self.key}" if self.descending else self.key


def sort_choice(value: str | None, columns: Mapping[str, Sequence[str]], default: str) -> Sort:
    """The ordering asked for, if the page offers it; else ``default`` (itself ``key`` or ``-key``)."""
    raw = (value or "").strip()[:40]
    key = raw.removeprefix("-")
    if key not in columns:
        return Sort(default.removeprefix("-"), default.startswith("-"))
    return Sort(key, raw.startswith("-"))


def sort_queryset(
    queryset: QuerySet[M], value: str | None, columns: Mapping[str, Sequence[str]], default: str
) -> tuple[QuerySet[M], Sort]:
    """``queryset`` ordered by the chosen column (its fields in turn), the primary key last for a stable page."""
    sort = sort_choice(value, columns, default)
    fields = [f"-{f}" if sort.descending else f for f in columns[sort.key]]
    return queryset.order_by(*fields, "-pk" if sort.descending else "pk"), sort
