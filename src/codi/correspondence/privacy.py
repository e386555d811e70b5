"""Correspondence's data-subject collector: letters from, to or about the person.

A letter is the person's when its sender, addressee, subject, reference or body holds the
person's national ID, phone number or full name. Registered letters are official records (the
Regulation on Correspondence keeps the register and the letters): an erasure keeps them and
names the rule.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from codi.core.models import AuditEntry
from codi.core.personaldata import KEEP, RULE_OFFICIAL_RECORD, Outcome, Subject, row
from codi.correspondence.models import Letter

ORDER = 60
FIELDS = ("sender", "recipient", "subject", "reference", "body")


def _letters(subject: Subject) -> list[Letter]:
    needles = subject.text_needles()
    if not needles:
        return []
    condition = Q()
    for needle in needles:
        for name in FIELDS:
            condition |= Q(**{f"{name}__contains": needle})
    return list(Letter.objects.filter(condition).order_by("id"))


class CorrespondenceCollector:
    name = "correspondence"

    def collect(self, subject: Subject) -> dict[str, list[dict[str, Any]]]:
        return {
            "correspondence.Letter": [
                row(
                    letter,
                    ("id", "kind", "year", "register_number", "document_number", "letter_date", *FIELDS),
                )
                for letter in _letters(subject)
            ]
        }

    def audit_entries(self, subject: Subject) -> list[Any]:
        ids = [str(letter.pk) for letter in _letters(subject)]
        if not ids:
            return []
        return list(AuditEntry.objects.filter(object_type="correspondence.letter", object_id__in=ids))

    def erase(self, subject: Subject, *, dry_run: bool) -> list[Outcome]:
        return [
            Outcome(
                "correspondence.Letter",
                str(letter.pk),
                KEEP,
                tuple(
                    f for f in FIELDS if any(n in (getattr(letter, f) or "") for n in subject.text_needles())
                ),
                rule=RULE_OFFICIAL_RECORD,
                reason="registered letter: an official record kept with the register",
            )
            for letter in _letters(subject)
        ]
