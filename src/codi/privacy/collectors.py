"""Where a person's data lives: one small collector per module, for access and erasure requests.

Each collector reads its module's models (read-only for ``collect``) and, for an
erasure, plans per record what happens — erased, anonymised, or kept under a named
retention rule — and applies the plan when asked. Collectors run in registry order
for ``collect`` and in reverse for ``erase`` so that the person row (which the
others match on) is anonymised last.

Matching beyond foreign keys: feedback tickets do not point at persons, so a ticket
is the person's when its reporter phone is the person's phone, its text holds the
person's national ID, or its reporter e-mail / LINE ID was found on such a ticket.
The e-mail addresses and LINE IDs found that way are also the person's contacts for
notifications (breach notices, newsletters).

Writes into other modules' tables happen here because those modules have no
anonymisation service yet; each write is listed in the plan and audited by the
calling service (``codi.privacy.services.dsr_erase``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

from django.db.models import Q

from codi.communities.models import Membership, Organization, Person
from codi.privacy.retention import (
    RULE_AUDIT_LOG,
    RULE_BREACH_RECORD,
    RULE_CONSENT_EVIDENCE,
    RULE_DSR_RECORD,
    RULE_PROJECT_FINANCE,
)

ERASED_NAME = "(ลบข้อมูลแล้ว)"
MASK = "•••"

ERASE = "erase"
ANONYMISE = "anonymise"
KEEP = "keep"


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _row(obj: Any, fields: Sequence[str]) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in fields}


def phone_digits(raw: str) -> str:
    """A phone number as national digits (``+66 81-234 5678`` → ``0812345678``); "" when none."""
    digits = "".join(ch for ch in raw if ch.isdigit())
    if digits.startswith("66") and len(digits) in (10, 11):
        digits = "0" + digits[2:]
    return digits


@dataclass
class Subject:
    """The person of a request and everything that identifies them across modules."""

    person: Person
    national_id: str
    phone: str
    emails: set[str] = field(default_factory=set)
    line_ids: set[str] = field(default_factory=set)
    ticket_ids: set[int] = field(default_factory=set)

    @classmethod
    def of(cls, person: Person) -> Subject:
        subject = cls(
            person=person, national_id=person.national_id or "", phone=phone_digits(person.phone or "")
        )
        subject.ticket_ids = set(_feedback_ticket_ids(subject))
        return subject

    def needles(self) -> list[str]:
        """Values whose presence anywhere means the person's data is still there."""
        from codi.communities.validation import format_national_id

        values = [self.national_id, self.phone, self.person.first_name_th, self.person.last_name_th]
        if self.person.address:
            values.append(self.person.address)
        if len(self.national_id) == 13:
            values.append(format_national_id(self.national_id))
        values.extend(self.emails)
        values.extend(self.line_ids)
        return [v for v in values if v and len(v) >= 4]


@dataclass(frozen=True)
class Outcome:
    """What an erasure does (or would do) to one record."""

    dataset: str
    record: str
    action: str  # erase | anonymise | keep
    fields: tuple[str, ...] = ()
    rule: str = ""  # the retention rule that keeps the record (KEEP only)
    reason: str = ""

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["fields"] = list(self.fields)
        return data


class Collector(Protocol):
    name: str

    def collect(self, subject: Subject) -> dict[str, list[dict[str, Any]]]: ...

    def erase(self, subject: Subject, *, dry_run: bool) -> list[Outcome]: ...


# --- communities ------------------------------------------------------------------------------------


class CommunitiesCollector:
    name = "communities"

    def collect(self, subject: Subject) -> dict[str, list[dict[str, Any]]]:
        person = subject.person
        memberships = Membership.objects.filter(person=person).select_related("organization").order_by("id")
        return {
            "communities.Person": [
                {
                    "id": person.pk,
                    "national_id": subject.national_id,
                    **_row(
                        person,
                        (
                            "title_th",
                            "first_name_th",
                            "last_name_th",
                            "birth_year",
                            "gender",
                            "phone",
                            "address",
                        ),
                    ),
                    "subdistrict": person.subdistrict_id,
                    "created_at": _plain(person.created_at),
                    "updated_at": _plain(person.updated_at),
                }
            ],
            "communities.Membership": [
                {
                    "id": m.pk,
                    "organization_id": m.organization_id,
                    "organization": m.organization.name_th,
                    **_row(m, ("role", "started_on", "ended_on", "created_at")),
                }
                for m in memberships
            ],
            "communities.Organization": [
                {"id": org.pk, "name_th": org.name_th, "contact_phone": org.phone}
                for org in self._contact_orgs(subject)
            ],
            "communities.ImportJob": [
                {"id": job.pk, "file_name": job.file_name, "created_at": _plain(job.created_at), "rows": rows}
                for job, rows in self._import_previews(subject)
            ],
        }

    def _import_previews(self, subject: Subject) -> list[tuple[Any, list[int]]]:
        """Import jobs whose stored preview shows the person (masked ID and name), with those rows."""
        from codi.communities.models import ImportJob

        person = subject.person
        masked, name = person.national_id_masked, person.full_name
        found = []
        for job in ImportJob.objects.exclude(preview=[]).only("pk", "file_name", "created_at", "preview"):
            rows = [
                int(entry.get("row", 0))
                for entry in job.preview
                if isinstance(entry, dict)
                and entry.get("national_id") == masked
                and entry.get("name") == name
            ]
            if rows:
                found.append((job, rows))
        return found

    def _contact_orgs(self, subject: Subject) -> list[Organization]:
        """Organizations whose contact phone is the person's (the column is encrypted: compared here)."""
        if not subject.phone:
            return []
        org_ids = Membership.objects.filter(person=subject.person).values("organization_id")
        return [
            org
            for org in Organization.objects.filter(pk__in=org_ids).only("pk", "name_th", "phone")
            if org.phone and phone_digits(org.phone) == subject.phone
        ]

    def erase(self, subject: Subject, *, dry_run: bool) -> list[Outcome]:
        person = subject.person
        outcomes = [
            Outcome("communities.Membership", str(pk), ERASE, reason="membership removed from the registry")
            for pk in Membership.objects.filter(person=person).values_list("pk", flat=True)
        ]
        previews = self._import_previews(subject)
        outcomes += [
            Outcome(
                "communities.ImportJob",
                str(job.pk),
                ANONYMISE,
                ("preview",),
                reason="name in an import preview",
            )
            for job, _ in previews
        ]
        orgs = self._contact_orgs(subject)
        outcomes += [
            Outcome(
                "communities.Organization", str(org.pk), ANONYMISE, ("phone",), reason="contact phone removed"
            )
            for org in orgs
        ]
        kept_by_projects = _funded_projects(person).exists()
        if kept_by_projects:
            fields: tuple[str, ...] = ("phone", "address", "birth_year", "gender")
            outcomes.append(
                Outcome(
                    "communities.Person",
                    str(person.pk),
                    KEEP,
                    ("national_id", "title_th", "first_name_th", "last_name_th"),
                    rule=RULE_PROJECT_FINANCE,
                    reason="contact person of a funded project: identity kept; other fields anonymised",
                )
            )
        else:
            fields = (
                "national_id",
                "title_th",
                "first_name_th",
                "last_name_th",
                "birth_year",
                "gender",
                "phone",
                "address",
            )
            outcomes.append(
                Outcome(
                    "communities.Person",
                    str(person.pk),
                    ANONYMISE,
                    fields,
                    reason="row kept (other records point at it) with every personal field removed",
                )
            )
        if dry_run:
            return outcomes
        Membership.objects.filter(person=person).delete()
        for job, _ in previews:
            job.preview = [
                {**entry, "national_id": "", "name": MASK}
                if isinstance(entry, dict) and entry.get("national_id") == person.national_id_masked
                else entry
                for entry in job.preview
            ]
            job.save(update_fields=["preview"])
        for org in orgs:
            Organization.objects.filter(pk=org.pk).update(phone="")
        updates: dict[str, Any] = {
            "phone": "",
            "address": "",
            "birth_year": None,
            "gender": "",
            "record_hash": "",
        }
        if not kept_by_projects:
            updates |= {
                "national_id": "",
                "national_id_index": f"erased-{uuid.uuid4().hex}",
                "national_id_masked": "",
                "title_th": "",
                "first_name_th": ERASED_NAME,
                "last_name_th": "",
            }
        for name, value in updates.items():
            setattr(person, name, value)
        person.save(update_fields=[*updates, "updated_at"])
        return outcomes


# --- projects ---------------------------------------------------------------------------------------

FUNDED_STATUSES = ("approved", "agreement_signed", "in_progress", "final_report", "closed")


def _funded_projects(person: Person) -> Any:
    from codi.projects.models import Project

    return Project.objects.filter(contact_person=person, status__in=FUNDED_STATUSES)


class ProjectsCollector:
    name = "projects"

    def collect(self, subject: Subject) -> dict[str, list[dict[str, Any]]]:
        from codi.projects.models import Project

        projects = Project.objects.filter(contact_person=subject.person).order_by("id")
        return {
            "projects.Project": [
                {
                    **_row(
                        p, ("id", "code", "title", "status", "fiscal_year", "subdistrict_id", "created_at")
                    ),
                    "role": "contact person",
                }
                for p in projects
            ]
        }

    def erase(self, subject: Subject, *, dry_run: bool) -> list[Outcome]:
        from codi.projects.models import Project

        outcomes = []
        unlink = []
        for pk, status in Project.objects.filter(contact_person=subject.person).values_list("pk", "status"):
            if status in FUNDED_STATUSES:
                outcomes.append(
                    Outcome(
                        "projects.Project",
                        str(pk),
                        KEEP,
                        ("contact_person",),
                        rule=RULE_PROJECT_FINANCE,
                        reason=f"funded project ({status}): the contact person is part of the financial record",
                    )
                )
            else:
                unlink.append(pk)
                outcomes.append(
                    Outcome(
                        "projects.Project", str(pk), ANONYMISE, ("contact_person",), reason="contact removed"
                    )
                )
        if not dry_run and unlink:
            Project.objects.filter(pk__in=unlink).update(contact_person=None)
        return outcomes


# --- feedback ---------------------------------------------------------------------------------------


def _feedback_ticket_ids(subject: Subject) -> list[int]:
    """Tickets of the person, and the contacts found on them (added to ``subject``)."""
    from codi.communities.validation import format_national_id
    from codi.feedback.models import Ticket

    condition = Q(pk__in=[])
    if subject.phone and len(subject.phone) >= 4:
        # The reporter phone is free text ("081-234 5678"): narrow by its last digits, compare all of them.
        candidates = Ticket.objects.filter(reporter_phone__endswith=subject.phone[-4:]).values_list(
            "pk", "reporter_phone"
        )
        condition |= Q(pk__in=[pk for pk, phone in candidates if phone_digits(phone) == subject.phone])
    if len(subject.national_id) == 13:
        condition |= Q(text__contains=subject.national_id) | Q(
            text__contains=format_national_id(subject.national_id)
        )
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

    def collect(self, subject: Subject) -> dict[str, list[dict[str, Any]]]:
        from codi.feedback.models import Ticket

        tickets = (
            Ticket.objects.filter(pk__in=subject.ticket_ids).prefetch_related("attachments").order_by("id")
        )
        return {
            "feedback.Ticket": [
                {
                    **_row(
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

    def erase(self, subject: Subject, *, dry_run: bool) -> list[Outcome]:
        from codi.feedback.models import Ticket, TicketAttachment
        from codi.feedback.nlp.pii import mask_personal_data

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


# --- notifications ----------------------------------------------------------------------------------


def _notification_condition(subject: Subject) -> Q | None:
    condition = None
    if subject.emails:
        condition = Q(recipient_email__in=subject.emails)
    if subject.line_ids:
        line = Q(recipient_line_id__in=subject.line_ids)
        condition = line if condition is None else condition | line
    return condition


class NotificationsCollector:
    name = "notifications"

    def collect(self, subject: Subject) -> dict[str, list[dict[str, Any]]]:
        from codi.notifications.models import Notification

        condition = _notification_condition(subject)
        if condition is None:
            return {"notifications.Notification": []}
        rows = Notification.objects.filter(condition).order_by("id")
        return {
            "notifications.Notification": [
                _row(
                    n,
                    (
                        "id",
                        "channel",
                        "recipient_email",
                        "recipient_line_id",
                        "template_key",
                        "subject",
                        "body",
                        "status",
                        "created_at",
                        "sent_at",
                    ),
                )
                for n in rows
            ]
        }

    def erase(self, subject: Subject, *, dry_run: bool) -> list[Outcome]:
        from codi.notifications.models import Notification

        condition = _notification_condition(subject)
        if condition is None:
            return []
        ids = list(Notification.objects.filter(condition).values_list("pk", flat=True))
        outcomes = [
            Outcome(
                "notifications.Notification",
                str(pk),
                ANONYMISE,
                ("recipient_email", "recipient_line_id", "body"),
                reason="delivery record kept without address or text",
            )
            for pk in ids
        ]
        if not dry_run and ids:
            Notification.objects.filter(pk__in=ids).update(recipient_email="", recipient_line_id="", body="")
        return outcomes


# --- audit trail ------------------------------------------------------------------------------------


def audit_entries(subject: Subject) -> list[Any]:
    """Entries about the person, their memberships, tickets and messages (by indexed columns first)."""
    from codi.core.models import AuditEntry
    from codi.notifications.models import Notification

    person = subject.person
    membership_ids = set(Membership.objects.filter(person=person).values_list("pk", flat=True))
    org_ids = [
        str(pk) for pk in Membership.objects.filter(person=person).values_list("organization_id", flat=True)
    ]
    condition = Q(object_type="communities.person", object_id=str(person.pk))
    condition |= Q(object_type__startswith="privacy.", object_id__startswith=f"person:{person.pk}")
    if subject.ticket_ids:
        condition |= Q(object_type="feedback.ticket", object_id__in=[str(pk) for pk in subject.ticket_ids])
    mail = _notification_condition(subject)
    if mail is not None:
        ids = [str(pk) for pk in Notification.objects.filter(mail).values_list("pk", flat=True)]
        condition |= Q(object_type="notifications.notification", object_id__in=ids)
    entries = list(AuditEntry.objects.filter(condition).order_by("id"))
    # Membership entries are written against the organization and name the person or membership;
    # an organization's own entries count when they hold one of the person's values (a contact's
    # e-mail changed on the organization is written unmasked).
    needles = subject.needles()
    for entry in AuditEntry.objects.filter(
        object_type="communities.organization", object_id__in=org_ids
    ).order_by("id"):
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        names_person = changes.get("person") == person.pk or changes.get("membership") in membership_ids
        if names_person or raw_values_in(entry, needles):
            entries.append(entry)
    from codi.projects.models import Project

    project_ids = [
        str(pk) for pk in Project.objects.filter(contact_person=person).values_list("pk", flat=True)
    ]
    if project_ids:
        for entry in AuditEntry.objects.filter(
            object_type__startswith="projects.", object_id__in=project_ids
        ):
            changes = entry.changes if isinstance(entry.changes, dict) else {}
            if person.pk in _values(changes):
                entries.append(entry)
    unique = {e.id: e for e in entries}
    return [unique[k] for k in sorted(unique)]


def _values(changes: dict[str, Any]) -> Iterable[Any]:
    for value in changes.values():
        if isinstance(value, list):
            yield from value
        else:
            yield value


def raw_values_in(entry: Any, needles: Iterable[str]) -> list[str]:
    """Which of the person's raw values an audit entry holds (it should hold none: they are masked)."""
    import json

    blob = json.dumps(entry.changes, ensure_ascii=False)
    return [n for n in needles if n in blob]


class AuditCollector:
    name = "audit"

    def collect(self, subject: Subject) -> dict[str, list[dict[str, Any]]]:
        return {
            "core.AuditEntry": [
                {
                    "id": e.id,
                    "created_at": _plain(e.created_at),
                    "actor": e.actor_label,
                    "action": e.action,
                    "object_type": e.object_type,
                    "object_id": e.object_id,
                    "changes": e.changes,
                }
                for e in audit_entries(subject)
            ]
        }

    def erase(self, subject: Subject, *, dry_run: bool) -> list[Outcome]:
        needles = subject.needles()
        outcomes = []
        for entry in audit_entries(subject):
            leaked = raw_values_in(entry, needles)
            reason = "append-only, hash-chained; personal values are masked"
            if leaked:
                reason = f"append-only; WARNING: holds {len(leaked)} unmasked personal value(s)"
            outcomes.append(
                Outcome("core.AuditEntry", str(entry.id), KEEP, rule=RULE_AUDIT_LOG, reason=reason)
            )
        return outcomes


# --- privacy (this module) --------------------------------------------------------------------------


class PrivacyCollector:
    name = "privacy"

    def collect(self, subject: Subject) -> dict[str, list[dict[str, Any]]]:
        from codi.privacy.models import Breach, Consent, DataSubjectRequest, ProcessingRestriction

        person = subject.person
        return {
            "privacy.Consent": [
                {
                    **_row(c, ("id", "purpose", "channel", "given_at", "evidence_text", "withdrawn_at")),
                    "notice_version": c.notice.version,
                }
                for c in Consent.objects.filter(person=person).select_related("notice").order_by("id")
            ],
            "privacy.ProcessingRestriction": [
                _row(r, ("id", "kind", "purpose", "reason", "created_at", "lifted_at"))
                for r in ProcessingRestriction.objects.filter(person=person).order_by("id")
            ],
            "privacy.DataSubjectRequest": [
                _row(r, ("id", "kind", "status", "received_at", "due_at", "completed_at"))
                for r in DataSubjectRequest.objects.filter(person=person).order_by("id")
            ],
            "privacy.Breach": [
                _row(b, ("id", "title", "discovered_at", "data_categories", "risk_level"))
                for b in Breach.objects.filter(affected_persons=person).order_by("id")
            ],
        }

    def erase(self, subject: Subject, *, dry_run: bool) -> list[Outcome]:
        from codi.privacy.models import Breach, Consent, DataSubjectRequest, ProcessingRestriction

        person = subject.person
        outcomes = [
            Outcome("privacy.Consent", str(pk), KEEP, rule=RULE_CONSENT_EVIDENCE, reason="proof of consent")
            for pk in Consent.objects.filter(person=person).values_list("pk", flat=True)
        ]
        outcomes += [
            Outcome("privacy.ProcessingRestriction", str(pk), KEEP, rule=RULE_CONSENT_EVIDENCE)
            for pk in ProcessingRestriction.objects.filter(person=person).values_list("pk", flat=True)
        ]
        outcomes += [
            Outcome("privacy.DataSubjectRequest", str(pk), KEEP, rule=RULE_DSR_RECORD)
            for pk in DataSubjectRequest.objects.filter(person=person).values_list("pk", flat=True)
        ]
        outcomes += [
            Outcome("privacy.Breach", str(pk), KEEP, rule=RULE_BREACH_RECORD)
            for pk in Breach.objects.filter(affected_persons=person).values_list("pk", flat=True)
        ]
        return outcomes


# Collect in this order; erase in the reverse one (the person row, matched on by the others, last).
COLLECTORS: list[Collector] = [
    CommunitiesCollector(),
    ProjectsCollector(),
    FeedbackCollector(),
    NotificationsCollector(),
    AuditCollector(),
    PrivacyCollector(),
]


def register(collector: Collector) -> None:
    """Add a module's collector (a module written later calls this from its AppConfig.ready)."""
    if all(c.name != collector.name for c in COLLECTORS):
        COLLECTORS.insert(len(COLLECTORS) - 2, collector)


def collect_all(subject: Subject) -> dict[str, dict[str, list[dict[str, Any]]]]:
    return {c.name: c.collect(subject) for c in COLLECTORS}


def erase_all(subject: Subject, *, dry_run: bool) -> list[Outcome]:
    outcomes: list[Outcome] = []
    # The audit and privacy records are read first (they only keep); the others in reverse order.
    order = [c for c in COLLECTORS if c.name in {"audit", "privacy"}] + [
        c for c in reversed(COLLECTORS) if c.name not in {"audit", "privacy"}
    ]
    for collector in order:
        outcomes += collector.erase(subject, dry_run=dry_run)
    return outcomes
