"""Projects' data-subject collector: projects whose contact person is the subject.

A funded project keeps its contact person (finance records, ``RULE_PROJECT_FINANCE``): that also
keeps the person's identity in communities (``retained_by``).
"""

from __future__ import annotations

from typing import Any

from codi.core.models import AuditEntry
from codi.core.personaldata import ANONYMISE, KEEP, RULE_PROJECT_FINANCE, Outcome, Subject, row, values_of
from codi.projects.models import Project

ORDER = 20
FUNDED_STATUSES = ("approved", "agreement_signed", "in_progress", "final_report", "closed")


class ProjectsCollector:
    name = "projects"

    def retained_by(self, subject: Subject) -> str:
        funded = Project.objects.filter(contact_person=subject.person, status__in=FUNDED_STATUSES)
        return RULE_PROJECT_FINANCE if funded.exists() else ""

    def collect(self, subject: Subject) -> dict[str, list[dict[str, Any]]]:
        projects = Project.objects.filter(contact_person=subject.person).order_by("id")
        return {
            "projects.Project": [
                {
                    **row(
                        p, ("id", "code", "title", "status", "fiscal_year", "subdistrict_id", "created_at")
                    ),
                    "role": "contact person",
                }
                for p in projects
            ]
        }

    def audit_entries(self, subject: Subject) -> list[Any]:
        """Entries on the person's projects that name the person (e.g. the contact person set)."""
        person = subject.person
        project_ids = [
            str(pk) for pk in Project.objects.filter(contact_person=person).values_list("pk", flat=True)
        ]
        if not project_ids:
            return []
        return [
            entry
            for entry in AuditEntry.objects.filter(
                object_type__startswith="projects.", object_id__in=project_ids
            )
            if person.pk in values_of(entry.changes if isinstance(entry.changes, dict) else {})
        ]

    def erase(self, subject: Subject, *, dry_run: bool) -> list[Outcome]:
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
