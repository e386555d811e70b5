"""API of electronic correspondence (saraban): letters the caller may read, registering, routing,
acknowledging and minutes. Access follows ``codi.correspondence.selectors`` (unit, routing, secrecy)."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from codi.api.kit import ERRORS, Pages
from codi.correspondence import selectors, services
from codi.correspondence.models import Letter, Note, Routing
from codi.identity.models import OrgUnit, User
from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm

router = Router(tags=["correspondence"])

KINDS = r"^(incoming|outgoing|memo)$"
URGENCIES = r"^(normal|urgent|very_urgent|most_urgent)$"
SECRECIES = r"^(normal|confidential|secret|top_secret)$"


class LetterOut(Schema):
    id: int
    org_unit_id: int
    kind: str
    year: int = Field(..., description="register year, Buddhist Era")
    register_number: int
    document_number: str
    letter_date: date
    received_at: datetime | None
    sender: str
    recipient: str
    subject: str
    urgency: str
    secrecy: str
    status: str
    signer_id: int | None
    signed_at: datetime | None = Field(None, alias="pdf_signed_at")
    registered_at: datetime


class LetterIn(Schema):
    org_unit_id: int
    kind: str = Field(..., pattern=KINDS)
    subject: str = Field(..., min_length=1, max_length=500)
    letter_date: date
    urgency: str = Field("normal", pattern=URGENCIES)
    secrecy: str = Field("normal", pattern=SECRECIES)
    document_number: str = Field("", max_length=80, description="incoming letters: the sender's number")
    sender: str = Field("", max_length=300)
    recipient: str = Field("", max_length=300)
    salutation: str = Field("", max_length=300)
    reference: str = Field("", max_length=500)
    enclosures: str = Field("", max_length=500)
    body: str = Field("", max_length=50000)
    closing: str = Field("", max_length=100)
    signer_id: int | None = None
    signer_name: str = Field("", max_length=200)
    signer_position: str = Field("", max_length=200)
    contact: str = Field("", max_length=300)


class RouteIn(Schema):
    to_unit_ids: list[int] = Field(default_factory=list, max_length=100)
    to_user_ids: list[int] = Field(default_factory=list, max_length=100)
    instruction: str = Field("", max_length=5000)


class RoutingOut(Schema):
    id: int
    letter_id: int
    sent_by_id: int
    sent_at: datetime
    to_unit_id: int | None
    to_user_id: int | None
    instruction: str
    acknowledged_at: datetime | None
    acknowledged_by_id: int | None


class NoteIn(Schema):
    kind: str = Field("comment", pattern=r"^(instruction|comment)$")
    text: str = Field(..., min_length=1, max_length=10000)


class NoteOut(Schema):
    id: int
    letter_id: int
    author_id: int
    kind: str
    text: str
    created_at: datetime


def _user(request: HttpRequest) -> User:
    if not user_has_perm(request.user, Perm.CORRESPONDENCE_USE):
        raise PermissionDenied
    return request.user  # type: ignore[return-value]


def _letter(request: HttpRequest, letter_id: int) -> Letter:
    letter = selectors.letter_get(request.user, letter_id=letter_id)
    if letter is None:
        raise HttpError(404, "not found")
    return letter


@router.get("/letters", response={200: list[LetterOut], **ERRORS}, summary="Letters the caller may read")
@paginate(Pages)
def letter_list(
    request: HttpRequest,
    q: str = Query("", max_length=200),
    kind: str = Query("", pattern=r"^(incoming|outgoing|memo)?$"),
    urgency: str = Query("", pattern=r"^(normal|urgent|very_urgent|most_urgent)?$"),
    secrecy: str = Query("", pattern=r"^(normal|confidential|secret|top_secret)?$"),
    status: str = Query("", pattern=r"^(registered|in_progress|closed|cancelled)?$"),
    year: int | None = None,
    org_unit_id: int | None = None,
) -> QuerySet[Letter]:
    user = _user(request)
    filters = selectors.LetterFilters(
        text=q, kind=kind, urgency=urgency, secrecy=secrecy, status=status, year=year, org_unit_id=org_unit_id
    )
    return selectors.letter_search(user, filters)


@router.post("/letters", response={201: LetterOut, **ERRORS}, summary="Register and number a letter")
def letter_create(request: HttpRequest, body: LetterIn) -> tuple[int, Letter]:
    user = _user(request)
    org_unit = OrgUnit.objects.filter(pk=body.org_unit_id).first()
    if org_unit is None or not selectors.user_is_registrar(user, org_unit_id=org_unit.pk):
        raise PermissionDenied
    data = services.LetterData(**body.dict(exclude={"org_unit_id"}))
    return 201, services.letter_register(actor=user, org_unit=org_unit, data=data)


@router.get("/letters/{letter_id}", response={200: LetterOut, **ERRORS}, summary="One letter")
def letter_detail(request: HttpRequest, letter_id: int) -> Letter:
    _user(request)
    return _letter(request, letter_id)


@router.get(
    "/letters/{letter_id}/routings", response={200: list[RoutingOut], **ERRORS}, summary="Where it was sent"
)
def routing_list(request: HttpRequest, letter_id: int) -> list[Routing]:
    user = _user(request)
    return list(selectors.letter_routings(user, _letter(request, letter_id)))


@router.post(
    "/letters/{letter_id}/routings",
    response={201: list[RoutingOut], **ERRORS},
    summary="Send it on to units or people",
)
def letter_route(request: HttpRequest, letter_id: int, body: RouteIn) -> tuple[int, list[Routing]]:
    user = _user(request)
    letter = _letter(request, letter_id)
    return 201, services.letter_route(
        actor=user,
        letter=letter,
        to_unit_ids=body.to_unit_ids,
        to_user_ids=body.to_user_ids,
        instruction=body.instruction,
    )


@router.post(
    "/routings/{routing_id}/acknowledge", response={200: RoutingOut, **ERRORS}, summary="Acknowledge receipt"
)
def routing_acknowledge(request: HttpRequest, routing_id: int) -> Routing:
    user = _user(request)
    routing = selectors.routing_get(user, routing_id=routing_id)
    if routing is None:
        raise HttpError(404, "not found")
    return services.routing_acknowledge(actor=user, routing=routing)


@router.get(
    "/letters/{letter_id}/notes", response={200: list[NoteOut], **ERRORS}, summary="Minutes on the letter"
)
def note_list(request: HttpRequest, letter_id: int) -> list[Note]:
    user = _user(request)
    return list(selectors.letter_notes(user, _letter(request, letter_id)))


@router.post("/letters/{letter_id}/notes", response={201: NoteOut, **ERRORS}, summary="Write a minute")
def note_create(request: HttpRequest, letter_id: int, body: NoteIn) -> tuple[int, Note]:
    user = _user(request)
    return 201, services.note_add(
        actor=user, letter=_letter(request, letter_id), text=body.text, kind=body.kind
    )
