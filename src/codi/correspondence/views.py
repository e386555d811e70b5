"""Saraban pages: the register, one letter (routing, minutes, files, PDF, signature), the in-tray, reports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from codi.core import uploads
from codi.core.spreadsheet import xlsx_response
from codi.correspondence import reports, selectors, services
from codi.correspondence.forms import AttachmentForm, LetterForm, NoteForm, RouteForm
from codi.correspondence.models import Letter, LetterKind, LetterStatus, Secrecy, Urgency
from codi.identity.models import User
from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm

PAGE_SIZE = 25
REPORT_LIMIT = 5000


def _need_use(request: HttpRequest) -> User:
    if not user_has_perm(request.user, Perm.CORRESPONDENCE_USE):
        raise PermissionDenied
    return request.user  # type: ignore[return-value]


def _visible_letter(request: HttpRequest, letter_id: int) -> Letter:
    letter = selectors.letter_get(request.user, letter_id=letter_id)
    if letter is None:
        raise Http404
    return letter


def _error_text(exc: ValidationError) -> str:
    """The Thai or English text of a refusal (ours or the PKI's), in the page's language."""
    thai, english = getattr(exc, "thai", None), getattr(exc, "english", None)
    if thai and english:
        return str(english if (get_language() or "th").startswith("en") else thai)
    return " ".join(exc.messages)


def _filters(request: HttpRequest) -> selectors.LetterFilters:
    get = request.GET
    year = get.get("year", "")
    unit = get.get("unit", "")
    return selectors.LetterFilters(
        text=get.get("q", "").strip()[:200],
        kind=get.get("kind", "") if get.get("kind", "") in LetterKind.values else "",
        urgency=get.get("urgency", "") if get.get("urgency", "") in Urgency.values else "",
        secrecy=get.get("secrecy", "") if get.get("secrecy", "") in Secrecy.values else "",
        status=get.get("status", "") if get.get("status", "") in LetterStatus.values else "",
        year=int(year) if year.isdigit() else None,
        org_unit_id=int(unit) if unit.isdigit() else None,
    )


@login_required
def letter_list(request: HttpRequest) -> HttpResponse:
    user = _need_use(request)
    filters = _filters(request)
    letters = selectors.letter_search(user, filters)
    page = Paginator(letters, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "correspondence/letter_list.html",
        {
            "page": page,
            "filters": filters,
            "kinds": LetterKind.choices,
            "urgencies": Urgency.choices,
            "secrecies": Secrecy.choices,
            "statuses": LetterStatus.choices,
            "units": selectors.registrar_units(user),
            "can_register": selectors.registrar_units(user).exists(),
            "query": request.GET.urlencode(),
            "pending_count": selectors.routings_pending(user).count(),
        },
    )


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = _need_use(request)
    page = Paginator(selectors.routings_pending(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "correspondence/inbox.html", {"page": page})


@login_required
def letter_create(request: HttpRequest) -> HttpResponse:
    user = _need_use(request)
    units = selectors.registrar_units(user)
    if not units.exists():
        raise PermissionDenied
    signers = User.objects.filter(is_active=True).order_by("username")
    form = LetterForm(
        request.POST or None,
        units=units,
        signers=signers,
        initial={"letter_date": timezone.localdate(), "closing": "ขอแสดงความนับถือ"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            letter = services.letter_register(
                actor=user,
                org_unit=data["org_unit"],
                data=services.LetterData(
                    kind=data["kind"],
                    subject=data["subject"],
                    letter_date=data["letter_date"],
                    urgency=data["urgency"],
                    secrecy=data["secrecy"],
                    document_number=data["document_number"],
                    sender=data["sender"],
                    recipient=data["recipient"],
                    salutation=data["salutation"],
                    reference=data["reference"],
                    enclosures=data["enclosures"],
                    body=data["body"],
                    closing=data["closing"],
                    signer_id=data["signer"].pk if data["signer"] else None,
                    signer_name=data["signer_name"],
                    signer_position=data["signer_position"],
                    contact=data["contact"],
                ),
            )
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(
                request,
                _("Registered as number %(number)s.")
                % {"number": letter.document_number or letter.register_number},
            )
            return redirect("correspondence:letter_detail", letter.pk)
    return render(
        request, "correspondence/letter_form.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
def letter_detail(request: HttpRequest, letter_id: int) -> HttpResponse:
    user = _need_use(request)
    letter = _visible_letter(request, letter_id)
    routings = list(selectors.letter_routings(user, letter))
    for routing in routings:
        routing.can_ack = routing.acknowledged_at is None and selectors.routing_can_acknowledge(user, routing)  # type: ignore[attr-defined]
    return render(
        request,
        "correspondence/letter_detail.html",
        {
            "letter": letter,
            "routings": routings,
            "notes": selectors.letter_notes(user, letter),
            "attachments": selectors.letter_attachments(user, letter),
            "can_edit": selectors.letter_can_edit(user, letter),
            "can_sign": letter.signer_id == user.pk
            and letter.pdf_signed_at is None
            and letter.kind != LetterKind.INCOMING,
            "route_form": RouteForm(),
            "note_form": NoteForm(),
            "attachment_form": AttachmentForm(),
            "statuses": [(v, label) for v, label in LetterStatus.choices if v != letter.status],
        },
    )


def _back(letter_id: int) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("correspondence:letter_detail", args=[letter_id]))


def _run(request: HttpRequest, letter_id: int, action: Any, success: str) -> HttpResponse:
    try:
        action()
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, success)
    return _back(letter_id)


@login_required
@require_POST
def letter_route(request: HttpRequest, letter_id: int) -> HttpResponse:
    user = _need_use(request)
    letter = _visible_letter(request, letter_id)
    form = RouteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose units or people from the lists."))
        return _back(letter_id)
    data = form.cleaned_data
    return _run(
        request,
        letter_id,
        lambda: services.letter_route(
            actor=user,
            letter=letter,
            to_unit_ids=[u.pk for u in data["to_units"]],
            to_user_ids=[u.pk for u in data["to_users"]],
            instruction=data["instruction"],
        ),
        _("Sent."),
    )


@login_required
@require_POST
def letter_note(request: HttpRequest, letter_id: int) -> HttpResponse:
    user = _need_use(request)
    letter = _visible_letter(request, letter_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the minute first."))
        return _back(letter_id)
    return _run(
        request,
        letter_id,
        lambda: services.note_add(
            actor=user, letter=letter, text=form.cleaned_data["text"], kind=form.cleaned_data["kind"]
        ),
        _("Minute added."),
    )


@login_required
@require_POST
def letter_attach(request: HttpRequest, letter_id: int) -> HttpResponse:
    user = _need_use(request)
    letter = _visible_letter(request, letter_id)
    if not selectors.letter_can_edit(user, letter):
        raise PermissionDenied
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file."))
        return _back(letter_id)
    upload = form.cleaned_data["file"]
    return _run(
        request,
        letter_id,
        lambda: services.attachment_add(
            actor=user,
            letter=letter,
            filename=upload.name,
            content=upload.read(),
            document_id=form.cleaned_data["document_id"],
        ),
        _("File attached."),
    )


@login_required
@require_POST
def letter_status(request: HttpRequest, letter_id: int) -> HttpResponse:
    user = _need_use(request)
    letter = _visible_letter(request, letter_id)
    if not selectors.letter_can_edit(user, letter):
        raise PermissionDenied
    return _run(
        request,
        letter_id,
        lambda: services.letter_set_status(actor=user, letter=letter, status=request.POST.get("status", "")),
        _("Status changed."),
    )


@login_required
def attachment_download(request: HttpRequest, attachment_id: int) -> FileResponse:
    user = _need_use(request)
    attachment = selectors.attachment_get(user, attachment_id=attachment_id)
    if attachment is None:
        raise Http404
    # Served as a download under the detected type, with the extension that type has.
    return uploads.download_response(
        attachment.file, content_type=attachment.content_type, display_name=attachment.filename
    )


@login_required
@require_POST
def routing_acknowledge(request: HttpRequest, routing_id: int) -> HttpResponse:
    user = _need_use(request)
    routing = selectors.routing_get(user, routing_id=routing_id)
    if routing is None:
        raise Http404
    if not selectors.routing_can_acknowledge(user, routing):
        raise PermissionDenied
    return _run(
        request,
        routing.letter_id,
        lambda: services.routing_acknowledge(actor=user, routing=routing),
        _("Acknowledged."),
    )


@login_required
def letter_pdf(request: HttpRequest, letter_id: int) -> HttpResponse:
    _need_use(request)
    letter = _visible_letter(request, letter_id)
    if letter.kind == LetterKind.INCOMING:
        raise Http404
    response = HttpResponse(services.letter_pdf_bytes(letter=letter), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="letter-{letter.pk}.pdf"'
    return response


@login_required
@require_POST
def letter_pdf_generate(request: HttpRequest, letter_id: int) -> HttpResponse:
    user = _need_use(request)
    letter = _visible_letter(request, letter_id)
    if not selectors.letter_can_edit(user, letter):
        raise PermissionDenied
    return _run(
        request,
        letter_id,
        lambda: services.letter_pdf_generate(actor=user, letter=letter),
        _("PDF made and kept."),
    )


@login_required
@require_POST
def letter_sign(request: HttpRequest, letter_id: int) -> HttpResponse:
    user = _need_use(request)
    letter = _visible_letter(request, letter_id)
    if letter.signer_id != user.pk:
        raise PermissionDenied
    return _run(request, letter_id, lambda: services.letter_sign(actor=user, letter=letter), _("Signed."))


def _report_rows(request: HttpRequest) -> tuple[list[reports.RegisterRow], str, str]:
    user = _need_use(request)
    filters = _filters(request)
    letters = selectors.letter_search(user, filters).order_by("year", "kind", "register_number")[
        :REPORT_LIMIT
    ]
    unit_name = ""
    if filters.org_unit_id:
        unit = selectors.registrar_units(user).filter(pk=filters.org_unit_id).first()
        unit_name = unit.name_th if unit else ""
    return reports.register_rows(letters), filters.kind, unit_name


@login_required
def register_report_pdf(request: HttpRequest) -> HttpResponse:
    rows, kind, unit_name = _report_rows(request)
    response = HttpResponse(
        reports.register_pdf(rows=rows, kind=kind, unit_name=unit_name), content_type="application/pdf"
    )
    response["Content-Disposition"] = 'inline; filename="register.pdf"'
    return response


@login_required
def register_report_xlsx(request: HttpRequest) -> FileResponse:
    rows, kind, _unit = _report_rows(request)
    return xlsx_response(
        filename="register",
        sheets=[(reports.register_title(kind), reports.COLUMNS, reports.register_table(rows))],
        widths=reports.COLUMN_WIDTHS,
    )
