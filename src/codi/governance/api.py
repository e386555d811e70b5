"""API of data governance: the data catalog, quality scores and the AI register (read-only)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Router, Schema

from codi.api.kit import ERRORS
from codi.governance import selectors
from codi.governance.catalog import DatasetEntry

router = Router(tags=["governance"])


class FieldOut(Schema):
    name: str
    name_th: str
    name_en: str
    description: str
    data_type: str
    personal: str
    classification: str


class DatasetOut(Schema):
    label: str
    app_label: str
    model_name: str
    db_table: str
    name_th: str
    name_en: str
    description: str
    owner_unit: str
    steward: str
    classification: str
    classification_th: str
    lawful_basis: str
    source: str
    update_frequency: str
    retention: str
    personal: bool
    fields: list[FieldOut]


class ScoreOut(Schema):
    dataset: str
    score: Decimal
    checked: int
    failed: int
    measured_at: datetime


class AIModelOut(Schema):
    key: str
    version: str
    name_th: str
    name_en: str
    kind: str
    purpose: str
    feature: str
    owner_unit: str
    training_data: str
    evaluation: dict[str, str]
    risk_level: str
    human_oversight: str
    last_reviewed_on: date


def _need_view(request: HttpRequest) -> None:
    if not selectors.can_view(request.user):
        raise PermissionDenied


def _dataset(entry: DatasetEntry) -> DatasetOut:
    return DatasetOut(
        label=entry.label,
        app_label=entry.app_label,
        model_name=entry.model_name,
        db_table=entry.db_table,
        name_th=entry.name_th,
        name_en=entry.name_en,
        description=entry.description,
        owner_unit=entry.owner_unit,
        steward=entry.steward,
        classification=entry.classification,
        classification_th=entry.classification_th,
        lawful_basis=entry.lawful_basis,
        source=entry.source,
        update_frequency=entry.update_frequency,
        retention=entry.retention,
        personal=entry.personal,
        fields=[FieldOut(**f.__dict__) for f in entry.fields],
    )


@router.get("/catalog", response={200: list[DatasetOut], **ERRORS})
def catalog(
    request: HttpRequest, q: str = "", app: str = "", classification: str = "", personal: str = ""
) -> list[DatasetOut]:
    """The data catalog: every dataset of the platform with its fields (filters as on the page)."""
    _need_view(request)
    entries = selectors.catalog_search(
        actor=request.user, query=q, app_label=app, classification=classification, personal=personal
    )
    return [_dataset(e) for e in entries]


@router.get("/catalog/{label}", response={200: DatasetOut, **ERRORS})
def catalog_dataset(request: HttpRequest, label: str) -> DatasetOut:
    _need_view(request)
    entry = selectors.catalog_dataset(actor=request.user, label=label)
    if entry is None:
        raise Http404
    return _dataset(entry)


@router.get("/quality/scores", response={200: list[ScoreOut], **ERRORS})
def quality_scores(request: HttpRequest) -> list[ScoreOut]:
    """Each dataset's latest data-quality score."""
    _need_view(request)
    return [
        ScoreOut(
            dataset=d.dataset,
            score=d.latest.score,
            checked=d.latest.checked,
            failed=d.latest.failed,
            measured_at=d.latest.measured_at,
        )
        for d in selectors.quality_overview(actor=request.user, history=1)
    ]


@router.get("/ai/models", response={200: list[AIModelOut], **ERRORS})
def ai_models(request: HttpRequest) -> list[AIModelOut]:
    """The AI governance register."""
    _need_view(request)
    return [
        AIModelOut(
            key=m.card.key,
            version=m.card.version,
            name_th=m.card.name_th,
            name_en=m.card.name_en,
            kind=m.card.kind,
            purpose=m.card.purpose,
            feature=m.card.feature,
            owner_unit=m.card.owner_unit,
            training_data=m.card.training_data,
            evaluation=m.card.evaluation,
            risk_level=m.card.risk_level,
            human_oversight=m.card.human_oversight,
            last_reviewed_on=m.last_reviewed_on,
        )
        for m in selectors.ai_models(actor=request.user)
    ]
