"""Where a person's data lives: the registry of each app's collector, and privacy's own two.

Every app that holds personal data keeps its collector in its own ``privacy.py`` and registers
it (``codi.core.personaldata.register``) from its ``AppConfig.ready``: communities, projects,
feedback, notifications, documents, correspondence. This module adds the audit trail (read
only: entries are kept) and privacy's own records, and runs them all: ``collect_all`` for access
requests, ``erase_all`` for erasure. It never writes another app's tables — each collector
anonymises its own rows; ``codi.privacy.services.dsr_erase`` audits the whole plan.
"""

from __future__ import annotations

from typing import Any

from codi.core.models import AuditEntry
from codi.core.personaldata import (
    ANONYMISE,
    ERASE,
    ERASED_NAME,
    KEEP,
    MASK,
    RULE_AUDIT_LOG,
    RULE_BREACH_RECORD,
    RULE_CONSENT_EVIDENCE,
    RULE_DSR_RECORD,
    Collector,
    Outcome,
    Subject,
    audit_entries,
    phone_digits,
    plain,
    raw_values_in,
    register,
    registered,
    row,
)
from codi.privacy.models import Breach, Consent, DataSubjectRequest, ProcessingRestriction

__all__ = [
    "ANONYMISE",
    "ERASE",
    "ERASED_NAME",
    "KEEP",
    "MASK",
    "Collector",
    "Outcome",
    "Subject",
    "audit_entries",
    "collect_all",
    "erase_all",
    "phone_digits",
    "raw_values_in",
    "register",
]


# --- audit trail ------------------------------------------------------------------------------------


class AuditCollector:
    """The audit entries every app finds about the person (``audit_entries``), kept: append-only."""

    name = "audit"

    def collect(self, subject: Subject) -> dict[str, list[dict[str, Any]]]:
        return {
            "core.AuditEntry": [
                {
                    "id": e.id,
                    "created_at": plain(e.created_at),
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

    def audit_entries(self, subject: Subject) -> list[Any]:
        return list(
            AuditEntry.objects.filter(
                object_type__startswith="privacy.", object_id__startswith=f"person:{subject.person.pk}"
            )
        )

    def collect(self, subject: Subject) -> dict[str, list[dict[str, Any]]]:

        person = subject.person
        return {
            "privacy.Consent": [
                {
                    **row(c, ("id", "purpose", "channel", "given_at", "evidence_text", "withdrawn_at")),
                    "notice_version": c.notice.version,
                }
                for c in Consent.objects.filter(person=person).select_related("notice").order_by("id")
            ],
            "privacy.ProcessingRestriction": [
                row(r, ("id", "kind", "purpose", "reason", "created_at", "lifted_at"))
                for r in ProcessingRestriction.objects.filter(person=person).order_by("id")
            ],
            "privacy.DataSubjectRequest": [
                row(r, ("id", "kind", "status", "received_at", "due_at", "completed_at"))
                for r in DataSubjectRequest.objects.filter(person=person).order_by("id")
            ],
            "privacy.Breach": [
                row(b, ("id", "title", "discovered_at", "data_categories", "risk_level"))
                for b in Breach.objects.filter(affected_persons=person).order_by("id")
            ],
        }

    def erase(self, subject: Subject, *, dry_run: bool) -> list[Outcome]:

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


AUDIT_ORDER, PRIVACY_ORDER = 90, 95
KEPT_ONLY = {"audit", "privacy"}


def register_own() -> None:
    """Privacy's two collectors (called from ``PrivacyConfig.ready``)."""
    register(AuditCollector(), order=AUDIT_ORDER)
    register(PrivacyCollector(), order=PRIVACY_ORDER)


def collect_all(subject: Subject) -> dict[str, dict[str, list[dict[str, Any]]]]:
    return {c.name: c.collect(subject) for c in registered()}


def erase_all(subject: Subject, *, dry_run: bool) -> list[Outcome]:
    outcomes: list[Outcome] = []
    collectors = registered()
    # The audit and privacy records are read first (they only keep); the others in reverse order,
    # so that the person row (communities, matched on by the others) goes last.
    order = [c for c in collectors if c.name in KEPT_ONLY] + [
        c for c in reversed(collectors) if c.name not in KEPT_ONLY
    ]
    for collector in order:
        outcomes += collector.erase(subject, dry_run=dry_run)
    return outcomes
