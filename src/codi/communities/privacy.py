"""Communities' data-subject collector: the person row, memberships, contact phones, import previews.

Registered from ``CommunitiesConfig.ready`` (``codi.core.personaldata``); ``codi.privacy`` runs it
for access and erasure requests. The person row is erased last (order 10: others match on it).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q

from codi.communities.models import ImportJob, Membership, Organization, Person
from codi.communities.validation import format_national_id
from codi.core.models import AuditEntry
from codi.core.personaldata import (
    ANONYMISE,
    ERASE,
    ERASED_NAME,
    KEEP,
    MASK,
    Outcome,
    Subject,
    phone_digits,
    plain,
    raw_values_in,
    retained_by,
    row,
)

ORDER = 10


class CommunitiesCollector:
    name = "communities"

    def identify(self, subject: Subject) -> None:
        if len(subject.national_id) == 13:
            subject.aliases.add(format_national_id(subject.national_id))

    def collect(self, subject: Subject) -> dict[str, list[dict[str, Any]]]:
        person = subject.person
        memberships = Membership.objects.filter(person=person).select_related("organization").order_by("id")
        return {
            "communities.Person": [
                {
                    "id": person.pk,
                    "national_id": subject.national_id,
                    **row(
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
                    "created_at": plain(person.created_at),
                    "updated_at": plain(person.updated_at),
                }
            ],
            "communities.Membership": [
                {
                    "id": m.pk,
                    "organization_id": m.organization_id,
                    "organization": m.organization.name_th,
                    **row(m, ("role", "started_on", "ended_on", "created_at")),
                }
                for m in memberships
            ],
            "communities.Organization": [
                {"id": org.pk, "name_th": org.name_th, "contact_phone": org.phone}
                for org in self._contact_orgs(subject)
            ],
            "communities.ImportJob": [
                {"id": job.pk, "file_name": job.file_name, "created_at": plain(job.created_at), "rows": rows}
                for job, rows in self._import_previews(subject)
            ],
        }

    def _import_previews(self, subject: Subject) -> list[tuple[Any, list[int]]]:
        """Import jobs whose stored preview shows the person (masked ID and name), with those rows."""
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

    def audit_entries(self, subject: Subject) -> list[Any]:
        """Entries on the person, and the organization entries that name the person or a membership."""
        person = subject.person
        entries = list(
            AuditEntry.objects.filter(Q(object_type="communities.person", object_id=str(person.pk)))
        )
        membership_ids = set(Membership.objects.filter(person=person).values_list("pk", flat=True))
        org_ids = [
            str(pk)
            for pk in Membership.objects.filter(person=person).values_list("organization_id", flat=True)
        ]
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
        return entries

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
        # Another app (projects: contact person of a funded project) may keep the identity.
        rule = retained_by(subject)
        if rule:
            fields: tuple[str, ...] = ("phone", "address", "birth_year", "gender")
            outcomes.append(
                Outcome(
                    "communities.Person",
                    str(person.pk),
                    KEEP,
                    ("national_id", "title_th", "first_name_th", "last_name_th"),
                    rule=rule,
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
        if not rule:
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

    def expire_dropped_out_members(self, cutoff: datetime, dry_run: bool) -> int:
        """Retention: persons whose every membership ended before ``cutoff`` and who are no project's contact."""
        current = Membership.objects.filter(person=OuterRef("pk")).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=cutoff.date())
        )
        rows = (
            Person.objects.filter(memberships__isnull=False)
            .exclude(Exists(current))
            .exclude(national_id_index__startswith="erased-")
            .exclude(contact_for_projects__isnull=False)
            .distinct()
        )
        if dry_run:
            return rows.count()
        done = 0
        for person in rows.iterator(chunk_size=200):
            self.erase(Subject.of(person), dry_run=False)
            done += 1
        return done
