"""Writes of electronic correspondence: register, number, route, acknowledge, minute, attach, print, sign.

Every function checks that the actor may do it (``selectors.letter_can_*``),
runs in one transaction and writes its audit entry there. Notifications go
out after commit.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from codi.core import uploads
from codi.core.audit import audit_record
from codi.core.pdf import render_pdf
from codi.core.thaidate import BE_OFFSET, fiscal_year_be
from codi.correspondence import selectors
from codi.correspondence.letter_pdf import URGENCY_TH, letter_pdf_context
from codi.correspondence.models import (
    SECRET_LEVELS,
    Attachment,
    Letter,
    LetterKind,
    LetterStatus,
    Note,
    NoteKind,
    RegisterBook,
    Registrar,
    Routing,
    RunningNumber,
    Secrecy,
    Urgency,
    YearBasis,
)
from codi.documents.selectors import document_get
from codi.identity.models import OrgUnit, User
from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm
from codi.notifications.services import notification_send
from codi.signatures.services import pdf_sign

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


class LetterRefusedError(ValidationError):
    """A correspondence action that cannot be done as asked (Thai / English message)."""

    def __init__(self, thai: str, english: str) -> None:
        super().__init__(f"{thai} / {english}", code="correspondence")
        self.thai = thai
        self.english = english


def thai_digits(text: str) -> str:
    return text.translate(THAI_DIGITS)


# --- unit settings and registrars ---------------------------------------------------------


def _need_admin(actor: User) -> None:
    if not user_has_perm(actor, Perm.USERS_MANAGE):
        raise PermissionDenied


def register_book_set(
    *,
    actor: User | None,
    org_unit: OrgUnit,
    letter_code: str,
    year_basis: str = YearBasis.CALENDAR,
    thai_digits: bool = True,
) -> RegisterBook:
    """Set a unit's letter-number code (e.g. "พอช ๑๒.๓") and how its numbers restart."""
    if actor is not None:
        _need_admin(actor)
    if year_basis not in YearBasis.values or not letter_code.strip():
        raise LetterRefusedError("รหัสหนังสือหรือรอบปีไม่ถูกต้อง", "Invalid letter code or year basis")
    with transaction.atomic():
        book, created = RegisterBook.objects.update_or_create(
            org_unit=org_unit,
            defaults={
                "letter_code": letter_code.strip(),
                "year_basis": year_basis,
                "thai_digits": thai_digits,
            },
        )
        audit_record(
            actor=actor,
            action="correspondence.register_book.set",
            object_type="correspondence.registerbook",
            object_id=book.pk,
            changes={
                "org_unit": org_unit.code,
                "letter_code": book.letter_code,
                "year_basis": year_basis,
                "thai_digits": thai_digits,
                "created": created,
            },
        )
    return book


def registrar_assign(*, actor: User | None, user: User, org_unit: OrgUnit) -> Registrar:
    """Make ``user`` a keeper of ``org_unit``'s register."""
    if actor is not None:
        _need_admin(actor)
    with transaction.atomic():
        registrar, created = Registrar.objects.get_or_create(
            user=user, org_unit=org_unit, defaults={"granted_by": actor}
        )
        if created:
            audit_record(
                actor=actor,
                action="correspondence.registrar.assign",
                object_type="correspondence.registrar",
                object_id=registrar.pk,
                changes={"user": user.get_username(), "org_unit": org_unit.code},
            )
    return registrar


def registrar_remove(*, actor: User | None, registrar: Registrar) -> None:
    if actor is not None:
        _need_admin(actor)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="correspondence.registrar.remove",
            object_type="correspondence.registrar",
            object_id=registrar.pk,
            changes={"user": registrar.user.get_username(), "org_unit": registrar.org_unit.code},
        )
        registrar.delete()


# --- numbering ---------------------------------------------------------------------------


def register_year(*, book: RegisterBook | None, on: date) -> int:
    """The Buddhist-Era year a number given on ``on`` belongs to (calendar, or fiscal Oct–Sep)."""
    if book is not None and book.year_basis == YearBasis.FISCAL:
        return fiscal_year_be(on)
    return on.year + BE_OFFSET


def number_allocate(*, org_unit: OrgUnit, kind: str, on: date) -> tuple[int, int]:
    """The next number in the unit's series for ``kind`` and the year of ``on``: (year, number).

    The series row is locked (SELECT … FOR UPDATE on PostgreSQL; SQLite's
    write transaction serialises writers), so two clerks registering at the
    same moment get different numbers. A number once given is never given
    again, even if its letter is cancelled. Call inside the caller's transaction.
    """
    book = RegisterBook.objects.filter(org_unit=org_unit).first()
    year = register_year(book=book, on=on)
    with transaction.atomic():
        series, _ = RunningNumber.objects.select_for_update().get_or_create(
            org_unit=org_unit, kind=kind, year=year
        )
        series.last_number += 1
        series.save(update_fields=["last_number"])
    return year, series.last_number


def document_number_format(*, org_unit: OrgUnit, number: int) -> str:
    """``พอช ๑๒.๓/๔๕``: the unit's letter code and the running number, in Thai digits if the book says so."""
    book = RegisterBook.objects.filter(org_unit=org_unit).first()
    code = book.letter_code if book is not None else org_unit.code
    text = f"{code}/{number}"
    return thai_digits(text) if book is None or book.thai_digits else text


# --- letters -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LetterData:
    kind: str
    subject: str
    letter_date: date
    urgency: str = Urgency.NORMAL
    secrecy: str = Secrecy.NORMAL
    document_number: str = ""  # incoming: the sender's number; ignored for outgoing letters and memos
    sender: str = ""
    recipient: str = ""
    salutation: str = ""
    reference: str = ""
    enclosures: str = ""
    body: str = ""
    closing: str = ""
    signer_id: int | None = None
    signer_name: str = ""
    signer_position: str = ""
    contact: str = ""


def _check_data(data: LetterData) -> None:
    if data.kind not in LetterKind.values:
        raise LetterRefusedError("ประเภทหนังสือไม่ถูกต้อง", "Unknown letter kind")
    if data.urgency not in Urgency.values or data.secrecy not in Secrecy.values:
        raise LetterRefusedError("ชั้นความเร็วหรือชั้นความลับไม่ถูกต้อง", "Unknown urgency or secrecy")
    if not data.subject.strip():
        raise LetterRefusedError("ต้องมีเรื่อง", "A letter needs a subject")
    if data.kind == LetterKind.INCOMING and not data.sender.strip():
        raise LetterRefusedError("หนังสือรับต้องระบุผู้ส่ง", "An incoming letter needs its sender")


def letter_register(*, actor: User, org_unit: OrgUnit, data: LetterData) -> Letter:
    """Register a letter in ``org_unit``'s book and give it the next number of its series.

    Only a registrar of the unit may register. Outgoing letters and memos get
    their document number (``พอช ๑๒.๓/๔๕``) now; incoming letters keep the
    sender's number and get a receipt number (เลขทะเบียนรับ) and time.
    """
    if not selectors.user_is_registrar(actor, org_unit_id=org_unit.pk):
        raise PermissionDenied
    _check_data(data)
    signer = None
    if data.signer_id is not None:
        signer = User.objects.filter(pk=data.signer_id, is_active=True).first()
        if signer is None:
            raise LetterRefusedError("ไม่พบผู้ลงนาม", "The signer does not exist")
    now = timezone.now()
    with transaction.atomic():
        year, number = number_allocate(org_unit=org_unit, kind=data.kind, on=timezone.localdate(now))
        document_number = data.document_number.strip()
        if data.kind != LetterKind.INCOMING:
            document_number = document_number_format(org_unit=org_unit, number=number)
        letter = Letter.objects.create(
            org_unit=org_unit,
            kind=data.kind,
            year=year,
            register_number=number,
            document_number=document_number,
            letter_date=data.letter_date,
            received_at=now if data.kind == LetterKind.INCOMING else None,
            sender=data.sender.strip(),
            recipient=data.recipient.strip(),
            subject=data.subject.strip(),
            salutation=data.salutation.strip(),
            reference=data.reference.strip(),
            enclosures=data.enclosures.strip(),
            body=data.body,
            closing=data.closing.strip(),
            signer=signer,
            signer_name=data.signer_name.strip() or (signer.display_name if signer else ""),
            signer_position=data.signer_position.strip() or (signer.position if signer else ""),
            contact=data.contact.strip(),
            urgency=data.urgency,
            secrecy=data.secrecy,
            registered_by=actor,
            registered_at=now,
        )
        audit_record(
            actor=actor,
            action="correspondence.letter.register",
            object_type="correspondence.letter",
            object_id=letter.pk,
            changes={
                "org_unit": org_unit.code,
                "kind": letter.kind,
                "year": year,
                "register_number": number,
                "document_number": letter.document_number,
                "urgency": letter.urgency,
                "secrecy": letter.secrecy,
                # A secret letter's subject stays out of the audit trail, which more people read.
                "subject": "(secret)" if letter.is_secret else letter.subject,
            },
        )
    return letter


def letter_set_status(*, actor: User, letter: Letter, status: str) -> Letter:
    """Close or cancel a letter (registrars of its unit). Its number stays taken."""
    if not selectors.user_is_registrar(actor, org_unit_id=letter.org_unit_id):
        raise PermissionDenied
    if status not in LetterStatus.values:
        raise LetterRefusedError("สถานะไม่ถูกต้อง", "Unknown status")
    if letter.status == LetterStatus.CANCELLED:
        raise LetterRefusedError("หนังสือถูกยกเลิกแล้ว", "The letter is cancelled")
    with transaction.atomic():
        old = letter.status
        letter.status = status
        letter.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="correspondence.letter.status",
            object_type="correspondence.letter",
            object_id=letter.pk,
            changes={"status": [old, status]},
        )
    return letter


# --- routing, acknowledgement, minutes -------------------------------------------------------


def _notify_routing(routing_ids: list[int]) -> None:
    for routing in Routing.objects.filter(pk__in=routing_ids).select_related("letter", "to_unit", "to_user"):
        letter = routing.letter
        recipients = selectors.routing_recipients(routing)
        for person in recipients:
            notification_send(
                recipient_user=person,
                template_key="correspondence.routed",
                context={
                    # A secret letter's subject is not put into a message that may leave the platform.
                    "subject": "(หนังสือลับ)" if letter.is_secret else letter.subject,
                    "subject_en": "(classified letter)" if letter.is_secret else letter.subject,
                    "number": letter.document_number or str(letter.register_number),
                    "urgency": URGENCY_TH.get(letter.urgency, ""),  # type: ignore[call-overload]
                    "urgency_en": letter.urgency.replace("_", " "),
                    "instruction": "" if letter.is_secret else routing.instruction,
                },
                channel="in_app",
                link=f"/correspondence/{letter.pk}/",
            )


def letter_route(
    *,
    actor: User,
    letter: Letter,
    to_unit_ids: list[int] | None = None,
    to_user_ids: list[int] | None = None,
    instruction: str = "",
) -> list[Routing]:
    """Send the letter on to units and/or named people, with an instruction (one routing each).

    Whoever may read the letter may send it on. A classified letter
    (ลับ/ลับมาก/ลับที่สุด) goes to named people only: a unit is refused, since
    everybody in a unit would then read it.
    """
    if not selectors.letter_can_view(actor, letter):
        raise PermissionDenied
    unit_ids = sorted(set(to_unit_ids or []))
    user_ids = sorted(set(to_user_ids or []))
    if not unit_ids and not user_ids:
        raise LetterRefusedError("ต้องระบุหน่วยงานหรือบุคคลที่จะส่งถึง", "Name a unit or a person to send it to")
    if letter.status == LetterStatus.CANCELLED:
        raise LetterRefusedError("หนังสือถูกยกเลิกแล้ว", "The letter is cancelled")
    if unit_ids and letter.secrecy in SECRET_LEVELS:
        raise LetterRefusedError(
            "หนังสือลับส่งได้เฉพาะถึงตัวบุคคลที่ระบุชื่อ ไม่ส่งถึงหน่วยงาน",
            "A classified letter goes to named people only, not to a unit",
        )
    units = list(OrgUnit.objects.filter(pk__in=unit_ids))
    users = list(User.objects.filter(pk__in=user_ids, is_active=True))
    if len(units) != len(unit_ids) or len(users) != len(user_ids):
        raise LetterRefusedError("ไม่พบหน่วยงานหรือบุคคลที่ระบุ", "A unit or person named does not exist")
    now = timezone.now()
    with transaction.atomic():
        routings = [
            Routing(letter=letter, sent_by=actor, sent_at=now, to_unit=unit, instruction=instruction.strip())
            for unit in units
        ] + [
            Routing(letter=letter, sent_by=actor, sent_at=now, to_user=user, instruction=instruction.strip())
            for user in users
        ]
        Routing.objects.bulk_create(routings)
        routings = list(Routing.objects.filter(letter=letter, sent_at=now, sent_by=actor).order_by("id"))
        if letter.status == LetterStatus.REGISTERED:
            letter.status = LetterStatus.IN_PROGRESS
            letter.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="correspondence.letter.route",
            object_type="correspondence.letter",
            object_id=letter.pk,
            changes={
                "to_units": [u.code for u in units],
                "to_users": [u.get_username() for u in users],
                "instruction": "(secret)" if letter.is_secret else instruction.strip(),
            },
        )
        ids = [r.pk for r in routings]
        transaction.on_commit(lambda: _notify_routing(ids))
    return routings


def routing_acknowledge(*, actor: User, routing: Routing) -> Routing:
    """The named person, or someone of the unit it was sent to, confirms they received the letter."""
    if not selectors.routing_can_acknowledge(actor, routing):
        raise PermissionDenied
    with transaction.atomic():
        locked = Routing.objects.select_for_update().get(pk=routing.pk)
        if locked.acknowledged_at is not None:
            raise LetterRefusedError("รับทราบไปแล้ว", "Already acknowledged")
        locked.acknowledged_at = timezone.now()
        locked.acknowledged_by = actor
        locked.save(update_fields=["acknowledged_at", "acknowledged_by"])
        audit_record(
            actor=actor,
            action="correspondence.routing.acknowledge",
            object_type="correspondence.routing",
            object_id=locked.pk,
            changes={"letter": locked.letter_id},
        )
    return locked


def note_add(*, actor: User, letter: Letter, text: str, kind: str = NoteKind.COMMENT) -> Note:
    """Write a minute on the letter (เกษียนหนังสือ): an instruction or a comment. Minutes are never edited."""
    if not selectors.letter_can_view(actor, letter):
        raise PermissionDenied
    if kind not in NoteKind.values:
        raise LetterRefusedError("ประเภทบันทึกไม่ถูกต้อง", "Unknown note kind")
    if not text.strip():
        raise LetterRefusedError("ข้อความว่าง", "The note is empty")
    with transaction.atomic():
        note = Note.objects.create(letter=letter, author=actor, kind=kind, text=text.strip())
        audit_record(
            actor=actor,
            action="correspondence.note.add",
            object_type="correspondence.note",
            object_id=note.pk,
            changes={"letter": letter.pk, "kind": kind},
        )
    return note


def attachment_add(
    *,
    actor: User,
    letter: Letter,
    filename: str,
    content: bytes,
    content_type: str = "",
    document_id: int | None = None,
) -> Attachment:
    """Keep a file with the letter (registrars of its unit, or whoever registered it).

    The file is checked like a document (PDF, PNG, JPEG, TIFF, DOCX or XLSX, judged by its
    content) and stored under a generated name with the detected type's extension; the sender's
    file name is kept for display only and the type the browser claimed (``content_type``) is
    ignored. A linked document must be one the actor can open.
    """
    if not selectors.letter_can_edit(actor, letter):
        raise PermissionDenied
    if not content:
        raise LetterRefusedError("ไฟล์ว่าง", "The file is empty")
    try:
        info = uploads.inspect_file(content, max_bytes=MAX_ATTACHMENT_BYTES)
    except uploads.FileRefusedError as exc:
        raise LetterRefusedError(exc.message_th, exc.message_en) from exc
    if document_id is not None and document_get(user=actor, document_id=document_id) is None:
        # The same answer for a document that does not exist and one the actor may not open.
        raise LetterRefusedError(
            f"ไม่พบเอกสารรหัส {document_id} ในคลังเอกสารที่ท่านเปิดได้",
            f"No document {document_id} that you can open in the document store",
        )
    safe_name = filename.replace("/", "_").replace("\\", "_").strip()[:200] or "file"
    digest = hashlib.sha256(content).hexdigest()
    with uploads.stored_files() as stored, transaction.atomic():
        attachment = Attachment(
            letter=letter,
            filename=safe_name,
            content_type=info.content_type,
            size=len(content),
            sha256=digest,
            document_id=document_id,
            uploaded_by=actor,
        )
        stored.save(attachment.file, content, content_type=info.content_type)
        attachment.save()
        audit_record(
            actor=actor,
            action="correspondence.attachment.add",
            object_type="correspondence.attachment",
            object_id=attachment.pk,
            changes={
                "letter": letter.pk,
                "filename": safe_name,
                "content_type": info.content_type,
                "size": len(content),
                "sha256": digest,
                "document": document_id,
            },
        )
    return attachment


# --- the official letter as PDF, and its signature ------------------------------------------------


def letter_pdf_render(*, letter: Letter) -> bytes:
    """The letter laid out as a Thai official letter (หนังสือภายนอก) or memo (บันทึกข้อความ)."""
    template = (
        "correspondence/memo_pdf.html" if letter.kind == LetterKind.MEMO else "correspondence/letter_pdf.html"
    )
    return render_pdf(template, letter_pdf_context(letter))


def letter_pdf_generate(*, actor: User, letter: Letter) -> Letter:
    """Print the letter to PDF and keep it with the letter (replacing an unsigned one)."""
    if not selectors.letter_can_edit(actor, letter):
        raise PermissionDenied
    if letter.kind == LetterKind.INCOMING:
        raise LetterRefusedError(
            "หนังสือรับไม่ต้องจัดพิมพ์ แนบไฟล์ต้นฉบับแทน", "Incoming letters are attached, not printed"
        )
    if letter.pdf_signed_at is not None:
        raise LetterRefusedError("หนังสือลงนามแล้ว แก้ไขไม่ได้", "The letter is signed; it cannot be printed again")
    pdf = letter_pdf_render(letter=letter)
    _store_pdf(actor=actor, letter=letter, pdf=pdf, action="correspondence.letter.pdf", signed=False)
    return letter


def letter_sign(*, actor: User, letter: Letter) -> Letter:
    """The named signer signs the letter's PDF through the platform PKI (PAdES); the signed PDF is kept.

    Refused unless ``actor`` is the letter's signer; the PKI refuses a signer
    without a usable certificate (``SigningRefused``, shown to the user).
    """
    if letter.signer_id is None or letter.signer_id != actor.pk:
        raise PermissionDenied
    if letter.kind == LetterKind.INCOMING:
        raise LetterRefusedError("หนังสือรับไม่ลงนามในระบบนี้", "Incoming letters are not signed here")
    if letter.pdf_signed_at is not None:
        raise LetterRefusedError("หนังสือลงนามแล้ว", "The letter is already signed")
    unsigned = letter_pdf_render(letter=letter)
    signed = pdf_sign(
        signer=actor,
        pdf=unsigned,
        reason=f"ลงนามหนังสือ {letter.document_number}",
        location=letter.org_unit.name_th,
        visible=True,
    )
    _store_pdf(actor=actor, letter=letter, pdf=signed, action="correspondence.letter.sign", signed=True)
    return letter


def _store_pdf(*, actor: User, letter: Letter, pdf: bytes, action: str, signed: bool) -> None:
    digest = hashlib.sha256(pdf).hexdigest()
    with transaction.atomic():
        locked = Letter.objects.select_for_update().get(pk=letter.pk)
        if locked.pdf_signed_at is not None:
            raise LetterRefusedError("หนังสือลงนามแล้ว", "The letter is already signed")
        old_name = locked.pdf.name
        suffix = "signed" if signed else "draft"
        locked.pdf.save(f"letter-{locked.pk}-{suffix}-{digest[:12]}.pdf", ContentFile(pdf), save=False)
        locked.pdf_signed_at = timezone.now() if signed else None
        locked.save(update_fields=["pdf", "pdf_signed_at"])
        audit_record(
            actor=actor,
            action=action,
            object_type="correspondence.letter",
            object_id=locked.pk,
            changes={"sha256": digest, "size": len(pdf), "signed": signed},
        )
        if old_name and old_name != locked.pdf.name:
            storage = locked.pdf.storage
            transaction.on_commit(lambda: storage.delete(old_name))
    letter.pdf = locked.pdf
    letter.pdf_signed_at = locked.pdf_signed_at


def letter_pdf_bytes(*, letter: Letter) -> bytes:
    """The stored PDF of the letter, or a fresh rendering when none is stored."""
    if letter.pdf:
        with letter.pdf.open("rb") as handle:
            data: Any = handle.read()
            return bytes(data)
    return letter_pdf_render(letter=letter)
