"""Pages: the public report form and status page, staff lists/detail/actions, import, dashboard, LINE."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from codi.areas.selectors import area_geojson
from codi.communities.selectors import organization_get
from codi.core import ratelimit
from codi.core.audit import audit_read
from codi.core.middleware import client_ip
from codi.core.spreadsheet import csv_response, xlsx_response
from codi.core.tables import sort_queryset
from codi.feedback import selectors, services
from codi.feedback.connectors import (
    ImportRefusedError,
    LineWebhookConnector,
    SocialExportConnector,
    line_signature_valid,
)
from codi.feedback.forms import ImportForm, ReportForm, StaffEntryForm, TransitionForm
from codi.feedback.models import IntakeChannel, Sentiment, Status, Topic
from codi.feedback.nlp.pii import mask_personal_data
from codi.identity.guards import need
from codi.identity.models import User
from codi.identity.roles import Perm, Role
from codi.identity.selectors import user_can_in_area, user_has_perm, user_roles

PAGE_SIZE = 50
EXPORT_COLUMNS = (
    "reference",
    "created_at",
    "status",
    "category",
    "topic",
    "sentiment",
    "is_urgent",
    "channel",
    "subdistrict",
    "province",
    "assigned_to",
    "acknowledge_due_at",
    "resolve_due_at",
    "escalation_level",
    "text_masked",
)


def _need(request: HttpRequest, perm: str) -> None:
    need(request, perm)


def _rate_limited(request: HttpRequest) -> bool:
    """True when this address has sent more reports in this hour than allowed (counted across processes)."""
    limit = int(getattr(settings, "FEEDBACK_SUBMISSIONS_PER_HOUR", 10))
    try:
        usage = ratelimit.hit(
            "feedback-submit", client_ip(request) or "unknown", limit=limit, window_seconds=3600
        )
    except ratelimit.RateLimitUnavailableError:
        return True  # refuse rather than accept uncounted
    return usage.is_exceeded


def _link_base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


# --- public ---------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    """The public form: no account needed. Community leaders signed in report through the same page."""
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if request.POST.get("website"):
            # Honeypot filled: a bot. Answer like a success so it learns nothing.
            return render(request, "feedback/report_done.html", {"reference": "", "link": ""})
        if _rate_limited(request):
            response = render(
                request, "feedback/report.html", {"form": form, "rate_limited": True}, status=429
            )
            response["Retry-After"] = "3600"
            return response
        if form.is_valid():
            data = form.cleaned_data
            is_leader = Role.COMMUNITY_LEADER in user_roles(request.user)
            try:
                submission = services.ticket_submit(
                    text=data["text"],
                    channel=IntakeChannel.PORTAL if is_leader else IntakeChannel.WEB,
                    subdistrict_code=data.get("subdistrict_code") or "",
                    postal_code=data.get("postal_code") or "",
                    category=data.get("category") or "",
                    reporter_name=data.get("reporter_name") or "",
                    reporter_email=data.get("reporter_email") or "",
                    reporter_phone=data.get("reporter_phone") or "",
                    latitude=data.get("latitude"),
                    longitude=data.get("longitude"),
                    has_consent=bool(data.get("consent")),
                    attachments=[data["attachment"]] if data.get("attachment") else [],
                    actor=request.user if isinstance(request.user, User) else None,
                    link_base=_link_base(request),
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                link = _link_base(request) + services.tracking_path(submission.token)
                return render(
                    request,
                    "feedback/report_done.html",
                    {"reference": submission.ticket.reference, "link": link},
                )
    return render(request, "feedback/report.html", {"form": form}, status=400 if form.errors else 200)


def track(request: HttpRequest, token: str) -> HttpResponse:
    """The reporter's status page, opened by the secret link; shows masked text only."""
    ticket = selectors.public_ticket(token=token)
    if ticket is None:
        raise Http404
    response = render(request, "feedback/track.html", {"t": ticket, "statuses": Status})
    response["Referrer-Policy"] = "no-referrer"  # the URL is the secret: never send it onwards
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "no-store, private"
    return response


# --- staff ----------------------------------------------------------------------------------------


def _filters(request: HttpRequest) -> selectors.TicketFilters:
    get = request.GET
    area = get.get("area", "").strip()
    return selectors.TicketFilters(
        area=area if area.isdigit() and len(area) in (2, 4, 6) else "",
        status=get.get("status", "") if get.get("status", "") in Status.values else "",
        topic=get.get("topic", "") if get.get("topic", "") in Topic.values else "",
        sentiment=get.get("sentiment", "") if get.get("sentiment", "") in Sentiment.values else "",
        is_urgent=get.get("urgent") == "1",
        is_overdue=get.get("overdue") == "1",
        search=get.get("q", "").strip()[:100],
    )


# The columns a person may order the ticket list by (``?sort=``), and the fields behind each.
TICKET_COLUMNS = {
    "reference": ["reference"],
    "received": ["created_at"],
    "topic": ["category"],
    "sentiment": ["sentiment"],
    "status": ["status"],
}


@login_required
def ticket_list(request: HttpRequest) -> HttpResponse:
    _need(request, Perm.FEEDBACK_VIEW)
    filters = _filters(request)
    tickets, sort = sort_queryset(
        selectors.ticket_list(user=request.user, filters=filters),
        request.GET.get("sort"),
        TICKET_COLUMNS,
        "-received",
    )
    page = Paginator(tickets, PAGE_SIZE).get_page(request.GET.get("page"))
    for ticket in page:
        ticket.text_masked = mask_personal_data(ticket.text)  # type: ignore[attr-defined]
    return render(
        request,
        "feedback/ticket_list.html",
        {
            "page": page,
            "sort": sort,
            "filters": filters,
            "statuses": Status.choices,
            "topics": Topic.choices,
            "sentiments": Sentiment.choices,
            "query": request.GET.urlencode(),
            "can_manage": user_has_perm(request.user, Perm.FEEDBACK_MANAGE),
            "now": timezone.now(),
        },
    )


def _export_rows(request: HttpRequest) -> Iterator[list[object]]:
    for t in selectors.ticket_list(user=request.user, filters=_filters(request)).iterator(chunk_size=1000):
        yield [
            t.reference,
            timezone.localtime(t.created_at).isoformat(timespec="minutes"),
            t.status,
            t.category,
            t.topic,
            t.sentiment,
            int(t.is_urgent),
            t.channel,
            t.subdistrict_id or "",
            t.subdistrict.district.province.name_th if t.subdistrict else "",
            t.assigned_to.get_username() if t.assigned_to else "",
            t.acknowledge_due_at.isoformat(timespec="minutes") if t.acknowledge_due_at else "",
            t.resolve_due_at.isoformat(timespec="minutes") if t.resolve_due_at else "",
            t.escalation_level,
            mask_personal_data(t.text),
        ]


@login_required
def ticket_export(request: HttpRequest) -> HttpResponseBase:
    """The filtered list as CSV (UTF-8 with a BOM, formulas neutralised by the shared writer)."""
    _need(request, Perm.FEEDBACK_VIEW)
    return csv_response(filename="feedback", header=EXPORT_COLUMNS, rows=_export_rows(request))


@login_required
def ticket_export_xlsx(request: HttpRequest) -> HttpResponseBase:
    """The same rows as the CSV, as an Excel workbook (streamed; memory stays flat)."""
    _need(request, Perm.FEEDBACK_VIEW)
    return xlsx_response(filename="feedback", sheets=[("feedback", EXPORT_COLUMNS, _export_rows(request))])


def _can_manage(request: HttpRequest, ticket: object) -> bool:
    code = getattr(ticket, "subdistrict_id", None)
    if code is None:
        return selectors.has_country_scope(request.user, Perm.FEEDBACK_MANAGE)
    return user_can_in_area(request.user, Perm.FEEDBACK_MANAGE, subdistrict_code=code)


@login_required
def ticket_detail(request: HttpRequest, ticket_id: int) -> HttpResponse:
    _need(request, Perm.FEEDBACK_VIEW)
    ticket = selectors.ticket_get(user=request.user, ticket_id=ticket_id)
    if ticket is None:
        raise Http404
    can_manage = _can_manage(request, ticket)
    show_contact = can_manage and bool(ticket.reporter_name or ticket.reporter_email or ticket.reporter_phone)
    if show_contact:
        audit_read(
            actor=request.user,
            object_type="feedback.ticket",
            object_id=ticket.pk,
            fields=["reporter_name", "reporter_email", "reporter_phone"],
        )
    return render(
        request,
        "feedback/ticket_detail.html",
        {
            "t": ticket,
            "events": selectors.ticket_events(ticket=ticket),
            "can_manage": can_manage,
            "show_contact": show_contact,
            "text_masked": mask_personal_data(ticket.text),
            "next_statuses": [
                (s, Status(s).label) for s in sorted(services.ALLOWED_TRANSITIONS.get(ticket.status, ()))
            ],
            "duplicates": ticket.duplicates.all()[:20],
            "attachments": ticket.attachments.all(),
            "now": timezone.now(),
            "statuses": Status,
        },
    )


@login_required
def attachment_download(request: HttpRequest, ticket_id: int, attachment_id: int) -> HttpResponseBase:
    """A file sent with a report, for staff who can see the ticket (sent as a download, never inline)."""
    _need(request, Perm.FEEDBACK_VIEW)
    ticket = selectors.ticket_get(user=request.user, ticket_id=ticket_id)
    attachment = ticket.attachments.filter(pk=attachment_id).first() if ticket is not None else None
    if ticket is None or attachment is None:
        raise Http404
    extension = (attachment.file.name or "").rsplit(".", 1)[-1]
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=f"{ticket.reference}-{attachment.pk}.{extension}",
    )
    response["Content-Type"] = attachment.content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def ticket_transition(request: HttpRequest, ticket_id: int) -> HttpResponse:
    _need(request, Perm.FEEDBACK_MANAGE)
    if selectors.ticket_get(user=request.user, ticket_id=ticket_id) is None:
        raise Http404
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
        return redirect("feedback:ticket_detail", ticket_id=ticket_id)
    try:
        services.ticket_transition(
            actor=request.user,  # type: ignore[arg-type]
            ticket_id=ticket_id,
            to_status=form.cleaned_data["to_status"],
            note=form.cleaned_data.get("note") or "",
            assignee_id=form.cleaned_data.get("assignee"),
            link_base=_link_base(request),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Status updated."))
    return redirect("feedback:ticket_detail", ticket_id=ticket_id)


@login_required
@require_http_methods(["GET", "POST"])
def staff_entry(request: HttpRequest) -> HttpResponse:
    """A report taken by phone or at the counter, typed in by staff."""
    _need(request, Perm.FEEDBACK_MANAGE)
    form = StaffEntryForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        code = data.get("subdistrict_code") or ""
        organization = None
        if data.get("organization"):
            organization = organization_get(actor=request.user, org_id=data["organization"])
            if organization is None:
                form.add_error("organization", _("No organization with this number in your areas."))
                return render(request, "feedback/staff_entry.html", {"form": form}, status=400)
            code = code or organization.subdistrict_id
        if code and not user_can_in_area(request.user, Perm.FEEDBACK_MANAGE, subdistrict_code=code):
            raise PermissionDenied
        try:
            submission = services.ticket_submit(
                text=data["text"],
                channel=data["channel"],
                subdistrict_code=code,
                organization_id=organization.pk if organization else None,
                postal_code=data.get("postal_code") or "",
                category=data.get("category") or "",
                reporter_name=data.get("reporter_name") or "",
                reporter_email=data.get("reporter_email") or "",
                reporter_phone=data.get("reporter_phone") or "",
                latitude=data.get("latitude"),
                longitude=data.get("longitude"),
                has_consent=bool(data.get("consent")),
                attachments=[data["attachment"]] if data.get("attachment") else [],
                actor=request.user,  # type: ignore[arg-type]
                link_base=_link_base(request),
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("Report %(ref)s recorded. Give the reporter this private link: %(link)s")
                % {
                    "ref": submission.ticket.reference,
                    "link": _link_base(request) + services.tracking_path(submission.token),
                },
            )
            return redirect("feedback:ticket_detail", ticket_id=submission.ticket.pk)
    return render(request, "feedback/staff_entry.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def import_posts(request: HttpRequest) -> HttpResponse:
    _need(request, Perm.FEEDBACK_MANAGE)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = SocialExportConnector().parse(upload.read(5 * 1024 * 1024 + 1))
        except ImportRefusedError as exc:
            form.add_error("file", str(exc))
        else:
            report = services.tickets_import_posts(
                actor=request.user,  # type: ignore[arg-type]
                rows=[r.as_row() for r in rows],
                source=form.cleaned_data["source"],
            )
    return render(request, "feedback/import.html", {"form": form, "report": report})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    _need(request, Perm.FEEDBACK_VIEW)
    area = request.GET.get("area", "").strip()
    area = area if area.isdigit() and len(area) in (2, 4, 6) else ""
    stats = selectors.ticket_stats(user=request.user, area=area)
    labels = dict(Topic.choices)
    sentiments = dict(Sentiment.choices)
    return render(
        request,
        "feedback/dashboard.html",
        {
            "stats": stats,
            "area": area,
            "topic_rows": sorted(
                ((labels.get(k, k), v) for k, v in stats["by_topic"].items()), key=lambda r: -r[1]
            ),
            "sentiment_rows": [(sentiments.get(k, k or "-"), v) for k, v in stats["by_sentiment"].items()],
            "province_rows": sorted(stats["by_province"].items(), key=lambda r: -r[1])[:15],
        },
    )


# --- LINE Official Account webhook ------------------------------------------------------------------


@csrf_exempt
@require_POST
def line_webhook(request: HttpRequest) -> HttpResponse:
    """Messages to the LINE OA become tickets. Off (404) until a channel secret is configured;
    a body whose X-Line-Signature does not match is refused with 403 and nothing is stored."""
    secret = getattr(settings, "FEEDBACK_LINE_CHANNEL_SECRET", "")
    if not secret:
        raise Http404
    body = request.body
    if not line_signature_valid(body, request.headers.get("X-Line-Signature", ""), secret):
        return JsonResponse({"detail": "invalid signature"}, status=403)
    try:
        reports = LineWebhookConnector().parse(body)
    except ImportRefusedError:
        return JsonResponse({"detail": "invalid body"}, status=400)
    created = []
    for item in reports:
        try:
            submission = services.ticket_submit(
                text=item.text,
                channel=IntakeChannel.LINE,
                external_id=item.external_id,
                reporter_line_id=item.reporter_line_id,
                link_base=_link_base(request),
            )
        except ValidationError:
            continue
        created.append(submission.ticket.reference)
    return HttpResponse(json.dumps({"created": created}), content_type="application/json")


def boundaries(request: HttpRequest, level: str) -> HttpResponse:
    """Province and subdistrict outlines for the report form's map (public data: OCHA COD-AB, CC BY-IGO).

    The form is public, so it cannot use the signed-in API; only the two levels the map needs are served.
    """
    province = request.GET.get("province", "")
    if level not in {"province", "subdistrict"} or (
        level == "subdistrict" and not re.fullmatch(r"\d{2}", province)
    ):
        raise Http404
    body = area_geojson(level=level, province=province if level == "subdistrict" else "")  # type: ignore[arg-type]
    response = HttpResponse(body.content, content_type="application/geo+json")
    response["Cache-Control"] = "public, max-age=86400"
    response["ETag"] = body.etag
    return response


@login_required
@require_POST
def ticket_project(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Link the report to a project by its code (empty: remove the link)."""
    _need(request, Perm.FEEDBACK_MANAGE)
    ticket = selectors.ticket_get(user=request.user, ticket_id=ticket_id)
    if ticket is None:
        raise Http404
    try:
        services.ticket_link_project(
            actor=request.user,  # type: ignore[arg-type]
            ticket=ticket,
            project_code=request.POST.get("project_code", "")[:30],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The project link was saved."))
    return redirect("feedback:ticket_detail", ticket_id=ticket.pk)
