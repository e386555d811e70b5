"""API: the caller's own in-app messages and unread count."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from codi.api.kit import ERRORS, Pages
from codi.notifications import selectors, services
from codi.notifications.models import Notification

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    template_key: str
    subject: str
    body: str
    link: str
    created_at: datetime
    read_at: datetime | None


class UnreadOut(Schema):
    unread: int


class MarkedOut(Schema):
    marked: int


@router.get("", response={200: list[NotificationOut], **ERRORS}, summary="My in-app messages, newest first")
@paginate(Pages)
def notification_list(request: HttpRequest) -> QuerySet[Notification]:
    return selectors.notification_list(user=request.user)


@router.get(
    "/unread-count", response={200: UnreadOut, **ERRORS}, summary="How many of my messages are unread"
)
def unread_count(request: HttpRequest) -> UnreadOut:
    return UnreadOut(unread=selectors.unread_count(user=request.user))


@router.post("/{notification_id}/read", response={200: MarkedOut, **ERRORS}, summary="Mark one message read")
def mark_read(request: HttpRequest, notification_id: int) -> MarkedOut:
    marked = services.notification_mark_read(user=request.user, notification_id=notification_id)  # type: ignore[arg-type]
    return MarkedOut(marked=marked)
