"""Reads of electronic correspondence, and who may read what.

Access is decided per letter, not by area:

- Nobody without ``Perm.CORRESPONDENCE_USE`` (community leaders, partners) sees any letter.
- An unclassified letter (ปกติ) is seen by: the members and registrars of the unit that
  registered it; the members and registrars of every unit it was routed to; every person it was
  routed to by name; whoever routed it; whoever registered it; its signer.
- A classified letter (ลับ / ลับมาก / ลับที่สุด) is seen only by: the people it was routed to by
  name, whoever registered it, the registrars of its unit, and its signer. Plain members of the
  unit do not see it, and it cannot be routed to a unit (``services.letter_route`` refuses).
- Registering, attaching files, printing and closing are for the registrars of the letter's unit
  (and whoever registered it); only the named signer signs.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from codi.correspondence.models import (
    SECRET_LEVELS,
    Attachment,
    Letter,
    Note,
    Registrar,
    Routing,
    Secrecy,
)
from codi.identity.models import OrgUnit, User
from codi.identity.roles import Perm
from codi.identity.selectors import AnyUser, user_has_perm


def user_registrar_unit_ids(user: AnyUser) -> set[int]:
    if not user.is_authenticated:
        return set()
    cached: set[int] | None = user.__dict__.get("_codi_registrar_units")
    if cached is None:
        cached = set(Registrar.objects.filter(user_id=user.pk).values_list("org_unit_id", flat=True))
        user.__dict__["_codi_registrar_units"] = cached
    return cached


def user_is_registrar(user: AnyUser, *, org_unit_id: int) -> bool:
    return user_has_perm(user, Perm.CORRESPONDENCE_USE) and org_unit_id in user_registrar_unit_ids(user)


def registrar_units(user: AnyUser) -> QuerySet[OrgUnit]:
    """Units whose register ``user`` keeps."""
    if not user_has_perm(user, Perm.CORRESPONDENCE_USE):
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(pk__in=user_registrar_unit_ids(user)).order_by("code")


def _visibility(user: AnyUser) -> Q | None:
    if not user.is_authenticated or not user_has_perm(user, Perm.CORRESPONDENCE_USE):
        return None
    registrar_of = user_registrar_unit_ids(user)
    my_units = set(registrar_of)
    member_of = getattr(user, "org_unit_id", None)
    if member_of is not None:
        my_units.add(member_of)
    named = Q(registered_by_id=user.pk) | Q(signer_id=user.pk) | Q(routings__to_user_id=user.pk)
    unit_wide = (
        Q(org_unit_id__in=my_units) | Q(routings__to_unit_id__in=my_units) | Q(routings__sent_by_id=user.pk)
    )
    classified = named | Q(org_unit_id__in=registrar_of)
    return (Q(secrecy=Secrecy.NORMAL) & (named | unit_wide)) | (~Q(secrecy=Secrecy.NORMAL) & classified)


def letters_visible(user: AnyUser) -> QuerySet[Letter]:
    """Every letter ``user`` may read (see the module docstring)."""
    condition = _visibility(user)
    if condition is None:
        return Letter.objects.none()
    # The condition joins routings; an id subquery keeps one row per letter without DISTINCT.
    return Letter.objects.filter(pk__in=Letter.objects.filter(condition).values("pk"))


def letter_can_view(user: AnyUser, letter: Letter) -> bool:
    return letters_visible(user).filter(pk=letter.pk).exists()


def letter_can_edit(user: AnyUser, letter: Letter) -> bool:
    """Attach files, print, close: the registrars of the letter's unit and whoever registered it."""
    if not user_has_perm(user, Perm.CORRESPONDENCE_USE):
        return False
    return letter.registered_by_id == user.pk or letter.org_unit_id in user_registrar_unit_ids(user)


def letter_get(user: AnyUser, *, letter_id: int) -> Letter | None:
    return (
        letters_visible(user)
        .select_related("org_unit", "signer", "registered_by")
        .filter(pk=letter_id)
        .first()
    )


@dataclass(frozen=True)
class LetterFilters:
    text: str = ""
    kind: str = ""
    urgency: str = ""
    secrecy: str = ""
    status: str = ""
    year: int | None = None
    org_unit_id: int | None = None


def letter_search(user: AnyUser, filters: LetterFilters) -> QuerySet[Letter]:
    """The letters ``user`` may read that match the filters; text matches number, subject, sender,
    recipient and body (case-insensitive substring: Thai needs no word boundaries for this)."""
    letters = letters_visible(user).select_related("org_unit")
    if filters.kind:
        letters = letters.filter(kind=filters.kind)
    if filters.urgency:
        letters = letters.filter(urgency=filters.urgency)
    if filters.secrecy:
        letters = letters.filter(secrecy=filters.secrecy)
    if filters.status:
        letters = letters.filter(status=filters.status)
    if filters.year:
        letters = letters.filter(year=filters.year)
    if filters.org_unit_id:
        letters = letters.filter(org_unit_id=filters.org_unit_id)
    for word in filters.text.split()[:8]:
        letters = letters.filter(
            Q(subject__icontains=word)
            | Q(document_number__icontains=word)
            | Q(sender__icontains=word)
            | Q(recipient__icontains=word)
            | Q(body__icontains=word)
        )
    return letters.order_by("-registered_at", "-id")


def letter_routings(user: AnyUser, letter: Letter) -> QuerySet[Routing]:
    if not letter_can_view(user, letter):
        return Routing.objects.none()
    return letter.routings.select_related("sent_by", "to_unit", "to_user", "acknowledged_by")


def letter_notes(user: AnyUser, letter: Letter) -> QuerySet[Note]:
    if not letter_can_view(user, letter):
        return Note.objects.none()
    return letter.notes.select_related("author")


def letter_attachments(user: AnyUser, letter: Letter) -> QuerySet[Attachment]:
    if not letter_can_view(user, letter):
        return Attachment.objects.none()
    return letter.attachments.all()


def attachment_get(user: AnyUser, *, attachment_id: int) -> Attachment | None:
    attachment = Attachment.objects.select_related("letter").filter(pk=attachment_id).first()
    if attachment is None or not letter_can_view(user, attachment.letter):
        return None
    return attachment


def routing_can_acknowledge(user: AnyUser, routing: Routing) -> bool:
    if not user.is_authenticated or not user_has_perm(user, Perm.CORRESPONDENCE_USE):
        return False
    if routing.to_user_id is not None:
        return routing.to_user_id == user.pk
    if routing.letter.secrecy in SECRET_LEVELS:
        return False
    units = user_registrar_unit_ids(user) | (
        {user.org_unit_id} if getattr(user, "org_unit_id", None) else set()
    )
    return routing.to_unit_id in units


def routing_get(user: AnyUser, *, routing_id: int) -> Routing | None:
    routing = Routing.objects.select_related("letter").filter(pk=routing_id).first()
    if routing is None or not letter_can_view(user, routing.letter):
        return None
    return routing


def routings_pending(user: AnyUser) -> QuerySet[Routing]:
    """Letters sent to ``user`` or to their unit that nobody has acknowledged yet (the in-tray)."""
    if not user.is_authenticated or not user_has_perm(user, Perm.CORRESPONDENCE_USE):
        return Routing.objects.none()
    units = user_registrar_unit_ids(user) | (
        {user.org_unit_id} if getattr(user, "org_unit_id", None) else set()
    )
    return (
        Routing.objects.filter(acknowledged_at__isnull=True)
        .filter(Q(to_user_id=user.pk) | (Q(to_unit_id__in=units) & Q(letter__secrecy=Secrecy.NORMAL)))
        .select_related("letter", "letter__org_unit", "sent_by", "to_unit")
        .order_by("-sent_at", "-id")
    )


def routing_recipients(routing: Routing) -> list[User]:
    """Who is told about a routing: the named person, or the unit's registrars (its members if none)."""
    if routing.to_user_id is not None:
        return [routing.to_user] if routing.to_user is not None else []
    registrars = list(
        User.objects.filter(
            pk__in=Registrar.objects.filter(org_unit_id=routing.to_unit_id).values("user_id"), is_active=True
        )
    )
    if registrars:
        return registrars
    return list(User.objects.filter(org_unit_id=routing.to_unit_id, is_active=True))
