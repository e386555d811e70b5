"""API: feedback tickets in the caller's areas (text with personal data masked), status changes,
statistics, and the Thai text classifier for analysts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from codi.api.kit import ERRORS, Pages, need
from codi.feedback import nlp, selectors, services
from codi.feedback.models import Ticket, Topic
from codi.identity.roles import Perm

router = Router(tags=["feedback"])


class TicketOut(Schema):
    id: int
    reference: str | None
    status: str
    category: str
    topic: str
    sentiment: str
    is_urgent: bool
    channel: str
    subdistrict_code: str | None = Field(None, alias="subdistrict_id")
    region_code: str | None = Field(None, alias="region_id")
    assigned_to_id: int | None
    text_masked: str = Field(
        ..., description="the report with national IDs, phone numbers and e-mails masked"
    )
    created_at: datetime
    acknowledge_due_at: datetime | None
    resolve_due_at: datetime | None
    escalation_level: int
    cluster_id: int | None

    @staticmethod
    def resolve_text_masked(obj: Ticket) -> str:
        return nlp.mask_personal_data(obj.text)


class TransitionIn(Schema):
    to_status: str = Field(..., pattern=r"^(new|triaged|assigned|in_progress|resolved|closed)$")
    note: str = Field("", max_length=2000)
    assignee_id: int | None = None


class ClassifyIn(Schema):
    texts: list[str] = Field(..., max_length=500)


class ClassifyOut(Schema):
    sentiment: str
    sentiment_confidence: float
    topic: str
    topic_confidence: float
    is_urgent: bool
    has_personal_data: bool


def _need(request: HttpRequest, perm: str) -> None:
    need(request, perm)


@router.get(
    "/tickets", response={200: list[TicketOut], **ERRORS}, summary="Feedback tickets in the caller's areas"
)
@paginate(Pages)
def ticket_list(
    request: HttpRequest,
    area: str = Query("", pattern=r"^(\d{2}|\d{4}|\d{6})?$"),
    status: str = Query("", pattern=r"^(new|triaged|assigned|in_progress|resolved|closed)?$"),
    topic: str = Query("", max_length=30),
    sentiment: str = Query("", pattern=r"^(pos|neu|neg|q)?$"),
    urgent: bool = False,
) -> QuerySet[Ticket]:
    _need(request, Perm.FEEDBACK_VIEW)
    filters = selectors.TicketFilters(
        area=area,
        status=status,
        topic=topic if topic in Topic.values else "",
        sentiment=sentiment,
        is_urgent=urgent,
    )
    return selectors.ticket_list(user=request.user, filters=filters)


@router.get("/tickets/{ticket_id}", response={200: TicketOut, **ERRORS}, summary="One ticket")
def ticket_detail(request: HttpRequest, ticket_id: int) -> Ticket:
    _need(request, Perm.FEEDBACK_VIEW)
    ticket = selectors.ticket_get(user=request.user, ticket_id=ticket_id)
    if ticket is None:
        raise HttpError(404, "not found")
    return ticket


@router.post(
    "/tickets/{ticket_id}/transition",
    response={200: TicketOut, **ERRORS},
    summary="Move a ticket along its status flow",
)
def ticket_transition(request: HttpRequest, ticket_id: int, body: TransitionIn) -> Ticket:
    _need(request, Perm.FEEDBACK_MANAGE)
    if selectors.ticket_get(user=request.user, ticket_id=ticket_id) is None:
        raise HttpError(404, "not found")
    return services.ticket_transition(
        actor=request.user,  # type: ignore[arg-type]
        ticket_id=ticket_id,
        to_status=body.to_status,
        note=body.note,
        assignee_id=body.assignee_id,
    )


@router.get(
    "/stats",
    response={200: dict[str, Any], **ERRORS},
    summary="Volumes by topic, sentiment, area, month; SLA by region",
)
def stats(request: HttpRequest, area: str = Query("", pattern=r"^(\d{2}|\d{4}|\d{6})?$")) -> dict[str, Any]:
    _need(request, Perm.FEEDBACK_VIEW)
    data = selectors.ticket_stats(user=request.user, area=area)
    data["by_month"] = [[m.date().isoformat() if m else "", n] for m, n in data["by_month"]]
    return data


@router.post(
    "/classify",
    response={200: list[ClassifyOut], **ERRORS},
    summary="Sentiment, topic and urgency of Thai texts",
)
def classify(request: HttpRequest, body: ClassifyIn) -> list[ClassifyOut]:
    _need(request, Perm.FEEDBACK_VIEW)
    texts = [t[:5000] for t in body.texts]
    return [
        ClassifyOut(
            sentiment=a.sentiment,
            sentiment_confidence=round(a.sentiment_confidence, 4),
            topic=a.topic,
            topic_confidence=round(a.topic_confidence, 4),
            is_urgent=a.is_urgent,
            has_personal_data=a.has_personal_data,
        )
        for a in nlp.analyse_many(texts)
    ]
