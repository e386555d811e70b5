"""Shared API schemas."""

from __future__ import annotations

from ninja import Schema


class Problem(Schema):
    type: str
    title: str
    title_en: str
    status: int
    detail: str
    detail_en: str


ERRORS: dict[int, type[Schema]] = {
    400: Problem,
    401: Problem,
    403: Problem,
    404: Problem,
    422: Problem,
    429: Problem,
}
