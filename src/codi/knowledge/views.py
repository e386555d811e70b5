"""Pages: the law assistant, a conversation, a section in context, a whole Act."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm
from codi.knowledge import selectors, services
from codi.knowledge.assistant import MAX_QUESTION_CHARS
from codi.knowledge.models import ActKind, FeedbackKind
from codi.knowledge.official import official_source


def _require_view(request: HttpRequest) -> None:
    if not user_has_perm(request.user, Perm.KNOWLEDGE_VIEW):
        raise PermissionDenied


def _ask(request: HttpRequest, conversation_id: int | None) -> tuple[HttpResponse | None, str, str]:
    question = request.POST.get("question", "")
    try:
        turn = services.question_ask(actor=request.user, question=question, conversation_id=conversation_id)
    except ValidationError as error:
        return None, question, " ".join(error.messages)
    url = redirect("knowledge_conversation", conversation_id=turn.conversation_id).url
    return redirect(f"{url}#turn-{turn.pk}"), question, ""


@login_required
def assistant_page(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    question, error = "", ""
    if request.method == "POST":
        response, question, error = _ask(request, None)
        if response is not None:
            return response
    return render(
        request,
        "knowledge/assistant.html",
        {
            "conversations": selectors.conversation_list(actor=request.user)[:20],
            "question": question,
            "error": error,
            "max_chars": MAX_QUESTION_CHARS,
            "act_count": selectors.act_count(),
            "retention_days": services.retention_days(),
        },
        status=422 if error else 200,
    )


@login_required
def conversation_page(request: HttpRequest, conversation_id: int) -> HttpResponse:
    _require_view(request)
    conversation = selectors.conversation_get(actor=request.user, conversation_id=conversation_id)
    if conversation is None:
        raise Http404
    question, error = "", ""
    if request.method == "POST":
        response, question, error = _ask(request, conversation.pk)
        if response is not None:
            return response
    return render(
        request,
        "knowledge/conversation.html",
        {
            "conversation": conversation,
            "turns": selectors.conversation_turns(actor=request.user, conversation=conversation),
            "question": question,
            "error": error,
            "max_chars": MAX_QUESTION_CHARS,
            "kinds": FeedbackKind,
        },
        status=422 if error else 200,
    )


@login_required
@require_POST
def feedback_submit(request: HttpRequest, turn_id: int) -> HttpResponse:
    _require_view(request)
    try:
        feedback = services.feedback_record(
            actor=request.user,
            turn_id=turn_id,
            kind=request.POST.get("kind", ""),
            citation=request.POST.get("citation", ""),
            note=request.POST.get("note", ""),
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("knowledge_assistant")
    messages.success(request, _("Thank you: your feedback was recorded."))
    url = redirect("knowledge_conversation", conversation_id=feedback.turn.conversation_id).url
    return redirect(f"{url}#turn-{turn_id}")


@login_required
def section_page(request: HttpRequest, act_id: str, number: str) -> HttpResponse:
    _require_view(request)
    found = selectors.section_in_context(actor=request.user, act_id=act_id, number=number)
    if found is None:
        raise Http404
    section, around = found
    return render(
        request,
        "knowledge/section.html",
        {
            "section": section,
            "act": section.act,
            "around": around,
            "official": (
                official_source(section.act.act_id, section.act.title).as_dict()
                if section.act.kind == ActKind.ACT
                else None
            ),
        },
    )


@login_required
def act_page(request: HttpRequest, act_id: str) -> HttpResponse:
    _require_view(request)
    act = selectors.act_get(actor=request.user, act_id=act_id)
    if act is None:
        raise Http404
    return render(
        request,
        "knowledge/act.html",
        {
            "act": act,
            "sections": selectors.act_sections(actor=request.user, act=act),
            "official": official_source(act.act_id, act.title).as_dict() if act.kind == ActKind.ACT else None,
        },
    )
