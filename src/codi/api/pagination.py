"""Page-number pagination that reports the total, as lists in the UI do.

The page is read first; the total needs no second query when the page is the last one
(fewer rows than the page size, and not past the end): it is the rows before the page plus
the rows on it. Only a full page (or one past the end) asks the database to count.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
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
        if isinstance(queryset, QuerySet):
            items, count = page_slice(queryset, page=pagination.page, page_size=pagination.page_size)
        else:
            start = (pagination.page - 1) * pagination.page_size
            items, count = list(queryset[start : start + pagination.page_size]), len(queryset)
        return {"items": items, "count": count, "page": pagination.page, "page_size": pagination.page_size}


def page_slice(queryset: QuerySet, *, page: int, page_size: int) -> tuple[list[Any], int]:
    """The rows of one page and the total, with the same rule as ``Pages`` (no count on the last page)."""
    start = (page - 1) * page_size
    items = list(queryset[start : start + page_size])
    if len(items) < page_size and (items or start == 0):
        return items, start + len(items)
    return items, queryset.count()


def _json_default(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def json_page(items: list[dict[str, Any]], *, count: int, page: int, page_size: int) -> HttpResponse:
    """A page written straight from ``.values()`` rows: the body ``Pages`` gives, without building a
    schema object per row (django-ninja's per-field getters were most of a 50-row list's CPU).

    The endpoint still declares its response schema for the OpenAPI document; a test compares
    the two bodies so the fast path cannot drift from the schema.
    """
    body = json.dumps(
        {"items": items, "count": count, "page": page, "page_size": page_size},
        default=_json_default,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return HttpResponse(body.encode(), content_type="application/json; charset=utf-8")
