"""API: the law assistant (ask, feedback, conversations) and statute sections in context."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict

from codi.api.kit import ERRORS
from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm
from codi.knowledge import selectors, services
from codi.knowledge.assistant import MAX_QUESTION_CHARS, citation_label
from codi.knowledge.models import SECTION_SOURCE, FeedbackKind, Turn
from codi.search.selectors import index_progress

router = Router(tags=["knowledge"])


NO_NUL = r"^[^\x00]*$"  # the server refuses NUL in any body (400); the schema says so


class AskIn(Schema):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(
        ...,
        pattern=NO_NUL,
        max_length=MAX_QUESTION_CHARS * 5,
        description=f"Thai or English, at most {MAX_QUESTION_CHARS} characters",
    )
    conversation_id: int | None = Field(None, ge=1, le=2**63 - 1)


class SentenceOut(Schema):
    text: str
    answers: bool = Field(..., description="true for the sentences that answer the question (highlighted)")
    parts: list[tuple[str, bool]] = Field(
        ..., description="the sentence cut into [text, matches the question] pieces"
    )


class PassageOut(Schema):
    id: str = Field(..., description="act_id:section")
    act_id: str
    act_title: str
    number: str = Field(..., description="section number in Arabic digits; sub-sections as 26/1")
    chapter: str
    label: str = Field(..., description='the citation: "Act title, มาตรา N"')
    url: str = Field(..., description="the section in context (page)")
    score: float
    overlap: float
    sentences: list[SentenceOut]


class CheckedSentenceOut(Schema):
    text: str
    supported: bool
    overlap: float


class GeneratedOut(Schema):
    text: str = ""
    sentences: list[CheckedSentenceOut] = []
    all_supported: bool = False
    model: str = ""
    error: str = ""


class AnswerOut(Schema):
    turn_id: int
    conversation_id: int
    question: str
    status: str = Field(..., description="answered | weak (no section clearly answers: nothing is asserted)")
    message: str
    notes: list[str]
    passages: list[PassageOut]
    generated: GeneratedOut | None


class FeedbackIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: FeedbackKind
    citation: str = Field(
        "", max_length=64, pattern=NO_NUL, description="act_id:section, for kind=wrong_citation"
    )
    note: str = Field("", max_length=1000, pattern=NO_NUL)


class FeedbackOut(Schema):
    id: int
    kind: str
    citation: str


class ConversationOut(Schema):
    id: int
    title: str
    turns: int


class SectionOut(Schema):
    act_id: str
    act_title: str
    number: str
    chapter: str
    body: str
    label: str
    url: str


class SectionContextOut(Schema):
    section: SectionOut
    neighbours: list[SectionOut]


class IndexOut(Schema):
    acts: int
    sections: int
    embedded: int
    dense_ready: bool


def turn_out(turn: Turn) -> dict[str, Any]:

    answer = turn.answer
    passages = []
    for p in answer.get("passages", []):
        url = (
            reverse("knowledge_section", kwargs={"act_id": p["act_id"], "number": p["number"]})
            if p["number"]
            else ""
        )
        passages.append({**p, "url": url})
    return {
        "turn_id": turn.pk,
        "conversation_id": turn.conversation_id,
        "question": turn.question,
        "status": turn.status,
        "message": answer.get("message", ""),
        "notes": answer.get("notes", []),
        "passages": passages,
        "generated": answer.get("generated"),
    }


def section_out(section: Any) -> dict[str, Any]:

    return {
        "act_id": section.act.act_id,
        "act_title": section.act.title,
        "number": section.number,
        "chapter": section.chapter,
        "body": section.body,
        "label": citation_label(section.act.title, section.number),
        "url": reverse("knowledge_section", kwargs={"act_id": section.act.act_id, "number": section.number})
        if section.number
        else "",
    }


@router.post(
    "/ask", response={200: AnswerOut, **ERRORS}, summary="Ask the law assistant (answer with cited sections)"
)
def ask(request: HttpRequest, payload: AskIn) -> dict[str, Any]:
    turn = services.question_ask(
        actor=request.user, question=payload.question, conversation_id=payload.conversation_id
    )
    return turn_out(turn)


@router.post(
    "/answers/{turn_id}/feedback",
    response={201: FeedbackOut, **ERRORS},
    summary="Thumbs up/down, or report a wrong citation, on one of your answers",
)
def feedback(
    request: HttpRequest, payload: FeedbackIn, turn_id: int = Path(..., ge=1, le=2**63 - 1)
) -> Status[Any]:
    try:
        item = services.feedback_record(
            actor=request.user,
            turn_id=turn_id,
            kind=payload.kind.value,
            citation=payload.citation,
            note=payload.note,
        )
    except PermissionDenied:
        raise HttpError(404, "not found") from None
    return Status(201, item)


@router.get("/conversations", response={200: list[ConversationOut], **ERRORS}, summary="Your conversations")
def conversations(request: HttpRequest) -> list[dict[str, Any]]:

    rows = selectors.conversation_list(actor=request.user).annotate(turn_count=Count("turns"))[:100]
    return [{"id": c.pk, "title": c.title, "turns": c.turn_count} for c in rows]


@router.get(
    "/conversations/{conversation_id}",
    response={200: list[AnswerOut], **ERRORS},
    summary="The questions and answers of one of your conversations",
)
def conversation_detail(
    request: HttpRequest, conversation_id: int = Path(..., ge=1, le=2**63 - 1)
) -> list[dict[str, Any]]:
    conversation = selectors.conversation_get(actor=request.user, conversation_id=conversation_id)
    if conversation is None:
        raise HttpError(404, "not found")
    return [turn_out(t) for t in selectors.conversation_turns(actor=request.user, conversation=conversation)]


@router.get(
    "/acts/{act_id}/section",
    response={200: SectionContextOut, **ERRORS},
    summary="A section with its neighbours (number in Arabic digits, sub-sections as 26/1)",
)
def section(
    request: HttpRequest,
    act_id: str = Path(..., pattern=r"^[\w-]{1,32}$"),
    number: str = Query(..., pattern=r"^\d{1,4}(/\d{1,3})?$"),
) -> dict[str, Any]:
    found = selectors.section_in_context(actor=request.user, act_id=act_id, number=number)
    if found is None:
        raise HttpError(404, "not found")
    target, around = found
    return {"section": section_out(target), "neighbours": [section_out(s) for s in around]}


@router.get(
    "/index", response={200: IndexOut, **ERRORS}, summary="Progress of the statute index (knowledge managers)"
)
def index_status(request: HttpRequest) -> dict[str, Any]:
    if not user_has_perm(request.user, Perm.KNOWLEDGE_MANAGE):
        raise PermissionDenied

    progress = index_progress(source=SECTION_SOURCE)
    return {
        "acts": selectors.act_count(),
        "sections": progress.chunks,
        "embedded": progress.embedded,
        "dense_ready": progress.dense_ready,
    }
