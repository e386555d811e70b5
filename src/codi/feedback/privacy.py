"""Feedback's data-subject collector: tickets the person reported, and the contacts found on them.

Tickets do not point at persons: a ticket is the person's when its reporter phone is the
person's phone, its text holds the person's national ID, or its reporter e-mail / LINE ID was
found on such a ticket. Those e-mail addresses and LINE IDs become the person's contacts for
notifications (``identify``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q

from codi.core.models import AuditEntry
from codi.core.personaldata import ANONYMISE, ERASE, MASK, Outcome, Subject, phone_digits, row
from codi.feedback.models import Status, Ticket, TicketAttachment
from codi.feedback.nlp.pii import mask_personal_data

ORDER = 30


def ticket_ids(subject: Subject) -> list[int]:
    """Tickets of the person, and the contacts found on them (added to ``subject``)."""
    condition = Q(pk__in=[])
    if subject.phone and len(subject.phone) >= 4:
        # The reporter phone is free text ("081-234 5678"): narrow by its last digits, compare all of them.
        candidates = Ticket.objects.filter(reporter_phone__endswith=subject.phone[-4:]).values_list(
            "pk", "reporter_phone"
        )
        condition |= Q(pk__in=[pk for pk, phone in candidates if phone_digits(phone) == subject.phone])
    if len(subject.national_id) == 13:
        condition |= Q(text__contains=subject.national_id)
        for alias in subject.aliases:
            condition |= Q(text__contains=alias)
    rows = list(Ticket.objects.filter(condition).values_list("pk", "reporter_email", "reporter_line_id"))
    subject.emails |= {email.lower() for _, email, _ in rows if email}
    subject.line_ids |= {line for _, _, line in rows if line}
    extra = Q(pk__in=[])
    if subject.emails:
        extra |= Q(reporter_email__in=subject.emails)
    if subject.line_ids:
        extra |= Q(reporter_line_id__in=subject.line_ids)
    more = (
        list(Ticket.objects.filter(extra).values_list("pk", flat=True))
        if subject.emails or subject.line_ids
        else []
    )
    return sorted({pk for pk, _, _ in rows} | set(more))


class FeedbackCollector:
    name = "feedback"

    def identify(self, subject: Subject) -> None:
        subject.ticket_ids = set(ticket_ids(subject))

    def collect(self, subject: Subject) -> dict[str, list[dict[str, Any]]]:
        tickets = (
            Ticket.objects.filter(pk__in=subject.ticket_ids).prefetch_related("attachments").order_by("id")
        )
        return {
            "feedback.Ticket": [
                {
                    **row(
                        t,
                        (
                            "id",
                            "reference",
                            "channel",
                            "text",
                            "category",
                            "status",
                            "subdistrict_id",
                            "reporter_name",
                            "reporter_email",
                            "reporter_phone",
                            "reporter_line_id",
                            "consent_at",
                            "created_at",
                            "closed_at",
                        ),
                    ),
                    "attachments": [a.original_name for a in t.attachments.all()],
                }
                for t in tickets
            ]
        }

    def audit_entries(self, subject: Subject) -> list[Any]:
        if not subject.ticket_ids:
            return []
        ids = [str(pk) for pk in subject.ticket_ids]
        return list(AuditEntry.objects.filter(object_type="feedback.ticket", object_id__in=ids))

    def erase(self, subject: Subject, *, dry_run: bool) -> list[Outcome]:
        outcomes = []
        tickets = list(Ticket.objects.filter(pk__in=subject.ticket_ids).only("pk", "text"))
        names = [n for n in (subject.person.first_name_th, subject.person.last_name_th) if len(n) >= 2]
        for ticket in tickets:
            outcomes.append(
                Outcome(
                    "feedback.Ticket",
                    str(ticket.pk),
                    ANONYMISE,
                    ("reporter_name", "reporter_email", "reporter_phone", "reporter_line_id", "text"),
                    reason="the report stays for statistics without its reporter; personal data in the text masked",
                )
            )
        attachments = list(TicketAttachment.objects.filter(ticket_id__in=subject.ticket_ids))
        outcomes += [
            Outcome(
                "feedback.TicketAttachment", str(a.pk), ERASE, reason="photo or file sent with the report"
            )
            for a in attachments
        ]
        if dry_run:
            return outcomes
        for ticket in tickets:
            text = mask_personal_data(ticket.text)
            for name in names:
                text = text.replace(name, MASK)
            Ticket.objects.filter(pk=ticket.pk).update(
                reporter_name="", reporter_email="", reporter_phone="", reporter_line_id="", text=text
            )
        for attachment in attachments:
            attachment.file.delete(save=False)
            attachment.delete()
        return outcomes

    def expire_contacts(self, cutoff: datetime, dry_run: bool) -> int:
        """Retention: reporter contacts of tickets closed before ``cutoff`` removed, the text masked."""
        rows = Ticket.objects.filter(status=Status.CLOSED, closed_at__lt=cutoff).filter(
            ~Q(reporter_name="") | ~Q(reporter_email="") | ~Q(reporter_phone="") | ~Q(reporter_line_id="")
        )
        if dry_run:
            return rows.count()
        done = 0
        for ticket in rows.only("pk", "text").iterator(chunk_size=500):
            Ticket.objects.filter(pk=ticket.pk).update(
                reporter_name="",
                reporter_email="",
                reporter_phone="",
                reporter_line_id="",
                text=mask_personal_data(ticket.text),
            )
            done += 1
        return done
