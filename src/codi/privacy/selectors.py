"""Reads of the PDPA module: consent in force, notices, the DPO's lists and clocks, the register.

Privacy work is the controller's, for the whole organization: the DPO's pages
need ``Perm.PRIVACY_MANAGE`` granted for the whole country (``can_manage_privacy``).
``consent_given`` is for every module and takes no user.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from codi.communities.crypto import blind_index
from codi.communities.models import Person
from codi.communities.validation import FieldProblem, clean_national_id
from codi.governance.catalog import catalog_entries
from codi.identity.roles import Perm, ScopeLevel
from codi.identity.selectors import user_grants
from codi.privacy.collectors import Subject
from codi.privacy.models import (
    BREACH_HOURS,
    CONSENT_PURPOSES,
    OPEN_REQUEST_STATUSES,
    Breach,
    Consent,
    DataSubjectRequest,
    PrivacyNotice,
    ProcessingActivity,
    ProcessingRestriction,
    Purpose,
    RetentionRun,
    RiskLevel,
)

REMIND_DAYS_BEFORE = 7


def can_manage_privacy(user: Any) -> bool:
    """The DPO's permission, granted for the whole country (privacy duties are not regional)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return any(
        g.scope_level == ScopeLevel.COUNTRY and Perm.PRIVACY_MANAGE in g.permissions
        for g in user_grants(user)
    )


# --- consent ----------------------------------------------------------------------------------------


def _restricted(person_id: int, purpose: str) -> bool:
    return ProcessingRestriction.objects.filter(
        person_id=person_id, purpose__in=[purpose, ProcessingRestriction.ALL], lifted_at__isnull=True
    ).exists()


def consent_given(person: Person | int, purpose: str) -> bool:
    """Whether processing for ``purpose`` that rests on the person's consent may go on.

    True only while a consent for the purpose is in force and no objection or
    restriction (for that purpose or all) is. Purposes that do not rest on
    consent (``CONSENT_PURPOSES``) are answered by restrictions alone.
    """
    person_id = person if isinstance(person, int) else person.pk
    if _restricted(person_id, purpose):
        return False
    if purpose not in CONSENT_PURPOSES:
        return True
    return Consent.objects.filter(person_id=person_id, purpose=purpose, withdrawn_at__isnull=True).exists()


def persons_opted_out(purpose: str) -> QuerySet[Person]:
    """Persons who withdrew consent for ``purpose`` (none in force now) or objected to it."""
    active = Consent.objects.filter(person=OuterRef("pk"), purpose=purpose, withdrawn_at__isnull=True)
    withdrew = Q(consents__purpose=purpose, consents__withdrawn_at__isnull=False) & ~Q(Exists(active))
    objected = Q(
        processing_restrictions__purpose__in=[purpose, ProcessingRestriction.ALL],
        processing_restrictions__lifted_at__isnull=True,
    )
    return Person.objects.filter(withdrew | objected).distinct()


def analytics_exclusion() -> Q | None:
    """Feedback tickets of persons who withdrew consent to analytics or objected (for feedback's statistics)."""

    ids: set[int] = set()
    for person in persons_opted_out(Purpose.ANALYTICS)[:10_000]:
        ids |= Subject.of(person).ticket_ids
    return Q(pk__in=sorted(ids)) if ids else None


def consent_list(*, actor: Any, person: Person | None = None) -> QuerySet[Consent]:
    if not can_manage_privacy(actor):
        return Consent.objects.none()
    rows = Consent.objects.select_related("person", "notice")
    return rows.filter(person=person) if person is not None else rows


# --- notices ----------------------------------------------------------------------------------------


def current_notice(purpose: str) -> PrivacyNotice | None:
    return PrivacyNotice.objects.filter(purpose=purpose).order_by("-version").first()


def current_notices() -> list[PrivacyNotice]:
    """The latest version of each purpose's notice (public)."""
    latest: dict[str, PrivacyNotice] = {}
    for notice in PrivacyNotice.objects.order_by("purpose", "-version"):
        latest.setdefault(notice.purpose, notice)
    return [latest[p] for p in Purpose.values if p in latest]


def notice_versions(*, purpose: str) -> QuerySet[PrivacyNotice]:
    return PrivacyNotice.objects.filter(purpose=purpose).order_by("-version")


def notice_versions_all() -> QuerySet[PrivacyNotice]:
    return PrivacyNotice.objects.select_related("created_by").order_by("purpose", "-version")


# --- persons ----------------------------------------------------------------------------------------


def person_by_national_id(national_id: str) -> Person | None:
    """The person with this national ID (validated first: ``FieldProblem`` for a malformed one)."""
    nid = clean_national_id(national_id)
    return Person.objects.filter(national_id_index=blind_index(nid)).first()


def national_id_problem(national_id: str) -> str | None:
    try:
        clean_national_id(national_id)
    except FieldProblem as problem:  # one language on the page: the one the person reads
        return problem.en if (get_language() or "th").startswith("en") else problem.th
    return None


# --- requests, breaches, register ---------------------------------------------------------------------


def request_list(*, actor: Any, status: str = "", is_overdue: bool = False) -> QuerySet[DataSubjectRequest]:
    if not can_manage_privacy(actor):
        return DataSubjectRequest.objects.none()
    rows = DataSubjectRequest.objects.select_related("person")
    if status == "open":
        rows = rows.filter(status__in=OPEN_REQUEST_STATUSES)
    elif status:
        rows = rows.filter(status=status)
    if is_overdue:
        rows = rows.filter(status__in=OPEN_REQUEST_STATUSES, due_at__lt=timezone.now())
    return rows


def request_get(*, actor: Any, request_id: int) -> DataSubjectRequest | None:
    return request_list(actor=actor).filter(pk=request_id).first()


def requests_to_remind(*, now: datetime) -> QuerySet[DataSubjectRequest]:
    """Open requests due within ``REMIND_DAYS_BEFORE`` days (or overdue) not reminded in the last day."""
    return DataSubjectRequest.objects.filter(
        status__in=OPEN_REQUEST_STATUSES, due_at__lt=now + timedelta(days=REMIND_DAYS_BEFORE)
    ).filter(Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lt=now - timedelta(days=1)))


def breach_list(*, actor: Any) -> QuerySet[Breach]:
    if not can_manage_privacy(actor):
        return Breach.objects.none()
    return Breach.objects.all()


def breach_get(*, actor: Any, breach_id: int) -> Breach | None:
    return breach_list(actor=actor).filter(pk=breach_id).first()


def activity_list(*, actor: Any) -> QuerySet[ProcessingActivity]:
    if not can_manage_privacy(actor):
        return ProcessingActivity.objects.none()
    return ProcessingActivity.objects.all()


def _catalog_personal_fields() -> dict[str, list[tuple[str, str, str]]]:
    """``{dataset label: [(field, English name, category)]}`` from the governance catalog (empty if absent)."""
    try:
        entries = catalog_entries()
    except Exception:  # the catalog is being written, or a module's entry is invalid: say nothing
        return {}
    return {
        ds.label: [(f.name, f.name_en, f.personal) for f in ds.personal_fields]
        for ds in entries
        if ds.personal
    }


def ropa_rows(*, actor: Any) -> list[dict[str, Any]]:
    """The records of processing activities (PDPA s.39), data categories derived from the catalog."""
    personal = _catalog_personal_fields()
    rows = []
    for activity in activity_list(actor=actor):
        categories = []
        sensitive = []
        for label in activity.datasets:
            for name, name_en, category in personal.get(label, []):
                categories.append(f"{label}.{name} ({name_en})")
                if category == "sensitive":
                    sensitive.append(f"{label}.{name}")
        rows.append(
            {
                "activity": activity,
                "data_categories": categories,
                "sensitive": sensitive,
                "undocumented": [label for label in activity.datasets if label not in personal],
            }
        )
    return rows


# --- the DPO's dashboard ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clock:
    kind: str  # "dsr" | "breach"
    object_id: int
    label: str
    due_at: datetime
    is_overdue: bool


def dashboard(*, actor: Any, now: datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    if not can_manage_privacy(actor):
        return {}
    clocks = [
        Clock("dsr", r.pk, f"DSR-{r.pk} {r.get_kind_display()}", r.due_at, r.due_at < now)
        for r in DataSubjectRequest.objects.filter(status__in=OPEN_REQUEST_STATUSES).order_by("due_at")[:200]
    ]
    clocks += [
        Clock("breach", b.pk, b.title, b.regulator_due_at, b.regulator_due_at < now)
        for b in Breach.objects.filter(regulator_notified_at__isnull=True)
        .exclude(risk_level=RiskLevel.UNLIKELY)
        .order_by("regulator_due_at")[:200]
    ]
    clocks.sort(key=lambda c: c.due_at)
    return {
        "clocks": clocks,
        "overdue": [c for c in clocks if c.is_overdue],
        "open_requests": DataSubjectRequest.objects.filter(status__in=OPEN_REQUEST_STATUSES).count(),
        "open_breaches": Breach.objects.exclude(status="closed").count(),
        "active_consents": Consent.objects.filter(withdrawn_at__isnull=True).count(),
        "withdrawn_consents": Consent.objects.filter(withdrawn_at__isnull=False).count(),
        "last_retention_run": RetentionRun.objects.order_by("-started_at").first(),
        "breach_hours": BREACH_HOURS,
    }
