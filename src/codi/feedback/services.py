"""Writes of the feedback module: intake, routing, status flow, escalation, holidays.

Every function runs in one transaction and writes its audit entry there;
notifications are created through ``codi.notifications`` (which queues the
e-mail after commit). Time is passed in as ``now`` so tests control it.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from codi.areas import selectors as area_selectors
from codi.areas.models import Subdistrict
from codi.calendar.selectors import holiday_dates
from codi.core import uploads
from codi.core.audit import audit_record
from codi.core.thaidate import be_year, english_date, thai_date
from codi.feedback import messages as _messages  # noqa: F401  (registers the notification templates)
from codi.feedback import nlp, selectors
from codi.feedback.models import (
    OPEN_STATUSES,
    AreaSource,
    IntakeChannel,
    SlaPolicy,
    Status,
    Ticket,
    TicketAttachment,
    TicketEvent,
    Topic,
)
from codi.feedback.nlp import dedup
from codi.feedback.sla import DEFAULT_SLA, add_working_days
from codi.identity.models import User
from codi.identity.roles import Perm
from codi.identity.selectors import scoped, user_can_in_area, user_has_perm
from codi.notifications.models import Channel
from codi.notifications.services import notification_send
from codi.projects.models import Project

MAX_TEXT_CHARS = 5000
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_ATTACHMENTS = 3
# Type by the file's first bytes, not by its name or the browser's claim.
# Photos and PDFs only, judged by content through the one upload check (codi.core.uploads).
ATTACHMENT_TYPES = frozenset({uploads.JPEG, uploads.PNG, uploads.PDF})
DUPLICATE_WINDOW_DAYS = 90
DUPLICATE_CANDIDATES = 500

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NEW: frozenset({Status.TRIAGED, Status.CLOSED}),
    Status.TRIAGED: frozenset({Status.ASSIGNED, Status.CLOSED}),
    Status.ASSIGNED: frozenset({Status.IN_PROGRESS, Status.TRIAGED}),
    Status.IN_PROGRESS: frozenset({Status.RESOLVED, Status.ASSIGNED}),
    Status.RESOLVED: frozenset({Status.CLOSED, Status.IN_PROGRESS}),  # back to in progress = reopen
    Status.CLOSED: frozenset({Status.TRIAGED}),  # reopen
}
REOPENING = {(Status.RESOLVED, Status.IN_PROGRESS), (Status.CLOSED, Status.TRIAGED)}
STATUS_TH: dict[str, str] = {
    Status.NEW: "รับเรื่องแล้ว",
    Status.TRIAGED: "คัดกรองแล้ว",
    Status.ASSIGNED: "มอบหมายผู้รับผิดชอบแล้ว",
    Status.IN_PROGRESS: "กำลังดำเนินการ",
    Status.RESOLVED: "แก้ไขแล้ว",
    Status.CLOSED: "ปิดเรื่อง",
}
STATUS_EN: dict[str, str] = {
    Status.NEW: "Received",
    Status.TRIAGED: "Triaged",
    Status.ASSIGNED: "Assigned",
    Status.IN_PROGRESS: "In progress",
    Status.RESOLVED: "Resolved",
    Status.CLOSED: "Closed",
}


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def tracking_path(token: str) -> str:
    return f"/feedback/t/{token}/"


def _buddhist_year(moment: datetime) -> int:
    return be_year(moment)


def _clean_text(text: str) -> str:
    text = (text or "").replace("\x00", "").strip()
    if not text:
        raise ValidationError({"text": "กรุณาเล่าเรื่องที่ต้องการแจ้ง / Please describe the problem."})
    if len(text) > MAX_TEXT_CHARS:
        raise ValidationError(
            {
                "text": f"ข้อความยาวเกิน {MAX_TEXT_CHARS:,} ตัวอักษร กรุณาสรุปให้สั้นลง / "
                f"The text is longer than {MAX_TEXT_CHARS:,} characters; please shorten it."
            }
        )
    return text


@dataclass(frozen=True)
class _Place:
    subdistrict: Subdistrict | None
    source: str
    region_code: str | None = None  # when only the province is known (named in the text)


def _coordinates(latitude: object, longitude: object) -> tuple[Decimal, Decimal] | None:
    if latitude in (None, "") and longitude in (None, ""):
        return None
    try:
        lat = Decimal(str(latitude)).quantize(Decimal("0.000001"))
        lon = Decimal(str(longitude)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({"latitude": "พิกัดไม่ถูกต้อง / Invalid coordinates."}) from exc
    if not area_selectors.point_in_thailand(float(lon), float(lat)):
        raise ValidationError({"latitude": "จุดที่เลือกอยู่นอกประเทศไทย / The point is outside Thailand."})
    return lat, lon


def _resolve_area(
    subdistrict_code: str, postal_code: str, point: tuple[Decimal, Decimal] | None, text: str
) -> _Place:
    """The report's area: the code given, else the postal code, else the map pin, else place names in the text."""
    if subdistrict_code:
        area = selectors.subdistrict_with_province(code=subdistrict_code)
        if area is None:
            raise ValidationError({"subdistrict_code": "ไม่พบรหัสตำบลนี้ / Unknown subdistrict code."})
        return _Place(area, AreaSource.GIVEN)
    if postal_code:
        area = selectors.subdistrict_for_postal_code(postal_code=postal_code)
        if area is not None:
            return _Place(area, AreaSource.POSTAL_CODE)
    if point is not None:
        area = area_selectors.subdistrict_at(lon=float(point[1]), lat=float(point[0]))
        if area is not None:
            return _Place(area, AreaSource.MAP)
    guessed, province = area_selectors.area_from_text(text)
    if guessed is not None:
        return _Place(guessed, AreaSource.TEXT)
    if province is not None and province.region_id:
        return _Place(None, AreaSource.TEXT, region_code=province.region_id)
    return _Place(None, AreaSource.NONE)


def _holidays() -> list[date]:
    return holiday_dates()


def sla_days(category: str) -> tuple[int, int]:
    policy = SlaPolicy.objects.filter(category=category).first()
    if policy is not None:
        return policy.acknowledge_days, policy.resolve_days
    return DEFAULT_SLA.get(category, DEFAULT_SLA["other"])


def _area_label(ticket: Ticket) -> str:
    if ticket.subdistrict is None:
        return "ไม่ระบุพื้นที่"
    sub = ticket.subdistrict
    return f"ต.{sub.name_th} อ.{sub.district.name_th} จ.{sub.district.province.name_th}"


def _check_attachments(files: Sequence[UploadedFile]) -> list[tuple[UploadedFile, str]]:
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError(
            {"attachment": f"แนบได้ไม่เกิน {MAX_ATTACHMENTS} ไฟล์ / At most {MAX_ATTACHMENTS} files."}
        )
    checked = []
    for upload in files:
        if (upload.size or 0) > MAX_ATTACHMENT_BYTES:
            raise ValidationError({"attachment": "ไฟล์ใหญ่เกิน 5 MB / The file is larger than 5 MB."})
        upload.seek(0)
        try:
            info = uploads.inspect_file(
                upload.read(), accept=ATTACHMENT_TYPES, max_bytes=MAX_ATTACHMENT_BYTES, max_pages=50
            )
        except uploads.FileRefusedError as exc:
            raise ValidationError({"attachment": f"{exc.message_th} / {exc.message_en}"}) from None
        finally:
            upload.seek(0)
        checked.append((upload, info.content_type))
    return checked


def _save_attachments(
    ticket: Ticket, files: list[tuple[UploadedFile, str]], stored: uploads.StoredFiles
) -> None:
    for upload, content_type in files:
        upload.seek(0)
        data = upload.read()
        attachment = TicketAttachment(
            ticket=ticket,
            original_name=(upload.name or "file")[:200],
            content_type=content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
        )
        # A random stored name (the reporter's file name may itself carry personal data),
        # removed again if the ticket is not saved.
        stored.save(attachment.file, data, content_type=content_type)
        attachment.save()


@dataclass
class Submission:
    ticket: Ticket
    token: str
    duplicates_of: Ticket | None = None


def ticket_submit(
    *,
    text: str,
    channel: str,
    subdistrict_code: str = "",
    postal_code: str = "",
    organization_id: int | None = None,
    category: str = "",
    reporter_name: str = "",
    reporter_email: str = "",
    reporter_phone: str = "",
    reporter_line_id: str = "",
    latitude: object = None,
    longitude: object = None,
    has_consent: bool = False,
    actor: User | None = None,
    external_id: str = "",
    link_base: str = "",
    now: datetime | None = None,
    is_demo: bool = False,
    attachments: Sequence[UploadedFile] = (),
) -> Submission:
    """Take in one report: analyse it, find its duplicate cluster, set the SLA, route it, notify.

    Raises ``ValidationError`` for an empty or over-long text, an unknown
    area, or personal contact details given without consent.
    """
    now = now or timezone.now()
    text = _clean_text(text)
    if channel not in IntakeChannel.values:
        raise ValidationError({"channel": "unknown channel"})
    if (
        (reporter_name or reporter_email or reporter_phone)
        and not has_consent
        and channel == IntakeChannel.WEB
    ):
        raise ValidationError(
            {"consent": "กรุณายินยอมตามประกาศความเป็นส่วนตัว / Please accept the privacy notice."}
        )
    point = _coordinates(latitude, longitude)
    place = _resolve_area(subdistrict_code.strip(), postal_code.strip(), point, text)
    area = place.subdistrict
    files = _check_attachments(attachments)
    analysis = nlp.analyse(text)
    chosen = category if category in Topic.values else analysis.topic
    signature = dedup.signature(text)
    token = secrets.token_urlsafe(24)
    ack_days, resolve_days = sla_days(chosen)
    holidays = _holidays()
    with uploads.stored_files() as stored, transaction.atomic():
        match, score = _find_duplicate(signature, area, now)
        ticket = Ticket(
            token_hash=token_hash(token),
            channel=channel,
            external_id=external_id[:200],
            text=text,
            subdistrict=area,
            postal_code=postal_code.strip()[:5],
            latitude=point[0] if point else None,
            longitude=point[1] if point else None,
            area_source=place.source,
            region_id=place.region_code,
            organization_id=organization_id,
            category=chosen,
            topic=analysis.topic,
            topic_confidence=round(analysis.topic_confidence, 4),
            sentiment=analysis.sentiment,
            sentiment_confidence=round(analysis.sentiment_confidence, 4),
            is_urgent=analysis.is_urgent,
            urgency_reasons=list(analysis.urgency_reasons),
            has_personal_data=analysis.has_personal_data,
            minhash=signature,
            cluster=(match.cluster or match) if match is not None else None,
            duplicate_score=round(score, 4),
            reporter_name=reporter_name.strip()[:200],
            reporter_email=reporter_email.strip()[:254],
            reporter_phone=reporter_phone.strip()[:30],
            reporter_line_id=reporter_line_id[:64],
            consent_at=now if has_consent else None,
            acknowledge_due_at=add_working_days(now, ack_days, holidays),
            resolve_due_at=add_working_days(now, resolve_days, holidays),
            created_by=actor if actor is not None and actor.is_authenticated else None,
            created_at=now,
            is_demo=is_demo,
        )
        try:
            with transaction.atomic():
                ticket.save()
        except IntegrityError as exc:
            raise ValidationError({"external_id": "this post was imported already"}) from exc
        ticket.reference = f"FB-{_buddhist_year(now)}-{ticket.pk:06d}"
        ticket.save(update_fields=["reference"])
        _save_attachments(ticket, files, stored)
        TicketEvent.objects.create(
            ticket=ticket, kind=TicketEvent.Kind.CREATED, to_status=Status.NEW, created_at=now
        )
        audit_record(
            actor=ticket.created_by,
            action="feedback.ticket.create",
            object_type="feedback.ticket",
            object_id=ticket.pk,
            changes={
                "reference": ticket.reference,
                "channel": channel,
                "subdistrict": area.code if area else "",
                "area_source": place.source,
                "category": chosen,
                "sentiment": analysis.sentiment,
                "urgent": analysis.is_urgent,
                "cluster": ticket.cluster_id,
                "attachments": len(files),
                "reporter_name": ticket.reporter_name,
                "reporter_email": ticket.reporter_email,
                "reporter_phone": ticket.reporter_phone,
            },
            personal_fields=("reporter_name", "reporter_email", "reporter_phone"),
        )
        _route(ticket, now, link_base)
        link = link_base.rstrip("/") + tracking_path(token)
        if ticket.reporter_email:
            notification_send(
                recipient_email=ticket.reporter_email,
                template_key="feedback.received",
                context={"reference": ticket.reference, "link": link},
                channel=Channel.EMAIL,
                link=link,
            )
        if ticket.reporter_line_id:
            notification_send(
                recipient_line_id=ticket.reporter_line_id,
                template_key="feedback.received",
                context={"reference": ticket.reference, "link": link},
                channel=Channel.LINE,
            )
    return Submission(ticket=ticket, token=token, duplicates_of=match)


def _find_duplicate(
    signature: list[int], area: Subdistrict | None, now: datetime
) -> tuple[Ticket | None, float]:
    recent = Ticket.objects.filter(created_at__gte=now - timedelta(days=DUPLICATE_WINDOW_DAYS))
    if area is not None:
        recent = recent.filter(subdistrict__code__startswith=area.code[:2])
    else:
        recent = recent.filter(subdistrict__isnull=True)
    candidates = list(
        recent.order_by("-created_at").values_list("id", "minhash", "cluster_id")[:DUPLICATE_CANDIDATES]
    )
    candidates = [c for c in candidates if isinstance(c[1], list) and len(c[1]) == dedup.NUM_HASHES]
    if not candidates:
        return None, 0.0
    best, score = dedup.best_match(signature, [c[1] for c in candidates])
    if best < 0 or score < dedup.DUPLICATE_THRESHOLD:
        return None, score if best >= 0 else 0.0
    match = Ticket.objects.get(pk=candidates[best][0])
    return match, score


def _route(ticket: Ticket, now: datetime, link_base: str = "") -> None:
    """Send the ticket to the regional office of its area and to the officer responsible there.

    With only a province named in the text, the ticket goes to that region's office queue
    (no officer yet); with no area at all it waits in the national triage list.
    """
    if ticket.subdistrict is None:
        if ticket.region_id:
            TicketEvent.objects.create(
                ticket=ticket,
                kind=TicketEvent.Kind.ROUTED,
                note="ส่งถึงสำนักงานภาคตามจังหวัดที่ระบุในข้อความ / routed to the region of the province named in the text",
                created_at=now,
            )
        return
    region_code = ticket.subdistrict.district.province.region_id
    officer = selectors.officer_for_area(subdistrict_code=ticket.subdistrict.code)
    ticket.region_id = region_code
    ticket.assigned_to = officer
    ticket.save(update_fields=["region", "assigned_to"])
    TicketEvent.objects.create(
        ticket=ticket,
        kind=TicketEvent.Kind.ROUTED,
        note=f"ส่งถึงสำนักงานภาค {ticket.region.name_th if ticket.region else '-'}",
        created_at=now,
    )
    audit_record(
        actor=None,
        action="feedback.ticket.route",
        object_type="feedback.ticket",
        object_id=ticket.pk,
        changes={"region": region_code, "assigned_to": officer.pk if officer else None},
    )
    if officer is not None:
        with translation.override("th"):  # the Thai body names the category in Thai, whatever is active
            label_th = str(Topic(ticket.category).label)
        for channel in (Channel.IN_APP, Channel.EMAIL):
            notification_send(
                recipient_user=officer,
                template_key="feedback.assigned",
                context={
                    "reference": ticket.reference,
                    "category_th": label_th,
                    "category_en": ticket.category,
                    "area": _area_label(ticket),
                    "urgent": ticket.is_urgent,
                    # Dates in the reader's words: B.E. in the Thai text, Gregorian in the English.
                    "due": thai_date(ticket.acknowledge_due_at, with_time=True)
                    if ticket.acknowledge_due_at
                    else "-",
                    "due_en": english_date(ticket.acknowledge_due_at, with_time=True)
                    if ticket.acknowledge_due_at
                    else "-",
                },
                channel=channel,
                link=f"{link_base.rstrip('/')}/feedback/{ticket.pk}/",
            )


def _can_manage(user: User, ticket: Ticket) -> bool:
    if ticket.subdistrict_id is None:
        return selectors.has_country_scope(user, Perm.FEEDBACK_MANAGE)
    return user_can_in_area(user, Perm.FEEDBACK_MANAGE, subdistrict_code=ticket.subdistrict_id)


def ticket_transition(
    *,
    actor: User,
    ticket_id: int,
    to_status: str,
    note: str = "",
    assignee_id: int | None = None,
    link_base: str = "",
    now: datetime | None = None,
) -> Ticket:
    """Move a ticket along new → triaged → assigned → in progress → resolved → closed (or reopen).

    Only staff who manage feedback in the ticket's area may; a move the flow
    does not allow raises ``ValidationError``. The reporter is told by e-mail
    when they left an address; the new owner in the platform.
    """
    now = now or timezone.now()
    with transaction.atomic():
        ticket = (
            Ticket.objects.select_for_update(of=("self",))
            .select_related("subdistrict__district__province")
            .get(pk=ticket_id)
        )
        if not _can_manage(actor, ticket):
            raise PermissionDenied
        current = ticket.status
        if to_status not in ALLOWED_TRANSITIONS.get(current, frozenset()):
            raise ValidationError(
                {
                    "status": f"เปลี่ยนจาก {STATUS_TH.get(current, current)} เป็น {STATUS_TH.get(to_status, to_status)} ไม่ได้ / "
                    f"Cannot move from {current} to {to_status}."
                }
            )
        note = note.strip()[:2000]
        if to_status == Status.ASSIGNED:
            assignee = User.objects.filter(pk=assignee_id, is_active=True).first() if assignee_id else actor
            if assignee is None or not user_can_in_area(
                assignee, Perm.FEEDBACK_MANAGE, subdistrict_code=ticket.subdistrict_id or ""
            ):
                raise ValidationError(
                    {"assignee": "ผู้รับผิดชอบต้องดูแลพื้นที่นี้ / The assignee must manage this area."}
                )
            ticket.assigned_to = assignee
        if current == Status.NEW and ticket.acknowledged_at is None:
            ticket.acknowledged_at = now
        if to_status == Status.RESOLVED:
            ticket.resolved_at = now
        if to_status == Status.CLOSED:
            ticket.closed_at = now
        is_reopen = (current, to_status) in REOPENING
        if is_reopen:
            ticket.resolved_at = None
            ticket.closed_at = None
            _, resolve_days = sla_days(ticket.category)
            ticket.resolve_due_at = add_working_days(now, resolve_days, _holidays())
            ticket.escalation_level = 0
        ticket.status = to_status
        ticket.save()
        TicketEvent.objects.create(
            ticket=ticket,
            kind=TicketEvent.Kind.REOPENED if is_reopen else TicketEvent.Kind.STATUS,
            from_status=current,
            to_status=to_status,
            note=note,
            actor=actor,
            created_at=now,
        )
        audit_record(
            actor=actor,
            action="feedback.ticket.reopen" if is_reopen else "feedback.ticket.status",
            object_type="feedback.ticket",
            object_id=ticket.pk,
            changes={"status": [current, to_status], "assigned_to": ticket.assigned_to_id, "note": note},
            personal_fields=("note",),  # free text to the reporter: names and numbers end up in it
        )
        _notify_status(ticket, note)
        if to_status == Status.ASSIGNED and ticket.assigned_to is not None and ticket.assigned_to != actor:
            notification_send(
                recipient_user=ticket.assigned_to,
                template_key="generic",
                context={"subject": f"มอบหมายเรื่อง {ticket.reference} ให้ท่าน", "body": note or "-"},
                channel=Channel.IN_APP,
                link=f"/feedback/{ticket.pk}/",
            )
    return ticket


def _notify_status(ticket: Ticket, note: str) -> None:
    if not ticket.reporter_email:
        return
    # Only the token's hash is stored, so later messages cannot repeat the secret link.
    notification_send(
        recipient_email=ticket.reporter_email,
        template_key="feedback.status_changed",
        context={
            "reference": ticket.reference,
            "status_th": STATUS_TH[Status(ticket.status)],
            "status_en": STATUS_EN[Status(ticket.status)],
            "note": nlp.mask_personal_data(note),
        },
        channel=Channel.EMAIL,
    )


@dataclass
class EscalationReport:
    escalated: list[str] = field(default_factory=list)


def tickets_escalate_overdue(*, now: datetime | None = None) -> EscalationReport:
    """Escalate open tickets past their SLA: level 1 when not acknowledged in time, level 2 when not
    resolved in time. Each escalation notifies the regional directors of the ticket's region and the
    owner, is recorded on the ticket (visible to the reporter) and audited. Safe to run repeatedly."""
    now = now or timezone.now()
    report = EscalationReport()
    candidates = Ticket.objects.filter(status__in=OPEN_STATUSES, escalation_level__lt=2).select_related(
        "subdistrict__district__province", "assigned_to"
    )
    for ticket in candidates.iterator(chunk_size=500):
        level = ticket.escalation_level
        target = level
        if ticket.resolve_due_at and ticket.resolve_due_at < now:
            target = 2
        elif ticket.status == Status.NEW and ticket.acknowledge_due_at and ticket.acknowledge_due_at < now:
            target = 1
        if target <= level:
            continue
        with transaction.atomic():
            locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
            if locked.escalation_level >= target:
                continue
            locked.escalation_level = target
            locked.escalated_at = now
            locked.save(update_fields=["escalation_level", "escalated_at"])
            what_th = "ยังไม่ได้แก้ไขตามกำหนด" if target == 2 else "ยังไม่ได้ตอบรับตามกำหนด"
            what_en = "not resolved in time" if target == 2 else "not acknowledged in time"
            TicketEvent.objects.create(
                ticket=locked,
                kind=TicketEvent.Kind.ESCALATED,
                note=f"เกินกำหนด: {what_th} — ส่งเรื่องถึงผู้อำนวยการภาค",
                created_at=now,
            )
            audit_record(
                actor=None,
                action="feedback.ticket.escalate",
                object_type="feedback.ticket",
                object_id=locked.pk,
                changes={"level": [level, target]},
            )
            recipients = list(selectors.directors_for_area(subdistrict_code=locked.subdistrict_id or ""))
            if ticket.assigned_to is not None and ticket.assigned_to not in recipients:
                recipients.append(ticket.assigned_to)
            for person in recipients:
                notification_send(
                    recipient_user=person,
                    template_key="feedback.escalated",
                    context={
                        "reference": locked.reference,
                        "area": _area_label(ticket),
                        "what_th": what_th,
                        "what_en": what_en,
                        "owner": ticket.assigned_to.display_name if ticket.assigned_to else "-",
                    },
                    channel=Channel.IN_APP,
                    link=f"/feedback/{locked.pk}/",
                )
            report.escalated.append(locked.reference or str(locked.pk))
    return report


@dataclass
class ImportReport:
    created: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)


def tickets_import_posts(
    *, actor: User | None, rows: Iterable[dict[str, Any]], source: str = "social", now: datetime | None = None
) -> ImportReport:
    """Bulk import of social-media posts (rows from a CSV/JSON export): one ticket per post.

    A row needs ``text``; ``id`` (or ``url``) makes re-imports skip posts already in;
    ``subdistrict_code`` or ``postal_code`` place it. Bad rows are reported, not fatal.
    ``actor`` is ``None`` for a configured connector run by the system (``feedback_pull``).
    """
    if actor is not None and not user_has_perm(actor, Perm.FEEDBACK_MANAGE):
        raise PermissionDenied
    report = ImportReport()
    for number, row in enumerate(rows, start=1):
        external = str(row.get("id") or row.get("url") or "").strip()
        external = f"{source}:{external}" if external else ""
        if external and Ticket.objects.filter(channel=IntakeChannel.SOCIAL, external_id=external).exists():
            report.skipped += 1
            continue
        try:
            submission = ticket_submit(
                text=str(row.get("text") or ""),
                channel=IntakeChannel.SOCIAL,
                subdistrict_code=str(row.get("subdistrict_code") or ""),
                postal_code=str(row.get("postal_code") or ""),
                actor=actor,
                external_id=external,
                now=now,
            )
        except ValidationError as exc:
            report.errors.append(f"row {number}: {'; '.join(exc.messages)}")
            continue
        report.created += 1
        report.references.append(submission.ticket.reference or "")
    return report


def ticket_link_project(*, actor: User, ticket: Ticket, project_code: str) -> Ticket:
    """Tie a report to the community project it is about (or untie it with an empty code).

    The officer must manage the ticket and be able to see the project; a project in another
    area is refused as unknown, so the answer does not reveal that it exists.
    """
    if not _can_manage(actor, ticket):
        raise PermissionDenied
    code = project_code.strip()
    project = None
    if code:
        visible = scoped(Project.objects.all(), actor, Perm.PROJECTS_VIEW, subdistrict_field="subdistrict")
        project = visible.filter(code=code).first()
        if project is None:
            raise ValidationError({"project": f"ไม่พบโครงการรหัส {code} / No project with code {code}"})
    with transaction.atomic():
        before = ticket.project.code if ticket.project_id and ticket.project else ""
        ticket.project = project
        ticket.save(update_fields=["project"])
        audit_record(
            actor=actor,
            action="feedback.ticket.link_project",
            object_type="feedback.ticket",
            object_id=ticket.pk,
            changes={"project": [before, code]},
        )
    return ticket
