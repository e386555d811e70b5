"""Page-number pagination that reports the total, as lists in the UI do.

The page is read first; the total needs no second query when the page is the last one
(fewer rows than the page size, and not past the end): it is the rows before the page plus
the rows on it. Only a full page (or one past the end) asks the database to count.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase


class Pages(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1, le=100_000)
        page_size: int = Field(50, ge=1, le=200)

    class Output(Schema):
        items: list[Any]
        count: int
        page: int
        page_size: int

    def paginate_queryset(
        self, queryset: QuerySet, pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        start = (pagination.page - 1) * pagination.page_size
        items = list(queryset[start : start + pagination.page_size])
        if len(items) < pagination.page_size and (items or start == 0):
            count = start + len(items)  # the last page: nothing after it
        else:
            count = queryset.count() if isinstance(queryset, QuerySet) else len(queryset)
        return {"items": items, "count": count, "page": pagination.page, "page_size": pagination.page_size}
