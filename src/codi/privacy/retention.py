"""Retention: the legal rules that keep records, and the jobs that remove expired personal data.

``LEGAL_RULES`` name why a record survives an erasure request; the result of an
erasure cites them. ``JOBS`` are the periodic clean-ups, each with a default
period a DPO can change (``RetentionPolicy``) and a dry run that only counts; each
one runs in the app that owns the data (a method of its registered collector).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from codi.core import personaldata
from codi.core.personaldata import (
    RULE_AUDIT_LOG,
    RULE_BREACH_RECORD,
    RULE_CONSENT_EVIDENCE,
    RULE_DSR_RECORD,
    RULE_OFFICIAL_RECORD,
    RULE_PROJECT_FINANCE,
)
from codi.privacy.models import RetentionPolicy

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
    RULE_OFFICIAL_RECORD: (
        "Official Information Act B.E. 2540 s.26 and the Regulation on Correspondence B.E. 2526 "
        "(archives): CODI's documents and registered letters kept for their retention period"
    ),
}


@dataclass(frozen=True)
class Job:
    key: str
    dataset: str
    action: str  # anonymise | delete
    default_days: int
    description: str
    run: Callable[[datetime, bool], int]  # (cutoff, dry_run) -> records


def _by(collector_name: str, method: str) -> Callable[[datetime, bool], int]:
    """A clean-up that lives with its data: ``method`` of the app's registered collector."""

    def run(cutoff: datetime, dry_run: bool) -> int:
        return int(getattr(personaldata.collector(collector_name), method)(cutoff, dry_run))

    return run


JOBS: tuple[Job, ...] = (
    Job(
        "feedback_reporter_contact",
        "feedback.Ticket",
        "anonymise",
        365,
        "Reporter name, e-mail, phone and LINE ID of feedback closed for longer than the period; "
        "personal data in the text masked (a year leaves room to reopen and for complaints about the handling)",
        _by("feedback", "expire_contacts"),
    ),
    Job(
        "dropped_out_members",
        "communities.Person",
        "anonymise",
        10 * 365,
        "Persons whose memberships all ended longer ago than the period (the registry's stated "
        "retention: 10 years after the last membership) and who are no project's contact",
        _by("communities", "expire_dropped_out_members"),
    ),
    Job(
        "notification_addresses",
        "notifications.Notification",
        "anonymise",
        365,
        "Recipient e-mail addresses and LINE IDs of delivered or failed messages older than the period",
        _by("notifications", "expire_addresses"),
    ),
)


def job_days() -> dict[str, tuple[int, bool]]:
    """Each job's period in days and whether it runs: the DPO's setting, else the default."""

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
