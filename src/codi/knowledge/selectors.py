"""Reads of the knowledge app. Statutes are national law (no area scope); conversations are the reader's own."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm
from codi.knowledge.models import Act, Conversation, Section, Turn

NEIGHBOURS = 2


def _require(actor: Any, perm: str = Perm.KNOWLEDGE_VIEW) -> None:
    if not user_has_perm(actor, perm):
        raise PermissionDenied


def act_get(*, actor: Any, act_id: str) -> Act | None:
    _require(actor)
    return Act.objects.filter(act_id=act_id).first()


def act_sections(*, actor: Any, act: Act) -> QuerySet[Section]:
    _require(actor)
    return act.sections.order_by("ordinal")


def section_in_context(*, actor: Any, act_id: str, number: str) -> tuple[Section, list[Section]] | None:
    """The section and its neighbours (two before, two after), in order."""
    _require(actor)
    section = Section.objects.select_related("act").filter(act__act_id=act_id, number=number).first()
    if section is None:
        return None
    around = list(
        Section.objects.select_related("act")
        .filter(
            act=section.act,
            ordinal__gte=section.ordinal - NEIGHBOURS,
            ordinal__lte=section.ordinal + NEIGHBOURS,
        )
        .order_by("ordinal")
    )
    return section, around


def conversation_list(*, actor: Any) -> QuerySet[Conversation]:
    _require(actor)
    return Conversation.objects.filter(user=actor).order_by("-updated_at")


def conversation_get(*, actor: Any, conversation_id: int) -> Conversation | None:
    _require(actor)
    return Conversation.objects.filter(user=actor, pk=conversation_id).first()


def conversation_turns(*, actor: Any, conversation: Conversation) -> QuerySet[Turn]:
    _require(actor)
    return conversation.turns.filter(conversation__user=actor).order_by("created_at", "id")


def act_count() -> int:
    return Act.objects.count()
