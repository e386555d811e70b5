"""Retention: the legal rules that keep records, and the jobs that remove expired personal data.

``LEGAL_RULES`` name why a record survives an erasure request; the result of an
erasure cites them. ``JOBS`` are the periodic clean-ups, each with a default
period a DPO can change (``RetentionPolicy``) and a dry run that only counts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

RULE_AUDIT_LOG = "audit_log"
RULE_PROJECT_FINANCE = "project_finance"
RULE_CONSENT_EVIDENCE = "consent_evidence"
RULE_DSR_RECORD = "dsr_record"
RULE_BREACH_RECORD = "breach_record"

LEGAL_RULES: dict[str, str] = {
    RULE_AUDIT_LOG: (
        "Computer Crime Act B.E. 2550 s.26 (traffic data kept at least 90 days) and CODI's audit "
        "retention (AUDIT_RETENTION_DAYS); the entries are append-only and hold masked values"
    ),
    RULE_PROJECT_FINANCE: (
        "State Audit Act B.E. 2561 and CODI's finance regulation: records of funded projects, "
        "their contact person included, kept 10 years after the project closes"
    ),
    RULE_CONSENT_EVIDENCE: (
        "PDPA s.19 and s.39: proof of consent, its withdrawal and objections kept while claims can "
        "be brought (10 years, Civil and Commercial Code s.193/30)"
    ),
    RULE_DSR_RECORD: "PDPA s.30–s.39: the request and the controller's response kept as the record (3 years)",
    RULE_BREACH_RECORD: "PDPA s.37(4): the register of breaches and of the persons notified",
}


@dataclass(frozen=True)
class Job:
    key: str
    dataset: str
    action: str  # anonymise | delete
    default_days: int
    description: str
    run: Callable[[datetime, bool], int]  # (cutoff, dry_run) -> records


def _feedback_contacts(cutoff: datetime, dry_run: bool) -> int:
    from codi.feedback.models import Status, Ticket
    from codi.feedback.nlp.pii import mask_personal_data

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


def _dropped_out_members(cutoff: datetime, dry_run: bool) -> int:
    """Persons whose every membership ended before the cutoff and who are no project's contact."""
    from codi.communities.models import Membership, Person
    from codi.privacy import collectors

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
        collectors.CommunitiesCollector().erase(collectors.Subject.of(person), dry_run=False)
        done += 1
    return done


def _notification_addresses(cutoff: datetime, dry_run: bool) -> int:
    from codi.notifications.models import DeliveryStatus, Notification

    rows = Notification.objects.filter(created_at__lt=cutoff).exclude(status=DeliveryStatus.PENDING)
    rows = rows.filter(~Q(recipient_email="") | ~Q(recipient_line_id=""))
    if dry_run:
        return rows.count()
    return rows.update(recipient_email="", recipient_line_id="")


JOBS: tuple[Job, ...] = (
    Job(
        "feedback_reporter_contact",
        "feedback.Ticket",
        "anonymise",
        365,
        "Reporter name, e-mail, phone and LINE ID of feedback closed for longer than the period; "
        "personal data in the text masked (a year leaves room to reopen and for complaints about the handling)",
        _feedback_contacts,
    ),
    Job(
        "dropped_out_members",
        "communities.Person",
        "anonymise",
        10 * 365,
        "Persons whose memberships all ended longer ago than the period (the registry's stated "
        "retention: 10 years after the last membership) and who are no project's contact",
        _dropped_out_members,
    ),
    Job(
        "notification_addresses",
        "notifications.Notification",
        "anonymise",
        365,
        "Recipient e-mail addresses and LINE IDs of delivered or failed messages older than the period",
        _notification_addresses,
    ),
)


def job_days() -> dict[str, tuple[int, bool]]:
    """Each job's period in days and whether it runs: the DPO's setting, else the default."""
    from codi.privacy.models import RetentionPolicy

    overrides = {p.rule: (p.days, p.is_enabled) for p in RetentionPolicy.objects.all()}
    return {job.key: overrides.get(job.key, (job.default_days, True)) for job in JOBS}


def run_jobs(*, dry_run: bool, now: datetime | None = None) -> list[dict[str, Any]]:
    now = now or timezone.now()
    report = []
    settings = job_days()
    for job in JOBS:
        days, is_enabled = settings[job.key]
        count = job.run(now - timedelta(days=days), dry_run) if is_enabled else 0
        report.append(
            {
                "rule": job.key,
                "dataset": job.dataset,
                "action": job.action,
                "days": days,
                "enabled": is_enabled,
                "count": count,
            }
        )
    return report
