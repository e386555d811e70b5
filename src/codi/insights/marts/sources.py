"""The satisfaction survey's answers as a mart (read-only; only the insights app's own table).

One row per answer: module, fiscal quarter, score and whether it counts as satisfied (4 or 5);
no comment text and no person. Rebuilt when the count or the largest id changes (answers are
never edited). See ``codi.core.marts``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from codi.core.marts import Column, MartSource, fingerprint
from codi.insights.models import SatisfactionResponse

_COLUMNS = (
    Column("id", "int", "insights.SatisfactionResponse.id"),
    Column("answered_on", "date", "insights.SatisfactionResponse.created_at (date in Thailand)"),
    Column("module", "str", "insights.SatisfactionResponse.module"),
    Column("quarter", "str", "insights.SatisfactionResponse.quarter"),
    Column("score", "int", "insights.SatisfactionResponse.score"),
    Column("satisfied", "int", "insights.SatisfactionResponse.score is 4 or 5 (1, else 0)"),
    Column("anonymous", "bool", "insights.SatisfactionResponse.anonymous"),
)


def satisfaction(after: Any) -> Iterator[tuple[Any, ...]]:
    fields = ("id", "created_at", "module", "quarter", "score", "anonymous")
    for pk, at, module, quarter, score, anonymous in (
        SatisfactionResponse.objects.order_by("id").values_list(*fields).iterator(chunk_size=5000)
    ):
        yield (pk, timezone.localdate(at), module, quarter, score, 1 if score >= 4 else 0, anonymous)


def satisfaction_fingerprint() -> str:
    return fingerprint(SatisfactionResponse.objects)


MARTS = [
    MartSource(
        name="satisfaction",
        title_en="Satisfaction survey answers",
        app_label="insights",
        selector="codi.insights.marts.sources.satisfaction",
        columns=_COLUMNS,
        rows=satisfaction,
        date_column="answered_on",
        measures=("score", "satisfied"),
        fingerprint=satisfaction_fingerprint,
    ),
]
